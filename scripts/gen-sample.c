/*
 * gen-sample — seeded synthetic survey / CRM / billing data for cxpulse.
 *
 *   gen-sample --rows N [--seed S] [--out DIR] [--responses-only]
 *              [--start YYYY-MM] [--months M] [--agents K] [--customers C]
 *
 * Writes responses.csv, customers.csv, spend.csv, agents_truth.csv and
 * truth.txt into DIR (default "."), or only responses.csv with
 * --responses-only, or responses.csv to stdout with "--out -".
 * The data model, the planted effects and their sizes are documented in
 * docs/sample-data.md; every planted parameter is also written to truth.txt.
 *
 * One C11 file, libc + libm only.  Output is byte-identical for identical
 * arguments (own RNG, no clock, no locale); across different libm builds a
 * last-bit difference in log/exp could change a rare value.  Memory is
 * proportional to the number of customers and agents, never to the number
 * of rows: rows are generated in chronological order and formatted by hand
 * into a large buffer written in big blocks.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define PROG "gen-sample"

/* ------------------------------------------------------------------ */
/* Planted parameters (all echoed in truth.txt)                        */
/* ------------------------------------------------------------------ */

/* score latent = SCORE_BASE + PE_COEF*(peak_end-3) + SKILL_SCORE*skill
 *              + channel + region + product + tier + TREND*(month-(M-1)/2)
 *              + N(0, SCORE_NOISE); score = clamp(round(latent), 0, 10) */
#define SCORE_BASE 7.90
#define PE_COEF 1.50
#define SKILL_SCORE 0.35
#define SKILL_END 0.60     /* added to the latent last moment             */
#define SKILL_END2 0.30    /* added to the latent second-to-last moment   */
#define SKILL_MOT_PEAK 0.40/* raises the chance that a MoT peak is good   */
#define TREND_PER_MONTH 0.055
#define SCORE_NOISE 1.20
#define MOMENT_Q_SD 0.70   /* per-response quality shared by its moments  */
#define MOMENT_SD 0.80     /* per-moment noise                            */
#define MOMENT_SHIFT 0.25  /* moments centre on 3.25                      */
#define MOT_PEAK_PROB 0.85 /* share of MoT responses with an extreme peak */

#define P_UNKNOWN_CUSTOMER 0.01
#define P_MOT_ROWS 0.15
#define P_NO_MOMENTS 0.10
#define P_EMPTY_COMMENT 0.40
#define P_SPECIAL_COMMENT 0.10 /* of non-empty comments */
#define P_EMPTY_CHANNEL 0.05
#define P_EMPTY_REGION 0.03
#define P_OFFSET_TS 0.02
#define P_UPDATED 0.30
#define PART_TIME_WEIGHT (1.0 / 15.0)
#define HT_SD 0.45         /* lognormal sd of handle time around agent median */

/* spend */
#define SPEND_BEFORE_DAYS 120
#define SPEND_AFTER_DAYS 45
#define SPEND_WINDOW 90
#define SPEND_GAP_MIN 4
#define SPEND_GAP_SPAN 7   /* gaps 4..10 days: about one purchase a week */
#define SPEND_NOISE 0.20   /* lognormal sd of each purchase amount        */
#define MOT_POS_UP_P 0.85
#define MOT_POS_UP 1.40
#define MOT_POS_DOWN 0.75
#define MOT_NEG_DOWN_P 0.70
#define MOT_NEG_DOWN 0.60
#define MOT_NEG_UP 1.25

/* customers */
#define VALUE_FLOOR 40.0
#define VALUE_MU 7.30      /* median of the lognormal part: e^7.3 ~ 1480 */
#define VALUE_SIGMA 1.60
#define P_EMPTY_VALUE 0.05
#define Z_ENTERPRISE 1.6448536 /* top 5% of value  */
#define Z_BUSINESS 0.8416212   /* next 15% of value */

enum { CH_PHONE, CH_CHAT, CH_EMAIL, CH_WEB, N_CH };
static const char *const CH_NAME[N_CH] = {"phone", "chat", "email", "web"};
static const double CH_P[N_CH] = {0.35, 0.25, 0.15, 0.25};
static const double CH_EFF[N_CH] = {0.0, 0.50, -0.50, -0.35};

enum { N_PROD = 4 };
static const char *const PROD_NAME[N_PROD] = {"cards", "loans", "travel", "insurance"};
static const double PROD_P[N_PROD] = {0.35, 0.20, 0.20, 0.25};
static const double PROD_EFF[N_PROD] = {0.0, -0.15, 0.10, -0.05};

enum { N_REG = 4 };
static const char *const REG_NAME[N_REG] = {"north", "south", "east", "west"};
static const double REG_P[N_REG] = {0.25, 0.25, 0.25, 0.25};
static const double REG_EFF[N_REG] = {0.10, 0.20, 0.0, -0.80};

enum { N_ROUTINE = 4, N_MOT = 4 };
static const char *const ROUTINE_NAME[N_ROUTINE] = {"billing_question", "plan_change",
                                                    "tech_support", "address_change"};
static const double ROUTINE_P[N_ROUTINE] = {0.35, 0.20, 0.30, 0.15};
static const char *const MOT_NAME[N_MOT] = {"card_lost", "fraud_alert", "flight_cancelled",
                                            "outage"};
static const double MOT_P[N_MOT] = {0.30, 0.30, 0.20, 0.20};

enum { TIER_CONSUMER, TIER_BUSINESS, TIER_ENTERPRISE, N_TIER };
static const char *const TIER_NAME[N_TIER] = {"consumer", "business", "enterprise"};
static const double TIER_EFF[N_TIER] = {0.0, -0.30, -0.30};

enum { N_COUNTRY = 6 };
static const char *const COUNTRY_NAME[N_COUNTRY] = {"US", "GB", "DE", "FR", "NL", "IE"};
static const double COUNTRY_P[N_COUNTRY] = {0.40, 0.20, 0.15, 0.10, 0.10, 0.05};

static const int OFFSET_MIN[] = {60, 120, -300, 330, -180, 540, -480, 600};
#define N_OFFSET ((int)(sizeof OFFSET_MIN / sizeof OFFSET_MIN[0]))

/* RNG streams */
enum { ST_SETUP = 1, ST_ROWS = 2, ST_CUST = 3, ST_SPEND = 4, ST_PICK = 5 };

