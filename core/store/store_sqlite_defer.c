/* store_sqlite_defer.c — the pages of a first load waiting, in aligned
 * slots, for the thread that writes them into the store file with
 * O_DIRECT: taken half the slots at a time, sorted by offset (of two
 * writes of one page the later wins), one pwritev per run of adjacent
 * pages.  Why, and what the VFS around it guarantees:
 * store_sqlite_vfs.c.  Declared in store_sqlite_int.h (sqd_*). */
#define _GNU_SOURCE
#include "core/store/store_sqlite_int.h"
#include "core/xsort.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

/* Pages waiting at most (8 MiB of 16 KiB pages): the thread takes all
 * that wait, in file order. */
#define N_SLOTS 512
/* Interior B-tree pages kept as last given (512 KiB of 16 KiB pages): a
 * load in key order splits a B-tree's right-hand interior page now and
 * then, and SQLite then reads its left neighbours back, long out of its
 * own cache; written past the page cache, each was a read from the disk
 * on the SQLite thread (10M shuffled rows: 270 reads, 0.3-0.55 s of that
 * thread's time, the bound of the merge).  Kept here, they are read from
 * memory: docs/performance.md, "Twenty-eighth round". */
#define N_KEEP 32
#ifndef IOV_MAX
#define IOV_MAX 1024
#endif

typedef struct slot {
    sqlite3_int64 off;
    unsigned seq; /* arrival: of two writes of one page, the later wins */
    int k;        /* the slot's own index */
} slot;

struct sq_defer_q {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t th;
    int fd;             /* the store file opened once more, O_DIRECT */
    int fl;             /* its flags before */
    int plain;          /* O_DIRECT writes refused (EINVAL): through real instead (set under mu) */
    int reading;        /* the SQLite thread reads real, not drained (sqd_read) */
    sqlite3_file *real; /* the root VFS's file */
    size_t page;        /* the size of every deferred write */
    char *mem;          /* N_SLOTS pages, 4 KiB-aligned */
    slot wait[N_SLOTS]; /* pages given, not yet taken by the thread */
    size_t n_wait;
    slot taken[N_SLOTS]; /* pages the thread is writing (as taken, unsorted) */
    size_t n_taken;
    int free_[N_SLOTS];
    size_t n_free;
    unsigned seq;
    int busy;     /* the thread is writing what it took */
    int draining; /* someone waits for every page to be written */
    int quit;
    int rc;         /* the first failed write's code, SQLITE_OK */
    long long done; /* pages written */
    /* Kept pages (N_KEEP, allocated at the first): each one's latest
     * bytes given, every later write of its page copied in (or the page
     * forgotten).  Touched by the SQLite thread's calls alone (write,
     * read, forget), which its connection makes one at a time. */
    char *keep;
    sqlite3_int64 keep_off[N_KEEP]; /* -1: empty */
    unsigned keep_next;             /* the one to reuse next */
    long long kept_reads;           /* reads answered from them */
};
typedef struct sq_defer_q defer;

static int by_offset(const void *a, const void *b)
{
    const slot *x = a, *y = b;
    if (x->off != y->off) return x->off < y->off ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Writes IOV (N buffers, contiguous in the file from OFF) whole. */
static int write_run(int fd, struct iovec *iov, int n, sqlite3_int64 off, int *refused)
{
    int first = 1;
    while (n > 0) {
        ssize_t w = pwritev(fd, iov, n, off);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno == EINVAL && first) *refused = 1; /* nothing written */
        if (w <= 0) return errno == ENOSPC || w == 0 ? SQLITE_FULL : SQLITE_IOERR_WRITE;
        first = 0;
        off += w;
        while (n > 0 && (size_t)w >= iov->iov_len) {
            w -= (ssize_t)iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0 && w > 0) { /* a short write: on with the rest */
            iov->iov_base = (char *)iov->iov_base + w;
            iov->iov_len -= (size_t)w;
        }
    }
    return SQLITE_OK;
}

/* Writes the pages taken (sorted by offset, the last of each page only),
 * one pwritev per run of adjacent pages. */
static int write_taken(defer *d, slot *t, size_t n, long long *pages)
{
    struct iovec iov[IOV_MAX];
    cx_qsort(t, n, sizeof *t, by_offset);
    size_t i = 0;
    while (i < n) {
        int m = 0;
        sqlite3_int64 from = t[i].off, next = from;
        while (i < n && t[i].off == next && m < IOV_MAX) {
            while (i + 1 < n && t[i + 1].off == t[i].off) i++; /* the later write of the page */
            iov[m].iov_base = d->mem + (size_t)t[i].k * d->page;
            iov[m].iov_len = d->page;
            m++;
            next += (sqlite3_int64)d->page;
            i++;
        }
        int refused = 0;
        int rc = d->plain ? SQLITE_OK : write_run(d->fd, iov, m, from, &refused);
        if (d->plain || refused) {
            /* a file system that took O_DIRECT but refuses its writes:
             * the pages through the root VFS, from now on, never beside
             * a read of it (sqd_read) */
            if (!d->plain) {
                pthread_mutex_lock(&d->mu);
                d->plain = 1;
                while (d->reading) pthread_cond_wait(&d->cv, &d->mu);
                pthread_mutex_unlock(&d->mu);
            }
            rc = SQLITE_OK;
            for (int j = 0; j < m && rc == SQLITE_OK; j++)
                rc = d->real->pMethods->xWrite(d->real, iov[j].iov_base, (int)d->page,
                                               from + (sqlite3_int64)j * (sqlite3_int64)d->page);
        }
        if (rc != SQLITE_OK) return rc;
        *pages += m;
    }
    return SQLITE_OK;
}

