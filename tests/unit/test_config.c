/* test_config.c — loading cxpulse.json (core/config.c): defaults, every
 * kind of error with the file and key, labels and currency, paths
 * resolved against the config's folder, plain http:// only to this
 * machine.  Expected values are by hand from docs/config.md.
 */
#include <check.h>

#include "run_suite.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/config.h"

static char *write_tmp(const char *text)
{
    char *path = malloc(64);
    snprintf(path, 64, "/tmp/cxcfgXXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void config_fails(const char *text, const char *want)
{
    char err[512] = "", *p = write_tmp(text);
    cx_config *c = config_load(p, 0, err, sizeof err);
    ck_assert_msg(c == NULL, "accepted: %s", text);
    ck_assert_msg(strstr(err, want) != NULL, "message '%s' lacks '%s'", err, want);
    ck_assert_msg(strstr(err, p) != NULL, "message '%s' lacks the file name", err);
    unlink(p);
    free(p);
}

START_TEST(config_good_and_defaults)
{
    char err[512],
        *p = write_tmp(
            "{\"store\":\"x.db\",\"mot_types\":[\"card_lost\",\"outage\"],\"moment_scale\":[0,10],"
            "\"clv_years\":3,\"sources\":[{\"name\":\"d\",\"vendor\":\"delighted\",\"base_url\":\"https://h\","
            "\"token_env\":\"T\",\"fields\":{\"agent_id\":\"person_properties.Agent\"}}]}");
    cx_config *c = config_load(p, 0, err, sizeof err);
    ck_assert_msg(c != NULL, "%s", err);
    ck_assert_str_eq(c->store, "/tmp/x.db"); /* relative to the config's folder */
    ck_assert_int_eq(c->moment_lo, 0);
    ck_assert_int_eq(c->moment_hi, 10);
    ck_assert_double_eq(c->clv_years, 3);
    ck_assert_double_eq(c->hic_top, 0.20);
    ck_assert_int_eq(c->spend_window_days, 90);
    ck_assert_uint_eq(c->n_sources, 1);
    ck_assert_str_eq(c->sources[0].fields[0].path, "person_properties.Agent");
    ck_assert_int_eq(c->sources[0].per_page, 100);
    ck_assert(config_is_mot(c, "outage"));
    ck_assert(!config_is_mot(c, "billing"));
    ck_assert_ptr_nonnull(config_source(c, "d"));
    ck_assert_ptr_null(config_source(c, "q"));
    config_free(c);
    unlink(p);
    free(p);
    c = config_load("/nonexistent/cxpulse.json", 1, err, sizeof err);
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(c->store, "cxpulse.db");
    ck_assert_uint_eq(c->n_sources, 0);
    config_free(c);
    ck_assert_ptr_null(config_load("/nonexistent/cxpulse.json", 0, err, sizeof err));
}
END_TEST

START_TEST(config_errors)
{
    config_fails("{", "not valid JSON");
    config_fails("[]", "must be a JSON object");
    config_fails("{\"sources\":[{\"name\":\"d\",\"vendor\":\"delighted\",\"base_url\":\"u\","
                 "\"token_env\":\"T\",\"token\":\"abc123\"}]}",
                 "literal secret");
    /* An unknown vendor and a key a vendor needs (survey_id) are checked
     * against the vendor table: tests/unit/test_vendor_table.c. */
    config_fails("{\"sources\":[{\"name\":\"d\",\"vendor\":\"delighted\",\"base_url\":\"u\"}]}", "token_env");
    config_fails("{\"moment_scale\":[5,1]}", "moment_scale");
    config_fails("{\"hic_top\":2}", "hic_top");
    config_fails("{\"clv_years\":\"five\"}", "clv_years");
    config_fails("{\"mot_types\":[1]}", "mot_types");
    config_fails("{\"stor\":\"x.db\"}", ": stor: unknown key; did you mean store?");
    config_fails("{\"sources\":[{\"name\":\"d\",\"vendor\":\"delighted\",\"base_url\":\"https://h\","
                 "\"tokn_env\":\"T\"}]}",
                 ": sources[0].tokn_env: unknown key; did you mean token_env?");
    config_fails("{\"spend_window_days\":1,\"spend_window_days\":2}", "spend_window_days: given twice");
    config_fails("{\"labels\":[\"x\"]}", "labels");
    config_fails("{\"labels\":{\"card_lost\":1}}", "labels");
    config_fails("{\"currency\":5}", "currency");
}
END_TEST

START_TEST(config_labels_and_currency)
{
    char err[512],
        *p = write_tmp(
            "{\"labels\":{\"card_lost\":\"Card lost\",\"web\":\"Web & app\"},\"currency\":\"EUR\"}");
    cx_config *c = config_load(p, 0, err, sizeof err);
    ck_assert_msg(c != NULL, "%s", err);
    ck_assert_str_eq(config_label(c, "card_lost"), "Card lost");
    ck_assert_str_eq(config_label(c, "web"), "Web & app");
    ck_assert_ptr_null(config_label(c, "outage"));
    ck_assert_ptr_null(config_label(c, NULL));
    ck_assert_str_eq(c->currency, "EUR");
    config_free(c);
    unlink(p);
    free(p);
}
END_TEST

/* Absolute paths and PostgreSQL targets are kept as written; relative
 * store and ca_file are joined to the config's folder. */
START_TEST(config_paths)
{
    char err[512], *p = write_tmp("{\"store\":\"/var/x.db\"}");
    cx_config *c = config_load(p, 0, err, sizeof err);
    ck_assert_msg(c != NULL, "%s", err);
    ck_assert_str_eq(c->store, "/var/x.db");
    config_free(c);
    unlink(p);
    free(p);
    p = write_tmp("{\"store\":\"postgresql://h/db\",\"sources\":[{\"name\":\"d\",\"vendor\":\"delighted\","
                  "\"base_url\":\"https://h\",\"token_env\":\"T\",\"ca_file\":\"ca/x.pem\"}]}");
    c = config_load(p, 0, err, sizeof err);
    ck_assert_msg(c != NULL, "%s", err);
    ck_assert_str_eq(c->store, "postgresql://h/db");
    ck_assert_str_eq(c->sources[0].ca_file, "/tmp/ca/x.pem");
    config_free(c);
    unlink(p);
    free(p);
}
END_TEST

/* Plain http:// only to this machine; the host is what follows any user
 * info, so "127.0.0.1@" in front of another host does not pass (user info
 * is refused anyway, below). */
START_TEST(config_plain_http_loopback_only)
{
    static const char *const ok[] = {
        "http://127.0.0.1:8080/v1", "http://localhost",    "HTTP://LOCALHOST:1/x",  "http://[::1]:99/",
        "http://127.10.0.254/q",    "https://example.com", "https://h.example/a@b",
    };
    static const char *const bad[] = {
        "http://h",
        "http://example.com/",
        "http://127.0.0.1@example.com/",
        "http://127.0.0.1.example.com/",
        "http://localhost.example.com:80/",
        "http://[::1].example.com/",
        "http://127.0.0.1x/",
        "http://127.0.0/",
        "http://10.0.0.1/",
        "http://[::2]/",
        "http://",
        "https://127.0.0.1@example.com",
    };
    char text[512], err[512];
    for (size_t i = 0; i < sizeof ok / sizeof *ok + sizeof bad / sizeof *bad; i++) {
        int good = i < sizeof ok / sizeof *ok;
        const char *url = good ? ok[i] : bad[i - sizeof ok / sizeof *ok];
        snprintf(text, sizeof text,
                 "{\"sources\":[{\"name\":\"d\",\"vendor\":\"delighted\","
                 "\"base_url\":\"%s\",\"token_env\":\"T\"}]}",
                 url);
        if (!good) {
            config_fails(text, "base_url");
            continue;
        }
        char *p = write_tmp(text);
        cx_config *c = config_load(p, 0, err, sizeof err);
        ck_assert_msg(c != NULL, "%s refused: %s", url, err);
        config_free(c);
        unlink(p);
        free(p);
    }
}
END_TEST

/* A user name or password in base_url would be sent by curl and could come
 * back in a vendor's error message, which cxpulse prints and stores:
 * refused, and the message does not repeat it.  So is a query or fragment,
 * which the API's path would be appended after. */
START_TEST(config_base_url_no_credentials)
{
    static const char *const cases[][2] = {
        {"https://alice:Passw0rd@api.example", "user name or password"},
        {"http://alice:Passw0rd@127.0.0.1:8080", "user name or password"},
        {"https://u@api.example/v3", "user name or password"},
        {"https://api.example/x?k=Passw0rd", "query"},
        {"https://api.example/#Passw0rd", "fragment"},
    };
    char text[512], err[512];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(text, sizeof text,
                 "{\"sources\":[{\"name\":\"d\",\"vendor\":\"qualtrics\","
                 "\"base_url\":\"%s\",\"token_env\":\"T\"}]}",
                 cases[i][0]);
        config_fails(text, cases[i][1]);
        char *p = write_tmp(text);
        ck_assert(config_load(p, 0, err, sizeof err) == NULL);
        ck_assert_msg(strstr(err, "Passw0rd") == NULL, "the secret echoed: %s", err);
        unlink(p);
        free(p);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("config");
    tcase_add_test(tc, config_good_and_defaults);
    tcase_add_test(tc, config_errors);
    tcase_add_test(tc, config_paths);
    tcase_add_test(tc, config_labels_and_currency);
    tcase_add_test(tc, config_plain_http_loopback_only);
    tcase_add_test(tc, config_base_url_no_credentials);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
