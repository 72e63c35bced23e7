/* period.c — see period.h. */
#include "stats/period.h"
#include "core/timeparse.h"

#include <string.h>

int period_default_month(int64_t last_at, int64_t now)
{
    if (last_at == 0) return 0;
    int last = time_month_key(last_at), current = time_month_key(now);
    return last < current ? last : current - 1;
}

int period_parse_window(const char *s, int *months)
{
    if (!s) return -1;
    if (!strcmp(s, "3m")) *months = 3;
    else if (!strcmp(s, "6m")) *months = 6;
    else if (!strcmp(s, "12m")) *months = 12;
    else return -1;
    return 0;
}

int64_t period_month_last_day(int month)
{
    int next = month + 1;
    return days_from_civil(next / 12, (unsigned)(next % 12) + 1, 1) - 1;
}

int64_t period_spend_complete_day(int month, int window_days)
{
    return period_month_last_day(month) + window_days;
}