static void *write_thread(void *arg)
{
    defer *d = arg;
    slot taken[N_SLOTS];
    pthread_mutex_lock(&d->mu);
    for (;;) {
        /* half the slots at a time, so that runs of pages form */
        if (d->n_wait < N_SLOTS / 2 && !d->draining && !d->quit) {
            pthread_cond_wait(&d->cv, &d->mu);
            continue;
        }
        if (!d->n_wait) {
            if (d->quit) break;
            pthread_cond_wait(&d->cv, &d->mu); /* draining, nothing left */
            continue;
        }
        size_t n = d->n_wait;
        memcpy(taken, d->wait, n * sizeof *taken);
        memcpy(d->taken, d->wait, n * sizeof *taken);
        d->n_taken = n;
        d->n_wait = 0;
        d->busy = 1;
        int failed = d->rc != SQLITE_OK;
        pthread_mutex_unlock(&d->mu);
        long long pages = 0;
        int rc = failed ? SQLITE_OK : write_taken(d, taken, n, &pages);
        pthread_mutex_lock(&d->mu);
        d->done += pages;
        if (rc != SQLITE_OK && d->rc == SQLITE_OK) d->rc = rc;
        for (size_t i = 0; i < n; i++) d->free_[d->n_free++] = taken[i].k;
        d->n_taken = 0;
        d->busy = 0;
        pthread_cond_broadcast(&d->cv);
    }
    pthread_mutex_unlock(&d->mu);
    return NULL;
}

/* Waits until every write given is in the file: SQLITE_OK, or the first
 * failed write's code. */
int sqd_drain(defer *d)
{
    pthread_mutex_lock(&d->mu);
    d->draining = 1;
    pthread_cond_broadcast(&d->cv);
    while (d->n_wait || d->busy) pthread_cond_wait(&d->cv, &d->mu);
    d->draining = 0;
    int rc = d->rc;
    pthread_mutex_unlock(&d->mu);
    return rc;
}

/* The latest of the N slots of S that holds the page at OFF, or NULL. */
static const slot *latest(const slot *s, size_t n, sqlite3_int64 off)
{
    const slot *best = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i].off == off && (!best || s[i].seq > best->seq)) best = &s[i];
    return best;
}

/* The kept page at OFF, or -1. */
static int kept(const defer *d, sqlite3_int64 off)
{
    if (!d->keep) return -1;
    for (int i = 0; i < N_KEEP; i++)
        if (d->keep_off[i] == off) return i;
    return -1;
}

/* A B-tree page that is not a leaf: interior index (2) or table (5). */
static int interior(const unsigned char *p) { return p[0] == 2 || p[0] == 5; }

/* The page P given for OFF, as the kept pages must know it: copied in
 * when it is kept or an interior page (taking the oldest's place), else
 * forgotten.  (A page of another kind that begins with the same byte is
 * kept as well: what is kept is a page's last bytes given, whatever it
 * holds.) */
static void keep_given(defer *d, const void *p, sqlite3_int64 off)
{
    int i = kept(d, off);
    if (!interior(p)) {
        if (i >= 0) d->keep_off[i] = -1;
        return;
    }
    if (!d->keep) {
        if (posix_memalign((void **)&d->keep, 4096, (size_t)N_KEEP * d->page) != 0) {
            d->keep = NULL;
            return; /* none kept: read from the file */
        }
        for (int k = 0; k < N_KEEP; k++) d->keep_off[k] = -1;
    }
    if (i < 0) {
        i = (int)(d->keep_next++ % N_KEEP);
        d->keep_off[i] = off;
    }
    memcpy(d->keep + (size_t)i * d->page, p, d->page);
}

void sqd_forget(defer *d, sqlite3_int64 off, sqlite3_int64 n)
{
    if (!d->keep) return;
    for (int i = 0; i < N_KEEP; i++) {
        sqlite3_int64 k = d->keep_off[i];
        if (k >= 0 && k + (sqlite3_int64)d->page > off && (n < 0 || k < off + n)) d->keep_off[i] = -1;
    }
}

long long sqd_kept_reads(defer *d) { return d->kept_reads; }