/* ------------------------------------------------------------------ */
/* RNG: xoshiro256** seeded by splitmix64; Marsaglia polar normals     */
/* ------------------------------------------------------------------ */

typedef struct {
    uint64_t s[4];
    double spare;
    int has_spare;
} rng_t;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void rng_seed(rng_t *r, uint64_t seed, uint64_t stream, uint64_t sub)
{
    uint64_t x = seed;
    uint64_t a = splitmix64(&x);
    x = a ^ (stream * 0xD1B54A32D192ED03ULL);
    uint64_t b = splitmix64(&x);
    x = b ^ (sub * 0xA24BAED4963EE407ULL + 0x632BE59BD9B4E019ULL);
    for (int k = 0; k < 4; k++)
        r->s[k] = splitmix64(&x);
    r->has_spare = 0;
    r->spare = 0.0;
}

static inline uint64_t rotl64(uint64_t v, int k) { return (v << k) | (v >> (64 - k)); }

static inline uint64_t rng_next(rng_t *r)
{
    uint64_t *s = r->s;
    const uint64_t result = rotl64(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return result;
}

/* [0, 1) */
static inline double rng_unif(rng_t *r) { return (double)(rng_next(r) >> 11) * 0x1.0p-53; }
/* (0, 1) */
static inline double rng_unif_pos(rng_t *r)
{
    return ((double)(rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}
/* integer in [0, n), n < 2^53 */
static inline uint64_t rng_below(rng_t *r, uint64_t n)
{
    return (uint64_t)(rng_unif(r) * (double)n);
}

static double rng_norm(rng_t *r)
{
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    double u, v, s;
    do {
        u = 2.0 * rng_unif(r) - 1.0;
        v = 2.0 * rng_unif(r) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double f = sqrt(-2.0 * log(s) / s);
    r->spare = v * f;
    r->has_spare = 1;
    return u * f;
}

static int rng_pick(rng_t *r, const double *p, int n)
{
    double u = rng_unif(r);
    for (int i = 0; i < n - 1; i++) {
        if (u < p[i])
            return i;
        u -= p[i];
    }
    return n - 1;
}

/* ------------------------------------------------------------------ */
/* Dates (proleptic Gregorian, UTC; Howard Hinnant's algorithms)       */
/* ------------------------------------------------------------------ */

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    const int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = mm;
    *d = dd;
}

static inline int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

/* ------------------------------------------------------------------ */
/* Hand formatting                                                     */
/* ------------------------------------------------------------------ */

static inline char *put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

static inline char *put4(char *p, int v)
{
    p[0] = (char)('0' + v / 1000);
    p[1] = (char)('0' + v / 100 % 10);
    p[2] = (char)('0' + v / 10 % 10);
    p[3] = (char)('0' + v % 10);
    return p + 4;
}

static inline char *put_u64(char *p, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static inline char *put_u64w(char *p, uint64_t v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width && n < 24)
        tmp[n++] = '0';
    while (n)
        *p++ = tmp[--n];
    return p;
}

/* cents -> "123.45" */
static inline char *put_money(char *p, int64_t cents)
{
    if (cents < 0) {
        *p++ = '-';
        cents = -cents;
    }
    p = put_u64(p, (uint64_t)(cents / 100));
    *p++ = '.';
    return put2(p, (int)(cents % 100));
}

static inline char *put_str(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

static char *put_date(char *p, int64_t day)
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    p = put4(p, y);
    *p++ = '-';
    p = put2(p, m);
    *p++ = '-';
    return put2(p, d);
}

/* "YYYY-MM-DDTHH:MM:SS" for unix seconds t (no zone suffix) */
static char *put_datetime(char *p, int64_t t)
{
    int64_t day = floor_div(t, 86400);
    int sod = (int)(t - day * 86400);
    p = put_date(p, day);
    *p++ = 'T';
    p = put2(p, sod / 3600);
    *p++ = ':';
    p = put2(p, sod / 60 % 60);
    *p++ = ':';
    return put2(p, sod % 60);
}

/* ------------------------------------------------------------------ */
/* Buffered output                                                     */
/* ------------------------------------------------------------------ */

#define OB_CAP (8u << 20)
#define OB_ROOM 8192u /* always enough for one row */

typedef struct {
    FILE *f;
    char *buf;
    size_t len;
    int err;
} outbuf_t;

static void ob_flush(outbuf_t *o)
{
    if (o->len && !o->err) {
        if (fwrite(o->buf, 1, o->len, o->f) != o->len)
            o->err = errno ? errno : EIO;
    }
    o->len = 0;
}

static inline char *ob_reserve(outbuf_t *o)
{
    if (o->len + OB_ROOM > OB_CAP)
        ob_flush(o);
    return o->buf + o->len;
}

static inline void ob_commit(outbuf_t *o, const char *end) { o->len = (size_t)(end - o->buf); }

static void ob_puts(outbuf_t *o, const char *s)
{
    size_t n = strlen(s);
    while (n) {
        char *p = ob_reserve(o);
        size_t k = n < OB_ROOM ? n : OB_ROOM;
        memcpy(p, s, k);
        ob_commit(o, p + k);
        s += k;
        n -= k;
    }
}

/* ------------------------------------------------------------------ */
/* Files: written to DIR/name.tmp.PID and renamed into place           */
/* ------------------------------------------------------------------ */

typedef struct {
    outbuf_t ob;
    char path[4096];
    char tmp[4200];
    int is_stdout;
} ofile_t;

static char *g_outbuf_mem;

static void die(const char *what, const char *why)
{
    fprintf(stderr, PROG ": %s: %s\n", what, why);
    exit(1);
}

static void of_open(ofile_t *of, const char *dir, const char *name)
{
    memset(of, 0, sizeof *of);
    of->ob.buf = g_outbuf_mem;
    if (dir == NULL) {
        of->is_stdout = 1;
        of->ob.f = stdout;
        snprintf(of->path, sizeof of->path, "<stdout>");
        return;
    }
    int n = snprintf(of->path, sizeof of->path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof of->path)
        die(dir, "path too long");
    n = snprintf(of->tmp, sizeof of->tmp, "%s.tmp.%ld", of->path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof of->tmp)
        die(dir, "path too long");
    of->ob.f = fopen(of->tmp, "wb");
    if (!of->ob.f)
        die(of->tmp, strerror(errno));
}

static void of_close(ofile_t *of)
{
    ob_flush(&of->ob);
    int err = of->ob.err;
    if (of->is_stdout) {
        if (fflush(stdout) != 0 && !err)
            err = errno ? errno : EIO;
        if (err)
            die("<stdout>", strerror(err));
        return;
    }
    if (fclose(of->ob.f) != 0 && !err)
        err = errno ? errno : EIO;
    if (err) {
        unlink(of->tmp);
        die(of->path, strerror(err));
    }
    if (rename(of->tmp, of->path) != 0) {
        int e = errno;
        unlink(of->tmp);
        die(of->path, strerror(e));
    }
}

static void mkdir_p(const char *dir)
{
    char buf[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof buf)
        die(dir, "bad directory name");
    memcpy(buf, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                die(buf, strerror(errno));
            buf[i] = c;
        }
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        die(dir, "not a directory");
}

/* ------------------------------------------------------------------ */
/* Comments (pre-encoded as RFC 4180 fields)                           */
/* ------------------------------------------------------------------ */

static const char *const COMMENTS_PROMOTER[] = {
    "Great service, thank you!",
    "Quick and friendly.",
    "Sorted my problem in minutes",
    "Very helpful agent",
    "Excellent, really impressed",
    "Easy to deal with, as always",
    "Best bank I have used",
    "Could not ask for more",
    "The agent went the extra mile",
};
static const char *const COMMENTS_PASSIVE[] = {
    "It was OK",
    "Fine, but it took a while",
    "Decent service, nothing special",
    "Resolved eventually",
    "Average experience",
    "Good once I got through",
};
static const char *const COMMENTS_DETRACTOR[] = {
    "Waited far too long",
    "Nobody could help me",
    "Still not resolved, very frustrating",
    "Transferred three times",
    "Terrible, I will be leaving",
    "Rude and unhelpful",
    "Had to explain everything twice",
};
/* edge cases for parsers, escaping and spreadsheet-injection defences */
static const char *const COMMENTS_SPECIAL[] = {
    "Fast, friendly, and helpful",
    "She said \"no problem\" and fixed it",
    "Line one\r\nline two",
    "First line\nsecond line",
    "Great service \xF0\x9F\x98\x80\xF0\x9F\x91\x8D",
    "=HYPERLINK(\"http://x\",\"y\")",
    "+1 great service",
    "-- not happy",
    "@support thanks",
    "<script>alert(1)</script>",
    "\xC3\x87" "a marche tr\xC3\xA8s bien, merci",
    "\tindented note",
    "Multi\nline, with \"quotes\" and \xF0\x9F\x9A\x80",
    "=1+1",
    "Price was 5% higher than quoted; \"fees\"",
};
#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

typedef struct {
    char *s;
    size_t n;
} enc_t;

static enc_t enc_field(const char *raw)
{
    size_t n = strlen(raw);
    int need = strpbrk(raw, ",\"\r\n") != NULL;
    size_t cap = 2 * n + 3;
    char *s = malloc(cap);
    if (!s)
        die("memory", strerror(ENOMEM));
    size_t k = 0;
    if (need)
        s[k++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (raw[i] == '"')
            s[k++] = '"';
        s[k++] = raw[i];
    }
    if (need)
        s[k++] = '"';
    s[k] = '\0';
    enc_t e = {s, k};
    return e;
}

static void enc_free(enc_t *e, int n)
{
    for (int i = 0; i < n; i++)
        free(e[i].s);
    free(e);
}

static enc_t *enc_all(const char *const *raw, int n)
{
    enc_t *e = malloc(sizeof *e * (size_t)n);
    if (!e)
        die("memory", strerror(ENOMEM));
    for (int i = 0; i < n; i++)
        e[i] = enc_field(raw[i]);
    return e;
}

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

typedef struct {
    uint64_t rows;
    uint64_t seed;
    const char *out;
    int responses_only;
    int start_y, start_m;
    int months;
    int agents;
    uint64_t customers;
    int customers_set;
} opts_t;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: " PROG " --rows N [--seed S] [--out DIR] [--responses-only]\n"
            "                  [--start YYYY-MM] [--months M] [--agents K] [--customers C]\n"
            "  defaults: seed 1, out '.', start 2025-11, months 12, agents 40,\n"
            "            customers max(50, N/3); '--out -' writes responses.csv to stdout\n");
}

static void usage_error(const char *msg, const char *arg)
{
    if (arg)
        fprintf(stderr, PROG ": %s: %s\n", msg, arg);
    else
        fprintf(stderr, PROG ": %s\n", msg);
    usage(stderr);
    exit(2);
}

static uint64_t parse_u64(const char *opt, const char *s, uint64_t lo, uint64_t hi)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = 0;
    int bad = *s < '0' || *s > '9'; /* strtoull would accept "-1" and " 1" */
    if (!bad)
        v = strtoull(s, &end, 10);
    if (bad || errno || *end != '\0' || v < lo || v > hi) {
        char msg[96];
        snprintf(msg, sizeof msg, "%s wants an integer in [%" PRIu64 ", %" PRIu64 "]", opt, lo,
                 hi);
        usage_error(msg, s);
    }
    return (uint64_t)v;
}

