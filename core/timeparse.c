/* timeparse.c — UTC timestamps and civil dates (see timeparse.h).
 *
 * Civil-date arithmetic is Howard Hinnant's days_from_civil /
 * civil_from_days ("chrono-Compatible Low-Level Date Algorithms",
 * https://howardhinnant.github.io/date_algorithms.html): exact for the whole
 * proleptic Gregorian calendar, no tables, no mktime/timegm, so nothing
 * depends on TZ or the C library's range.
 *
 * Accepted timestamps are limited to CX_TIME_MIN .. CX_TIME_MAX
 * (1900 .. 9999, timeparse.h says why); the conversions themselves work on
 * the whole proleptic calendar.
 */
#include "core/timeparse.h"

#include <stdio.h>
#include <string.h>

#define SECS_PER_DAY 86400
#define TIME_MIN CX_TIME_MIN
#define TIME_MAX CX_TIME_MAX

int64_t days_from_civil(int y, unsigned m, unsigned d)
{
    /* Years start in March so that the leap day is the last day of a year. */
    const int64_t yy = (int64_t)y - (m <= 2);
    const int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    const unsigned yoe = (unsigned)(yy - era * 400);                      /* [0, 399] */
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return era * 146097 + (int64_t)doe - 719468;
}

void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    int64_t era, yy;
    unsigned doe, yoe, doy, mp;

    /* Held to +-2^31 days (+-5.8 million years): no overflow below for
     * any input, and every accepted date is far inside. */
    if (z > (int64_t)1 << 31) z = (int64_t)1 << 31;
    if (z < -((int64_t)1 << 31)) z = -((int64_t)1 << 31);
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);                          /* [0, 146096] */
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    yy = (int64_t)yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100); /* [0, 365] */
    mp = (5 * doy + 2) / 153;                      /* [0, 11] */
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static unsigned days_in_month(int y, unsigned m)
{
    static const unsigned char len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Exactly N decimal digits at S into *V; 0 when S does not start so. */
static int digits(const char *s, int n, int *v)
{
    int x = 0;
    for (int k = 0; k < n; k++) {
        if (!is_digit(s[k])) return 0;
        x = x * 10 + (s[k] - '0');
    }
    *v = x;
    return 1;
}

/* YYYY-MM-DD at *P, advancing *P past it; days since the epoch in *DAYS. */
static int parse_date_part(const char **p, int64_t *days, const char **why)
{
    const char *s = *p;
    int y, m, d;

    if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' || !digits(s + 8, 2, &d) ||
        is_digit(s[10])) {
        *why = "bad date (expected YYYY-MM-DD)";
        return -1;
    }
    if (m < 1 || m > 12) {
        *why = "month out of range";
        return -1;
    }
    if (d < 1 || (unsigned)d > days_in_month(y, (unsigned)m)) {
        *why = "day out of range";
        return -1;
    }
    *days = days_from_civil(y, (unsigned)m, (unsigned)d);
    *p = s + 10;
    return 0;
}

/* Z, ±HH:MM, ±HHMM or ±HH at *P: the zone's offset east of UTC in seconds. */
static int parse_zone(const char **p, int64_t *offset, const char **why)
{
    const char *s = *p;
    int sign, hh, mm = 0;

    *offset = 0;
    if (*s == 'Z' || *s == 'z') {
        *p = s + 1;
        return 0;
    }
    if (*s != '+' && *s != '-') return 0; /* no zone: UTC */
    sign = *s == '-' ? -1 : 1;
    if (!digits(s + 1, 2, &hh)) goto bad;
    s += 3;
    if (*s == ':') {
        if (!digits(s + 1, 2, &mm)) goto bad;
        s += 3;
    } else if (is_digit(*s)) {
        if (!digits(s, 2, &mm)) goto bad;
        s += 2;
    }
    if (hh > 23 || mm > 59) {
        *why = "zone offset out of range";
        return -1;
    }
    *offset = sign * (int64_t)(hh * 3600 + mm * 60);
    *p = s;
    return 0;
bad:
    *why = "bad zone offset (expected Z, +HH:MM, +HHMM or +HH)";
    return -1;
}

