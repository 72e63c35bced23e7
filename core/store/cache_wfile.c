/* cache_wfile.c — the analysis cache's file as a writer (cache.h) makes
 * it: a new one written to PATH.tmp, locked against another builder, and
 * renamed over PATH when whole (cache_create, cache_commit); or PATH
 * itself opened to take blocks after its last (cache_append), its head
 * written anew when whole; and either put back as it was (cache_discard).
 * The blocks themselves: cache_write.c. */
#include "core/store/cache_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Opens W->tmp for writing, locked, emptied.  One builder at a time: a
 * file another process holds locked is left to it (-1, "under way").  The
 * lock is taken on what the name points to now: a file renamed into place
 * or removed by the builder that held it before is not touched. */
static int open_locked(cache_writer *w, char *err, size_t errlen)
{
    struct flock lk;
    struct stat a, b;
    memset(&lk, 0, sizeof lk);
    lk.l_type = F_WRLCK;
    lk.l_whence = SEEK_SET;
    w->fd = open(w->tmp, O_RDWR | O_CREAT | O_CLOEXEC, 0644); /* read: core/dstream.c */
    if (w->fd < 0) {
        snprintf(err, errlen, "cache: %s: %s", w->tmp, strerror(errno));
        return -1;
    }
    if (fcntl(w->fd, F_SETLK, &lk) != 0) {
        snprintf(err, errlen, "cache: %s: another build is under way", w->tmp);
        return -1;
    }
    if (fstat(w->fd, &a) != 0 || stat(w->tmp, &b) != 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
        snprintf(err, errlen, "cache: %s: moved while it was opened", w->tmp);
        return -1;
    }
    if (ftruncate(w->fd, 0) != 0) {
        snprintf(err, errlen, "cache: %s: %s", w->tmp, strerror(errno));
        return -1;
    }
    return 0;
}

/* GEN into the head, the rest of its field zeroed: the file's bytes are
 * a function of the generation, whatever the field held before (a longer
 * generation's tail would follow the NUL, and two caches of one store
 * state would differ). */
static void head_gen(cache_head *h, const char *gen)
{
    memset(h->gen, 0, sizeof h->gen);
    snprintf(h->gen, sizeof h->gen, "%s", gen);
}

cache_writer *cache_create(const char *path, const char *id, const char *gen, char *err, size_t errlen)
{
    cache_writer *w = calloc(1, sizeof *w);
    size_t n = strlen(path) + 8;
    if (w) {
        w->fd = w->lock_fd = -1;
        w->kept = CACHE_WRITER_KEPT;
    }
    if (!w || !(w->path = strdup(path)) || !(w->tmp = malloc(n))) {
        snprintf(err, errlen, "cache: out of memory");
        goto fail;
    }
    snprintf(w->tmp, n, "%s.tmp", path);
    if (open_locked(w, err, errlen) != 0) goto fail;
    memcpy(w->head.magic, CACHE_MAGIC, sizeof w->head.magic);
    w->head.version = CACHE_VERSION;
    w->head.endian = CACHE_ENDIAN;
    snprintf(w->head.id, sizeof w->head.id, "%s", id);
    head_gen(&w->head, gen);
    w->at = (long long)CACHE_HEAD;
    /* a new file, written front to back: past the page cache (cache_write.c
     * put_block; refused, or out of memory: through it) */
    if (dstream_open(&w->ds, w->fd, w->tmp, w->at) == 0) w->ds_on = 1;
    return w;
fail:
    if (w) {
        if (w->fd >= 0) close(w->fd);
        free(w->path);
        free(w->tmp);
        free(w);
    }
    return NULL;
}

void cache_writer_free(cache_writer *w)
{
    if (w->ds_on) dstream_close(&w->ds);
    if (w->fd >= 0) close(w->fd);
    if (w->lock_fd >= 0) close(w->lock_fd);
    for (int c = 0; c < CC_FIRST_TEXT; c++) free(w->fixed[c].p);
    for (int c = 0; c < N_TEXT; c++) {
        free(w->text[c].data.p);
        free(w->text[c].off);
        free(w->text[c].code);
        free(w->text[c].slot);
        free(w->memo[c]);
    }
    for (int i = 0; i < CACHE_WRITER_KEPT; i++) free(w->outs[i].p);
    free(w->narrow.p);
    free(w->path);
    free(w->tmp);
    free(w);
}