static void parse_args(int argc, char **argv, opts_t *o)
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
            if (!*v)
                usage_error("--out wants a directory or '-'", v);
            o->out = v;
        } else if (!strcmp(a, "--start")) {
            int ok = strlen(v) == 7 && v[4] == '-';
            for (int k = 0; ok && k < 7; k++)
                if (k != 4 && (v[k] < '0' || v[k] > '9'))
                    ok = 0;
            if (ok) {
                o->start_y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 +
                             (v[3] - '0');
                o->start_m = (v[5] - '0') * 10 + (v[6] - '0');
                ok = o->start_y >= 1971 && o->start_y <= 9000 && o->start_m >= 1 &&
                     o->start_m <= 12;
            }
            if (!ok)
                usage_error("--start wants YYYY-MM", v);
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
    if (!have_rows)
        usage_error("--rows N is required", NULL);
    if (!o->customers_set) {
        o->customers = o->rows / 3;
        if (o->customers < 50)
            o->customers = 50;
    }
}

/* ------------------------------------------------------------------ */
/* Customers (attributes re-derived from a per-customer stream)        */
/* ------------------------------------------------------------------ */

typedef struct {
    double value;   /* true annual value (also drives spend) */
    int tier;
    int country;
    int value_empty;
} cust_t;

static void cust_attrs(uint64_t seed, uint64_t i, cust_t *c)
{
    rng_t r;
    rng_seed(&r, seed, ST_CUST, i);
    double z = rng_norm(&r);
    c->value = VALUE_FLOOR + exp(VALUE_MU + VALUE_SIGMA * z);
    c->tier = z > Z_ENTERPRISE ? TIER_ENTERPRISE : z > Z_BUSINESS ? TIER_BUSINESS : TIER_CONSUMER;
    c->value_empty = rng_unif(&r) < P_EMPTY_VALUE;
    c->country = rng_pick(&r, COUNTRY_P, N_COUNTRY);
}

