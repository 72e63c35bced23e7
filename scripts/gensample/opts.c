/* opts.c — gen-sample's command line. */
#include "gs.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: " PROG " --rows N [--seed S] [--out DIR] [--responses-only]\n"
               "                  [--start YYYY-MM] [--months M] [--agents K] [--customers C]\n"
               "                  [--verbatims]\n"
               "  defaults: seed 1, out '.', start 2025-11, months 12, agents 40,\n"
               "            customers max(50, N/3); '--out -' writes responses.csv to stdout\n"
               "  --verbatims: English and Spanish comments with planted themes and moments\n"
               "            of truth, and verbatims_truth.csv (docs/sample-data.md)\n");
}

static void usage_error(const char *msg, const char *arg)
{
    if (arg) fprintf(stderr, PROG ": %s: %s\n", msg, arg);
    else fprintf(stderr, PROG ": %s\n", msg);
    usage(stderr);
    exit(2);
}

static uint64_t parse_u64(const char *opt, const char *s, uint64_t lo, uint64_t hi)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = 0;
    int bad = *s < '0' || *s > '9'; /* strtoull would accept "-1" and " 1" */
    if (!bad) v = strtoull(s, &end, 10);
    if (bad || errno || *end != '\0' || v < lo || v > hi) {
        char msg[96];
        snprintf(msg, sizeof msg, "%s wants an integer in [%" PRIu64 ", %" PRIu64 "]", opt, lo, hi);
        usage_error(msg, s);
    }
    return (uint64_t)v;
}

void parse_args(int argc, char **argv, opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->out = ".";
    o->start_y = 2025;
    o->start_m = 11;
    o->months = 12;
    o->agents = 40;
    int have_rows = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            exit(0);
        } else if (!strcmp(a, "--responses-only")) {
            o->responses_only = 1;
            continue;
        } else if (!strcmp(a, "--verbatims")) {
            o->verbatims = 1;
            continue;
        }
        if (!v) {
            if (!strcmp(a, "--rows") || !strcmp(a, "--seed") || !strcmp(a, "--out") ||
                !strcmp(a, "--start") || !strcmp(a, "--months") || !strcmp(a, "--agents") ||
                !strcmp(a, "--customers"))
                usage_error("missing value for", a);
            usage_error("unknown option", a);
        }
        if (!strcmp(a, "--rows")) {
            o->rows = parse_u64(a, v, 0, 2000000000ULL);
            have_rows = 1;
        } else if (!strcmp(a, "--seed")) {
            o->seed = parse_u64(a, v, 0, UINT64_MAX);
        } else if (!strcmp(a, "--out")) {
            if (!*v) usage_error("--out wants a directory or '-'", v);
            o->out = v;
        } else if (!strcmp(a, "--start")) {
            int ok = strlen(v) == 7 && v[4] == '-';
            for (int k = 0; ok && k < 7; k++)
                if (k != 4 && (v[k] < '0' || v[k] > '9')) ok = 0;
            if (ok) {
                o->start_y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
                o->start_m = (v[5] - '0') * 10 + (v[6] - '0');
                ok = o->start_y >= 1971 && o->start_y <= 9000 && o->start_m >= 1 && o->start_m <= 12;
            }
            if (!ok) usage_error("--start wants YYYY-MM", v);
        } else if (!strcmp(a, "--months")) {
            o->months = (int)parse_u64(a, v, 1, 1200);
        } else if (!strcmp(a, "--agents")) {
            o->agents = (int)parse_u64(a, v, 1, 9999);
        } else if (!strcmp(a, "--customers")) {
            o->customers = parse_u64(a, v, 1, 500000000ULL);
            o->customers_set = 1;
        } else {
            usage_error("unknown option", a);
        }
        i++;
    }
    if (!have_rows) usage_error("--rows N is required", NULL);
    if (!o->customers_set) {
        o->customers = o->rows / 3;
        if (o->customers < 50) o->customers = 50;
    }
}
