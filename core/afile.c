/* afile.c — see afile.h. */
#include "core/afile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *path_join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (!p) return NULL;
    memcpy(p, dir, a);
    size_t k = a;
    if (a > 0 && dir[a - 1] != '/') p[k++] = '/';
    memcpy(p + k, name, b + 1);
    return p;
}

int mkdir_p(const char *dir, char *err, size_t errlen)
{
    size_t n = strlen(dir);
    char *p = malloc(n + 1);
    if (!p) {
        snprintf(err, errlen, "%s: out of memory", dir);
        return -1;
    }
    memcpy(p, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0') continue;
        char c = p[i];
        p[i] = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "%s: %s", p, strerror(errno));
            free(p);
            return -1;
        }
        p[i] = c;
    }
    free(p);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: not a directory", dir);
        return -1;
    }
    return 0;
}

int afile_open(afile *a, const char *path, char *err, size_t errlen)
{
    memset(a, 0, sizeof *a);
    size_t n = strlen(path);
    a->path = malloc(n + 1);
    a->tmp = malloc(n + 16);
    if (!a->path || !a->tmp) goto oom;
    memcpy(a->path, path, n + 1);
    snprintf(a->tmp, n + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(a->tmp);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        goto fail;
    }
    (void)fchmod(fd, 0644);
    a->fd = fd;
    if (!dsfile_open(&a->ds, fd, AFILE_PLAIN, 1u << 16)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        close(fd);
        unlink(a->tmp);
        goto fail;
    }
    a->f = a->ds.f;
    return 0;
oom:
    snprintf(err, errlen, "%s: out of memory", path);
fail:
    free(a->path);
    free(a->tmp);
    memset(a, 0, sizeof *a);
    return -1;
}

int afile_finish(afile *a, char *err, size_t errlen)
{
    int bad = ferror(a->f);
    int saved = errno;
    a->f = NULL;
    if (dsfile_close(&a->ds) != 0) { /* the stream's last bytes, and its first failure */
        bad = 1;
        saved = errno;
    }
    /* On disk before the rename: a crash of the machine then leaves the
     * old file or the new one, never an empty one; and a late write error
     * (a full disk on NFS) is seen here, not lost. */
    if (!bad && fsync(a->fd) != 0 && errno != EINVAL) {
        bad = 1;
        saved = errno;
    }
    if (close(a->fd) != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    a->fd = -1;
    if (bad) {
        snprintf(err, errlen, "%s: write failed: %s", a->path, strerror(saved ? saved : EIO));
        afile_abort(a);
        return -1;
    }
    return 0;
}

int afile_commit(afile *a, char *err, size_t errlen)
{
    if (afile_finish(a, err, errlen) != 0) return -1;
    if (rename(a->tmp, a->path) != 0) {
        snprintf(err, errlen, "%s: %s", a->path, strerror(errno));
        afile_abort(a);
        return -1;
    }
    free(a->path);
    free(a->tmp);
    memset(a, 0, sizeof *a);
    return 0;
}

void afile_abort(afile *a)
{
    if (a->f) (void)dsfile_close(&a->ds);
    a->f = NULL;
    if (a->path && a->fd >= 0) close(a->fd);
    if (a->tmp) unlink(a->tmp);
    free(a->path);
    free(a->tmp);
    memset(a, 0, sizeof *a);
}

void afile_group_init(afile_group *g) { memset(g, 0, sizeof *g); }

/* Makes room for one more file; 0, or -1 out of memory. */
static int group_grow(afile_group *g)
{
    if (g->n < g->cap) return 0;
    size_t cap = g->cap ? 2 * g->cap : 16;
    char **tmp = realloc(g->tmp, cap * sizeof *tmp);
    if (!tmp) return -1;
    g->tmp = tmp;
    char **path = realloc(g->path, cap * sizeof *path);
    if (!path) return -1;
    g->path = path;
    g->cap = cap;
    return 0;
}

int afile_group_add(afile_group *g, afile *a, char *err, size_t errlen)
{
    if (group_grow(g) != 0) {
        snprintf(err, errlen, "%s: out of memory", a->path);
        afile_abort(a);
        return -1;
    }
    if (afile_finish(a, err, errlen) != 0) return -1;
    g->tmp[g->n] = a->tmp; /* the group owns the names now */
    g->path[g->n++] = a->path;
    memset(a, 0, sizeof *a);
    return 0;
}

int afile_group_add_file(afile_group *g, const char *tmp, const char *path, char *err, size_t errlen)
{
    char *t = group_grow(g) == 0 ? strdup(tmp) : NULL, *p = t ? strdup(path) : NULL;
    if (!p) {
        snprintf(err, errlen, "%s: out of memory", path);
        unlink(tmp);
        free(t);
        return -1;
    }
    g->tmp[g->n] = t;
    g->path[g->n++] = p;
    return 0;
}

/* Removes the temporary files from FROM on and frees G. */
static void group_drop(afile_group *g, size_t from)
{
    for (size_t i = 0; i < g->n; i++) {
        if (i >= from) unlink(g->tmp[i]);
        free(g->tmp[i]);
        free(g->path[i]);
    }
    free(g->tmp);
    free(g->path);
    memset(g, 0, sizeof *g);
}

int afile_group_commit(afile_group *g, char *err, size_t errlen)
{
    /* What would stop a rename halfway is looked for before the first:
     * a directory where a file goes (rename fails with EISDIR), a folder
     * this user may not write (EACCES). */
    for (size_t i = 0; i < g->n; i++) {
        struct stat st;
        int why = lstat(g->path[i], &st) == 0 && S_ISDIR(st.st_mode) ? EISDIR : 0;
        const char *slash = strrchr(g->path[i], '/');
        if (!why && slash) {
            size_t n = (size_t)(slash - g->path[i]);
            char *dir = malloc(n + 2);
            if (dir) {
                memcpy(dir, g->path[i], n ? n : 1);
                dir[n ? n : 1] = '\0';
                if (access(dir, W_OK | X_OK) != 0) why = errno;
                free(dir);
            }
        } else if (!why && access(".", W_OK | X_OK) != 0) {
            why = errno;
        }
        if (why) {
            snprintf(err, errlen, "%s: %s", g->path[i], strerror(why));
            group_drop(g, 0);
            return -1;
        }
    }
    for (size_t i = 0; i < g->n; i++) {
        if (rename(g->tmp[i], g->path[i]) != 0) {
            snprintf(err, errlen, "%s: %s", g->path[i], strerror(errno));
            group_drop(g, i);
            return -1;
        }
    }
    group_drop(g, g->n);
    return 0;
}

void afile_group_abort(afile_group *g) { group_drop(g, 0); }

const char *temp_dir(void)
{
    const char *dir = getenv("TMPDIR");
    return dir && *dir ? dir : "/tmp";
}

int temp_file(const char *tag, char **name)
{
    const char *dir = temp_dir();
    size_t n = strlen(dir) + strlen(tag) + 32;
    char *path = malloc(n);
    if (!path) {
        errno = ENOMEM;
        return -1;
    }
    snprintf(path, n, "%s/cxpulse-%s-XXXXXX", dir, tag);
    int fd = mkstemp(path);
    int err = errno;
    if (fd >= 0 && name) {
        *name = path;
        return fd;
    }
    if (fd >= 0) unlink(path);
    free(path);
    errno = err;
    return fd;
}
