/* verbatims.h — what customers say: the themes that separate detractors'
 * comments from promoters' and the emotionally charged comments that mark
 * moments of truth nobody labelled (docs/methods.md, "Verbatims").
 *
 * Shape: verb_new, verb_add for each response, verb_finish, verb_free.
 * Memory is bounded by the vocabulary (max_terms), not by the rows.
 * Owner: stats/text/verbatims.c (streaming), verb_tokens.c (a comment's
 * tokens), verb_vocab.c (vocabulary, lexicons, verb_new and verb_free),
 * stats/text/themes.c (the statistics of verb_finish),
 * stats/text/charge.c (charged words).
 * A verb_result is owned by the accumulator that made it and lives until
 * verb_free.
 */
#ifndef CX_VERBATIMS_H
#define CX_VERBATIMS_H

#include <stddef.h>
#include <stdint.h>
#include "core/model.h"
#include "stats/nps.h"
#include "stats/stats.h"
#include "stats/text/text.h"

#define VERB_EXAMPLES 3
#define VERB_MAX_CHARGE_TERMS 16
#define VERB_DEFAULT_MAX_TERMS 262144
#define VERB_DEFAULT_TOP 20
#define VERB_MOT_THRESHOLD 3.0

typedef struct verb_opts {
    const stats_opts *so;  /* month (scope), by (segments), cfg (mot_types), confidence */
    size_t max_terms;      /* distinct terms kept (0: VERB_DEFAULT_MAX_TERMS) */
    size_t top;            /* themes per scope, language and direction (0: VERB_DEFAULT_TOP) */
    double mot_threshold;  /* charge that flags a comment (0: VERB_MOT_THRESHOLD) */
    double min_g2;         /* G² a theme needs (0: 10.83, p < 0.001 on 1 df) */
    unsigned min_mentions; /* mentions a theme needs (0: 5) */
    int pack_tokens;       /* verb_read packs the tokens (verb_flag.toks): a verbatim
                               analysis elsewhere will count them */
} verb_opts;

/* What one comment says (verb_add fills it for responses in scope with a
 * non-empty comment). */
typedef struct verb_flag {
    text_lang lang;
    double charge_neg, charge_pos; /* sums of the fired terms' intensities */
    char terms[512];               /* the fired terms, ';'-separated ("NOT " before a negated one) */
    int routine;                   /* interaction type empty or not in mot_types */
    int unlabelled_mot;            /* routine and charge_neg or charge_pos >= threshold */
    /* The comment's tokens as verb_read left them, packed (borrowed; NULL
     * when not given): verb_add_seg on another accumulator, maybe on
     * another thread, counts them without tokenising the comment again.
     * Packed: a uint32 token count N, N uint32 words (length << 1 | brk),
     * N uint32 surface ids in the packing accumulator's vocabulary
     * (VOCAB_NONE: none), then the tokens' bytes; valid until the next
     * verb_read on the accumulator that packed them, or as long as the
     * copy it points to. */
    const char *toks;
    size_t toks_len;
    /* Which accumulator packed them: 1..VERB_ORIGINS, the same number for
     * the same packing accumulator all through a run, so that the counting
     * one maps its surface ids to its own instead of looking their bytes
     * up (verb_add_seg); 0 unknown (the bytes are looked up). */
    unsigned toks_from;
} verb_flag;

#define VERB_ORIGINS 16

typedef struct verb_theme {
    const char *scope; /* "all" or "DIM=VALUE" */
    text_lang lang;
    const char *theme; /* most frequent surface form(s) of the term */
    int direction;     /* -1 detractor theme, +1 promoter theme */
    long long mentions, detractor_mentions, passive_mentions, promoter_mentions;
    double g2, log_ratio;
    double nps_with, nps_with_low, nps_with_high, nps_without, p_value; /* p NaN when undefined */
    long long prev_mentions;                                            /* -1 without --month */
    const char *example_ids[VERB_EXAMPLES];                             /* NULL past the last */
    const char *example_text[VERB_EXAMPLES];                            /* masked, cut to about 200 bytes */
} verb_theme;

#define VERB_MOT_EXAMPLES 10

/* A flagged comment kept for the report (the first ones in input order). */
typedef struct verb_mot_example {
    char *response_id;      /* owned */
    char *text;             /* owned: masked, cut to about 200 bytes */
    char *interaction_type; /* owned */
    int score;
    double charge_neg, charge_pos;
} verb_mot_example;

typedef struct verb_result {
    verb_theme *themes; /* by scope (in order of appearance), language, direction, G² descending */
    size_t n_themes;
    long long comments[TEXT_NLANG]; /* in scope, by language */
    long long flagged;              /* unlabelled moments of truth */
    long long routine_comments;     /* comments of routine or empty interaction types */
    nps_counts mot_nps;             /* of the flagged responses that are NPS ones */
    nps_est mot_est;                /* their NPS and interval (verb_finish) */
    verb_mot_example mot_ex[VERB_MOT_EXAMPLES];
    size_t n_mot_ex;
    int month; /* the scope: --month, 0 = all data (then no prev_mentions) */
    size_t distinct_terms;
    long long dropped_terms; /* occurrences of terms not counted: the vocabulary was full */
} verb_result;

