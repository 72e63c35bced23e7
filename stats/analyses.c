/* analyses.c — the table of analyses (stats/analysis.h) and `--tables`.
 * A new analysis is one row here. */
#include "stats/analysis.h"

#include <stdio.h>
#include <string.h>

/* Run order: also the order the finished parts are published in. */
static const analysis *const table[] = {
    &analysis_nps,           &analysis_cx,
    &analysis_agents,        &analysis_recent,
    &analysis_themes,        &analysis_metrics,
    &analysis_agents_metric, &analysis_metric_summary, /* reads the two rows above */
    &analysis_summary,                                 /* last: reads what the rows above published */
};

int analysis_oom(const char *what, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s: out of memory", what);
    return -1;
}

int analysis_add_none(void *acc, const cx_response *r, const char *const *seg)
{
    (void)acc;
    (void)r;
    (void)seg;
    return 0;
}

size_t analyses_list(const analysis *const **list)
{
    *list = table;
    return sizeof table / sizeof *table;
}

/* "nps, cx or agents": the names --tables takes. */
static void names(char *buf, size_t cap)
{
    size_t n = 0, k = 0, len = 0;
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) n += table[i]->table != NULL;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        if (!table[i]->table) continue;
        const char *sep = k == 0 ? "" : k + 1 == n ? " or " : ", ";
        int w = snprintf(buf + len, cap - len, "%s%s", sep, table[i]->table);
        if (w < 0 || (size_t)w >= cap - len) return;
        len += (size_t)w;
        k++;
    }
}

int analyses_parse_tables(const char *list, unsigned *flags, char *err, size_t errlen)
{
    *flags = list ? 0 : STATS_RUN_ALL;
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        int known = n == 0;
        for (size_t i = 0; !known && i < sizeof table / sizeof *table; i++) {
            const char *t = table[i]->table;
            if (t && strlen(t) == n && strncmp(p, t, n) == 0) {
                *flags |= table[i]->flag;
                known = 1;
            }
        }
        if (!known) {
            char all[128];
            names(all, sizeof all);
            snprintf(err, errlen, "--tables: '%.*s' is not %s", (int)n, p, all);
            return -1;
        }
        p += n + (p[n] == ',');
    }
    return 0;
}