/* YYYY-MM-DD[(T|space)HH:MM[:SS[.frac]][zone]] */
static int parse_iso(const char *s, int64_t *out, const char **why)
{
    int64_t days, offset;
    int hh = 0, mi = 0, ss = 0;

    if (parse_date_part(&s, &days, why)) return -1;
    if (*s != '\0') {
        if (*s != 'T' && *s != 't' && *s != ' ') {
            *why = "expected 'T' or space after the date";
            return -1;
        }
        s++;
        if (!digits(s, 2, &hh) || s[2] != ':' || !digits(s + 3, 2, &mi) || is_digit(s[5])) {
            *why = "bad time (expected HH:MM[:SS])";
            return -1;
        }
        s += 5;
        if (*s == ':') {
            if (!digits(s + 1, 2, &ss) || is_digit(s[3])) {
                *why = "bad time (expected HH:MM[:SS])";
                return -1;
            }
            s += 3;
            if (*s == '.') {
                /* Any number of digits; dropping them floors, as the
                 * fraction only ever adds to the whole second. */
                if (!is_digit(s[1])) {
                    *why = "no digits after the decimal point";
                    return -1;
                }
                for (s++; is_digit(*s); s++)
                    ;
            }
        }
        if (hh > 23) {
            *why = "hour out of range";
            return -1;
        }
        if (mi > 59) {
            *why = "minute out of range";
            return -1;
        }
        if (ss > 60) {
            *why = "second out of range";
            return -1;
        }
        /* A leap second (:60) is kept in its own minute, as :59, so that
         * it stays on the calendar day and month it was written for. */
        if (ss == 60) ss = 59;
        if (parse_zone(&s, &offset, why)) return -1;
    } else {
        offset = 0; /* a bare date is midnight UTC */
    }
    if (*s != '\0') {
        *why = "trailing characters after timestamp";
        return -1;
    }
    *out = days * SECS_PER_DAY + hh * 3600 + mi * 60 + ss - offset;
    return 0;
}

/* [-]digits[.digits] — unix seconds, the fraction floored. */
static int parse_unix(const char *s, int64_t *out, const char **why)
{
    int neg = *s == '-', frac_nonzero = 0, big = 0;
    int64_t v = 0;
    const char *p = s + neg;

    if (!is_digit(*p)) {
        *why = "not a timestamp (expected ISO 8601 or unix seconds)";
        return -1;
    }
    for (; is_digit(*p); p++) {
        if (v > TIME_MAX) big = 1; /* stop before int64 overflow; still check syntax */
        else v = v * 10 + (*p - '0');
    }
    if (*p == '.') {
        if (!is_digit(p[1])) {
            *why = "no digits after the decimal point";
            return -1;
        }
        for (p++; is_digit(*p); p++) frac_nonzero |= *p != '0';
    }
    if (*p != '\0') {
        *why = "not a timestamp (expected ISO 8601 or unix seconds)";
        return -1;
    }
    if (big) {
        *why = "timestamp out of range";
        return -1;
    }
    if (neg) v = -v - frac_nonzero; /* floor: -1.5 is -2 */
    *out = v;
    return 0;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int time_parse(const char *s, int64_t *out, const char **why)
{
    const char *unused;
    int64_t t;
    size_t n;

    if (!why) why = &unused;
    if (!s || !*s) {
        *why = "empty timestamp";
        return -1;
    }
    n = strlen(s);
    if (is_space(s[0]) || is_space(s[n - 1])) {
        *why = "leading or trailing space";
        return -1;
    }
    /* Four digits and '-' can only be the start of a date: unix seconds
     * never contain '-' after the sign. */
    if (n >= 5 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) && s[4] == '-') {
        if (parse_iso(s, &t, why)) return -1;
    } else if (parse_unix(s, &t, why)) {
        return -1;
    }
    if (t < TIME_MIN || t > TIME_MAX) {
        *why = "timestamp out of range";
        return -1;
    }
    *out = t;
    return 0;
}

int date_parse(const char *s, int32_t *days, const char **why)
{
    const char *unused;
    int64_t d;

    if (!why) why = &unused;
    if (!s || !*s) {
        *why = "empty date";
        return -1;
    }
    if (parse_date_part(&s, &d, why)) return -1;
    if (*s != '\0') {
        *why = "trailing characters after date";
        return -1;
    }
    if (d < CX_DAY_MIN || d > CX_DAY_MAX) {
        *why = "date out of range";
        return -1;
    }
    *days = (int32_t)d;
    return 0;
}

int64_t time_day(int64_t t)
{
    int64_t q = t / SECS_PER_DAY;
    return t % SECS_PER_DAY < 0 ? q - 1 : q; /* floor: -1 s is 1969-12-31 */
}

/* The days of years 1 to 9999, the range day_month_key remembers. */
#define DAY_Y1 (-719162)     /* 0001-01-01 */
#define DAY_Y10000 (2932897) /* 10000-01-01 */
#define MEMO_DAYS 16         /* a bucket: fewer days than any month has */
#define MEMO_SLOTS 128       /* 5.6 years of buckets */

