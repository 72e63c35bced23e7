/* import_digest.h — the fingerprint of a responses file for the store's
 * note of a file imported again unchanged (store.h store_import_seen_get).
 * Owner: ingest/import_digest.c; used by ingest/import.c.
 */
#ifndef CX_IMPORT_DIGEST_H
#define CX_IMPORT_DIGEST_H

#include <stddef.h>
#include <sys/stat.h>

#define IMPORT_DIGEST_LEN 65 /* 64 hex digits and a NUL */

/* SHA-256 of SETTINGS (a line saying how the rows are read: program
 * version, source, format, moment scale) followed by every byte of the
 * regular file PATH, in lower-case hex into HEX; *ST the file's status
 * when it was read (import_digest_same compares it after the import).
 * 0, or -1 when PATH is not a regular file or cannot be read (the import
 * then reads it as it always did). */
int import_digest(const char *path, const char *settings, char hex[IMPORT_DIGEST_LEN], struct stat *st);

/* The same on a thread of its own, while the import reads the file:
 * import_digest_start (0, or -1 when no thread could start: then call
 * import_digest), import_digest_wait (import_digest's answer). */
typedef struct import_digest_job {
    const char *path, *settings;
    char *hex;
    struct stat *st;
    int rc;
    void *thread;             /* a pthread_t, while it runs */
    struct digest_feed *feed; /* import_digest_fed: the bytes handed over */
} import_digest_job;
int import_digest_start(import_digest_job *j, const char *path, const char *settings,
                        char hex[IMPORT_DIGEST_LEN], struct stat *st);
int import_digest_wait(import_digest_job *j);

/* The same from the bytes the import's reader reads (its tap,
 * csv_reader_tap: import_digest_feed with J as the context), digested on
 * a thread of its own as they come, so the file is read once: FD is the
 * reader's descriptor, for *ST.  import_digest_wait then ends the bytes
 * and gives the answer: -1 unless they were the whole file, in order.
 * import_digest_fed: 0, or -1 (no thread, FD not a regular file): then
 * use import_digest_start. */
int import_digest_fed(import_digest_job *j, int fd, const char *settings, char hex[IMPORT_DIGEST_LEN],
                      struct stat *st);
void import_digest_feed(void *job, const char *p, size_t n);
/* A fed job takes no more of the reader's bytes: its thread digests those
 * it was given, then reads the rest of the file itself, at the lowest
 * priority (for an import that will have a core to spare later: one that
 * sorts its rows after reading them), and import_digest_wait finishes
 * what is left at its caller's.  The digest is then the file's, read to
 * its end, whatever the reader reads after.  Nothing for another job. */
void import_digest_detach(import_digest_job *j);

/* 1 when PATH still has the size, modification time and inode of ST. */
int import_digest_same(const char *path, const struct stat *st);

#endif