int sqd_read(defer *d, void *p, int n, sqlite3_int64 off)
{
    if (!d->page || n <= 0) return SQLITE_NOTFOUND;
    sqlite3_int64 at = off - off % (sqlite3_int64)d->page;
    if (off + n > at + (sqlite3_int64)d->page) return SQLITE_NOTFOUND; /* across pages */
    pthread_mutex_lock(&d->mu);
    int rc = d->rc;
    /* a page still waiting wins over the one being written (it came later) */
    const slot *s = latest(d->wait, d->n_wait, at);
    if (!s) s = latest(d->taken, d->n_taken, at);
    int k = s ? -1 : kept(d, at); /* as new as any slot: every write of it is copied in */
    const char *from = s ? d->mem + (size_t)s->k * d->page : k >= 0 ? d->keep + (size_t)k * d->page : NULL;
    if (rc == SQLITE_OK && from) {
        memcpy(p, from + (size_t)(off - at), (size_t)n);
        d->kept_reads += k >= 0;
    } else if (rc == SQLITE_OK && d->plain) {
        rc = SQLITE_NOTFOUND; /* the thread writes through real */
    } else if (rc == SQLITE_OK) {
        d->reading = 1;
    }
    pthread_mutex_unlock(&d->mu);
    if (rc != SQLITE_OK) return rc;
    return from ? SQLITE_OK : SQLITE_DONE;
}

void sqd_read_end(defer *d)
{
    pthread_mutex_lock(&d->mu);
    d->reading = 0;
    pthread_cond_broadcast(&d->cv);
    pthread_mutex_unlock(&d->mu);
}

int sqd_end(defer *d, long long *pages)
{
    int rc = sqd_drain(d);
    pthread_mutex_lock(&d->mu);
    d->quit = 1;
    pthread_cond_broadcast(&d->cv);
    pthread_mutex_unlock(&d->mu);
    pthread_join(d->th, NULL);
    pthread_cond_destroy(&d->cv);
    pthread_mutex_destroy(&d->mu);
    (void)fcntl(d->fd, F_SETFL, d->fl);
    *pages += d->done;
    free(d->mem);
    free(d->keep);
    free(d);
    return rc;
}

defer *sqd_begin(sqlite3_file *real, int fd)
{
    defer *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->fd = fd;
    d->real = real;
    d->fl = fcntl(fd, F_GETFL);
    if (d->fl < 0 || fcntl(fd, F_SETFL, d->fl | O_DIRECT) != 0) goto fail;
    for (int k = N_SLOTS - 1; k >= 0; k--) d->free_[d->n_free++] = k;
    if (pthread_mutex_init(&d->mu, NULL) != 0) goto fail_fl;
    if (pthread_cond_init(&d->cv, NULL) != 0) goto fail_mu;
    if (pthread_create(&d->th, NULL, write_thread, d) != 0) goto fail_cv;
    return d;
fail_cv:
    pthread_cond_destroy(&d->cv);
fail_mu:
    pthread_mutex_destroy(&d->mu);
fail_fl:
    (void)fcntl(fd, F_SETFL, d->fl);
fail:
    free(d);
    return NULL; /* writes go straight through */
}

long long sqd_pages(defer *d)
{
    pthread_mutex_lock(&d->mu);
    long long n = d->done;
    pthread_mutex_unlock(&d->mu);
    return n;
}

/* Whether a write of N bytes at OFF may wait: whole pages of one size
 * (the first write's), 4 KiB-aligned, as O_DIRECT wants them; any other
 * goes straight through after what waits. */
static int deferrable(defer *d, int n, sqlite3_int64 off)
{
    if (n <= 0 || n % 4096 || off % n) return 0;
    if (!d->page) {
        if (posix_memalign((void **)&d->mem, 4096, (size_t)N_SLOTS * (size_t)n) != 0) {
            d->mem = NULL;
            return 0;
        }
        d->page = (size_t)n;
    }
    return d->mem && (size_t)n == d->page;
}

int sqd_write(defer *d, const void *p, int n, sqlite3_int64 off)
{
    if (!deferrable(d, n, off)) return SQLITE_NOTFOUND;
    pthread_mutex_lock(&d->mu);
    while (!d->n_free && d->rc == SQLITE_OK) pthread_cond_wait(&d->cv, &d->mu);
    int rc = d->rc;
    int k = rc == SQLITE_OK ? d->free_[--d->n_free] : -1;
    pthread_mutex_unlock(&d->mu);
    if (rc != SQLITE_OK) return rc;
    /* the slot is this thread's until it waits */
    memcpy(d->mem + (size_t)k * d->page, p, (size_t)n);
    keep_given(d, p, off);
    pthread_mutex_lock(&d->mu);
    d->wait[d->n_wait++] = (slot){off, d->seq++, k};
    if (d->n_wait >= N_SLOTS / 2) pthread_cond_broadcast(&d->cv);
    pthread_mutex_unlock(&d->mu);
    return SQLITE_OK;
}
