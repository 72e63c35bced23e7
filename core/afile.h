/* afile.h — write a file atomically: everything goes to a temporary file
 * beside the target, which is renamed into place only when every write,
 * the sync to the disk and the close succeeded.  A failure leaves the old file as it was.
 * Owner: core/afile.c.
 */
#ifndef CX_AFILE_H
#define CX_AFILE_H

#include "core/dsfile.h"

#include <stddef.h>
#include <stdio.h>

/* The temporary file's first AFILE_PLAIN bytes are written through the
 * page cache, the rest past it (core/dsfile.h): a large output (the
 * verbatim flags of millions of comments) is not worth the pages. */
#define AFILE_PLAIN (4LL << 20)

typedef struct afile {
    FILE *f;    /* write here (a stream onto ds) */
    char *path; /* owned */
    char *tmp;  /* owned */
    int fd;     /* the temporary file */
    dsfile ds;
} afile;

/* 0 ok; -1 with "PATH: why" in ERR. */
int afile_open(afile *a, const char *path, char *err, size_t errlen);
/* Flushes, closes and renames.  0 ok; -1 (temp file removed) with ERR. */
int afile_commit(afile *a, char *err, size_t errlen);
/* Discards the temporary file. */
void afile_abort(afile *a);

/* A new temporary file "cxpulse-TAG-XXXXXX" in $TMPDIR (else /tmp), open
 * for reading and writing: its descriptor, or -1 with errno set.  NAME
 * NULL: the file is unlinked at once (it goes when closed); else *NAME
 * gets its malloc'd path (the caller unlinks and frees it). */
int temp_file(const char *tag, char **name);
/* The folder temp_file makes its files in: $TMPDIR, else /tmp (for the
 * messages that say why one could not be made). */
const char *temp_dir(void);

/* Joins DIR and NAME into a malloc'd path (NULL when out of memory). */
char *path_join(const char *dir, const char *name);
/* mkdir -p; 0 ok, -1 with ERR. */
int mkdir_p(const char *dir, char *err, size_t errlen);

#endif
