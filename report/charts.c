/* charts.c — see charts.h.  gnuplot is spawned with fork/execvp inside the
 * charts directory, on a script file the program wrote from fixed text;
 * data reach gnuplot only through .dat files. */
#include "report/charts.h"
#include "core/afile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct charts {
    char *dir;
    int enabled;
    charts_warn_fn warn;
    void *warn_ctx;
    char **drawn;            /* names charts_plot drew */
    size_t n_drawn;
};

static void warn(const charts *c, const char *fmt, const char *arg)
{
    char msg[1024];
    if (!c->warn) return;
    snprintf(msg, sizeof msg, fmt, arg);
    c->warn(c->warn_ctx, msg);
}

/* 1 when an executable named NAME is on PATH. */
static int on_path(const char *name)
{
    const char *path = getenv("PATH");
    if (!path) return 0;
    while (*path) {
        const char *c = strchr(path, ':');
        size_t n = c ? (size_t)(c - path) : strlen(path);
        char buf[4096];
        if (n > 0 && n + strlen(name) + 2 < sizeof buf) {
            memcpy(buf, path, n);
            buf[n] = '/';
            memcpy(buf + n + 1, name, strlen(name) + 1);
            if (access(buf, X_OK) == 0) return 1;
        }
        path += n + (c != NULL);
    }
    return 0;
}

charts *charts_new(const char *outdir, charts_warn_fn warn_fn, void *ctx)
{
    charts *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->warn = warn_fn;
    c->warn_ctx = ctx;
    c->dir = path_join(outdir, "charts");
    char err[512];
    if (!c->dir || mkdir_p(c->dir, err, sizeof err) != 0) {
        if (c->dir) warn(c, "charts: %s", err);
        return c;
    }
    c->enabled = on_path("gnuplot");
    if (!c->enabled)
        warn(c, "%s", "charts: gnuplot not found; writing the CSV files and the HTML page without charts");
    return c;
}

void charts_free(charts *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n_drawn; i++) free(c->drawn[i]);
    free(c->drawn);
    free(c->dir);
    free(c);
}

int charts_enabled(const charts *c) { return c && c->enabled; }

static char *file_in_dir(const charts *c, const char *name, const char *ext)
{
    size_t n = strlen(name) + strlen(ext) + 1;
    char *base = malloc(n);
    if (!base) return NULL;
    snprintf(base, n, "%s%s", name, ext);
    char *p = path_join(c->dir, base);
    free(base);
    return p;
}

FILE *charts_data(charts *c, const char *name)
{
    if (!charts_enabled(c)) return NULL;
    char *p = file_in_dir(c, name, ".dat");
    FILE *f = p ? fopen(p, "w") : NULL;
    free(p);
    return f;
}

int charts_data_close(charts *c, FILE *f)
{
    (void)c;
    int bad = ferror(f);
    return (fclose(f) != 0 || bad) ? -1 : 0;
}

void charts_label(FILE *f, const char *s)
{
    if (!s || !*s) { fputc('-', f); return; }
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        fputc(ch < 0x20 || ch == 0x7f ? ' ' : ch == '"' ? '\'' : ch, f);
    }
}

static int run_gnuplot(const charts *c, const char *script)
{
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) { dup2(null, STDOUT_FILENO); dup2(null, STDERR_FILENO); }
        if (chdir(c->dir) != 0) _exit(127);
        char *const argv[] = {"gnuplot", (char *)script, NULL};
        execvp("gnuplot", argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* 1 when charts/NAME+EXT is a whole file of its kind: gnuplot may exit 0
 * after a failed write (disk full, ulimit -f), so the end is checked (an
 * SVG ends with </svg>, a PNG with its IEND chunk). */
static int complete(const charts *c, const char *name, const char *ext)
{
    static const unsigned char iend[8] = {'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};
    char *p = file_in_dir(c, name, ext);
    FILE *f = p ? fopen(p, "rb") : NULL;
    unsigned char tail[16];
    size_t n = 0;
    if (f && fseek(f, -(long)sizeof tail, SEEK_END) == 0) n = fread(tail, 1, sizeof tail, f);
    if (f) fclose(f);
    free(p);
    if (n != sizeof tail) return 0;
    if (strstr(ext, ".png")) return memcmp(tail + sizeof tail - 8, iend, 8) == 0;
    for (size_t i = 0; i + 6 <= n; i++)
        if (memcmp(tail + i, "</svg>", 6) == 0) return 1;
    return 0;
}

/* Renames charts/NAME+EXT.tmp to charts/NAME+EXT (or removes it when !OK). */
static int settle(const charts *c, const char *name, const char *ext, int ok)
{
    char tmp_ext[16];
    snprintf(tmp_ext, sizeof tmp_ext, "%s.tmp", ext);
    char *tmp = file_in_dir(c, name, tmp_ext), *dst = file_in_dir(c, name, ext);
    int rc = tmp && dst && ok && rename(tmp, dst) == 0 ? 0 : -1;
    if (rc != 0 && tmp) unlink(tmp);
    free(tmp);
    free(dst);
    return rc;
}

/* gnuplot draws into NAME.svg.tmp and NAME.png.tmp; both are renamed into
 * place only when complete, so a failed run leaves the old chart whole. */
int charts_plot(charts *c, const char *name, int w, int h, const char *body)
{
    if (!charts_enabled(c)) return 0;
    char *gp = file_in_dir(c, name, ".gp");
    FILE *f = gp ? fopen(gp, "w") : NULL;
    if (!f) { free(gp); return 0; }
    fprintf(f, "set terminal svg size %d,%d dynamic noenhanced font 'sans,11' background rgb 'white'\n"
               "set output '%s.svg.tmp'\nset datafile separator '\\t'\n"
               "set border lc rgb '#555555'\nset grid lc rgb '#dddddd'\n%s\n"
               "set terminal pngcairo size %d,%d noenhanced font 'sans,10' background rgb 'white'\n"
               "set output '%s.png.tmp'\nreplot\nunset output\n",
            w, h, name, body, w, h, name);
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    char script[256];
    snprintf(script, sizeof script, "%s.gp", name);
    int ok = !bad && run_gnuplot(c, script) == 0 && complete(c, name, ".svg.tmp") &&
             complete(c, name, ".png.tmp");
    ok = settle(c, name, ".svg", ok) == 0 && ok;
    ok = settle(c, name, ".png", ok) == 0 && ok;
    free(gp);
    if (!ok) warn(c, "charts: gnuplot could not draw %s", name);
    if (ok) {
        char **d = realloc(c->drawn, (c->n_drawn + 1) * sizeof *d);
        if (d) {
            c->drawn = d;
            if ((d[c->n_drawn] = strdup(name))) c->n_drawn++;
        }
    }
    return ok;
}

int charts_drawn(const charts *c, const char *name)
{
    for (size_t i = 0; c && i < c->n_drawn; i++)
        if (strcmp(c->drawn[i], name) == 0) return 1;
    return 0;
}
