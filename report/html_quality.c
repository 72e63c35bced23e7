/* html_quality.c — data quality and methods sections of index.html, from
 * the run's data-quality facts (stats_quality). */
#include "report/fmt.h"
#include "report/html.h"
#include "report/html_metric_view.h"
#include "report/noun.h"
#include "report/outputs.h"
#include "core/timeparse.h"

static void when(FILE *f, int64_t t)
{
    char buf[TIME_ISO_LEN];
    if (t <= 0) {
        fputs("never", f);
        return;
    }
    time_format_iso(t, buf);
    fputs(buf, f);
}

/* "Stale data": each source whose last sync failed, and since when its
 * responses are missing (its last successful sync).  Nothing when every
 * sync worked, so the section is the page's first only when it matters. */
static void stale(FILE *f, const stats_result *res, const charts *ch)
{
    const stats_quality *st = &res->quality;
    size_t n = 0;
    (void)ch;
    for (size_t i = 0; st->from_store && i < st->n_sources; i++) {
        const quality_source *x = &st->sources[i];
        if (!x->last_error) continue;
        if (n++ == 0)
            fputs("<section id=\"stale\" class=\"stale\"><h2>Stale data<span class=\"period\">the "
                  "whole store, every source</span></h2>\n<ul>\n",
                  f);
        fputs("<li>Source <b>", f);
        html_text(f, x->source);
        if (x->last_sync) {
            fputs("</b> is stale since ", f);
            when(f, x->last_sync);
            fputs(" (its last successful sync): responses since then are missing from this report.", f);
        } else {
            fputs("</b> has never synced: none of its responses are in this report.", f);
        }
        fputs(" Its last sync failed: ", f);
        html_text(f, x->last_error);
        fputs("</li>\n", f);
    }
    if (n) fputs("</ul></section>\n", f);
}

static void quality(FILE *f, const stats_result *res, const charts *ch)
{
    const stats_quality *st = &res->quality;
    (void)ch;
    fputs("<section id=\"quality\"><details><summary>Data quality<span class=\"period\">the whole "
          "store, every month</span></summary>\n<div class=\"tw\"><table>\n",
          f);
    const char *what;
    long long n = report_responses(res, &what); /* a CSAT or CES report counts its own */
    char b[7][32];                              /* counts with separators: "19,087" */
    fprintf(f, "<tr><td>%s%s analysed</td><td>%s</td></tr>\n", what, *what ? " responses" : "Responses",
            fmt_n((double)n, b[0], sizeof b[0]));
    if (st->from_store) {
        /* the import log's counts, as `status` gives them */
        fprintf(f,
                "<tr><td>Responses in the store</td><td>%s</td></tr>\n"
                "<tr><td>Rows read by imports</td><td>%s</td></tr>\n"
                "<tr><td>Rows already held, replaced</td><td>%s</td></tr>\n"
                "<tr><td>Rows already held, unchanged</td><td>%s</td></tr>\n"
                "<tr><td>Older versions ignored</td><td>%s</td></tr>\n",
                fmt_n((double)st->store_responses, b[0], sizeof b[0]),
                fmt_n((double)st->imported_rows, b[1], sizeof b[1]),
                fmt_n((double)st->replaced, b[2], sizeof b[2]),
                fmt_n((double)st->unchanged, b[3], sizeof b[3]),
                fmt_n((double)st->ignored, b[4], sizeof b[4]));
        if (st->imports_before > 0)
            fprintf(f,
                    "<tr><td>Rows already held (replaced, unchanged or older) by %lld %s logged before these "
                    "were told apart</td><td>%s</td></tr>\n",
                    st->imports_before, fmt_noun((double)st->imports_before, "import", "imports"),
                    fmt_n((double)st->held_before, b[5], sizeof b[5]));
        fprintf(f, "<tr><td>Rows rejected</td><td>%s</td></tr>\n",
                fmt_n((double)st->rejects, b[6], sizeof b[6]));
        fprintf(f, "<tr><td>Customers / spend rows</td><td>%s / %s</td></tr>\n",
                fmt_n((double)st->customers, b[5], sizeof b[5]),
                fmt_n((double)st->spend_rows, b[6], sizeof b[6]));
        fputs("<tr><td>Last import</td><td>", f);
        when(f, st->last_import);
        fputs("</td></tr>\n", f);
    } else {
        fprintf(f, "<tr><td>Rows rejected</td><td>%s</td></tr>\n",
                fmt_n((double)st->rejected, b[0], sizeof b[0]));
    }
    fprintf(f, "<tr><td>Left out of spend analysis (incomplete windows)</td><td>%s</td></tr>\n",
            fmt_n((double)st->spend_excluded, b[0], sizeof b[0]));
    fputs("</table></div>\n", f);
    if (st->from_store && st->n_sources) {
        fputs("<h3>Sources</h3><div class=\"tw\"><table><tr><th>Source</th><th>Responses</th>"
              "<th>Rejects</th><th>Last sync</th><th>Last error</th></tr>\n",
              f);
        for (size_t i = 0; i < st->n_sources; i++) {
            const quality_source *x = &st->sources[i];
            fputs("<tr><td>", f);
            html_text(f, x->source);
            fprintf(f, "</td><td>%lld</td><td>%lld</td><td>", x->responses, x->rejects);
            when(f, x->last_sync);
            fputs("</td><td>", f);
            html_text(f, x->last_error ? x->last_error : "");
            fputs("</td></tr>\n", f);
        }
        fputs("</table></div>\n", f);
    }
    if (st->from_store && st->rejects) {
        fputs("<h3>Reasons for rejected rows</h3><div class=\"tw\"><table><tr><th>Reason</th>"
              "<th>Rows</th></tr>\n",
              f);
        for (size_t i = 0; i < st->n_reasons; i++) {
            fprintf(f, "<tr><td>");
            html_text(f, st->reasons[i].reason);
            fprintf(f, "</td><td>%lld</td></tr>\n", st->reasons[i].rows);
        }
        fputs("</table></div><p class=\"muted\">Every rejected row is kept with its file, line and raw "
              "text in rejects.csv.</p>\n",
              f);
    }
    fputs("</details></section>\n", f);
}

