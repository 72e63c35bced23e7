/* keybuf.c — a response's key kept across rows (core/store/keybuf.h). */
#include "core/store/keybuf.h"

#include <stdlib.h>
#include <string.h>

int keybuf_set(keybuf *kb, const char *src, size_t sl, const char *id, size_t il)
{
    if (sl + il + 1 > kb->cap) {
        char *n = realloc(kb->k, sl + il + 1);
        if (!n) {
            kb->len = 0;
            return -1;
        }
        kb->k = n;
        kb->cap = sl + il + 1;
    }
    memcpy(kb->k, src, sl);
    kb->k[sl] = '\0';
    memcpy(kb->k + sl + 1, id, il);
    kb->len = sl + il + 1;
    return 0;
}

int keybuf_cmp(const keybuf *kb, const char *src, size_t sl, const char *id, size_t il)
{
    size_t ls = strlen(kb->k), li = kb->len - ls - 1;
    int c = memcmp(src, kb->k, sl < ls ? sl : ls);
    if (!c) c = (sl > ls) - (sl < ls);
    if (!c) {
        c = memcmp(id, kb->k + ls + 1, il < li ? il : li);
        if (!c) c = (il > li) - (il < li);
    }
    return c;
}
