/* import_again.c — a file imported again: its fingerprint (the file's
 * digest and the settings it was read with), the store's note of it and,
 * when the store holds it unchanged, the answer from that note
 * (import_int.h; docs/performance.md, "Import into the store"). */
#include "ingest/import_int.h"
#include "core/log.h"

#include <stdio.h>
#include <string.h>

/* The line saying how the file's rows read, for its fingerprint
 * (import_digest.h): 0, or -1 when the file gets none (not responses, or
 * standard input). */
static int digest_settings(importer *im)
{
#ifndef CX_VERSION
#define CX_VERSION "dev"
#endif
    if (im->o->kind != IMPORT_RESPONSES || strcmp(im->o->path, "-") == 0) return -1;
    int n =
        snprintf(im->settings, sizeof im->settings,
                 "cxpulse %s responses; source %s%s; format %d; moments %d..%d", CX_VERSION, im->source,
                 im->o->source ? " (given)" : "", (int)im->o->format, im->cfg->moment_lo, im->cfg->moment_hi);
    return n > 0 && (size_t)n < sizeof im->settings ? 0 : -1;
}

static int replay_reject(const char *source, const char *where, const char *reason, const char *raw,
                         size_t raw_len, void *ctx)
{
    const importer *im = ctx;
    (void)source, (void)raw, (void)raw_len;
    if (im->o->on_reject) im->o->on_reject(where, reason, im->o->ctx);
    return 0;
}

/* The file as it was imported into the store as it is now (the store's
 * note, store_import_seen_get): what reading it again would find, and
 * its rejects written again, without reading a row.  1 done, 0 not
 * noted, -1 on error. */
int import_again(importer *im, long long *forgot)
{
    store_import_seen v;
    if (digest_settings(im) != 0) return 0;
    /* The file's digest is read here when the store has a note of it;
     * else on a thread of its own from the bytes the rows are read from
     * (the reader's tap: the file read once), or, when the reader cannot
     * hand them all over, from the file while the rows are read. */
    int rc = store_import_seen_get(im->s, im->source, im->o->path, NULL, &v);
    if (rc == 0) {
        if (import_digest_fed(&im->job, csv_reader_fd(im->rd), im->settings, im->digest, &im->digest_st) ==
            0) {
            if (csv_reader_tap(im->rd, import_digest_feed, &im->job) == 0) return 0;
            import_digest_feed(&im->job, NULL, 0);
            (void)import_digest_wait(&im->job);
        }
        if (import_digest_start(&im->job, im->o->path, im->settings, im->digest, &im->digest_st) != 0)
            im->digested = import_digest(im->o->path, im->settings, im->digest, &im->digest_st) == 0;
        return 0;
    }
    if (rc < 0) return rc;
    im->digested = import_digest(im->o->path, im->settings, im->digest, &im->digest_st) == 0;
    rc = im->digested ? store_import_seen_get(im->s, im->source, im->o->path, im->digest, &v) : 0;
    if (rc != 1) return rc;
    long long n = store_rejects_again(im->s, im->source, im->o->path, replay_reject, im);
    if (n < 0) return -1;
    *forgot = n;
    im->st.rows = v.rows;
    im->st.inserted = 0;
    im->st.replaced = 0;
    im->st.unchanged = v.unchanged;
    im->st.ignored = v.ignored;
    im->st.rejected = v.rejected;
    im->held = v.held;
    snprintf(im->held_by, sizeof im->held_by, "%s", v.held_by);
    if (im->o->progress) {
        char phase[300], count[48];
        double size = (double)im->digest_st.st_size;
        snprintf(phase, sizeof phase, "reading %.250s", im->o->path);
        snprintf(count, sizeof count, "%lld rows", v.rows);
        cx_progress_say(im->o->progress, phase, size, size, count);
    }
    return 1;
}

/* After the bulk: the store notes the file and what importing it again
 * would report; or drops its note when the file changed while it was read
 * or its digest could not be read. */
int import_note(importer *im)
{
    if (im->job.thread) im->digested = import_digest_wait(&im->job) == 0;
    if (digest_settings(im) != 0) return 0;
    int known = im->digested && import_digest_same(im->o->path, &im->digest_st);
    store_import_seen v;
    memset(&v, 0, sizeof v);
    v.rows = im->st.rows;
    v.unchanged =
        im->st.inserted + im->st.replaced + im->st.unchanged; /* loaded, or equal to what is stored */
    v.ignored = im->st.ignored;
    v.rejected = im->st.rejected;
    v.held = im->held;
    snprintf(v.held_by, sizeof v.held_by, "%s", im->held_by);
    return store_import_seen_put(im->s, im->source, im->o->path, known ? im->digest : NULL, &v);
}
