/* varint.h — an unsigned LEB128 varint written and read: seven bits a byte, the
 * high bit set on every byte but the last.  For the small files this
 * program keeps for itself (a sorted run's row heads,
 * core/store/resp_runs_head.c; the comments' notes,
 * run/run_notes_file.c); each checks what it reads as its own input
 * needs.  Owner: this header. */
#ifndef CX_VARINT_H
#define CX_VARINT_H

#include <stddef.h>
#include <stdint.h>

/* V into O (room for 10 bytes): the bytes written. */
static inline size_t varint_put(unsigned char *o, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        o[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    o[n++] = (unsigned char)v;
    return n;
}

/* A varint at P[*AT] (below END) into *V, *AT moved past it: 1, 0 when
 * cut short, -1 when longer than 64 bits' worth of bytes. */
static inline int varint_get(const unsigned char *p, size_t end, size_t *at, uint64_t *v)
{
    uint64_t x = 0;
    for (unsigned sh = 0; sh < 64; sh += 7) {
        if (*at >= end) return 0;
        unsigned char c = p[(*at)++];
        x |= (uint64_t)(c & 0x7f) << sh;
        if (!(c & 0x80)) {
            *v = x;
            return 1;
        }
    }
    return -1;
}

#endif