/* Per thread: the last month's days (rows mostly come a month at a time:
 * a file or a store's scan in time order; a tenth of a cache build's time
 * before), then the months of the last 16-day buckets seen, one slot a
 * bucket (rows in any time order: a store's key order, a shuffled
 * import's merge).  A bucket holds the end of one month and the start of
 * the next at most, so one compare answers for any day of it. */
static _Thread_local int64_t last_first = 1, last_end = 0;
static _Thread_local int last_key;
static _Thread_local struct {
    uint64_t bucket; /* +1: 0 is a free slot */
    int64_t split;   /* days before it are month lo, the others lo + 1 */
    int lo;
} memo[MEMO_SLOTS];

/* day_month_key past the last month (out of line: the test of the last
 * month stays a leaf that saves no registers). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int
month_of_day(int64_t day)
{
    int inside = day >= DAY_Y1 && day < DAY_Y10000;
    uint64_t b = inside ? (uint64_t)(day - DAY_Y1) / MEMO_DAYS : 0;
    size_t i = (size_t)(b % MEMO_SLOTS);
    if (inside && memo[i].bucket == b + 1) return memo[i].lo + (day >= memo[i].split);
    int y;
    unsigned m, d;
    civil_from_days(day, &y, &m, &d);
    int k = (int)((int64_t)y * 12 + (int)m - 1); /* |y| < 5.9 million: fits */
    if (inside) {                                /* the times a store holds; no overflow below */
        int64_t first = day - (int64_t)d + 1;
        int64_t end = m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1);
        last_first = first;
        last_end = end;
        last_key = k;
        memo[i].bucket = b + 1;
        if (first <= DAY_Y1 + (int64_t)b * MEMO_DAYS) { /* the bucket starts in this month */
            memo[i].lo = k;
            memo[i].split = end;
        } else { /* it starts in the month before */
            memo[i].lo = k - 1;
            memo[i].split = first;
        }
    }
    return k;
}

int day_month_key(int64_t day)
{
    if (day >= last_first && day < last_end) return last_key;
    return month_of_day(day);
}

int time_month_key(int64_t t) { return day_month_key(time_day(t)); }

/* Two digits of V (< 100) at P; the next place. */
static char *put2(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

void time_format_iso(int64_t t, char *buf)
{
    int64_t day = time_day(t);
    int secs = (int)(t - day * SECS_PER_DAY);
    int y;
    unsigned m, d;

    civil_from_days(day, &y, &m, &d);
    if (y >= 0 && y <= 9999) { /* by hand, as the snprintf below writes it: two a row of an export */
        char *p = put2(put2(buf, (unsigned)y / 100), (unsigned)y % 100);
        *p++ = '-';
        p = put2(p, m);
        *p++ = '-';
        p = put2(p, d);
        *p++ = 'T';
        p = put2(p, (unsigned)secs / 3600);
        *p++ = ':';
        p = put2(p, (unsigned)secs / 60 % 60);
        *p++ = ':';
        p = put2(p, (unsigned)secs % 60);
        *p++ = 'Z';
        *p = '\0';
        return;
    }
    /* Cannot truncate (an int year, m <= 12, d <= 31 take at most 29
     * bytes); the check keeps -Wformat-truncation honest. */
    if (snprintf(buf, TIME_ISO_LEN, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d, secs / 3600, secs / 60 % 60,
                 secs % 60) >= TIME_ISO_LEN)
        buf[0] = '\0';
}

void date_format(int64_t day, char *buf)
{
    int y;
    unsigned m, d;

    civil_from_days(day, &y, &m, &d);
    /* A year of ten or more characters (no real data) would not fit in
     * 16 bytes: give "" rather than a cut-off date. */
    if (snprintf(buf, 16, "%04d-%02u-%02u", y, m, d) >= 16) buf[0] = '\0';
}

void month_format(int key, char *buf)
{
    int y = key / 12, m = key % 12;

    if (m < 0) { /* floor division for keys before year 0 */
        y--;
        m += 12;
    }
    snprintf(buf, 16, "%04d-%02d", y, m + 1);
}

int month_parse(const char *s, int *key)
{
    int y, m;

    if (!s || strlen(s) != 7 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || m < 1 ||
        m > 12 || y * 12 + m - 1 < CX_MONTH_MIN)
        return -1;
    *key = y * 12 + m - 1;
    return 0;
}