static void methods(FILE *f, const stats_result *res, const charts *ch)
{
    (void)ch;
    fprintf(
        f,
        "<section id=\"methods\"><details><summary>Methods<span class=\"period\">how the figures "
        "for every period above are computed</span></summary>\n<p>NPS = 100 &times; (promoters &minus; detractors) / n, "
        "with promoters scoring 9&ndash;10, passives 7&ndash;8 and detractors 0&ndash;6. Intervals are "
        "%.0f%% adjusted-Wald intervals (0.75 promoters, 1.5 passives and 0.75 detractors added), which "
        "behave well for small samples; the point estimate is the raw NPS. A change of the whole between two "
        "months is tested with a z-test on the difference using the Wald standard errors, two-sided; a "
        "segment against the rest of its month, and the summary's other comparisons of two groups, on "
        "the same adjusted counts, and only with at least %d responses on each side, so that a group of "
        "one response or of one class is never a finding; &ldquo;significant&rdquo; means p &lt; %.2g.</p>\n"
        "<p>Peak-end: the moment farthest from neutral and the last moment, averaged. Agent scores are "
        "shrunk toward the population with an empirical-Bayes Dirichlet prior, so agents with few responses "
        "are not ranked on noise. Spend deltas compare spend in the %d %s after a response with the %d "
        "%s before. Agents with at least the minimum number of responses are put in tiers: "
        "clearly above (their whole interval above the population NPS), typical, or clearly "
        "below; the weight m of the population is (1&minus;&rho;)/&rho; with &rho; the share of "
        "the variation in promoter and detractor answers that lies between agents. High-impact "
        "customers are the top customers by yearly value T1. The trend is a weighted "
        "least-squares slope of the monthly NPS (weights 1/SE&sup2;), and the summary's "
        "findings are the significant comparisons with the largest effects. Full formulas: "
        "docs/methods.md in the cxpulse sources.</p></details></section>\n",
        res->confidence * 100, res->summary ? res->summary->min_responses : 1, 1 - res->confidence,
        res->spend_window_days, fmt_noun(res->spend_window_days, "day", "days"), res->spend_window_days,
        fmt_noun(res->spend_window_days, "day", "days"));
}

const report_section html_stale = {"stale", 0, stale};
const report_section html_quality = {"quality", 0, quality};
const report_section html_methods = {"methods", 0, methods};
