/* resp_runs_head.c — the packed head of a row in a sorted run's file
 * (core/store/resp_runs.h run_rec: written by resp_runs.c, read by
 * resp_runs_merge.c).
 *
 * A byte (the metric in its low three bits, 8 when the row has a handle
 * time), then as LEB128 varints: responded_at and updated_at (zigzag),
 * seq, month and score (zigzag), the handle time's 8 bytes when it has
 * one, and the SQB_NTEXT text lengths.  The file lives only as long as
 * the bulk, on this machine: no byte order or version to keep. */
#include "core/store/resp_runs.h"
#include "core/varint.h"

#include <string.h>

static uint64_t zig(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static int64_t unzig(uint64_t v) { return (int64_t)(v >> 1) ^ -(int64_t)(v & 1); }

size_t resp_run_head_put(unsigned char *out, const run_rec *h)
{
    size_t n = 0;
    out[n++] = (unsigned char)((h->metric & 7) | (h->has_handle_time ? 8 : 0));
    n += varint_put(out + n, zig(h->responded_at));
    n += varint_put(out + n, zig(h->updated_at));
    n += varint_put(out + n, (uint64_t)h->seq);
    n += varint_put(out + n, zig(h->month));
    n += varint_put(out + n, zig(h->score));
    if (h->has_handle_time) {
        memcpy(out + n, &h->handle_time_s, sizeof h->handle_time_s);
        n += sizeof h->handle_time_s;
    }
    for (int t = 0; t < SQB_NTEXT; t++) n += varint_put(out + n, h->len[t]);
    return n;
}

long resp_run_head_get(const unsigned char *p, size_t have, run_rec *h)
{
    size_t at = 1;
    uint64_t v[5];
    if (have < 1) return 0;
    if (p[0] & ~15u || (p[0] & 7) >= CX_METRIC_COUNT) return -1;
    memset(h, 0, sizeof *h);
    h->metric = p[0] & 7;
    h->has_handle_time = (p[0] & 8) != 0;
    for (int i = 0; i < 5; i++) {
        int rc = varint_get(p, have, &at, &v[i]);
        if (rc <= 0) return rc;
    }
    h->responded_at = unzig(v[0]);
    h->updated_at = unzig(v[1]);
    h->seq = (int64_t)v[2];
    h->month = (int32_t)unzig(v[3]);
    h->score = (int32_t)unzig(v[4]);
    if (h->has_handle_time) {
        if (have - at < sizeof h->handle_time_s) return 0;
        memcpy(&h->handle_time_s, p + at, sizeof h->handle_time_s);
        at += sizeof h->handle_time_s;
    }
    for (int t = 0; t < SQB_NTEXT; t++) {
        uint64_t l;
        int rc = varint_get(p, have, &at, &l);
        if (rc <= 0) return rc;
        if (l > UINT32_MAX) return -1;
        h->len[t] = (uint32_t)l;
    }
    return (long)at;
}
