/* verb_fixture.h — the verbatim tests' fixture (test_verbatims.c,
 * test_verbatims_mot.c): a configuration naming two moment-of-truth
 * types, an accumulator, and a response added by its few fields.  One
 * copy a test program (static). */
#ifndef CX_VERB_FIXTURE_H
#define CX_VERB_FIXTURE_H

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "stats/text/verbatims.h"

static cx_config *cfg;
static stats_opts so;

static void setup(void)
{
    char path[] = "/tmp/cxvtXXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    const char *json = "{\"mot_types\": [\"card_lost\", \"fraud_alert\"]}";
    ck_assert_int_eq((int)write(fd, json, strlen(json)), (int)strlen(json));
    close(fd);
    char err[256];
    cfg = config_load(path, 0, err, sizeof err);
    unlink(path);
    ck_assert_msg(cfg != NULL, "%s", err);
    memset(&so, 0, sizeof so);
    so.cfg = cfg;
    so.confidence = 0.95;
}

static void teardown(void) { config_free(cfg); }

static verb_acc *acc_new(size_t max_terms)
{
    char err[256];
    verb_opts o;
    memset(&o, 0, sizeof o);
    o.so = &so;
    o.max_terms = max_terms;
    verb_acc *a = verb_new(&o, err, sizeof err);
    ck_assert_msg(a != NULL, "%s", err);
    return a;
}

static int add(verb_acc *a, const char *id, int score, const char *type, const char *comment, int month,
               verb_flag *f)
{
    cx_response r;
    cx_response_clear(&r);
    r.source = "t";
    r.response_id = id;
    r.score = score;
    r.interaction_type = type;
    r.comment = comment;
    r.channel = score >= 9 ? "web" : "phone";
    return verb_add(a, &r, month, f);
}

#endif
