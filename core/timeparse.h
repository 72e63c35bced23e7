/* timeparse.h — parsing and formatting of timestamps and dates, all UTC.
 *
 * Owner: core/timeparse.c (parsing, formatting) and core/timecal.c (civil
 * dates, day and month keys).  No allocation, no locale, no dependence on
 * TZ (civil-date arithmetic is done by hand, not with mktime/timegm);
 * pure functions but day_month_key, which remembers recent months per
 * thread.
 */
#ifndef CX_TIMEPARSE_H
#define CX_TIMEPARSE_H

#include <stdint.h>

/* The range of every time and date cxpulse accepts, at input and read back
 * from a store (docs/formats.md): 1900-01-01T00:00:00Z ..
 * 9999-12-31T23:59:59Z.  Years print with four digits, month keys lie in
 * CX_MONTH_MIN .. CX_MONTH_MAX and are never 0 (the "no bound" marker of
 * store filters), and time arithmetic within a few centuries of the range
 * cannot overflow. */
#define CX_TIME_MIN (-2208988800LL) /* 1900-01-01T00:00:00Z */
#define CX_TIME_MAX 253402300799LL  /* 9999-12-31T23:59:59Z */
#define CX_DAY_MIN (-25567)         /* 1900-01-01 in days since 1970-01-01 */
#define CX_DAY_MAX 2932896          /* 9999-12-31 */
#define CX_MONTH_MIN (1900 * 12)
#define CX_MONTH_MAX (9999 * 12 + 11)

/* Parses a timestamp into UTC seconds since the epoch.  Accepted:
 *   unix seconds: optional '-', digits, optional '.' and fraction
 *   ISO 8601: YYYY-MM-DD
 *             YYYY-MM-DD[T or space]HH:MM[:SS[.fraction]][Z | ±HH:MM | ±HHMM | ±HH]
 *   (no zone means UTC; 'T' and 'Z' may be lower case, as RFC 3339 allows).
 *   Fractions are truncated toward minus infinity.  Ranges are checked
 *   (month, day of month with leap years, hour <= 23, minute <= 59,
 *   second <= 60, offset hours <= 23).  Second 60 (a leap second) counts
 *   as :59 of the same minute, so it stays on the day it was written for.
 * Results must lie in CX_TIME_MIN .. CX_TIME_MAX ("timestamp out of range").
 * Leading/trailing spaces are an error.  Returns 0 on success (*out set),
 * -1 with *why (may be NULL) set to a static message ("month out of
 * range", …) on failure, *out untouched. */
int time_parse(const char *s, int64_t *out, const char **why);

/* Parses YYYY-MM-DD into days since 1970-01-01, within CX_DAY_MIN ..
 * CX_DAY_MAX ("date out of range").  0 ok, -1 error (*why). */
int date_parse(const char *s, int32_t *days, const char **why);

/* Days since 1970-01-01 of a civil date, and back (proleptic Gregorian). */
int64_t days_from_civil(int y, unsigned m, unsigned d);
void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d);

/* Day number (floor division) of a UTC timestamp. */
int64_t time_day(int64_t t);

/* Month key = year*12 + (month-1) of a UTC timestamp / of a day number. */
int time_month_key(int64_t t);
int day_month_key(int64_t day);

/* Formats into BUF (at least TIME_ISO_LEN bytes): "2026-01-02T03:04:05Z".
 * Years outside 0000..9999 print with more digits or a '-' sign. */
#define TIME_ISO_LEN 32
void time_format_iso(int64_t t, char *buf);
/* "YYYY-MM-DD" into BUF (at least 16 bytes; "" for a year too long to fit). */
void date_format(int64_t day, char *buf);
/* "YYYY-MM" of a month key into BUF (at least 16 bytes). */
void month_format(int key, char *buf);
/* Parses "YYYY-MM" into a month key within CX_MONTH_MIN .. CX_MONTH_MAX.
 * 0 ok, -1 error. */
int month_parse(const char *s, int *key);

#endif
