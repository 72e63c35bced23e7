/* model.h — the response, customer and spend records (docs/formats.md, "Inputs").
 *
 * Owner: core/model.c.  A cx_response is a VIEW: every string in it is
 * borrowed from whoever filled it (the CSV reader's buffer, a SQLite row,
 * a cJSON tree) and is valid only for the duration of the call it was
 * handed to.  Code that must keep a response copies what it needs.
 * Strings are never NULL: an absent value is "".
 */
#ifndef CX_MODEL_H
#define CX_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define CX_MAX_MOMENTS 64
#define CX_MAX_ATTRS 64

typedef struct cx_attr {
    const char *key;
    const char *value;
} cx_attr;

/* What a response's score measures (docs/formats.md, docs/methods.md "CSAT and CES"):
 * NPS 0..10; CSAT 1..5; CSAT given as good/bad, stored 1/0 on a 0..1
 * scale; CES 1..7.  NPS is 0, so a cleared response is an NPS one. */
typedef enum {
    CX_METRIC_NPS,
    CX_METRIC_CSAT,
    CX_METRIC_CSAT_BINARY,
    CX_METRIC_CES,
    CX_METRIC_COUNT
} cx_metric;

struct verb_flag; /* stats/text/verbatims.h */

typedef struct cx_response {
    const char *source;
    const char *response_id;
    int64_t responded_at; /* UTC seconds */
    int64_t updated_at;   /* UTC seconds; = responded_at when unknown */
    int score;            /* 0..10 */
    const char *comment;
    const char *customer_id;
    const char *agent_id;
    const char *channel;
    const char *product;
    const char *interaction_type;
    double handle_time_s; /* valid when has_handle_time */
    int has_handle_time;
    int moments[CX_MAX_MOMENTS];
    size_t n_moments;
    cx_attr attrs[CX_MAX_ATTRS]; /* every other column / vendor property */
    size_t n_attrs;
    int metric; /* cx_metric */
    /* What the comment says (language, charge, unlabelled moment of
     * truth), read once by the statistics run before its analyses see the
     * response (run/run.c); NULL when not read (no comment, or no run). */
    const struct verb_flag *note;
    /* When lens_known, the byte lengths of source, response_id, comment,
     * customer_id, agent_id, channel, product and interaction_type, in
     * that order: a reader that split them says so (resp_from_record), and
     * the store copies them without a strlen each.  cx_response_clear
     * unsets it; whoever changes one of those texts after must too. */
    size_t text_len[8];
    int lens_known;
} cx_response;

/* The model's named text fields, in export order. */
typedef enum {
    CX_F_SOURCE,
    CX_F_RESPONSE_ID,
    CX_F_RESPONDED_AT,
    CX_F_UPDATED_AT,
    CX_F_SCORE,
    CX_F_COMMENT,
    CX_F_CUSTOMER_ID,
    CX_F_AGENT_ID,
    CX_F_CHANNEL,
    CX_F_PRODUCT,
    CX_F_INTERACTION_TYPE,
    CX_F_HANDLE_TIME_S,
    CX_F_MOMENTS,
    CX_F_METRIC,
    CX_F_COUNT
} cx_field;

/* Column name of a model field ("response_id", …). */
const char *cx_field_name(cx_field f);
/* Model field named NAME, or -1 when NAME is not a model field. */
int cx_field_lookup(const char *name);

/* Resets R to an empty response (all strings "", no moments, no attrs). */
void cx_response_clear(cx_response *r);

/* Which value a --by dimension NAME takes for a response — the rule, in
 * one place: the text model field of that name (source, customer_id,
 * agent_id, channel, product, interaction_type), else the response's
 * attribute of that name (even when empty), else the attribute of the
 * response's customer (run/run.c); an empty value is missing (the response
 * counts in `all` only).  The SQL of the store's pushed-down counts
 * follows the same rule and is tested against it.
 * cx_dim_field: the text model field NAME names, or -1 (an attribute). */
