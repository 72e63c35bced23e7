/* fuzz.h — shared by the fuzz targets (tests/fuzz/fuzz_*.c).
 *
 * Each target defines LLVMFuzzerTestOneInput.  Built with clang and
 * -fsanitize=fuzzer it is a libFuzzer program (tests/fuzz/run); built
 * with the normal compiler and tests/fuzz/replay.c it replays the seed
 * corpus and the regression inputs in `make check`.
 *
 * Besides "no crash, no leak, no undefined behaviour", the targets check
 * properties of what the parsers accept (round trips, ranges); a broken
 * property is reported with fuzz_fail, which aborts so that libFuzzer keeps
 * the input as a crash.
 */
#ifndef CX_FUZZ_H
#define CX_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#if defined(__GNUC__)
__attribute__((noreturn))
#endif
static inline void
fuzz_fail(const char *what)
{
    fprintf(stderr, "fuzz property violated: %s\n", what);
    abort();
}

#define FUZZ_CHECK(cond)               \
    do {                               \
        if (!(cond)) fuzz_fail(#cond); \
    } while (0)

/* DATA as a NUL-terminated malloc'd string (cut at the first NUL byte, as
 * a C caller would see it).  Aborts when out of memory. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) fuzz_fail("out of memory");
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Temporary files kept open for the whole run, two per process (slots 0
 * and 1), removed at exit. */
static char fuzz_tmp_name[2][64];
static void fuzz_tmp_remove(void)
{
    for (int i = 0; i < 2; i++)
        if (fuzz_tmp_name[i][0]) unlink(fuzz_tmp_name[i]);
}

/* The descriptor of temporary file SLOT (0 or 1), rewound and holding
 * exactly SIZE bytes of DATA; its name in *PATH when PATH is not NULL.
 * Returns -1 on error. */
static inline int fuzz_file(int slot, const void *data, size_t size, const char **path)
{
    static int fd[2] = {-1, -1}, registered;
    if (fd[slot] < 0) {
        snprintf(fuzz_tmp_name[slot], sizeof fuzz_tmp_name[slot], "/tmp/cxfuzz-%ld-%d-XXXXXX", (long)getpid(),
                 slot);
        fd[slot] = mkstemp(fuzz_tmp_name[slot]);
        if (fd[slot] < 0) return -1;
        if (!registered++) atexit(fuzz_tmp_remove);
    }
    int f = fd[slot];
    if (ftruncate(f, 0) != 0 || lseek(f, 0, SEEK_SET) != 0) return -1;
    for (size_t off = 0; off < size;) {
        ssize_t k = write(f, (const char *)data + off, size - off);
        if (k <= 0) return -1;
        off += (size_t)k;
    }
    if (lseek(f, 0, SEEK_SET) != 0) return -1;
    if (path) *path = fuzz_tmp_name[slot];
    return f;
}

#endif
