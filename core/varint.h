/* varint.h — an unsigned LEB128 varint written: seven bits a byte, the
 * high bit set on every byte but the last.  For the small files this
 * program keeps for itself (a sorted run's row heads,
 * core/store/resp_runs_head.c; the comments' notes,
 * run/run_notes_file.c); each reads them back with the checks its own
 * input needs.  Owner: this header. */
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

#endif
