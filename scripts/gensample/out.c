/* out.c — gen-sample's output: one big buffer written in blocks, files
 * written to DIR/name.tmp.PID and renamed into place (stdout for
 * "--out -"), and the one way to fail: a message and exit 1.
 */
#include "gs.h"
#include "out.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

void ob_flush(outbuf_t *o)
{
    if (o->len && !o->err) {
        if (fwrite(o->buf, 1, o->len, o->f) != o->len) o->err = errno ? errno : EIO;
    }
    o->len = 0;
}

void ob_puts(outbuf_t *o, const char *s)
{
    size_t n = strlen(s);
    while (n) {
        char *p = ob_reserve(o);
        size_t k = n < OB_ROOM ? n : OB_ROOM;
        memcpy(p, s, k);
        ob_commit(o, p + k);
        s += k;
        n -= k;
    }
}

char *g_outbuf_mem;

void die(const char *what, const char *why)
{
    fprintf(stderr, PROG ": %s: %s\n", what, why);
    exit(1);
}

void of_open(ofile_t *of, const char *dir, const char *name)
{
    memset(of, 0, sizeof *of);
    of->ob.buf = g_outbuf_mem;
    if (dir == NULL) {
        of->is_stdout = 1;
        of->ob.f = stdout;
        snprintf(of->path, sizeof of->path, "<stdout>");
        return;
    }
    int n = snprintf(of->path, sizeof of->path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof of->path) die(dir, "path too long");
    n = snprintf(of->tmp, sizeof of->tmp, "%s.tmp.%ld", of->path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof of->tmp) die(dir, "path too long");
    of->ob.f = fopen(of->tmp, "wb");
    if (!of->ob.f) die(of->tmp, strerror(errno));
}

void of_close(ofile_t *of)
{
    ob_flush(&of->ob);
    int err = of->ob.err;
    if (of->is_stdout) {
        if (fflush(stdout) != 0 && !err) err = errno ? errno : EIO;
        if (err) die("<stdout>", strerror(err));
        return;
    }
    if (fclose(of->ob.f) != 0 && !err) err = errno ? errno : EIO;
    if (err) {
        unlink(of->tmp);
        die(of->path, strerror(err));
    }
    if (rename(of->tmp, of->path) != 0) {
        int e = errno;
        unlink(of->tmp);
        die(of->path, strerror(e));
    }
}

void mkdir_p(const char *dir)
{
    char buf[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof buf) die(dir, "bad directory name");
    memcpy(buf, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST) die(buf, strerror(errno));
            buf[i] = c;
        }
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) die(dir, "not a directory");
}
