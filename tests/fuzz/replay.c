/* replay.c — main() for a fuzz target built with the normal compiler: runs
 * LLVMFuzzerTestOneInput on files, so that every crash or hang the fuzzer
 * ever found (tests/fuzz/regress/TARGET/) and the seed corpus
 * (tests/fuzz/corpus/TARGET/) stay tested in `make check`, under the
 * sanitizers in the ASan build.
 *
 *   fuzz_csv                replays the two directories of target "csv"
 *                           (from the repository root)
 *   fuzz_csv FILE|DIR...    replays those
 *
 * Each input gets 10 seconds (a hang is a failure: SIGALRM ends the run).
 */
#include "tests/fuzz/fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>

#define INPUT_SECONDS 10

static const char *volatile current = "";

/* Names the input being replayed on stderr (async-signal-safe). */
static void say_current(const char *what)
{
    const char *p = current;
    ssize_t w = write(STDERR_FILENO, "fuzz replay: ", 13);
    w = write(STDERR_FILENO, p, strlen(p));
    w = write(STDERR_FILENO, what, strlen(what));
    (void)w;
}

static void on_alarm(int sig)
{
    (void)sig;
    say_current(": ran longer than 10 s (hang)\n");
    _exit(1);
}

static void on_abort(int sig)
{
    say_current(": crashed\n");
    signal(sig, SIG_DFL);
    raise(sig);
}

static void on_sanitizer_death(void) { say_current(": sanitizer error\n"); }

/* Present only when a sanitizer runtime is linked in. */
extern void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fclose(f);
            fprintf(stderr, "fuzz replay: out of memory\n");
            return -1;
        }
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        uint8_t *nb = realloc(buf, cap * 2);
        if (!nb) free(buf);
        buf = nb;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        fprintf(stderr, "fuzz replay: %s: read error\n", path);
        return -1;
    }
    current = path;
    alarm(INPUT_SECONDS);
    LLVMFuzzerTestOneInput(buf, n);
    alarm(0);
    free(buf);
    return 0;
}

/* Replays PATH (a file, or every regular file of a directory); adds to
 * *COUNT.  A missing directory is skipped when OPTIONAL. */
static int replay_path(const char *path, int optional, long *count)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (optional && errno == ENOENT) return 0;
        fprintf(stderr, "fuzz replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        (*count)++;
        return replay_file(path);
    }
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "fuzz replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *p = malloc(n);
        if (!p) {
            rc = -1;
            break;
        }
        snprintf(p, n, "%s/%s", path, e->d_name);
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
            (*count)++;
            rc = replay_file(p);
        }
        free(p);
    }
    closedir(d);
    return rc;
}

int main(int argc, char **argv)
{
    long count = 0;
    int rc = 0;
    signal(SIGALRM, on_alarm);
    signal(SIGABRT, on_abort);
    if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(on_sanitizer_death);
    if (argc > 1) {
        for (int i = 1; i < argc && rc == 0; i++) rc = replay_path(argv[i], 0, &count);
        printf("fuzz replay: %ld inputs%s\n", count, rc ? " (error)" : "");
        return rc ? 1 : 0;
    }
    const char *base = strrchr(argv[0], '/');
    base = base ? base + 1 : argv[0];
    if (strncmp(base, "fuzz_", 5) != 0) {
        fprintf(stderr, "fuzz replay: name the inputs\n");
        return 2;
    }
    const char *target = base + 5;
    char dir[512];
    snprintf(dir, sizeof dir, "tests/fuzz/corpus/%s", target);
    rc = replay_path(dir, 0, &count);
    snprintf(dir, sizeof dir, "tests/fuzz/regress/%s", target);
    if (rc == 0) rc = replay_path(dir, 1, &count);
    if (rc == 0) printf("fuzz replay %s: %ld inputs ok\n", target, count);
    return rc ? 1 : 0;
}
