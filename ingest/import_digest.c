/* import_digest.c — see import_digest.h.  A file's digest read from the
 * file (import_digest, import_digest_start) or from the bytes the
 * import's reader hands over (import_digest_fed): copied into two slots
 * of 1 MiB that a thread of its own digests in order. */
#include "ingest/import_digest.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (1 << 20)

/* A SHA-256 begun with SETTINGS (its NUL ends it): NULL out of memory. */
static EVP_MD_CTX *digest_begin(const char *settings)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (md && (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ||
               EVP_DigestUpdate(md, settings, strlen(settings) + 1) != 1)) {
        EVP_MD_CTX_free(md);
        md = NULL;
    }
    return md;
}

/* MD's digest in lower-case hex into HEX: 0, or -1. */
static int digest_end(EVP_MD_CTX *md, char hex[IMPORT_DIGEST_LEN])
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int dn = 0;
    if (EVP_DigestFinal_ex(md, d, &dn) != 1 || dn != 32) return -1;
    for (unsigned int i = 0; i < dn; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
    return 0;
}

int import_digest(const char *path, const char *settings, char hex[IMPORT_DIGEST_LEN], struct stat *st)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    unsigned char *buf = NULL;
    EVP_MD_CTX *md = NULL;
    int ok =
        fstat(fd, st) == 0 && S_ISREG(st->st_mode) && (buf = malloc(CHUNK)) && (md = digest_begin(settings));
#ifdef POSIX_FADV_SEQUENTIAL
    if (ok) (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    long long total = 0;
    while (ok) {
        ssize_t n = read(fd, buf, CHUNK);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ok = n == 0;
            break;
        }
        total += n;
        ok = EVP_DigestUpdate(md, buf, (size_t)n) == 1;
    }
    ok = ok && total == (long long)st->st_size && digest_end(md, hex) == 0;
    EVP_MD_CTX_free(md);
    free(buf);
    close(fd);
    return ok ? 0 : -1;
}

int import_digest_same(const char *path, const struct stat *st)
{
    struct stat now;
    return stat(path, &now) == 0 && now.st_size == st->st_size && now.st_ino == st->st_ino &&
           now.st_dev == st->st_dev && now.st_mtim.tv_sec == st->st_mtim.tv_sec &&
           now.st_mtim.tv_nsec == st->st_mtim.tv_nsec;
}

static void *digest_thread(void *arg)
{
    import_digest_job *j = arg;
    j->rc = import_digest(j->path, j->settings, j->hex, j->st);
    return NULL;
}

int import_digest_start(import_digest_job *j, const char *path, const char *settings,
                        char hex[IMPORT_DIGEST_LEN], struct stat *st)
{
    pthread_t *th = malloc(sizeof *th);
    j->path = path;
    j->settings = settings;
    j->hex = hex;
    j->st = st;
    j->rc = -1;
    j->thread = NULL;
    j->feed = NULL;
    if (!th) return -1;
    if (pthread_create(th, NULL, digest_thread, j) != 0) {
        free(th);
        return -1;
    }
    j->thread = th;
    return 0;
}

#define SLOT ((size_t)1 << 20)
#define N_SLOT 2

struct digest_feed {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *buf[N_SLOT];
    size_t len[N_SLOT];
    /* slots handed over, and digested: slot K is buf[K % N_SLOT]; the one
     * filling is buf[filled % N_SLOT], fill bytes so far */
    unsigned long long filled, taken;
    size_t fill;
    int ended, broken;
    long long total;
    EVP_MD_CTX *md;
};

static void *fed_thread(void *arg)
{
    import_digest_job *j = arg;
    struct digest_feed *f = j->feed;
    int ok = 1;
    pthread_mutex_lock(&f->mu);
    for (;;) {
        while (f->taken == f->filled && !f->ended && !f->broken) pthread_cond_wait(&f->cv, &f->mu);
        if (f->broken || f->taken == f->filled) break;
        size_t k = (size_t)(f->taken % N_SLOT), n = f->len[k];
        pthread_mutex_unlock(&f->mu);
        ok = ok && EVP_DigestUpdate(f->md, f->buf[k], n) == 1;
        pthread_mutex_lock(&f->mu);
        f->total += (long long)n;
        f->taken++;
        pthread_cond_broadcast(&f->cv);
    }
    ok = ok && !f->broken && f->total == (long long)j->st->st_size;
    pthread_mutex_unlock(&f->mu);
    j->rc = ok && digest_end(f->md, j->hex) == 0 ? 0 : -1;
    return NULL;
}

static void feed_free(struct digest_feed *f)
{
    if (!f) return;
    for (int i = 0; i < N_SLOT; i++) free(f->buf[i]);
    EVP_MD_CTX_free(f->md);
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->cv);
    free(f);
}

int import_digest_fed(import_digest_job *j, int fd, const char *settings, char hex[IMPORT_DIGEST_LEN],
                      struct stat *st)
{
    memset(j, 0, sizeof *j);
    j->settings = settings;
    j->hex = hex;
    j->st = st;
    j->rc = -1;
    struct digest_feed *f = calloc(1, sizeof *f);
    if (!f) return -1;
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cv, NULL);
    int ok = fstat(fd, st) == 0 && S_ISREG(st->st_mode) && (f->md = digest_begin(settings));
    for (int i = 0; ok && i < N_SLOT; i++) ok = (f->buf[i] = malloc(SLOT)) != NULL;
    pthread_t *th = ok ? malloc(sizeof *th) : NULL;
    j->feed = f;
    if (!th || pthread_create(th, NULL, fed_thread, j) != 0) {
        free(th);
        feed_free(f);
        j->feed = NULL;
        return -1;
    }
    j->thread = th;
    return 0;
}

void import_digest_feed(void *job, const char *p, size_t n)
{
    import_digest_job *j = job;
    struct digest_feed *f = j->feed;
    if (!f) return;
    if (!p) { /* the tap ended: not the file's bytes in order */
        pthread_mutex_lock(&f->mu);
        f->broken = 1;
        pthread_cond_broadcast(&f->cv);
        pthread_mutex_unlock(&f->mu);
        return;
    }
    while (n) {
        if (f->fill == 0) { /* the next slot, once digested */
            pthread_mutex_lock(&f->mu);
            while (f->filled - f->taken >= N_SLOT) pthread_cond_wait(&f->cv, &f->mu);
            pthread_mutex_unlock(&f->mu);
        }
        size_t k = (size_t)(f->filled % N_SLOT), m = SLOT - f->fill < n ? SLOT - f->fill : n;
        memcpy(f->buf[k] + f->fill, p, m);
        f->fill += m;
        p += m;
        n -= m;
        if (f->fill == SLOT) {
            pthread_mutex_lock(&f->mu);
            f->len[k] = SLOT;
            f->filled++;
            f->fill = 0;
            pthread_cond_broadcast(&f->cv);
            pthread_mutex_unlock(&f->mu);
        }
    }
}

int import_digest_wait(import_digest_job *j)
{
    pthread_t *th = j->thread;
    if (!th) return j->rc;
    struct digest_feed *f = j->feed;
    if (f) { /* the last slot's bytes, and the end */
        pthread_mutex_lock(&f->mu);
        if (f->fill) {
            f->len[f->filled % N_SLOT] = f->fill;
            f->filled++;
            f->fill = 0;
        }
        f->ended = 1;
        pthread_cond_broadcast(&f->cv);
        pthread_mutex_unlock(&f->mu);
    }
    pthread_join(*th, NULL);
    free(th);
    j->thread = NULL;
    feed_free(f);
    j->feed = NULL;
    return j->rc;
}
