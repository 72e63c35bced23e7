/* rahead.c — reads of one file done ahead on a thread of their own
 * (rahead.h): a queue, first in first out, one read at a time.
 */
#define _GNU_SOURCE /* O_DIRECT */
#include "core/rahead.h"

#include "core/dio.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct rahead {
    int fd, dfd; /* dfd: O_DIRECT, else -1 */
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;   /* the thread: a request queued, or quit */
    pthread_cond_t done; /* readers: a request done */
    ra_req *head, *tail;
    int quit;
};

static void *reader(void *arg)
{
    rahead *ra = arg;
    pthread_mutex_lock(&ra->mu);
    for (;;) {
        while (!ra->head && !ra->quit) pthread_cond_wait(&ra->cv, &ra->mu);
        if (ra->quit) break;
        ra_req *r = ra->head;
        ra->head = r->next;
        if (!ra->head) ra->tail = NULL;
        pthread_mutex_unlock(&ra->mu);
        long long got = dio_pread(&ra->dfd, ra->fd, r->buf, r->cap, r->at);
        int e = errno;
        pthread_mutex_lock(&ra->mu);
        if (got < 0) {
            r->err = e;
            r->state = RA_FAILED;
        } else {
            r->got = (size_t)got;
            r->state = RA_DONE;
        }
        pthread_cond_broadcast(&ra->done);
    }
    for (ra_req *r = ra->head; r; r = r->next) r->state = RA_IDLE; /* dropped */
    ra->head = ra->tail = NULL;
    pthread_mutex_unlock(&ra->mu);
    return NULL;
}

rahead *ra_start(int fd, const char *path)
{
    rahead *ra = calloc(1, sizeof *ra);
    if (!ra) return NULL;
    ra->fd = fd;
    ra->dfd = path ? dio_reopen(fd, path, O_RDONLY) : -1;
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
    pthread_cond_signal(&ra->cv);
    pthread_mutex_unlock(&ra->mu);
}

int ra_wait(rahead *ra, ra_req *r)
{
    pthread_mutex_lock(&ra->mu);
    while (r->state == RA_QUEUED) pthread_cond_wait(&ra->done, &ra->mu);
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
    pthread_join(ra->th, NULL);
    pthread_cond_destroy(&ra->done);
    pthread_cond_destroy(&ra->cv);
    pthread_mutex_destroy(&ra->mu);
    if (ra->dfd >= 0) close(ra->dfd);
    free(ra);
}