cache_writer *cache_append(const char *path, const char *id, const char *gen, char *err, size_t errlen)
{
    cache_writer *w = cache_create(path, id, gen, err, errlen); /* PATH.tmp made and locked */
    if (!w) return NULL;
    if (w->ds_on) { /* PATH.tmp only locks; PATH is read while it grows: through the page cache */
        dstream_close(&w->ds);
        w->ds_on = 0;
    }
    w->lock_fd = w->fd;
    cache_head blank;
    if ((w->fd = open(path, O_RDWR | O_CLOEXEC)) < 0 ||
        file_pread_all(w->fd, &w->old_head, sizeof w->old_head, 0) != 0) {
        snprintf(err, errlen, "cache: %s: %s", path, strerror(errno ? errno : EIO));
        goto fail;
    }
    const char *why;
    if (cache_head_check(&w->old_head, id, &why) != 1) {
        snprintf(err, errlen, "cache: %s: not this store's cache", path);
        goto fail;
    }
    struct stat st;
    long long at, last_at;
    cache_bhead last;
    if (fstat(w->fd, &st) != 0 ||
        cache_walk_heads(w->fd, w->old_head.blocks, (long long)st.st_size, &at, &last, &last_at) != 0) {
        snprintf(err, errlen, "cache: %s: damaged (a block head does not read)", path);
        goto fail;
    }
    w->base_at = w->at = at;
    w->head = w->old_head;
    w->append = 1; /* from here cache_discard puts the file back as it was */
    /* while blocks are added the head names no generation: a reader takes
     * the file for another generation's, and a run killed meanwhile leaves
     * a cache that is rebuilt, never one that is read */
    blank = w->old_head;
    memset(blank.gen, 0, sizeof blank.gen);
    blank.hash = cache_hash(&blank, offsetof(cache_head, hash));
    if (file_pwrite_all(w->fd, &blank, sizeof blank, 0) != 0 || ftruncate(w->fd, at) != 0) {
        snprintf(err, errlen, "cache: %s: %s", path, strerror(errno ? errno : EIO));
        goto fail;
    }
    head_gen(&w->head, gen);
    return w;
fail:
    cache_discard(w); /* before append is set: the lock file removed, PATH untouched */
    return NULL;
}

void cache_set_mark(cache_writer *w, long long mark) { w->head.mark = mark >= 0 ? (uint64_t)mark + 1 : 0; }

void cache_set_gen(cache_writer *w, const char *gen) { head_gen(&w->head, gen); }

int cache_commit_as(cache_writer *w, const char *path, char *err, size_t errlen)
{
    char *p = w->append ? NULL : strdup(path);
    if (!p) {
        snprintf(err, errlen, "cache: %s: %s", path,
                 w->append ? "an appended cache stays where it is" : "out of memory");
        cache_discard(w);
        return -1;
    }
    free(w->path);
    w->path = p;
    return cache_commit(w, err, errlen);
}

int cache_commit(cache_writer *w, char *err, size_t errlen)
{
    w->defer = 0;
    if (w->due[0].due || w->due[1].due) {
        snprintf(err, errlen, "cache: %s: a block was not written", w->tmp);
        goto fail;
    }
    if (cache_end_stream(w) != 0) {
        snprintf(err, errlen, "cache: %s: %s", w->tmp, strerror(errno ? errno : EIO));
        goto fail;
    }
    if (cache_flush_block(w, err, errlen) != 0) goto fail;
    w->head.hash = cache_hash(&w->head, offsetof(cache_head, hash));
    if (file_pwrite_all(w->fd, &w->head, sizeof w->head, 0) != 0) {
        snprintf(err, errlen, "cache: %s: %s", w->tmp, strerror(errno ? errno : EIO));
        goto fail;
    }
    if (w->append) { /* whole: the lock file goes, before the lock with it */
        unlink(w->tmp);
        int rc = close(w->fd);
        w->fd = -1;
        cache_writer_free(w);
        return rc == 0 ? 0 : -1;
    }
    if (rename(w->tmp, w->path) != 0) { /* still locked: no other builder opened it meanwhile */
        snprintf(err, errlen, "cache: %s: %s", w->path, strerror(errno));
        goto fail;
    }
    int rc = close(w->fd);
    w->fd = -1;
    cache_writer_free(w);
    return rc == 0 ? 0 : -1;
fail:
    cache_discard(w);
    return -1;
}

void cache_discard(cache_writer *w)
{
    if (!w) return;
    if (w->append && w->fd >= 0) { /* the file as it was: its blocks, then its head */
        if (ftruncate(w->fd, w->base_at) == 0) file_pwrite_all(w->fd, &w->old_head, sizeof w->old_head, 0);
    }
    unlink(w->tmp); /* before the lock goes with the close */
    cache_writer_free(w);
}
