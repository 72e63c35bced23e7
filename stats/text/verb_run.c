/* verb_run.c — the verbatim themes and charged-word flags as a row of the
 * table of analyses (stats/analysis.h), and the spool of flags rows
 * (verbatims.h): compact records in memory up to SPOOL_MEM bytes, then in
 * a temporary file (tmpfile(3), gone when closed), so memory stays
 * bounded whatever the number of comments.  The accumulator keeps owning
 * what it publishes: the themes and the spool live until the run's result
 * is freed. */
#include "stats/analysis.h"
#include "stats/text/verbatims.h"
#include "core/timeparse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPOOL_MEM (8u << 20)

struct verb_spool {
    char *mem;              /* records while they fit in SPOOL_MEM */
    size_t len, cap;
    FILE *f;                /* then every record here (NULL before) */
    int failed;
};

typedef struct verb_row {
    verb_acc *acc;
    verb_spool spool;
} verb_row;

static void *row_create(const analysis_env *env)
{
    verb_row *v = calloc(1, sizeof *v);
    if (!v) return NULL;
    char err[256];
    verb_opts o;
    memset(&o, 0, sizeof o);
    o.so = env->o;
    v->acc = verb_new(&o, err, sizeof err);
    if (!v->acc) {
        free(v);
        return NULL;
    }
    return v;
}

static void spool_write(verb_spool *s, const void *p, size_t n)
{
    if (s->failed) return;
    if (!s->f && s->len + n > SPOOL_MEM) {
        /* memory is full: everything so far to the temporary file */
        s->f = tmpfile();
        if (!s->f || (s->len && fwrite(s->mem, 1, s->len, s->f) != s->len)) { s->failed = 1; return; }
        free(s->mem);
        s->mem = NULL;
        s->len = s->cap = 0;
    }
    if (s->f) {
        if (fwrite(p, 1, n, s->f) != n) s->failed = 1;
        return;
    }
    if (s->len + n > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + n) cap *= 2;
        char *m = realloc(s->mem, cap);
        if (!m) { s->failed = 1; return; }
        s->mem = m;
        s->cap = cap;
    }
    memcpy(s->mem + s->len, p, n);
    s->len += n;
}

static void put_str(verb_spool *s, const char *str)
{
    uint32_t n = (uint32_t)strlen(str);
    spool_write(s, &n, sizeof n);
    spool_write(s, str, n);
}

/* One record: source, response id, interaction type, terms, then the
 * language, the two charges and the two flags. */
static void spool_row(verb_spool *s, const cx_response *r, const verb_flag *f)
{
    put_str(s, r->source);
    put_str(s, r->response_id);
    put_str(s, r->interaction_type);
    put_str(s, f->terms);
    unsigned char b[2 + 2 * sizeof(double)];
    b[0] = (unsigned char)f->lang;
    b[1] = (unsigned char)((f->routine ? 1 : 0) | (f->unlabelled_mot ? 2 : 0));
    memcpy(b + 2, &f->charge_neg, sizeof(double));
    memcpy(b + 2 + sizeof(double), &f->charge_pos, sizeof(double));
    spool_write(s, b, sizeof b);
}

static int row_add(void *acc, const cx_response *r, const char *const *seg)
{
    verb_row *v = acc;
    (void)seg;   /* the accumulator reads the --by values itself */
    verb_flag f;
    int rc = verb_add(v->acc, r, time_month_key(r->responded_at), &f);
    if (rc <= 0) return rc;
    spool_row(&v->spool, r, &f);
    return 0;
}

static int row_finish(void *acc, stats_result *out, char *err, size_t errlen)
{
    verb_row *v = acc;
    const verb_result *res = verb_finish(v->acc);
    if (!res) { snprintf(err, errlen, "verbatims: out of memory"); return -1; }
    if (v->spool.failed || (v->spool.f && fflush(v->spool.f) != 0)) {
        snprintf(err, errlen, "verbatims: the flags of %lld comments: %s", (long long)(res->comments[0] +
                 res->comments[1] + res->comments[2]), v->spool.f ? "temporary file: write failed"
                                                                : "out of memory");
        return -1;
    }
    out->themes = res;
    out->verb_flags = &v->spool;
    return 0;
}

static void row_destroy(void *acc)
{
    verb_row *v = acc;
    if (!v) return;
    verb_free(v->acc);
    if (v->spool.f) fclose(v->spool.f);
    free(v->spool.mem);
    free(v);
}

/* Reads a string written by put_str into *BUF (grown as needed). */
static int get_str(FILE *f, char **buf, size_t *cap)
{
    uint32_t n;
    if (fread(&n, sizeof n, 1, f) != 1) return -1;
    if ((size_t)n + 1 > *cap) {
        char *b = realloc(*buf, (size_t)n + 1);
        if (!b) return -1;
        *buf = b;
        *cap = (size_t)n + 1;
    }
    if (n && fread(*buf, 1, n, f) != n) return -1;
    (*buf)[n] = '\0';
    return 0;
}

int verb_spool_each(const verb_spool *s, void (*cb)(void *ctx, const verb_flag_row *row), void *ctx)
{
    if (!s->f && s->len == 0) return 0;
    FILE *f = s->f;
    if (f) {
        if (fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0) return -1;
    } else if (!(f = fmemopen(s->mem, s->len, "r"))) {
        return -1;
    }
    char *str[4] = {NULL, NULL, NULL, NULL};
    size_t cap[4] = {0, 0, 0, 0};
    int rc = 0;
    for (;;) {
        int c = getc(f);
        if (c == EOF) break;
        ungetc(c, f);
        unsigned char b[2 + 2 * sizeof(double)];
        int bad = 0;
        for (int k = 0; k < 4; k++) bad |= get_str(f, &str[k], &cap[k]);
        if (bad || fread(b, sizeof b, 1, f) != 1) { rc = -1; break; }
        verb_flag fl;
        memset(&fl, 0, sizeof fl);
        snprintf(fl.terms, sizeof fl.terms, "%s", str[3]);
        fl.lang = b[0] < TEXT_NLANG ? (text_lang)b[0] : TEXT_UND;
        fl.routine = b[1] & 1;
        fl.unlabelled_mot = (b[1] & 2) != 0;
        memcpy(&fl.charge_neg, b + 2, sizeof(double));
        memcpy(&fl.charge_pos, b + 2 + sizeof(double), sizeof(double));
        verb_flag_row row = {str[0], str[1], str[2], &fl};
        cb(ctx, &row);
    }
    if (ferror(f)) rc = -1;
    for (int k = 0; k < 4; k++) free(str[k]);
    if (f == s->f) fseek(f, 0, SEEK_END);   /* as it was */
    else fclose(f);
    return rc;
}

const analysis analysis_themes = {
    "verbatims", STATS_RUN_TEXT, 0, row_create, row_add, row_finish, row_destroy,
};
