/* test_ingest_say.c — ingest_run prints nothing itself: every line a user
 * must see (errors and notes) reaches the caller's on_message, in order,
 * with the words the CLI prints, and stderr stays empty. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/store/store.h"
#include "ingest/ingest.h"

#include "run_suite.h"

#define MAX_SAID 8

typedef struct said {
    int n;
    int warning[MAX_SAID];
    char text[MAX_SAID][512];
    int summaries;
    char summary_error[512];
} said;

static void on_message(int warning, const char *text, void *ctx)
{
    said *s = ctx;
    if (s->n < MAX_SAID) {
        s->warning[s->n] = warning;
        snprintf(s->text[s->n], sizeof s->text[s->n], "%s", text);
    }
    s->n++;
}

static void on_source(const ingest_source_summary *sum, void *ctx)
{
    said *s = ctx;
    s->summaries++;
    snprintf(s->summary_error, sizeof s->summary_error, "%s", sum->error ? sum->error : "");
}

static char dir[64];
static char db[128];
static char errpath[128];
static int saved_stderr = -1;

/* stderr goes to a file for the test, so that anything printed shows. */
static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/cx-ingest-say-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/s.db", dir);
    snprintf(errpath, sizeof errpath, "%s/stderr", dir);
    fflush(stderr);
    saved_stderr = dup(STDERR_FILENO);
    int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    dup2(fd, STDERR_FILENO);
    close(fd);
}

static long stderr_size(void)
{
    fflush(stderr);
    struct stat st;
    ck_assert_int_eq(stat(errpath, &st), 0);
    return (long)st.st_size;
}

static void teardown(void)
{
    fflush(stderr);
    if (saved_stderr >= 0) {
        dup2(saved_stderr, STDERR_FILENO);
        close(saved_stderr);
        saved_stderr = -1;
    }
    unlink(errpath);
    unlink(db);
    char side[160];
    snprintf(side, sizeof side, "%s-wal", db);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", db);
    unlink(side);
    snprintf(side, sizeof side, "%s-sync", db); /* the sync lock's file */
    unlink(side);
    ck_assert_int_eq(rmdir(dir), 0); /* nothing else left behind */
}

/* One Delighted source whose token variable is not set. */
static cx_config *one_source(void)
{
    char path[160], err[256] = "";
    snprintf(path, sizeof path, "%s/cxpulse.json", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("{\"sources\": [{\"name\": \"d1\", \"vendor\": \"delighted\", \"base_url\": \"http://127.0.0.1:9\","
          " \"token_env\": \"CX_UNIT_NO_SUCH_TOKEN\"}]}\n",
          f);
    fclose(f);
    cx_config *cfg = config_load(path, 0, err, sizeof err);
    ck_assert_msg(cfg != NULL, "%s", err);
    unlink(path);
    return cfg;
}

START_TEST(no_sources_is_said_not_printed)
{
    cx_config *cfg = config_default();
    char err[256] = "";
    store *st = store_open(db, err, sizeof err);
    ck_assert_msg(st != NULL, "%s", err);
    said s = {0};
    ingest_opts o = {.on_message = on_message, .on_source = on_source, .ctx = &s};
    ck_assert_int_eq(ingest_run(cfg, st, &o), INGEST_USAGE);
    ck_assert_int_eq(s.n, 1);
    ck_assert_int_eq(s.warning[0], 0);
    ck_assert_str_eq(s.text[0], "ingest: the config lists no sources");
    ck_assert_int_eq(s.summaries, 0);
    ck_assert_int_eq(stderr_size(), 0);
    store_close(st);
    config_free(cfg);
}
END_TEST

START_TEST(unknown_source_is_said_not_printed)
{
    cx_config *cfg = one_source();
    char err[256] = "";
    store *st = store_open(db, err, sizeof err);
    ck_assert_msg(st != NULL, "%s", err);
    said s = {0};
    ingest_opts o = {.source = "nope", .on_message = on_message, .ctx = &s};
    ck_assert_int_eq(ingest_run(cfg, st, &o), INGEST_USAGE);
    ck_assert_int_eq(s.n, 1);
    ck_assert_str_eq(s.text[0], "ingest: no source named \"nope\" in the config");
    ck_assert_int_eq(stderr_size(), 0);
    store_close(st);
    config_free(cfg);
}
END_TEST

/* A damaged checkpoint is a note (the sync goes on from the start); the
 * missing token then fails the source: an error, said before the summary,
 * which carries the same reason. */
START_TEST(note_then_error_in_order)
{
    unsetenv("CX_UNIT_NO_SUCH_TOKEN");
    cx_config *cfg = one_source();
    char err[256] = "";
    store *st = store_open(db, err, sizeof err);
    ck_assert_msg(st != NULL, "%s", err);
    ck_assert_int_eq(store_checkpoint_put(st, "d1", "{not json"), 0);
    said s = {0};
    ingest_opts o = {.on_message = on_message, .on_source = on_source, .ctx = &s};
    ck_assert_int_eq(ingest_run(cfg, st, &o), INGEST_FAILED);
    ck_assert_int_eq(s.n, 2);
    ck_assert_int_eq(s.warning[0], 1);
    ck_assert_str_eq(s.text[0], "ingest: d1: unreadable checkpoint; syncing everything again");
    ck_assert_int_eq(s.warning[1], 0);
    ck_assert_str_eq(s.text[1],
                     "ingest: d1: environment variable $CX_UNIT_NO_SUCH_TOKEN (token_env) is not set");
    ck_assert_int_eq(s.summaries, 1);
    ck_assert_str_eq(s.summary_error, "environment variable $CX_UNIT_NO_SUCH_TOKEN (token_env) is not set");
    ck_assert_int_eq(stderr_size(), 0);
    store_close(st);
    config_free(cfg);
}
END_TEST

/* Without a callback nothing is shown anywhere, and the status is the same. */
START_TEST(no_callback_prints_nothing)
{
    unsetenv("CX_UNIT_NO_SUCH_TOKEN");
    cx_config *cfg = one_source();
    char err[256] = "";
    store *st = store_open(db, err, sizeof err);
    ck_assert_msg(st != NULL, "%s", err);
    ck_assert_int_eq(store_checkpoint_put(st, "d1", "{not json"), 0);
    ingest_opts o = {0};
    ck_assert_int_eq(ingest_run(cfg, st, &o), INGEST_FAILED);
    ck_assert_int_eq(stderr_size(), 0);
    store_close(st);
    config_free(cfg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ingest_say");
    TCase *t = tcase_create("messages");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, no_sources_is_said_not_printed);
    tcase_add_test(t, unknown_source_is_said_not_printed);
    tcase_add_test(t, note_then_error_in_order);
    tcase_add_test(t, no_callback_prints_nothing);
    suite_add_tcase(s, t);
    return run_suite(s);
}