/* per-customer flags byte */
#define CF_TIER_MASK 0x03u
#define CF_MOT 0x04u

/* ------------------------------------------------------------------ */
/* Remaining responses per customer slot: counts in blocks of 64 slots  */
/* plus a Fenwick tree over the block sums (small enough for the cache) */
/* ------------------------------------------------------------------ */

#define FB_SHIFT 6
#define FB_SIZE (1u << FB_SHIFT)
/* slot word: bits 0-25 remaining responses, 26-27 tier, 28 MoT customer,
 * 29 MoT outcome negative, 30-31 planted spend effect (0 none, 1 raised,
 * 2 lowered).  The count is decremented only while it is >= 1, so the
 * flags are never disturbed. */
#define CNT_BITS 26
#define CNT_MASK ((1u << CNT_BITS) - 1u)
#define SW_TIER_SHIFT 26
#define SW_MOT (1u << 28)
#define SW_NEG (1u << 29)
#define SW_EFF_SHIFT 30

typedef struct {
    uint32_t *cnt; /* per slot: count | flags */
    size_t nslots;
    uint32_t *t;   /* 1-based Fenwick over blocks (total < 2^32) */
    size_t n;      /* number of blocks */
    size_t top;    /* highest power of two <= n */
} fenwick_t;

/* takes ownership of cnt */
static void fen_build(fenwick_t *f, uint32_t *cnt, size_t nslots)
{
    f->cnt = cnt;
    f->nslots = nslots;
    f->n = (nslots + FB_SIZE - 1) >> FB_SHIFT;
    f->t = calloc(f->n + 1, sizeof *f->t);
    if (!f->t)
        die("memory", strerror(ENOMEM));
    for (size_t i = 0; i < nslots; i++)
        f->t[(i >> FB_SHIFT) + 1] += cnt[i] & CNT_MASK;
    for (size_t i = 1; i <= f->n; i++) {
        size_t j = i + (i & (~i + 1));
        if (j <= f->n)
            f->t[j] += f->t[i];
    }
    f->top = 1;
    while (f->top * 2 <= f->n)
        f->top *= 2;
}

/* Step 1: the block holding the r-th remaining response (in slot order);
 * removes it from the block sums and leaves the offset in the block in *rem. */
static size_t fen_block(fenwick_t *f, uint32_t r, uint32_t *rem)
{
    size_t pos = 0;
    for (size_t step = f->top; step; step >>= 1) {
        size_t nx = pos + step;
        if (nx <= f->n && f->t[nx] <= r) {
            pos = nx;
            r -= f->t[nx];
        }
    }
    for (size_t i = pos + 1; i <= f->n; i += i & (~i + 1))
        f->t[i]--;
    *rem = r;
#if defined(__GNUC__)
    __builtin_prefetch(f->cnt + (pos << FB_SHIFT), 1);
#endif
    return pos;
}

/* Step 2 (calls in the same order as step 1): the slot; returns its word
 * after the decrement. */
static uint32_t fen_slot(fenwick_t *f, size_t block, uint32_t r, size_t *slot_out)
{
    size_t slot = block << FB_SHIFT;
    while ((f->cnt[slot] & CNT_MASK) <= r) {
        r -= f->cnt[slot] & CNT_MASK;
        slot++;
    }
    *slot_out = slot;
    return --f->cnt[slot];
}

/* ------------------------------------------------------------------ */
/* Main generator                                                      */
/* ------------------------------------------------------------------ */

typedef struct {
    char id[8];
    double skill;
    double aht;
    int part_time;
} agent_t;

typedef struct {
    uint64_t mot_rows, mot_pos, mot_neg, mot_none, mot_raised, mot_lowered;
    uint64_t c_pos, c_pos_up, c_neg, c_neg_down; /* complete-window MoT (known customers) */
    uint64_t incomplete;                          /* responses without complete windows  */
    uint64_t no_moments, empty_comment, offset_ts, updated, web_rows;
    uint64_t score_hist[11];
} tally_t;

