/* rahead.c — reads of one file done ahead on a thread of their own
 * (rahead.h): a queue, first in first out.
 *
 * Past the page cache each read is a request to the disk, and on a
 * virtual machine each request handed to the device costs an exit to the
 * host: 51,200 reads of 20 KB one at a time took 1.5 s of system time
 * where the same reads handed over 8 at a time took 0.3 s (io_submit:
 * the block layer passes a batch to the device at once).  So where the
 * file is read with O_DIRECT and the kernel has native AIO, a reader that
 * gathers its requests (GATHER > 1) has the thread wait until that many
 * are queued, unless a reader waits for one of them, and submit what is
 * queued (up to RA_BATCH) in one call: the merge of sorted runs can
 * afford the wait (a piece is asked for long before it is needed).  A
 * reader of GATHER 1 has each request read at once by dio_pread.
 * Anything AIO does not read whole (a short read at the file's end, a
 * refusal) is read again with dio_pread, so a request's bytes are those
 * of one dio_pread either way.
 */
#define _GNU_SOURCE /* O_DIRECT */
#include "core/rahead.h"

#include "core/dio.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define RA_BATCH 32

struct rahead {
    int fd, dfd;       /* dfd: O_DIRECT, else -1 */
    int gather;        /* requests queued before the thread reads them */
    aio_context_t aio; /* 0: none (no O_DIRECT, or refused): dio_pread */
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;   /* the thread: enough queued, a reader waits, or quit */
    pthread_cond_t done; /* readers: a request done */
    ra_req *head, *tail;
    int queued, waiting, quit;
};

/* The thread has work: GATHER requests queued, or one while a reader waits. */
static int ready(const rahead *ra) { return ra->head && (ra->queued >= ra->gather || ra->waiting > 0); }

/* AIO's reads of B's N requests, submitted at once: WHOLE[i] set for
 * each read whole.  Should the end of a submitted read not be learnt, the
 * context is destroyed (which waits for its reads) and AIO no longer
 * used: the requests not read whole are then read by dio_pread. */
static void aio_batch(rahead *ra, ra_req **b, int n, int whole[])
{
    struct iocb cb[RA_BATCH], *cbs[RA_BATCH];
    for (int i = 0; i < n; i++) {
        memset(&cb[i], 0, sizeof cb[i]);
        cb[i].aio_data = (uint64_t)i;
        cb[i].aio_lio_opcode = IOCB_CMD_PREAD;
        cb[i].aio_fildes = (uint32_t)ra->dfd;
        cb[i].aio_buf = (uint64_t)(uintptr_t)b[i]->buf;
        cb[i].aio_nbytes = b[i]->cap;
        cb[i].aio_offset = b[i]->at;
        cbs[i] = &cb[i];
    }
    long left = syscall(SYS_io_submit, ra->aio, (long)n, cbs); /* -1 or fewer: the rest read plainly */
    while (left > 0) {
        struct io_event ev[RA_BATCH];
        long k = syscall(SYS_io_getevents, ra->aio, 1L, left, ev, NULL);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            syscall(SYS_io_destroy, ra->aio);
            ra->aio = 0;
            return;
        }
        for (long j = 0; j < k; j++) {
            int i = (int)ev[j].data;
            if (ev[j].res == (long long)b[i]->cap) whole[i] = 1;
        }
        left -= k;
    }
}

/* B's N requests read, their got or err set: OK[i] 1 read, 0 failed. */
static void read_batch(rahead *ra, ra_req **b, int n, int ok[])
{
    int whole[RA_BATCH] = {0};
    if (ra->aio && ra->dfd >= 0) aio_batch(ra, b, n, whole);
    for (int i = 0; i < n; i++) {
        long long got =
            whole[i] ? (long long)b[i]->cap : dio_pread(&ra->dfd, ra->fd, b[i]->buf, b[i]->cap, b[i]->at);
        ok[i] = got >= 0;
        if (got >= 0) b[i]->got = (size_t)got;
        else b[i]->err = errno;
    }
}

