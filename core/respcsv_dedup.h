/* respcsv_dedup.h — the store's rule for a repeated response, applied to a
 * responses CSV read straight through (`stats --input`): of the valid rows
 * with one (source, response_id), the one with the latest updated_at
 * counts, and of those the later row; the others are replaced, as
 * `import` replaces them.
 *
 * Memory stays bounded by the file's repeats, not its rows.  One pass over
 * the file before the reading pass puts every key into a Bloom filter of
 * fixed size (1/8 of the file's bytes, at most 32 MiB) and tracks, exactly,
 * only the keys it had already seen (the repeats, and a few false
 * positives): for each, the first occurrence the filter brought back, and
 * the best valid row from there on.  Of a tracked key, at most one row
 * lies before that occurrence (its first row, which set the filter's
 * bits), and the reading pass meets it first: so the reading pass decides
 * every row without reading the file again.
 *
 *  - resp_dedup_class, on any thread (read-only): keep, drop, the key's
 *    first row (which wins against the best row after it, or loses), or
 *    pending: the best row after it, which counts unless the first row won.
 *  - resp_dedup_first and resp_dedup_settle, on the one thread that takes
 *    the rows in file order: a first row's outcome is recorded there, and
 *    a pending row settled there (its first row, if any, came before).
 *  - resp_dedup_keep does all of it for a reader that is that thread.
 *
 * Rows are named by the byte offset of their first byte in the file, the
 * same for csv_read (csv_reader_tell before the record) and the chunk
 * reader.  Only valid rows are asked about.  Owner: core/respcsv_dedup.c,
 * respcsv_dedup_pass.c (the pass), and core/respcsv_spool.c (resp_spool).
 */
#ifndef CX_RESPCSV_DEDUP_H
#define CX_RESPCSV_DEDUP_H

#include <stddef.h>
#include <stdint.h>
#include "core/respcsv.h"

typedef struct resp_dedup resp_dedup;

/* Reads the regular file PATH (its header is H's) once.  SOURCE is the
 * source of rows whose source column is absent or empty.  NULL with ERR
 * on a read error or out of memory. */
resp_dedup *resp_dedup_build(const char *path, const resp_header *h, const char *source, int moment_lo,
                             int moment_hi, char *err, size_t errlen);
void resp_dedup_free(resp_dedup *d);

/* What becomes of the valid row at byte OFFSET with source SRC (SRC_LEN
 * bytes; empty = the build's SOURCE), response_id ID and UPDATED_AT; *KEY
 * is set to its key for resp_dedup_first / resp_dedup_settle.  D NULL
 * keeps every row. */
enum { DEDUP_KEEP, DEDUP_DROP, DEDUP_FIRST_WON, DEDUP_FIRST_LOST, DEDUP_PENDING };
int resp_dedup_class(const resp_dedup *d, const char *src, size_t src_len, const char *id, size_t id_len,
                     long long offset, int64_t updated_at, size_t *key);
/* In file order: KEY's first row was met, valid, and WON or not. */
void resp_dedup_first(resp_dedup *d, size_t key, int won);
/* In file order, after the key's first row if it has one: 1 when the
 * pending row of KEY counts. */
int resp_dedup_settle(const resp_dedup *d, size_t key);
/* The three for one row, taken in file order: 1 when it counts, 0 when a
 * later or newer row replaces it.  D NULL keeps every row. */
int resp_dedup_keep(resp_dedup *d, const char *src, size_t src_len, const char *id, size_t id_len,
                    long long offset, int64_t updated_at);

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

/* Rows replaced (valid rows of a repeated key, less one per key): known
 * once the reading pass has taken every row. */
long long resp_dedup_replaced(const resp_dedup *d);
/* Keys tracked exactly (repeats and false positives), and the filter's bytes. */
size_t resp_dedup_tracked(const resp_dedup *d);
size_t resp_dedup_filter_bytes(const resp_dedup *d);
/* Passes it read the file in: 1, or 2 when a record longer than the fast
 * pass's block sent it back to csv_read. */
int resp_dedup_passes(const resp_dedup *d);

#endif
