/* run_cache_state.c — what the next run will do with the analysis cache
 * (run.h run_cache_state; docs/cache.md), for `status`: the same checks a
 * run makes before it reads the cache (the store's generation, the
 * cache's head, store_appended), nothing read past the heads, nothing
 * written. */
#include "run/run_cache_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ", comments' notes beside it (N MB)" when PATH.notes is there (docs/cache.md,
 * "The comments' notes"), else "". */
static void notes_said(const char *path, char *out, size_t cap)
{
    char p[PATH_CAP + 8];
    struct stat sb;
    out[0] = '\0';
    if (snprintf(p, sizeof p, "%s.notes", path) < (int)sizeof p && stat(p, &sb) == 0)
        snprintf(out, cap, "; its comments' notes beside it (%.0f MB)", (double)sb.st_size / 1048576.0);
}

void run_cache_state(store *s, const char *target, char *out, size_t cap)
{
    const char *off = getenv("CXPULSE_CACHE");
    if (off && strcmp(off, "off") == 0) {
        snprintf(out, cap, "off (CXPULSE_CACHE=off): every run reads the store");
        return;
    }
    cache_key k;
    if (cache_key_get(s, target, &k) != 0) {
        snprintf(out, cap, "none: this store has no place for one");
        return;
    }
    struct stat sb;
    if (stat(k.path, &sb) != 0) {
        snprintf(out, cap, "none: the next stats, report or agents builds %s", k.path);
        return;
    }
    double mb = (double)sb.st_size / 1048576.0;
    char notes[128];
    notes_said(k.path, notes, sizeof notes);
    cache_reader *r = NULL;
    char why[512];
    int rc = cache_open(k.path, k.id, k.gen, &r, why, sizeof why);
    if (rc > 0) {
        long long n = (long long)cache_rows(r);
        snprintf(out, cap, "%s (%.0f MB), %lld %s: current%s", k.path, mb, n, run_responses_noun(n), notes);
        cache_close(r);
        return;
    }
    if (rc < 0) {
        /* WHY is "cache: PATH: damaged (…)" */
        snprintf(out, cap, "%s; the next run rebuilds it", strncmp(why, "cache: ", 7) == 0 ? why + 7 : why);
        return;
    }
    long long mark, added, changed;
    int grows = cache_growable(s, &k, &r, &mark, &added, &changed, why, sizeof why) == 1;
    if (grows)
        snprintf(
            out, cap,
            "%s (%.0f MB): behind the store; the next run extends it with %lld new and %lld changed %s%s",
            k.path, mb, added - changed, changed, run_responses_noun(changed), notes);
    else snprintf(out, cap, "%s (%.0f MB): behind the store; the next run rebuilds it%s", k.path, mb, notes);
    cache_close(r);
}
