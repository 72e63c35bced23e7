/* run_notes_file.c — the comments' notes kept beside the analysis cache
 * (run_notes_file.h; the file's layout: run_notes_int.h): the key, the
 * hashes, and the run's side (a note taken, put, passed over; the file
 * closed). */
#include "run/run_notes_int.h"
#include "core/hash.h"
#include "core/store/cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the key ---- */

static uint64_t exe_key;
static pthread_once_t exe_once = PTHREAD_ONCE_INIT;

/* A hash of this program's executable (0 when it cannot be read). */
static void exe_hash(void)
{
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    char *buf = malloc(NF_IO);
    uint64_t h = 0x9E3779B97F4A7C15ull;
    ssize_t r = 0;
    while (buf && ((r = read(fd, buf, NF_IO)) > 0 || (r < 0 && errno == EINTR)))
        if (r > 0) h = hash_fmix64(h ^ cache_hash(buf, (size_t)r));
    close(fd);
    free(buf);
    if (buf && r == 0) exe_key = h | 1;
}

static uint64_t mix(uint64_t a, uint64_t b)
{
    return hash_fmix64(a ^ (b + 0x9E3779B97F4A7C15ull + (a << 6)));
}

uint64_t notes_key(const stats_opts *o)
{
    pthread_once(&exe_once, exe_hash);
    if (!exe_key) return 0;
    uint64_t h = mix(exe_key, NF_FORMAT);
    const cx_config *cfg = o ? o->cfg : NULL;
    h = mix(h, cfg ? cfg->n_mot_types + 1 : 0);
    for (size_t i = 0; cfg && i < cfg->n_mot_types; i++)
        h = mix(h, cache_hash(cfg->mot_types[i], strlen(cfg->mot_types[i]) + 1));
    return h | 1;
}

static inline uint64_t rotl(uint64_t x, unsigned r) { return x << r | x >> (64 - r); }

uint64_t notes_hash(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *b = p;
    uint64_t a = seed ^ 0x9E3779B97F4A7C15ull, c = (uint64_t)n * 0xC2B2AE3D27D4EB4Full, w, x;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        memcpy(&w, b + i, 8);
        memcpy(&x, b + i + 8, 8);
        a = rotl((a ^ w) * 0x87C37B91114253D5ull, 31);
        c = rotl((c ^ x) * 0x4CF5AD432745937Full, 33);
    }
    if (n - i >= 8) {
        memcpy(&w, b + i, 8);
        a = rotl((a ^ w) * 0x87C37B91114253D5ull, 31);
        i += 8;
    }
    if (i < n) {
        w = 0;
        memcpy(&w, b + i, n - i);
        c = rotl((c ^ w) * 0x4CF5AD432745937Full, 33);
    }
    return hash_fmix64(a ^ hash_fmix64(c));
}

uint64_t notes_row_hash(const char *source, size_t slen, const char *response_id, size_t idlen)
{
    return notes_hash(response_id, idlen, notes_hash(source, slen, NOTES_SOURCE_SEED));
}

uint64_t notes_text_hash(const char *comment, size_t clen, const char *itype, size_t ilen)
{
    return notes_hash(comment, clen, notes_hash(itype, ilen, NOTES_ITYPE_SEED));
}

/* ---- the run's side ---- */

