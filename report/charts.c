/* charts.c — see charts.h.  gnuplot is spawned with fork/execvp on a script
 * file the program wrote from fixed text; data reach gnuplot only through
 * .dat files.
 *
 * Nothing is written through a name someone else could have planted in
 * the output folder (a symlink to another file, a FIFO): every file is
 * made in a private directory (mkdtemp, mode 0700) inside charts/, where
 * gnuplot runs too, and renamed into charts/ when done; rename replaces a
 * planted name, it never writes through it.  charts/ itself must be a
 * real directory, not a symlink. */
#include "report/charts.h"
#include "core/afile.h"
#include "core/csv.h"
#include "core/timeparse.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct charts {
    char *dir;
    char *work; /* private directory inside dir: every file is made here */
    int failed; /* charts gnuplot could not draw */
    int enabled;
    charts_warn_fn warn;
    void *warn_ctx;
    char **drawn; /* names charts_plot drew */
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
        /* charts/ a regular file, a broken symlink, not writable: no
         * chart drawn, which the run's exit says, as for a symlink */
        if (c->dir) warn(c, "charts: %s: no charts drawn", err);
        c->failed++;
        return c;
    }
    struct stat st;
    if (lstat(c->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        warn(c, "charts: %s is not a directory (a symlink?): no charts drawn", c->dir);
        c->failed++;
        return c;
    }
    c->enabled = on_path("gnuplot");
    if (!c->enabled) {
        warn(c, "%s", "charts: gnuplot not found; writing the CSV files and the HTML page without charts");
        return c;
    }
    char *work = path_join(c->dir, ".work-XXXXXX");
    if (!work || !mkdtemp(work)) {
        warn(c, "charts: cannot make a working directory in %s", c->dir);
        free(work);
        c->enabled = 0;
        c->failed++;
        return c;
    }
    c->work = work;
    return c;
}

/* Moves what the work directory holds (the .dat and .gp files) into
 * charts/ and removes it. */
static void work_done(charts *c)
{
    DIR *d = opendir(c->work);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char *from = path_join(c->work, e->d_name), *to = path_join(c->dir, e->d_name);
        if (from && (!to || rename(from, to) != 0)) unlink(from);
        free(from);
        free(to);
    }
    if (d) closedir(d);
    rmdir(c->work);
}

int charts_failed(const charts *c) { return c ? c->failed : 0; }

void charts_free(charts *c)
{
    if (!c) return;
    if (c->work) work_done(c);
    free(c->work);
    for (size_t i = 0; i < c->n_drawn; i++) free(c->drawn[i]);
    free(c->drawn);
    free(c->dir);
    free(c);
}

int charts_enabled(const charts *c) { return c && c->enabled; }

/* DIR/NAME+EXT, malloc'd. */
static char *file_in(const char *dir, const char *name, const char *ext)
{
    size_t n = strlen(name) + strlen(ext) + 1;
    char *base = malloc(n);
    if (!base) return NULL;
    snprintf(base, n, "%s%s", name, ext);
    char *p = path_join(dir, base);
    free(base);
    return p;
}

static char *file_in_dir(const charts *c, const char *name, const char *ext)
{
    return file_in(c->work, name, ext);
}

/* A new file in the work directory: exclusive, never through a symlink. */
static FILE *create_new(const char *path)
{
    unlink(path); /* the same chart drawn twice: only the program writes here */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (fd >= 0 && !f) close(fd);
    return f;
}

FILE *charts_data(charts *c, const char *name)
{
    if (!charts_enabled(c)) return NULL;
    char *p = file_in_dir(c, name, ".dat");
    FILE *f = p ? create_new(p) : NULL;
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
    if (!s || !*s) {
        fputc('-', f);
        return;
    }
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        /* U+202A-U+202E, U+2066-U+2069 (bidi embeddings, overrides,
         * isolates) become U+FFFD: a label cannot turn text around */
        if (utf8_bidi_control(s)) {
            fputs("\xEF\xBF\xBD", f);
            s += 2;
            continue;
        }
        /* gnuplot reads a string field of a data file with C-like
         * escapes (\n, \t, \101, \\; a lone backslash is dropped): a
         * backslash is written doubled, so "CORP\nancy" is drawn as it
         * is.  The terminals are noenhanced, so ^ _ @ & { } ~ are drawn
         * as they are too. */
        if (ch == '\\') fputc('\\', f);
        fputc(ch < 0x20 || ch == 0x7f ? ' ' : ch == '"' ? '\'' : ch, f);
    }
}

/* Bytes of the UTF-8 character at S (a lead byte and at most three
 * continuation bytes; a stray byte is a character of its own). */
static size_t char_len(const char *s)
{
    size_t n = 1;
    while (n < 4 && ((unsigned char)s[n] & 0xC0) == 0x80) n++;
    return n;
}

size_t charts_label_fit(FILE *f, const char *s)
{
    size_t chars = 0, cut = 0;
    for (const char *p = s ? s : ""; *p; p += char_len(p))
        if (++chars == CHARTS_LABEL_CHARS) cut = (size_t)(p - s);
    if (chars <= CHARTS_LABEL_CHARS) {
        charts_label(f, s);
        return chars ? chars : 1; /* "-" */
    }
    char buf[4 * CHARTS_LABEL_CHARS + 4];
    while (cut > 0 && s[cut - 1] == ' ') cut--;
    memcpy(buf, s, cut);
    memcpy(buf + cut, "\xE2\x80\xA6", 4);
    charts_label(f, buf);
    return CHARTS_LABEL_CHARS;
}

static int run_gnuplot(const charts *c, const char *script)
{
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
        }
        if (chdir(c->work) != 0) _exit(127);
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