/* Dunning's log-likelihood G² of the 2x2 table of A of NA comments in one
 * corpus against B of NB in the other (each comment counted once):
 * G² = 2·Σ O·ln(O/E) over the four cells, E from the margins; 0·ln 0 = 0.
 * Needs 0 <= A <= NA, 0 <= B <= NB, NA + NB > 0. */
double verb_g2(double a, double na, double b, double nb);
/* Hardie's log ratio: log2((A/NA) / (B/NB)), a zero count taken as 0.5.
 * Positive: over-represented in the first corpus. */
double verb_log_ratio(double a, double na, double b, double nb);

/* ---- flags rows (stats/text/verb_csv.c, verb_run.c) ----
 * One row of verbatim_flags.csv, as every writer of it writes it.  In a
 * statistics run, the rows of every comment (so many) are written as the
 * comments stream, on the verbatim analysis's thread, into a temporary
 * file (the spool), not to memory; verbatim_flags.csv is then that file's
 * bytes. */
struct csv_writer;
void verb_flag_csv_row(struct csv_writer *w, const char *source, const char *response_id,
                       const char *interaction_type, const verb_flag *f);
/* The same row's bytes (record end included) as a writer with formula
 * escaping (every output's) writes them, built in BUF of CAP bytes: its
 * length, 0 when it does not fit (then use verb_flag_csv_row). */
size_t verb_flag_csv_text(char *buf, size_t cap, const char *source, const char *response_id,
                          const char *interaction_type, const verb_flag *f);
typedef struct verb_spool verb_spool;
/* Copies the spooled rows, in input order, to W (verb_flag_csv_row's
 * text: whole records).  0 ok; -1 read error. */
int verb_spool_copy(const verb_spool *s, struct csv_writer *w);

typedef struct verb_acc verb_acc;
/* The surface id of word S (LEN bytes, as a packed token holds it) in A's
 * vocabulary, the id verb_read would pack for it: interned when new and
 * the vocabulary has room, else VOCAB_NONE (UINT32_MAX).  For a reader of
 * notes kept from an earlier run (run/run_notes_file.c). */
uint32_t verb_word_id(verb_acc *a, const char *s, size_t len);

/* NULL with ERR (lexicon error, out of memory). */
verb_acc *verb_new(const verb_opts *o, char *err, size_t errlen);
/* Streams R (MONTH its month key).  Returns 1 and fills FLAG when R is in
 * scope and has a comment, 0 when not, -1 out of memory.  Only NPS
 * responses count in themes and NPS; every comment gets its charge. */
int verb_add(verb_acc *a, const cx_response *r, int month, verb_flag *flag);
/* The same with R's value of each --by dimension given (SEG[i], NULL when
 * missing), as the statistics run has them (customer attributes joined);
 * verb_add reads them from R's own fields and attributes. */
int verb_add_seg(verb_acc *a, const cx_response *r, int month, const char *const *seg, verb_flag *flag);
/* verb_add_seg, the flag not copied: *OUT points at R's note when R was
 * read (cx_response.note), else at BUF, which is filled. */
int verb_add_seg_ref(verb_acc *a, const cx_response *r, int month, const char *const *seg, verb_flag *buf,
                     const verb_flag **out);
/* The pre-step of a statistics run: reads R's comment once (language,
 * charge, unlabelled moment of truth) into FLAG, whatever its month, so
 * that every analysis finds it on the response (cx_response.note) and
 * verb_add_seg does not read it again.  1 filled, 0 no comment, -1 out of
 * memory.  Use an accumulator of its own (not the one verb_add fills);
 * one accumulator per thread (accumulators share nothing).  With
 * pack_tokens, FLAG's toks point at the comment's tokens, packed in A. */
int verb_read(verb_acc *a, const cx_response *r, verb_flag *flag);
/* 1 when R was read (cx_response.note) and is an unlabelled moment of truth. */
static inline int verb_unlabelled_mot(const cx_response *r) { return r->note && r->note->unlabelled_mot; }
/* Does COMMENT mention THEME (a term as verb_theme.theme shows it, in the
 * comment's language, which goes to *LANG)?  For `cxpulse verbatims
 * --theme`.  1 yes, 0 no. */
int verb_mentions(verb_acc *a, const char *comment, const char *theme, text_lang *lang);
/* The statistics; the result stays owned by A.  NULL out of memory. */
const verb_result *verb_finish(verb_acc *a);
void verb_free(verb_acc *a);

#endif