notes_file *notes_file_open(const char *path, uint64_t key)
{
    notes_file *nf = calloc(1, sizeof *nf);
    if (!nf) return NULL;
    nf->in_fd = nf->out_fd = -1;
    nf->key = key;
    if (!key || snprintf(nf->path, sizeof nf->path, "%s", path) >= (int)sizeof nf->path) {
        nf->failed = 1; /* nothing read, nothing written */
        return nf;
    }
    nf->in_fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (nf->in_fd < 0) return nf;
    if (fstat(nf->in_fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(nf->in_fd);
        nf->in_fd = -1;
        return nf;
    }
    nf->in_size = (long long)st.st_size;
    dread_init(&nf->dr, nf->in_fd, nf->path);
    unsigned char h[NF_HEAD];
    uint32_t order, format;
    uint64_t k;
    if (nf_in_fill(nf, NF_HEAD) == 0) {
        memcpy(h, nf->ib, NF_HEAD);
        memcpy(&order, h + 8, 4);
        memcpy(&format, h + 12, 4);
        memcpy(&k, h + 16, 8);
        nf->in_ok = memcmp(h, NF_MAGIC, 8) == 0 && order == NF_ORDER && format == NF_FORMAT && k == key;
        nf->ipos = NF_HEAD;
    }
    if (!nf->in_ok) { /* another program's notes, or none: not read */
        dread_close(&nf->dr);
        close(nf->in_fd);
        nf->in_fd = -1;
        nf->ilen = nf->ipos = 0;
        nf->ioff = 0;
    }
    return nf;
}

int notes_file_take(notes_file *nf, verb_acc *reader, uint64_t row, uint64_t text, int want, note_buf *nb,
                    uint32_t *at)
{
    nf->reader = reader;
    nf_peek(nf);
    if (!nf->have_next || nf->next_row != row) return 0;
    verb_flag f;
    int taken = want && nf->next_text == text;
    /* a note read from another comment: dropped, so the file written anew
     * ends its copy before it */
    if (want && !taken && !nf->writing && !nf->failed) nf_start_writing(nf);
    int keep = taken || (nf->writing && !want);
    uint64_t was = nf->next_text;
    int rc = nf_consume(nf, keep ? &f : NULL);
    if (rc == -2) return -1;
    if (rc != 0) {
        nf->in_ok = 0;
        return 0;
    }
    if (!taken) { /* a row of another window's note kept when writing */
        uint32_t k;
        nf->carry.len = 0;
        if (keep && nf->writing && !nf->failed && note_put(&nf->carry, &f, &k) == 0)
            nf_queue(nf, row, was, nf->carry.b + k, note_size(&nf->carry, k));
        return 0;
    }
    nf->taken_n++;
    if (note_put(nb, &f, at) != 0) return -1;
    if (nf->writing && !nf->failed) nf_queue(nf, row, text, nb->b + *at, note_size(nb, *at));
    return 1;
}

/* 1 when the comments the run read are too short for their notes to be
 * kept (judged once NF_PROBE are read, or at the end), unless it took
 * notes from the file (an earlier run judged them worth keeping). */
static int too_short(const notes_file *nf)
{
    return !nf->taken_n && nf->put_bytes < (long long)NF_MIN_COMMENT * nf->put_n;
}

void notes_file_put(notes_file *nf, uint64_t row, uint64_t text, const note_buf *nb, uint32_t at,
                    size_t comment_bytes)
{
    nf->put_n++;
    nf->put_bytes += (long long)comment_bytes;
    if (nf->put_n == NF_PROBE && too_short(nf)) nf->failed = 1; /* none written */
    if (!nf->writing && !nf->failed) nf_start_writing(nf);
    if (!nf->failed) nf_queue(nf, row, text, nb->b + at, note_size(nb, at));
}

int notes_file_busy(const notes_file *nf) { return nf->in_ok || nf->have_next || !nf->failed; }

int notes_file_pending(notes_file *nf)
{
    nf_peek(nf);
    return nf->have_next;
}

void notes_file_drop(notes_file *nf, verb_acc *reader, uint64_t row)
{
    nf->reader = reader;
    nf_peek(nf);
    if (!nf->have_next || nf->next_row != row) return;
    if (!nf->writing && !nf->failed) nf_start_writing(nf); /* its copy ends before it */
    if (nf_consume(nf, NULL) != 0) nf->in_ok = 0;
}

int notes_file_close(notes_file *nf, int ok)
{
    if (!nf) return 0;
    int wrote = 0;
    if (nf->writing && nf->put_n < NF_PROBE && too_short(nf)) nf->failed = 1;
    if (nf->wth_on) { /* the last chunk, then the end */
        if (!nf->failed) nf_hand_over(nf);
        pthread_mutex_lock(&nf->mu);
        nf->q_end = 1;
        pthread_cond_broadcast(&nf->cv);
        pthread_mutex_unlock(&nf->mu);
        pthread_join(nf->wth, NULL);
        pthread_cond_destroy(&nf->cv);
        pthread_mutex_destroy(&nf->mu);
    }
    if (nf->writing && nf->copy >= NF_HEAD) dread_close(&nf->wdr);
    free(nf->cur.b);
    free(nf->carry.b);
    if (nf->writing && nf->out_fd >= 0) {
        int keep = ok && !nf->failed && !nf->wfail;
        if (nf->ds_on && !keep) dstream_close(&nf->ds);
        else if (nf->ds_on && dstream_finish(&nf->ds) != 0) keep = 0;
        /* renamed or removed while still locked: no other run takes it */
        if (keep && rename(nf->tmp, nf->path) == 0) wrote = 1;
        else unlink(nf->tmp);
        close(nf->out_fd);
    }
    if (nf->in_fd >= 0) {
        dread_close(&nf->dr);
        close(nf->in_fd);
    }
    free(nf->ib);
    free(nf->wo);
    free(nf->wl);
    free(nf->wsid);
    free(nf->warena);
    free(nf->ob);
    free(nf->body);
    free(nf->ocode);
    free(nf->tk);
    free(nf->pk);
    free(nf);
    return wrote;
}
