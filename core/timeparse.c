/* timeparse.c — UTC timestamps and civil dates parsed and formatted
 * (see timeparse.h); the calendar arithmetic and the day and month keys
 * are core/timecal.c.
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
