/* test_agents_write.c — the agents renderers (report/csv_agents.c,
 * report/html_agents.c, report/text_agents.c) on a run result that holds
 * only agents: formula escaping in CSV, HTML escaping of ids.
 * Fixtures: agents_fixture.h.
 */
#include "agents_fixture.h"
#include "report/outputs.h"
#include "report/report.h"

/* A run result with the agents of ACC and an empty NPS table. */
static stats_result agents_only(const agents_acc *acc, const nps_result *empty)
{
    static const drivers none;
    stats_result r;
    memset(&r, 0, sizeof r);
    r.analyses = STATS_RUN_AGENTS;
    r.nps = empty;
    r.drivers = &none;
    r.agents = agents_results(acc);
    ck_assert_ptr_nonnull(r.agents);
    return r;
}

static void remove_in(const char *dir, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
}

/* ---- writers ---- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    static const size_t cap = 1 << 16;
    char *buf = calloc(cap, 1);
    ck_assert_ptr_nonnull(buf);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

START_TEST(test_csv_agents)
{
    cx_config *cfg = test_config();
    int64_t at = march_2026();
    stats_opts o = test_opts(cfg, 0, NAN);
    agents_acc *acc = agents_new(&o);
    ck_assert_ptr_nonnull(acc);
    add_roster(acc, at);
    add_counts(acc, "=cmd", 1, 0, 0);
    char err[256];
    ck_assert_int_eq(agents_finish(acc, err, sizeof err), 0);
    char dir[] = "/tmp/test_agents_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    nps_result empty;
    memset(&empty, 0, sizeof empty);
    stats_result res = agents_only(acc, &empty);
    ck_assert_int_eq(report_csv_all(&res, dir, err, sizeof err), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/agents.csv", dir);
    char *text = slurp(path);
    static const char header[] = "agent_id,n,promoters,passives,detractors,nps_raw,nps_shrunk,"
                                 "ci_low,ci_high,mean_peak_end,mot_n,mot_nps_shrunk,aht_s,"
                                 "rank_feedback,rank_aht,tier\r\n";
    ck_assert_msg(strncmp(text, header, sizeof header - 1) == 0, "header: %.200s", text);
    ck_assert_ptr_nonnull(strstr(text, "\r\na01,16,12,3,1,68.75,"));
    ck_assert_ptr_nonnull(strstr(text, "\r\n'=cmd,1,1,0,0,100,")); /* formula escape */
    const char *b08 = strstr(text, "\r\nb08,1,0,0,1,-100,");
    ck_assert_ptr_nonnull(b08);
    const char *eol = strstr(b08 + 2, "\r\n");
    ck_assert_ptr_nonnull(eol);
    ck_assert_msg(strncmp(eol - 4, ",,,,", 4) == 0, "b08 ends with empty aht, ranks and tier");
    /* a06's interval lies below the population NPS; a02's contains it. */
    ck_assert_msg(strstr(text, ",200,6,1,below\r\n") != NULL, "%s", text);
    ck_assert_ptr_nonnull(strstr(text, ",300,1,4,typical\r\n"));
    free(text);
    unlink(path);
    remove_in(dir, "nps.csv");
    remove_in(dir, "nps_change.csv");
    remove_in(dir, "drivers.csv");
    remove_in(dir, "csat.csv"); /* the CSAT and CES tables: written on every run */
    remove_in(dir, "csat_change.csv");
    remove_in(dir, "ces.csv");
    remove_in(dir, "ces_change.csv");
    remove_in(dir, "agents_csat.csv"); /* agents on CSAT and CES: written with agents.csv */
    remove_in(dir, "agents_ces.csv");
    ck_assert_int_eq(rmdir(dir), 0); /* no other file was written */

    FILE *t = tmpfile();
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(report_agents_text(t, agents_results(acc)), 0);
    rewind(t);
    char line[512];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, t));
    ck_assert_ptr_nonnull(strstr(line, "population NPS"));
    ck_assert_ptr_nonnull(strstr(line, "m = "));
    /* Tiers in order, each ranked from 1: the typical ones, then a06 below,
     * then the agents with too few responses unranked. */
    char all[8192];
    size_t got = fread(all, 1, sizeof all - 1, t);
    all[got] = 0;
    const char *typ = strstr(all, "\ntypical    1  a01");
    const char *below = strstr(all, "\nbelow      1  a06");
    const char *few = strstr(all, "\ntoo few    -  a04");
    ck_assert_msg(typ && below && few && typ < below && below < few, "table: %s", all);
    fclose(t);
    agents_free(acc);
    config_free(cfg);
}
END_TEST

START_TEST(test_html_escapes_ids)
{
    stats_opts o = test_opts(NULL, 0, NAN);
    agents_acc *acc = agents_new(&o);
    ck_assert_ptr_nonnull(acc);
    add_counts(acc, "<script>alert(1)</script>", 30, 0, 0);
    add_counts(acc, "plain", 2, 10, 18);
    add_counts(acc, "other", 10, 10, 10);
    char err[256];
    ck_assert_int_eq(agents_finish(acc, err, sizeof err), 0);
    FILE *t = tmpfile();
    ck_assert_ptr_nonnull(t);
    nps_result empty;
    memset(&empty, 0, sizeof empty);
    stats_result res = agents_only(acc, &empty);
    html_agents.write(t, &res, NULL);
    rewind(t);
    char *buf = calloc(1 << 16, 1);
    ck_assert_ptr_nonnull(buf);
    size_t n = fread(buf, 1, (1 << 16) - 1, t);
    buf[n] = '\0';
    fclose(t);
    ck_assert_ptr_null(strstr(buf, "<script>"));
    ck_assert_ptr_nonnull(strstr(buf, "&lt;script&gt;"));
    ck_assert_ptr_nonnull(strstr(buf, "<section id=\"agents\">"));
    ck_assert_ptr_nonnull(strstr(buf, "Clearly above"));
    free(buf);
    agents_free(acc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("agents_write");
    TCase *tc = tcase_create("agents_write");
    tcase_add_test(tc, test_csv_agents);
    tcase_add_test(tc, test_html_escapes_ids);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
