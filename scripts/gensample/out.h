/* out.h — gen-sample's buffered output: one big buffer written in blocks
 * (a row is formatted straight into it: ob_reserve, then ob_commit), and
 * files written to DIR/name.tmp.PID and renamed into place.
 * Owner: out.c.
 */
#ifndef GS_OUT_H
#define GS_OUT_H

#include <stddef.h>
#include <stdio.h>

#define OB_CAP (8u << 20)
#define OB_ROOM 8192u /* always enough for one row */

typedef struct {
    FILE *f;
    char *buf;
    size_t len;
    int err;
} outbuf_t;

void ob_flush(outbuf_t *o);
void ob_puts(outbuf_t *o, const char *s);

static inline char *ob_reserve(outbuf_t *o)
{
    if (o->len + OB_ROOM > OB_CAP) ob_flush(o);
    return o->buf + o->len;
}

static inline void ob_commit(outbuf_t *o, const char *end) { o->len = (size_t)(end - o->buf); }

typedef struct {
    outbuf_t ob;
    char path[4096];
    char tmp[4200];
    int is_stdout;
} ofile_t;

extern char *g_outbuf_mem;
void of_open(ofile_t *of, const char *dir, const char *name);
void of_close(ofile_t *of);

#endif