static void *reader(void *arg)
{
    rahead *ra = arg;
    pthread_mutex_lock(&ra->mu);
    for (;;) {
        while (!ready(ra) && !ra->quit) pthread_cond_wait(&ra->cv, &ra->mu);
        if (ra->quit) break;
        /* through AIO, what is queued in one submission; else one read,
         * done as soon as it is read */
        ra_req *b[RA_BATCH];
        int n = 0, ok[RA_BATCH], most = ra->aio ? RA_BATCH : 1;
        while (ra->head && n < most) {
            b[n++] = ra->head;
            ra->head = ra->head->next;
            ra->queued--;
        }
        if (!ra->head) ra->tail = NULL;
        pthread_mutex_unlock(&ra->mu);
        read_batch(ra, b, n, ok);
        pthread_mutex_lock(&ra->mu);
        for (int i = 0; i < n; i++) b[i]->state = ok[i] ? RA_DONE : RA_FAILED;
        pthread_cond_broadcast(&ra->done);
    }
    for (ra_req *r = ra->head; r; r = r->next) r->state = RA_IDLE; /* dropped */
    ra->head = ra->tail = NULL;
    ra->queued = 0;
    pthread_mutex_unlock(&ra->mu);
    return NULL;
}

rahead *ra_start(int fd, const char *path, int gather)
{
    rahead *ra = calloc(1, sizeof *ra);
    if (!ra) return NULL;
    ra->fd = fd;
    ra->gather = gather < 1 ? 1 : gather > RA_BATCH ? RA_BATCH : gather;
    ra->dfd = path ? dio_reopen(fd, path, O_RDONLY) : -1;
    /* AIO for a reader that gathers its requests; one that reads each at
     * once (the cache's windows) reads as before */
    if (ra->gather > 1 && ra->dfd >= 0 && syscall(SYS_io_setup, (long)RA_BATCH, &ra->aio) != 0)
        ra->aio = 0; /* refused: dio_pread */
    if (pthread_mutex_init(&ra->mu, NULL) != 0) goto fail;
    if (pthread_cond_init(&ra->cv, NULL) != 0) goto fail_mu;
    if (pthread_cond_init(&ra->done, NULL) != 0) goto fail_cv;
    if (pthread_create(&ra->th, NULL, reader, ra) != 0) goto fail_done;
    return ra;
fail_done:
    pthread_cond_destroy(&ra->done);
fail_cv:
    pthread_cond_destroy(&ra->cv);
fail_mu:
    pthread_mutex_destroy(&ra->mu);
fail:
    if (ra->aio) syscall(SYS_io_destroy, ra->aio);
    if (ra->dfd >= 0) close(ra->dfd);
    free(ra);
    return NULL;
}

void ra_submit(rahead *ra, ra_req *r, long long at)
{
    pthread_mutex_lock(&ra->mu);
    r->at = at;
    r->got = 0;
    r->err = 0;
    r->state = RA_QUEUED;
    r->next = NULL;
    if (ra->tail) ra->tail->next = r;
    else ra->head = r;
    ra->tail = r;
    ra->queued++;
    if (ready(ra)) pthread_cond_signal(&ra->cv);
    pthread_mutex_unlock(&ra->mu);
}

int ra_wait(rahead *ra, ra_req *r)
{
    pthread_mutex_lock(&ra->mu);
    if (r->state == RA_QUEUED) {
        ra->waiting++;
        pthread_cond_signal(&ra->cv); /* read now what is queued, this one among it */
        while (r->state == RA_QUEUED) pthread_cond_wait(&ra->done, &ra->mu);
        ra->waiting--;
    }
    int st = r->state, e = r->err;
    pthread_mutex_unlock(&ra->mu);
    if (st == RA_DONE) return 0;
    errno = st == RA_FAILED ? e : EINVAL; /* RA_IDLE: never queued */
    return -1;
}

void ra_stop(rahead *ra)
{
    if (!ra) return;
    pthread_mutex_lock(&ra->mu);
    ra->quit = 1;
    pthread_cond_signal(&ra->cv);
    pthread_mutex_unlock(&ra->mu);
    pthread_join(ra->th, NULL); /* after the batch under way, read whole */
    pthread_cond_destroy(&ra->done);
    pthread_cond_destroy(&ra->cv);
    pthread_mutex_destroy(&ra->mu);
    if (ra->aio) syscall(SYS_io_destroy, ra->aio);
    if (ra->dfd >= 0) close(ra->dfd);
    free(ra);
}
