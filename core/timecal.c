/* timecal.c — the calendar arithmetic of timeparse.h: days and civil
 * dates, the day and the month key of a time.
 *
 * Civil-date arithmetic is Howard Hinnant's days_from_civil /
 * civil_from_days ("chrono-Compatible Low-Level Date Algorithms",
 * https://howardhinnant.github.io/date_algorithms.html): exact for the whole
 * proleptic Gregorian calendar, no tables, no mktime/timegm, so nothing
 * depends on TZ or the C library's range.
 */
#include "core/timeparse.h"

#include <stddef.h>

#define SECS_PER_DAY 86400

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
