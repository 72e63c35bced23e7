/* respcsv_dedup.h — the store's rule for a repeated response, applied to a
 * responses CSV read straight through (`stats --input`): of the valid rows
 * with one (source, response_id), the one with the latest updated_at
 * counts, and of those the later row; the others are replaced, as
 * `import` replaces them.
 *
 * Memory stays bounded by the file's repeats, not its rows: a first pass
 * over the file puts every key into a Bloom filter of fixed size (1/8 of
 * the file's bytes, at most 32 MiB) and keeps, exactly, only the keys it
 * had already seen (the repeats, and a few false positives); a second pass,
 * run only when the first kept a key, finds the winning row of each.  The reading pass then asks
 * resp_dedup_keep for the rows of kept keys only.  Rows are named by the
 * byte offset of their first byte in the file, the same for csv_read
 * (csv_reader_tell before the record) and the chunk reader.
 *
 * Owner: core/respcsv_dedup.c, respcsv_dedup_pass.c (the passes), and
 * core/respcsv_spool.c (resp_spool).  Read-only after resp_dedup_build: threads
 * may call resp_dedup_keep at once.
 */
#ifndef CX_RESPCSV_DEDUP_H
#define CX_RESPCSV_DEDUP_H

#include <stddef.h>
#include "core/respcsv.h"

typedef struct resp_dedup resp_dedup;

/* Reads the regular file PATH (its header is H's) once, or twice when
 * the first pass keeps a key.  SOURCE is the
 * source of rows whose source column is absent or empty.  NULL with ERR
 * on a read error or out of memory. */
resp_dedup *resp_dedup_build(const char *path, const resp_header *h, const char *source,
                             int moment_lo, int moment_hi, char *err, size_t errlen);
void resp_dedup_free(resp_dedup *d);

/* 1 when the valid row at byte OFFSET with source SRC (SRC_LEN bytes; empty
 * = the build's SOURCE) and response_id ID counts, 0 when a later or newer
 * row replaces it.  D NULL keeps every row. */
int resp_dedup_keep(const resp_dedup *d, const char *src, size_t src_len, const char *id, size_t id_len,
                    long long offset);

/* A pipe is read once, so it is first copied ("spooled") into OUT, record
 * by record with csv_read, each followed by LF: line numbers stay as they
 * were and the copy reads back to the same records.  A record that cannot
 * be copied — one over the size limit (csv_read keeps only its start) or
 * the one that ended the input with an error — goes to BAD instead, with
 * its line, raw start and reason (FATAL 1 for the last); its lines are
 * kept as empty lines.  0 ok (OUT flushed), -1 with ERR (a write failed). */
typedef void (*resp_spool_bad)(void *ctx, long line, const char *raw, size_t raw_len, const char *why,
                               int fatal);
int resp_spool(csv_reader *in, FILE *out, resp_spool_bad bad, void *ctx, char *err, size_t errlen);

/* Rows replaced (valid rows of a repeated key, less one per key). */
long long resp_dedup_replaced(const resp_dedup *d);
/* Keys tracked exactly (repeats and false positives), and the filter's bytes. */
size_t resp_dedup_tracked(const resp_dedup *d);
size_t resp_dedup_filter_bytes(const resp_dedup *d);

#endif
