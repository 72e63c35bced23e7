/* import_digest.c — see import_digest.h.  A file's digest read from the
 * file (import_digest, import_digest_start) or from the bytes the
 * import's reader hands over (import_digest_fed): copied into two slots
 * of 1 MiB that a thread of its own digests in order, until the import
 * detaches it (import_digest_detach) and it reads the rest itself. */
#define _GNU_SOURCE /* SCHED_IDLE */
#include "ingest/import_digest.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/syscall.h>

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

/* At most N bytes of FD from AT on into BUF, digested into MD: how many
 * (0 at the file's end), or -1. */
static ssize_t digest_piece(int fd, EVP_MD_CTX *md, void *buf, size_t n, long long at)
{
    ssize_t got;
    do got = pread(fd, buf, n, (off_t)at);
    while (got < 0 && errno == EINTR);
    return got > 0 && EVP_DigestUpdate(md, buf, (size_t)got) != 1 ? -1 : got;
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
    ssize_t n = 0;
    while (ok && (n = digest_piece(fd, md, buf, CHUNK, total)) > 0) total += n;
    ok = ok && n == 0 && total == (long long)st->st_size && digest_end(md, hex) == 0;
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
#define PIECE ((size_t)1 << 18) /* read_rest's reads: import_digest_wait waits for one at most */

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
    /* import_digest_detach asks (detach); the feeding side, at its next
     * bytes, hands over those it holds and feeds no more (cut); the
     * digest's thread, once it has digested them, reads the rest of the
     * file itself from fd at the lowest priority, until import_digest_wait
     * asks it to stop (hurry) and goes on with what is left (handed). */
    atomic_int detach, hurry;
    int cut, handed;
    int fd; /* the reader's file, duplicated (pread: its offset untouched); -1 none */
    int ok;
    long long total, size;
    EVP_MD_CTX *md;
};

/* The bytes of the file from f->total on, read from f->fd and digested,
 * to the file's end (a file grown past the size it was opened with stops
 * there: no digest then): 0; or 1 when MAY_STOP and import_digest_wait
 * asked for the rest. */
static int read_rest(struct digest_feed *f, int may_stop)
{
    while (f->ok && f->total <= f->size) {
        if (may_stop && atomic_load(&f->hurry)) return 1;
        ssize_t n = digest_piece(f->fd, f->md, f->buf[0], PIECE, f->total);
        if (n <= 0) {
            f->ok = n == 0;
            break;
        }
        f->total += (long long)n;
    }
    return 0;
}

/* The job's answer, once every byte is digested. */
static void fed_end(import_digest_job *j, int broken)
{
    struct digest_feed *f = j->feed;
    j->rc = f->ok && !broken && f->total == f->size && digest_end(f->md, j->hex) == 0 ? 0 : -1;
}

static void *fed_thread(void *arg)
{
    import_digest_job *j = arg;
    struct digest_feed *f = j->feed;
    pthread_mutex_lock(&f->mu);
    for (;;) {
        while (f->taken == f->filled && !f->ended && !f->broken && !f->cut) pthread_cond_wait(&f->cv, &f->mu);
        if (f->broken || f->taken == f->filled) break;
        size_t k = (size_t)(f->taken % N_SLOT), n = f->len[k];
        pthread_mutex_unlock(&f->mu);
        f->ok = f->ok && EVP_DigestUpdate(f->md, f->buf[k], n) == 1;
        pthread_mutex_lock(&f->mu);
        f->total += (long long)n;
        f->taken++;
        pthread_cond_broadcast(&f->cv);
    }
    int broken = f->broken, rest = f->cut && !broken;
    pthread_mutex_unlock(&f->mu);
    if (rest) {
        /* what is left is read while the import has a core to spare:
         * as Linux's idle class, which any other thread that wakes takes
         * the core from, so as not to slow the import (else at the lowest
         * nice value, a thread's own on Linux; else at its own) */
        struct sched_param sp = {0};
        if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &sp) != 0)
            (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19);
        if (read_rest(f, 1)) {
            f->handed = 1;
            return NULL;
        }
    }
    fed_end(j, broken);
    return NULL;
}

static void feed_free(struct digest_feed *f)
{
    if (!f) return;
    for (int i = 0; i < N_SLOT; i++) free(f->buf[i]);
    EVP_MD_CTX_free(f->md);
    if (f->fd >= 0) close(f->fd);
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
    atomic_init(&f->detach, 0);
    atomic_init(&f->hurry, 0);
    f->ok = 1;
    f->fd = -1;
    int ok = fstat(fd, st) == 0 && S_ISREG(st->st_mode) && (f->md = digest_begin(settings));
    for (int i = 0; ok && i < N_SLOT; i++) ok = (f->buf[i] = malloc(SLOT)) != NULL;
    if (ok) {
        f->size = (long long)st->st_size;
        f->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0); /* -1: no detaching */
    }
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

/* The slot being filled handed over as it is, if it holds bytes (under
 * f->mu). */
static void hand_fill(struct digest_feed *f)
{
    if (!f->fill) return;
    f->len[f->filled % N_SLOT] = f->fill;
    f->filled++;
    f->fill = 0;
}

void import_digest_feed(void *job, const char *p, size_t n)
{
    import_digest_job *j = job;
    struct digest_feed *f = j->feed;
    if (!f || f->cut) return;
    if (p && atomic_load_explicit(&f->detach, memory_order_relaxed)) { /* the rest read by the thread */
        pthread_mutex_lock(&f->mu);
        hand_fill(f);
        f->cut = 1;
        pthread_cond_broadcast(&f->cv);
        pthread_mutex_unlock(&f->mu);
        return;
    }
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
            hand_fill(f);
            pthread_cond_broadcast(&f->cv);
            pthread_mutex_unlock(&f->mu);
        }
    }
}

void import_digest_detach(import_digest_job *j)
{
    if (j->feed && j->feed->fd >= 0) atomic_store(&j->feed->detach, 1);
}

int import_digest_wait(import_digest_job *j)
{
    pthread_t *th = j->thread;
    if (!th) return j->rc;
    struct digest_feed *f = j->feed;
    if (f) { /* the last slot's bytes, and the end */
        pthread_mutex_lock(&f->mu);
        hand_fill(f);
        /* detached but never fed again (the reader stopped): the rest is
         * still the file's */
        if (!f->cut && !f->broken && atomic_load(&f->detach)) f->cut = 1;
        f->ended = 1;
        atomic_store(&f->hurry, 1);
        pthread_cond_broadcast(&f->cv);
        pthread_mutex_unlock(&f->mu);
    }
    pthread_join(*th, NULL);
    free(th);
    j->thread = NULL;
    if (f && f->handed) { /* the rest of the file, at this thread's priority */
        read_rest(f, 0);
        fed_end(j, 0);
    }
    feed_free(f);
    j->feed = NULL;
    return j->rc;
}
