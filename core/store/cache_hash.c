/* cache_hash.c — the analysis cache's hash and file name (cache.h). */
#include "core/store/cache_int.h"
#include "core/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t cache_hash(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint64_t h = 0xcbf29ce484222325ull, w;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, b + i, 8);
        h = (h ^ w) * 0x100000001b3ull;
        h ^= h >> 29;
    }
    for (; i < n; i++) h = (h ^ b[i]) * 0x100000001b3ull;
    return hash_fmix64(h ^ (uint64_t)n); /* a table slot may be its low bits */
}

int cache_path(const char *target, char *buf, size_t cap)
{
    int n;
    if (!store_target_is_pg(target)) {
        n = snprintf(buf, cap, "%s.cache", target);
        return n > 0 && (size_t)n < cap ? 0 : -1;
    }
    char shown[1024];
    store_target_redact(target, shown, sizeof shown);
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    unsigned long long h = (unsigned long long)cache_hash(shown, strlen(shown));
    if (xdg && xdg[0] == '/') n = snprintf(buf, cap, "%s/cxpulse/pg-%016llx.cache", xdg, h);
    else if (home && home[0] == '/') n = snprintf(buf, cap, "%s/.cache/cxpulse/pg-%016llx.cache", home, h);
    else return -1;
    return n > 0 && (size_t)n < cap ? 0 : -1;
}