static int digits_u64(uint64_t v)
{
    int n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

int main(int argc, char **argv)
{
    opts_t o;
    parse_args(argc, argv, &o);

    const int to_stdout = !strcmp(o.out, "-");
    const int full = !to_stdout && !o.responses_only;
    if (!to_stdout)
        mkdir_p(o.out);

    g_outbuf_mem = malloc(OB_CAP);
    if (!g_outbuf_mem)
        die("memory", strerror(ENOMEM));

    const uint64_t N = o.rows;
    const uint64_t C = o.customers;
    const int K = o.agents;
    const int M = o.months;

    /* calendar */
    int64_t *mstart = malloc(sizeof *mstart * (size_t)(M + 1));
    if (!mstart)
        die("memory", strerror(ENOMEM));
    for (int k = 0; k <= M; k++) {
        int mm = o.start_m - 1 + k;
        mstart[k] = days_from_civil(o.start_y + mm / 12, mm % 12 + 1, 1) * 86400;
    }
    const int64_t T0 = mstart[0], T1 = mstart[M];
    const int64_t first_day = T0 / 86400, last_resp_day = T1 / 86400 - 1;
    const int64_t spend_first = first_day - SPEND_BEFORE_DAYS;
    const int64_t spend_last = last_resp_day + SPEND_AFTER_DAYS;
    const int64_t last_complete = spend_last - SPEND_WINDOW;
    const int64_t first_complete = spend_first + SPEND_WINDOW;

    rng_t rs;
    rng_seed(&rs, o.seed, ST_SETUP, 0);

    /* agents */
    agent_t *ag = calloc((size_t)K, sizeof *ag);
    double *agcum = calloc((size_t)K, sizeof *agcum);
    if (!ag || !agcum)
        die("memory", strerror(ENOMEM));
    const int n_part = K / 4;
    const int aw = K < 100 ? 2 : digits_u64((uint64_t)K);
    {
        int need = n_part, left = K;
        double cum = 0;
        for (int a = 0; a < K; a++) {
            char *p = ag[a].id;
            *p++ = 'a';
            p = put_u64w(p, (uint64_t)(a + 1), aw);
            *p = '\0';
            ag[a].skill = rng_norm(&rs);
            ag[a].aht = 200.0 + 700.0 * rng_unif(&rs);
            ag[a].part_time = rng_unif(&rs) * left < need;
            if (ag[a].part_time)
                need--;
            left--;
            cum += ag[a].part_time ? PART_TIME_WEIGHT : 1.0;
            agcum[a] = cum;
        }
        for (int a = 0; a < K; a++)
            agcum[a] /= cum;
    }

    /* customers: response counts, MoT customers */
    const uint64_t n_unknown = (uint64_t)floor((double)N * P_UNKNOWN_CUSTOMER + 0.5);
    const uint64_t n_known = N - n_unknown;
    const uint64_t Ca = C < n_known ? C : n_known; /* customers with >= 1 response */
    uint64_t Cm = (uint64_t)floor((double)n_known * P_MOT_ROWS + 0.5);
    if (Cm > Ca / 2) /* at least as many routine customers as MoT ones */
        Cm = Ca / 2;
    uint8_t *cflag = calloc((size_t)C, 1);
    uint32_t *cnt = calloc((size_t)C + 1, sizeof *cnt);
    if (!cflag || !cnt)
        die("memory", strerror(ENOMEM));
    for (uint64_t i = 0; i < C; i++) {
        cust_t c;
        cust_attrs(o.seed, i, &c);
        cflag[i] = (uint8_t)c.tier;
    }
    {
        /* MoT customers: exactly Cm of the first Ca, by selection sampling */
        uint64_t need = Cm;
        for (uint64_t i = 0; i < Ca; i++) {
            if (rng_unif(&rs) * (double)(Ca - i) < (double)need) {
                cflag[i] |= CF_MOT;
                cnt[i] = 1;
                need--;
            }
        }
        /* routine customers: 1 + a lognormal-weighted share of the extras */
        const uint64_t Cr = Ca - Cm;
        const uint64_t routine_rows = n_known - Cm;
        if (Cr > 0) {
            uint64_t extra = routine_rows - Cr;
            float *w = malloc(sizeof *w * (size_t)Ca);
            if (!w)
                die("memory", strerror(ENOMEM));
            double W = 0;
            for (uint64_t i = 0; i < Ca; i++) {
                if (cflag[i] & CF_MOT) {
                    w[i] = 0;
                    continue;
                }
                w[i] = (float)exp(1.1 * rng_norm(&rs));
                W += w[i];
            }
            uint64_t given = 0;
            for (uint64_t i = 0; i < Ca; i++) {
                if (cflag[i] & CF_MOT)
                    continue;
                uint64_t e = (uint64_t)floor((double)extra * w[i] / W);
                if (given + e > extra) /* guard against rounding */
                    e = extra - given;
                if (e > CNT_MASK)
                    die("--rows", "too many responses for one customer; raise --customers");
                cnt[i] = (uint32_t)(1 + e);
                given += e;
            }
            uint64_t rest = extra - given, pool = Cr;
            for (uint64_t i = 0; i < Ca && rest; i++) {
                if (cflag[i] & CF_MOT)
                    continue;
                if (rng_unif(&rs) * (double)pool < (double)rest) {
                    cnt[i]++;
                    rest--;
                }
                pool--;
            }
            free(w);
        }
        cnt[C] = (uint32_t)n_unknown; /* slot C: ids not in customers.csv */
        for (uint64_t i = 0; i <= C; i++) {
            if (cnt[i] > CNT_MASK)
                die("--rows", "too many responses for one customer; raise --customers");
            if (i < C)
                cnt[i] |= ((cflag[i] & CF_TIER_MASK) << SW_TIER_SHIFT) |
                          ((cflag[i] & CF_MOT) ? SW_MOT : 0u);
        }
    }
    free(cflag);
    cflag = NULL;
    fenwick_t fen;
    fen_build(&fen, cnt, (size_t)C + 1);

    int32_t *mot_day = NULL;
    if (full) {
        mot_day = malloc(sizeof *mot_day * (size_t)(C ? C : 1));
        if (!mot_day)
            die("memory", strerror(ENOMEM));
    }

    /* comments */
    enc_t *e_pro = enc_all(COMMENTS_PROMOTER, NELEM(COMMENTS_PROMOTER));
    enc_t *e_pas = enc_all(COMMENTS_PASSIVE, NELEM(COMMENTS_PASSIVE));
    enc_t *e_det = enc_all(COMMENTS_DETRACTOR, NELEM(COMMENTS_DETRACTOR));
    enc_t *e_spe = enc_all(COMMENTS_SPECIAL, NELEM(COMMENTS_SPECIAL));

    /* ---------------- responses.csv ---------------- */
    tally_t tl;
    memset(&tl, 0, sizeof tl);
    ofile_t of;
    of_open(&of, to_stdout ? NULL : o.out, "responses.csv");
    ob_puts(&of.ob, "response_id,responded_at,updated_at,score,comment,customer_id,agent_id,"
                    "channel,product,interaction_type,handle_time_s,moments,region\n");
    {
        rng_t r;
        rng_seed(&r, o.seed, ST_ROWS, 0);
        const int idw = digits_u64(N) < 6 ? 6 : digits_u64(N);
        const double span = (double)(T1 - T0);
        const double mid = (M - 1) / 2.0;
        double logx = 0.0;
        int mi = 0;
        uint64_t remaining = N;
        uint32_t blk_rem = 0;
        rng_t rc; /* customer selection has its own stream (drawn one row ahead) */
        rng_seed(&rc, o.seed, ST_PICK, 0);
        size_t blk = N ? fen_block(&fen, (uint32_t)rng_below(&rc, remaining), &blk_rem) : 0;
        for (uint64_t k = 0; k < N; k++) {
            /* ascending uniform order statistics: 1 - (descending ones) */
            logx += log(rng_unif_pos(&r)) / (double)(N - k);
            double y = -expm1(logx);
            int64_t t = T0 + (int64_t)(y * span);
            if (t >= T1)
                t = T1 - 1;
            while (mi + 1 < M && t >= mstart[mi + 1])
                mi++;
            const int64_t day = t / 86400;

            /* customer */
            /* customer: this row's slot, then the next row's block (prefetched) */
            size_t slot;
            const uint32_t sw = fen_slot(&fen, blk, blk_rem, &slot);
            if (--remaining)
                blk = fen_block(&fen, (uint32_t)rng_below(&rc, remaining), &blk_rem);
            const int known = slot < C;
            uint64_t cust_no = known ? slot + 1 : C + 1 + rng_below(&r, C ? C : 1);
            int is_mot = known ? (sw & SW_MOT) != 0 : rng_unif(&r) < P_MOT_ROWS;
            int tier = known ? (int)((sw >> SW_TIER_SHIFT) & 3u) : TIER_CONSUMER;
            int itype = is_mot ? rng_pick(&r, MOT_P, N_MOT) : rng_pick(&r, ROUTINE_P, N_ROUTINE);

            int ch = rng_pick(&r, CH_P, N_CH);
            int agent = -1;
            double skill = 0.0;
            if (ch != CH_WEB) {
                double u = rng_unif(&r);
                int lo = 0, hi = K - 1;
                while (lo < hi) {
                    int md = (lo + hi) / 2;
                    if (u < agcum[md])
                        hi = md;
                    else
                        lo = md + 1;
                }
                agent = lo;
                skill = ag[agent].skill;
            }
            int prod = rng_pick(&r, PROD_P, N_PROD);
            int reg = rng_pick(&r, REG_P, N_REG);

            /* moments */
            int nm = 2 + (int)rng_below(&r, 5);
            int mv[6] = {3, 3, 3, 3, 3, 3};
            double q = MOMENT_SHIFT + MOMENT_Q_SD * rng_norm(&r);
            for (int j = 0; j < nm; j++) {
                double x = 3.0 + q + MOMENT_SD * rng_norm(&r);
                if (j == nm - 1)
                    x += SKILL_END * skill;
                else if (j == nm - 2)
                    x += SKILL_END2 * skill;
                int v = (int)floor(x + 0.5);
                mv[j] = v < 1 ? 1 : v > 5 ? 5 : v;
            }
            if (is_mot && rng_unif(&r) < MOT_PEAK_PROB) {
                int j = (int)rng_below(&r, (uint64_t)(nm - 1));
                int good = q + SKILL_MOT_PEAK * skill + 0.8 * rng_norm(&r) > -0.1;
                mv[j] = good ? 5 : (rng_unif(&r) < 0.7 ? 1 : 2);
            }
            int peak = mv[0], dev = abs(mv[0] - 3);
            for (int j = 1; j < nm; j++) {
                if (abs(mv[j] - 3) > dev) {
                    dev = abs(mv[j] - 3);
                    peak = mv[j];
                }
            }
            double pe = (peak + mv[nm - 1]) / 2.0;

            double lat = SCORE_BASE + PE_COEF * (pe - 3.0) + SKILL_SCORE * skill + CH_EFF[ch] +
                         REG_EFF[reg] + PROD_EFF[prod] + TIER_EFF[tier] +
                         TREND_PER_MONTH * (mi - mid) + SCORE_NOISE * rng_norm(&r);
            int score = (int)floor(lat + 0.5);
            score = score < 0 ? 0 : score > 10 ? 10 : score;
            tl.score_hist[score]++;
            int has_moments = rng_unif(&r) >= P_NO_MOMENTS;

            /* comment */
            const enc_t *cm = NULL;
            if (rng_unif(&r) >= P_EMPTY_COMMENT) {
                if (rng_unif(&r) < P_SPECIAL_COMMENT)
                    cm = &e_spe[rng_below(&r, NELEM(COMMENTS_SPECIAL))];
                else if (score >= 9)
                    cm = &e_pro[rng_below(&r, NELEM(COMMENTS_PROMOTER))];
                else if (score >= 7)
                    cm = &e_pas[rng_below(&r, NELEM(COMMENTS_PASSIVE))];
                else
                    cm = &e_det[rng_below(&r, NELEM(COMMENTS_DETRACTOR))];
            } else {
                tl.empty_comment++;
            }
            int64_t ht = 0;
            if (agent >= 0) {
                ht = (int64_t)floor(ag[agent].aht * exp(HT_SD * rng_norm(&r)) + 0.5);
                if (ht < 10)
                    ht = 10;
            }
            int blank_ch = rng_unif(&r) < P_EMPTY_CHANNEL;
            int blank_reg = rng_unif(&r) < P_EMPTY_REGION;
            int off = rng_unif(&r) < P_OFFSET_TS ? OFFSET_MIN[rng_below(&r, N_OFFSET)] : 0;
            int64_t upd = -1;
            if (rng_unif(&r) < P_UPDATED)
                upd = t + 3600 + (int64_t)rng_below(&r, 5 * 86400);

            /* MoT outcome and its planted spend effect */
            if (is_mot) {
                int outcome; /* 1 positive, -1 negative, 0 none */
                if (has_moments)
                    outcome = pe >= 3.0 ? 1 : -1;
                else
                    outcome = score >= 9 ? 1 : score <= 6 ? -1 : 0;
                int eff = 0; /* 1 raised, 2 lowered */
                double u = rng_unif(&r);
                if (outcome > 0)
                    eff = u < MOT_POS_UP_P ? 1 : 2;
                else if (outcome < 0)
                    eff = u < MOT_NEG_DOWN_P ? 2 : 1;
                if (known) {
                    tl.mot_rows++;
                    tl.mot_pos += outcome > 0;
                    tl.mot_neg += outcome < 0;
                    tl.mot_none += outcome == 0;
                    tl.mot_raised += eff == 1;
                    tl.mot_lowered += eff == 2;
                    if (day <= last_complete && day >= first_complete) {
                        if (outcome > 0) {
                            tl.c_pos++;
                            tl.c_pos_up += eff == 1;
                        } else if (outcome < 0) {
                            tl.c_neg++;
                            tl.c_neg_down += eff == 2;
                        }
                    }
                    fen.cnt[slot] |= (outcome < 0 ? SW_NEG : 0u) | ((uint32_t)eff << SW_EFF_SHIFT);
                    if (mot_day)
                        mot_day[slot] = (int32_t)day;
                }
            }
            if (day > last_complete || day < first_complete)
                tl.incomplete++;

            /* ---- write the row ---- */
            char *p = ob_reserve(&of.ob);
            *p++ = 'r';
            p = put_u64w(p, k + 1, idw);
            *p++ = ',';
            if (off) {
                p = put_datetime(p, t + off * 60);
                int a = off < 0 ? -off : off;
                *p++ = off < 0 ? '-' : '+';
                p = put2(p, a / 60);
                *p++ = ':';
                p = put2(p, a % 60);
                tl.offset_ts++;
            } else {
                p = put_datetime(p, t);
                *p++ = 'Z';
            }
            *p++ = ',';
            if (upd >= 0) {
                p = put_datetime(p, upd);
                *p++ = 'Z';
                tl.updated++;
            }
            *p++ = ',';
            p = put_u64(p, (uint64_t)score);
            *p++ = ',';
            if (cm) {
                memcpy(p, cm->s, cm->n);
                p += cm->n;
            }
            *p++ = ',';
            *p++ = 'c';
            p = put_u64(p, cust_no);
            *p++ = ',';
            if (agent >= 0)
                p = put_str(p, ag[agent].id);
            else
                tl.web_rows++;
            *p++ = ',';
            if (!blank_ch)
                p = put_str(p, CH_NAME[ch]);
            *p++ = ',';
            p = put_str(p, PROD_NAME[prod]);
            *p++ = ',';
            p = put_str(p, is_mot ? MOT_NAME[itype] : ROUTINE_NAME[itype]);
            *p++ = ',';
            if (agent >= 0)
                p = put_u64(p, (uint64_t)ht);
            *p++ = ',';
            if (has_moments) {
                for (int j = 0; j < nm; j++) {
                    if (j)
                        *p++ = ';';
                    *p++ = (char)('0' + mv[j]);
                }
            } else {
                tl.no_moments++;
            }
            *p++ = ',';
            if (!blank_reg)
                p = put_str(p, REG_NAME[reg]);
            *p++ = '\n';
            ob_commit(&of.ob, p);
        }
    }
    of_close(&of);
    free(fen.t);
    fen.t = NULL;
    enc_free(e_pro, NELEM(COMMENTS_PROMOTER));
    enc_free(e_pas, NELEM(COMMENTS_PASSIVE));
    enc_free(e_det, NELEM(COMMENTS_DETRACTOR));
    enc_free(e_spe, NELEM(COMMENTS_SPECIAL));

    if (!full) {
        if (!to_stdout)
            fprintf(stderr, PROG ": wrote %" PRIu64 " responses to %s/responses.csv\n", N, o.out);
        free(fen.cnt);
        free(ag);
        free(agcum);
        free(mstart);
        free(g_outbuf_mem);
        return 0;
    }

    /* ---------------- customers.csv ---------------- */
    of_open(&of, o.out, "customers.csv");
    ob_puts(&of.ob, "customer_id,annual_value,tier,country\n");
    double total_value = 0;
    for (uint64_t i = 0; i < C; i++) {
        cust_t c;
        cust_attrs(o.seed, i, &c);
        total_value += c.value;
        char *p = ob_reserve(&of.ob);
        *p++ = 'c';
        p = put_u64(p, i + 1);
        *p++ = ',';
        if (!c.value_empty)
            p = put_money(p, (int64_t)floor(c.value * 100.0 + 0.5));
        *p++ = ',';
        p = put_str(p, TIER_NAME[c.tier]);
        *p++ = ',';
        p = put_str(p, COUNTRY_NAME[c.country]);
        *p++ = '\n';
        ob_commit(&of.ob, p);
    }
    of_close(&of);

    /* ---------------- spend.csv ---------------- */
    uint64_t spend_rows = 0;
    of_open(&of, o.out, "spend.csv");
    ob_puts(&of.ob, "customer_id,date,amount\n");
    {
        const int64_t ndays = spend_last - spend_first + 1;
        char (*dstr)[11] = malloc(sizeof *dstr * (size_t)ndays);
        if (!dstr)
            die("memory", strerror(ENOMEM));
        for (int64_t d = 0; d < ndays; d++)
            put_date(dstr[d], spend_first + d);
        for (uint64_t i = 0; i < C; i++) {
            cust_t c;
            cust_attrs(o.seed, i, &c);
            rng_t r;
            rng_seed(&r, o.seed, ST_SPEND, i);
            const double daily = c.value / 365.0;
            const uint32_t sw = fen.cnt[i];
            const unsigned eff = (sw >> SW_EFF_SHIFT) & 3u;
            const int64_t md = eff ? (int64_t)mot_day[i] : INT64_MIN / 2;
            double fac = 1.0;
            if (eff)
                fac = (sw & SW_NEG) ? (eff == 1 ? MOT_NEG_UP : MOT_NEG_DOWN)
                                    : (eff == 1 ? MOT_POS_UP : MOT_POS_DOWN);
            int64_t prev = spend_first - (int64_t)rng_below(&r, SPEND_GAP_MIN + SPEND_GAP_SPAN);
            for (;;) {
                int64_t gap = SPEND_GAP_MIN + (int64_t)rng_below(&r, SPEND_GAP_SPAN);
                int64_t d = prev + gap;
                if (d > spend_last)
                    break;
                double noise = exp(SPEND_NOISE * rng_norm(&r) - 0.5 * SPEND_NOISE * SPEND_NOISE);
                double amt = daily * (double)(d - prev) * noise;
                if (d > md && d <= md + SPEND_WINDOW)
                    amt *= fac;
                prev = d;
                if (d < spend_first)
                    continue;
                int64_t cents = (int64_t)floor(amt * 100.0 + 0.5);
                if (cents < 1)
                    cents = 1;
                char *p = ob_reserve(&of.ob);
                *p++ = 'c';
                p = put_u64(p, i + 1);
                *p++ = ',';
                memcpy(p, dstr[d - spend_first], 10);
                p += 10;
                *p++ = ',';
                p = put_money(p, cents);
                *p++ = '\n';
                ob_commit(&of.ob, p);
                spend_rows++;
            }
        }
        free(dstr);
    }
    of_close(&of);

    /* ---------------- agents_truth.csv ---------------- */
    of_open(&of, o.out, "agents_truth.csv");
    ob_puts(&of.ob, "agent_id,skill,aht_median_s,part_time\n");
    for (int a = 0; a < K; a++) {
        char line[128];
        snprintf(line, sizeof line, "%s,%.4f,%.0f,%d\n", ag[a].id, ag[a].skill, ag[a].aht,
                 ag[a].part_time);
        ob_puts(&of.ob, line);
    }
    of_close(&of);

    /* ---------------- truth.txt ---------------- */
    of_open(&of, o.out, "truth.txt");
    {
        char line[512], d1[16], d2[16], d3[16], d4[16];
        *put_date(d1, spend_first) = '\0';
        *put_date(d2, spend_last) = '\0';
        *put_date(d3, first_complete) = '\0';
        *put_date(d4, last_complete) = '\0';
        uint64_t prom = tl.score_hist[9] + tl.score_hist[10], det = 0;
        for (int k = 0; k <= 6; k++)
            det += tl.score_hist[k];
#define KV(...)                                                                                  \
    do {                                                                                         \
        snprintf(line, sizeof line, __VA_ARGS__);                                                \
        ob_puts(&of.ob, line);                                                                   \
    } while (0)
        KV("# gen-sample planted parameters and realised counts (docs/sample-data.md)\n");
        KV("seed=%" PRIu64 "\n", o.seed);
        KV("rows=%" PRIu64 "\n", N);
        KV("start=%04d-%02d\n", o.start_y, o.start_m);
        KV("months=%d\n", M);
        KV("agents=%d\n", K);
        KV("part_time_agents=%d\n", n_part);
        KV("part_time_weight=%.6f\n", PART_TIME_WEIGHT);
        KV("customers=%" PRIu64 "\n", C);
        KV("customers_with_responses=%" PRIu64 "\n", Ca);
        KV("mot_customers=%" PRIu64 "\n", Cm);
        KV("unknown_customer_rows=%" PRIu64 "\n", n_unknown);
        KV("nps_overall=%.2f\n", N ? 100.0 * ((double)prom - (double)det) / (double)N : 0.0);
        KV("score_model=round(base + pe_coef*(peak_end-3) + skill_score*skill + channel + region "
           "+ product + tier + trend*(month-(months-1)/2) + N(0,noise)) clamped to 0..10\n");
        KV("score_base=%.2f\n", SCORE_BASE);
        KV("pe_coef=%.2f\n", PE_COEF);
        KV("skill_score=%.2f\n", SKILL_SCORE);
        KV("skill_end_moment=%.2f\n", SKILL_END);
        KV("skill_second_last_moment=%.2f\n", SKILL_END2);
        KV("skill_mot_peak=%.2f\n", SKILL_MOT_PEAK);
        KV("score_noise=%.2f\n", SCORE_NOISE);
        KV("trend_score_per_month=%.3f\n", TREND_PER_MONTH);
        for (int k = 0; k < N_CH; k++)
            KV("channel_effect_%s=%.2f\n", CH_NAME[k], CH_EFF[k]);
        for (int k = 0; k < N_REG; k++)
            KV("region_effect_%s=%.2f\n", REG_NAME[k], REG_EFF[k]);
        for (int k = 0; k < N_PROD; k++)
            KV("product_effect_%s=%.2f\n", PROD_NAME[k], PROD_EFF[k]);
        for (int k = 0; k < N_TIER; k++)
            KV("tier_effect_%s=%.2f\n", TIER_NAME[k], TIER_EFF[k]);
        KV("value_model=%.0f + exp(%.2f + %.2f*z); enterprise z>%.4f (top 5%%), business "
           "z>%.4f (next 15%%)\n",
           VALUE_FLOOR, VALUE_MU, VALUE_SIGMA, Z_ENTERPRISE, Z_BUSINESS);
        KV("total_true_annual_value=%.2f\n", total_value);
        KV("mot_types=card_lost,fraud_alert,flight_cancelled,outage\n");
        KV("mot_pos_up_prob=%.2f\n", MOT_POS_UP_P);
        KV("mot_pos_up_factor=%.2f\n", MOT_POS_UP);
        KV("mot_pos_down_factor=%.2f\n", MOT_POS_DOWN);
        KV("mot_neg_down_prob=%.2f\n", MOT_NEG_DOWN_P);
        KV("mot_neg_down_factor=%.2f\n", MOT_NEG_DOWN);
        KV("mot_neg_up_factor=%.2f\n", MOT_NEG_UP);
        KV("routine_spend_effect=0\n");
        KV("spend_noise_sd=%.2f\n", SPEND_NOISE);
        KV("spend_first_date=%s\n", d1);
        KV("spend_last_date=%s\n", d2);
        KV("spend_window_days=%d\n", SPEND_WINDOW);
        KV("complete_window_first_day=%s\n", d3);
        KV("complete_window_last_day=%s\n", d4);
        KV("responses_incomplete_window=%" PRIu64 "\n", tl.incomplete);
        KV("spend_rows=%" PRIu64 "\n", spend_rows);
        KV("mot_rows_known_customers=%" PRIu64 "\n", tl.mot_rows);
        KV("mot_positive=%" PRIu64 "\n", tl.mot_pos);
        KV("mot_negative=%" PRIu64 "\n", tl.mot_neg);
        KV("mot_none=%" PRIu64 "\n", tl.mot_none);
        KV("mot_raised=%" PRIu64 "\n", tl.mot_raised);
        KV("mot_lowered=%" PRIu64 "\n", tl.mot_lowered);
        KV("mot_complete_positive=%" PRIu64 "\n", tl.c_pos);
        KV("mot_complete_positive_raised=%" PRIu64 "\n", tl.c_pos_up);
        KV("mot_complete_negative=%" PRIu64 "\n", tl.c_neg);
        KV("mot_complete_negative_lowered=%" PRIu64 "\n", tl.c_neg_down);
        KV("rows_without_moments=%" PRIu64 "\n", tl.no_moments);
        KV("rows_empty_comment=%" PRIu64 "\n", tl.empty_comment);
        KV("rows_offset_timestamp=%" PRIu64 "\n", tl.offset_ts);
        KV("rows_with_updated_at=%" PRIu64 "\n", tl.updated);
        KV("rows_web_no_agent=%" PRIu64 "\n", tl.web_rows);
#undef KV
    }
    of_close(&of);

    fprintf(stderr,
            PROG ": wrote %" PRIu64 " responses, %" PRIu64 " customers, %" PRIu64
                 " spend rows, %d agents to %s\n",
            N, C, spend_rows, K, o.out);
    free(mot_day);
    free(fen.cnt);
    free(ag);
    free(agcum);
    free(mstart);
    free(g_outbuf_mem);
    return 0;
}
