/* hic_value.c — the numbers behind high-impact customers (stats/cx.h):
 * how many customers a top share holds, a customer's lifetime value, and
 * T1 from spend when the customers file gives no annual value
 * (docs/methods.md).  Used by hic.c and by the tests as the formulas.
 */
#include "stats/cx.h"

#include <math.h>

size_t cx_top_count(double share, size_t n)
{
    if (!(share > 0.0) || n == 0) return 0;
    /* ⌈x⌉ with a relative tolerance: 0.1·30 is 3.0000000000000004 in
     * binary floating point and must give 3, not 4. */
    double x = share * (double)n * (1.0 - 1e-12);
    double k = ceil(x);
    return k >= (double)n ? n : (size_t)k;
}

double cx_clv(double t1, double years, double rate)
{
    if (!(rate > 0.0)) return t1 * years;
    return t1 * (1.0 - pow(1.0 + rate, -years)) / rate;
}

double cx_t1_from_spend(const spend_table *s, const char *customer_id)
{
    return s ? spend_table_t1(s, customer_id) : 0.0;
}