int cx_dim_field(const char *name);
/* Text model field F (one cx_dim_field returns) of R. */
const char *cx_response_text(const cx_response *r, cx_field f);
/* Value of dimension NAME for R from R alone: its text model field or its
 * attribute.  Returns the borrowed value, "" when R has none, or NULL when
 * NAME is neither a text model field nor one of R's attributes (the
 * customer's attribute then). */
const char *cx_response_dim(const cx_response *r, const char *name);

/* NPS classes, the only place their bounds are written: promoters score
 * CX_PROMOTER_MIN..10, passives CX_PASSIVE_MIN..CX_PROMOTER_MIN-1,
 * detractors 0..CX_PASSIVE_MIN-1.  CX_STR() makes them SQL text. */
#define CX_PROMOTER_MIN 9
#define CX_PASSIVE_MIN 7
#define CX_STR_(x) #x
#define CX_STR(x) CX_STR_(x)

/* NPS class of a score: 1 promoter (9-10), 0 passive (7-8), -1 detractor. */
static inline int cx_nps_class(int score)
{
    return score >= CX_PROMOTER_MIN ? 1 : (score >= CX_PASSIVE_MIN ? 0 : -1);
}

/* Parses a score field: an integer 0..10 written as digits (surrounding
 * spaces not allowed; "9.0" is accepted as 9, "9.5" is not).  0 ok, -1 with
 * *why. */
int cx_parse_score(const char *s, int *score, const char **why);

/* Parses moments "3;4;2" (also ',' or space separated) into OUT (at most
 * CX_MAX_MOMENTS).  Each must be an integer within [lo, hi].  "" gives 0
 * moments.  0 ok, -1 with *why. */
int cx_parse_moments(const char *s, int lo, int hi, int *out, size_t *n, const char **why);

/* The same three parsers for a field of LEN bytes that need not be
 * NUL-terminated (it must not contain a NUL byte): same results and
 * messages as the NUL-terminated versions on the same text. */
int cx_parse_score_n(const char *s, size_t len, int *score, const char **why);
int cx_parse_moments_n(const char *s, size_t len, int lo, int hi, int *out, size_t *n, const char **why);
int cx_parse_number_n(const char *s, size_t len, int allow_neg, double *out, const char **why);

/* The user's name of metric M: "nps", "csat" (both CSAT scales), "ces". */
const char *cx_metric_name(int m);
/* The store's code of M: "nps", "csat", "csat01" (good/bad), "ces". */
const char *cx_metric_code(int m);
/* The metric of a store code, or -1. */
int cx_metric_from_code(const char *code);
/* The metric a user names ("nps", "csat", "ces"; any case), or -1. */
int cx_metric_lookup(const char *name);
/* The scale of M: scores lie in [*lo, *hi]. */
void cx_metric_range(int m, int *lo, int *hi);
/* 0 when SCORE lies on M's scale, else -1 with *why. */
int cx_metric_check(int m, int score, const char **why);

/* Parses the metric field of LEN bytes ("" = nps) and then the score of
 * that metric: an integer on its scale, or for csat also "good"/"bad"
 * (any case), which makes *METRIC CX_METRIC_CSAT_BINARY with 1/0.
 * 0 ok; -1 with *why and *FIELD ("metric" or "score"). */
int cx_parse_metric_score_n(const char *m, size_t mlen, const char *s, size_t len, int *metric, int *score,
                            const char **field, const char **why);

/* Writes moments as "3;4;2" into BUF of CAP bytes (truncated safely). */
void cx_format_moments(const int *m, size_t n, char *buf, size_t cap);

/* Parses a decimal number with core/num.h's strict rules (no spaces, hex
 * or inf; |v| <= CX_NUM_MAX); negatives only with ALLOW_NEG (amounts).
 * 0 ok, -1 with *why. */
int cx_parse_number(const char *s, int allow_neg, double *out, const char **why);

#endif
