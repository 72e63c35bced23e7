/* fmt.h — gen-sample's dates (proleptic Gregorian, UTC; Howard Hinnant's
 * algorithms) and hand formatting of numbers, money, dates and times into
 * a buffer (no printf, no locale).  Each put_* returns the end it wrote.
 */
#ifndef GS_FMT_H
#define GS_FMT_H

#include <stdint.h>
#include <string.h>

static inline int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static inline void civil_from_days(int64_t z, int *y, int *m, int *d)
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
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

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

static inline char *put_u64w(char *p, uint64_t v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width && n < 24) tmp[n++] = '0';
    while (n) *p++ = tmp[--n];
    return p;
}

static inline char *put_u64(char *p, uint64_t v) { return put_u64w(p, v, 1); }

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

static inline char *put_date(char *p, int64_t day)
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
static inline char *put_datetime(char *p, int64_t t)
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

#endif
