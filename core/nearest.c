/* nearest.c — the closest known name (nearest.h). */
#include "core/nearest.h"

#include <string.h>

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

size_t nearest_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t d[NEAREST_MAX + 1][NEAREST_MAX + 1];
    for (size_t i = 0; i <= la; i++) d[i][0] = i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = lower(a[i - 1]) != lower(b[j - 1]);
            size_t v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v) v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]) &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

const char *nearest_name(const char *name, const char *const *names, size_t n)
{
    size_t nlen = strlen(name), best_d = (size_t)-1;
    const char *best = NULL;
    for (size_t i = 0; i < n && nlen <= NEAREST_MAX; i++) {
        if (!names[i] || strlen(names[i]) > NEAREST_MAX) continue;
        size_t d = nearest_distance(name, nlen, names[i], strlen(names[i]));
        if (d < best_d) best_d = d, best = names[i];
    }
    size_t limit = best ? strlen(best) / 3 : 0;
    if (limit < 1) limit = 1;
    if (limit > 3) limit = 3;
    return best && best_d <= limit ? best : NULL;
}