/* Renames WORK/NAME+EXT.tmp to charts/NAME+EXT (or removes it when !OK). */
static int settle(const charts *c, const char *name, const char *ext, int ok)
{
    char tmp_ext[16];
    snprintf(tmp_ext, sizeof tmp_ext, "%s.tmp", ext);
    char *tmp = file_in_dir(c, name, tmp_ext), *dst = file_in(c->dir, name, ext);
    int rc = tmp && dst && ok && rename(tmp, dst) == 0 ? 0 : -1;
    if (rc != 0 && tmp) unlink(tmp);
    free(tmp);
    free(dst);
    return rc;
}

/* gnuplot draws into NAME.svg.tmp and NAME.png.tmp; both are renamed into
 * place only when complete, so a failed run leaves the old chart whole. */
#define CHART_SVG_W 520
#define CHART_SVG_FONT 17

int charts_plot(charts *c, const char *name, int w, int h, const char *body)
{
    if (!charts_enabled(c)) return 0;
    char *gp = file_in_dir(c, name, ".gp");
    FILE *f = gp ? create_new(gp) : NULL;
    if (!f) {
        free(gp);
        c->failed++;
        warn(c, "charts: cannot write the script of %s", name);
        return 0;
    }
    /* No comment character: a data line whose label starts with '#' (a
     * segment "#vip") is data, not a comment gnuplot would skip.
     * The page shows the SVG scaled to its box (a 390 px phone to 540 px):
     * drawn 520 units wide with 17-unit text, its labels stay at least
     * 11 px on a phone.  The PNG keeps the size asked for. */
    int sw = CHART_SVG_W, sh = (int)((double)h * CHART_SVG_W / (w > 0 ? w : CHART_SVG_W) + 0.5);
    fprintf(f,
            "set terminal svg size %d,%d dynamic noenhanced font 'sans,%d' background rgb 'white'\n"
            "set output '%s.svg.tmp'\nset datafile separator '\\t'\nset datafile commentschars ''\n"
            "set border lc rgb '#555555'\nset grid lc rgb '#dddddd'\n%s\n"
            "set terminal pngcairo size %d,%d noenhanced font 'sans,10' background rgb 'white'\n"
            "set output '%s.png.tmp'\nreplot\nunset output\n",
            sw, sh, CHART_SVG_FONT, name, body, w, h, name);
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    char script[256];
    snprintf(script, sizeof script, "%s.gp", name);
    int ok =
        !bad && run_gnuplot(c, script) == 0 && complete(c, name, ".svg.tmp") && complete(c, name, ".png.tmp");
    ok = settle(c, name, ".svg", ok) == 0 && ok;
    ok = settle(c, name, ".png", ok) == 0 && ok;
    free(gp);
    if (!ok) {
        warn(c, "charts: gnuplot could not draw %s", name);
        c->failed++;
    }
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

int charts_trend(charts *c, const char *name, const charts_month *pts, size_t n, const char *head,
                 double conf, const char *title)
{
    if (n == 0) return 0;
    FILE *f = charts_data(c, name);
    if (!f) return 0;
    /* at most 5 month names on x, unrotated: one every EVERY months of
     * the span, each at least EVERY months after the one before */
    int first = pts[0].month, span = pts[n - 1].month - first + 1, every = (span + 4) / 5, named = 0,
        alone = 0;
    for (size_t i = 0; i < n; i++) {
        int x = pts[i].month - first;
        int after = i > 0 && pts[i].month == pts[i - 1].month + 1;
        int before = i + 1 < n && pts[i + 1].month == pts[i].month + 1;
        int label = i == 0 || x - named >= every;
        if (label) named = x;
        if (i > 0 && !after) fputc('\n', f); /* a gap: gnuplot breaks the line */
        char m[16];
        month_format(pts[i].month, m);
        fprintf(f, "%s\t%.6f\t%.6f\t%.6f\t%d\t%d\t%d\n", m, pts[i].v, pts[i].lo, pts[i].hi, x, label,
                !after && !before);
        alone |= !after && !before;
    }
    if (charts_data_close(c, f) != 0) return 0;
    /* The script holds numbers the program formats and fixed text only
     * (the band's level, the month span); a month alone has no band to
     * draw, so its interval is an error bar (only then is that drawn). */
    char body[1400];
    snprintf(
        body, sizeof body,
        "%sset xrange [-0.5:%d.5]\nset rmargin 3\nset key outside top center horizontal\n"
        "plot '%s.dat' using 5:3:4 with filledcurves fc rgb '#c6dbef' fs solid 0.6 title '%.0f%% interval', "
        "%s'' using 5:2:xtic($6 > 0 ? strcol(1) : '') with linespoints lw 2 pt 7 lc rgb '#08519c' title '%s'",
        head, span - 1, name, conf * 100,
        alone ? "'' using 5:($7 > 0 ? $2 : NaN):3:4 with yerrorbars lw 2 pt 7 lc rgb '#6baed6' notitle, "
              : "",
        title);
    return charts_plot(c, name, 900, 560, body);
}

double charts_nice_step(double span, int maxn)
{
    if (!(span > 0)) return 1.0;
    double raw = span / maxn, p = pow(10.0, floor(log10(raw)));
    return raw <= p ? p : raw <= 2 * p ? 2 * p : raw <= 5 * p ? 5 * p : 10 * p;
}

double charts_axis(double lo, double hi, int maxn, double *a0, double *a1)
{
    double step = charts_nice_step(hi - lo, maxn);
    *a0 = floor(lo / step) * step;
    *a1 = ceil(hi / step) * step;
    if (!(*a1 > *a0)) {
        *a0 -= step;
        *a1 += step;
    }
    return step;
}
