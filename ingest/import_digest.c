/* import_digest.c — see import_digest.h. */
#include "ingest/import_digest.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (1 << 20)

int import_digest(const char *path, const char *settings, char hex[IMPORT_DIGEST_LEN], struct stat *st)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    unsigned char *buf = NULL;
    EVP_MD_CTX *md = NULL;
    int ok = fstat(fd, st) == 0 && S_ISREG(st->st_mode) && (buf = malloc(CHUNK)) && (md = EVP_MD_CTX_new()) &&
             EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
             EVP_DigestUpdate(md, settings, strlen(settings) + 1) == 1; /* its NUL ends it */
#ifdef POSIX_FADV_SEQUENTIAL
    if (ok) (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    long long total = 0;
    while (ok) {
        ssize_t n = read(fd, buf, CHUNK);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ok = n == 0;
            break;
        }
        total += n;
        ok = EVP_DigestUpdate(md, buf, (size_t)n) == 1;
    }
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int dn = 0;
    ok = ok && total == (long long)st->st_size && EVP_DigestFinal_ex(md, d, &dn) == 1 && dn == 32;
    for (unsigned int i = 0; ok && i < dn; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
    EVP_MD_CTX_free(md);
    free(buf);
    close(fd);
    return ok ? 0 : -1;
}

int import_digest_same(const char *path, const struct stat *st)
{
    struct stat now;
    return stat(path, &now) == 0 && now.st_size == st->st_size && now.st_ino == st->st_ino &&
           now.st_dev == st->st_dev && now.st_mtim.tv_sec == st->st_mtim.tv_sec &&
           now.st_mtim.tv_nsec == st->st_mtim.tv_nsec;
}

static void *digest_thread(void *arg)
{
    import_digest_job *j = arg;
    j->rc = import_digest(j->path, j->settings, j->hex, j->st);
    return NULL;
}

int import_digest_start(import_digest_job *j, const char *path, const char *settings,
                        char hex[IMPORT_DIGEST_LEN], struct stat *st)
{
    pthread_t *th = malloc(sizeof *th);
    j->path = path;
    j->settings = settings;
    j->hex = hex;
    j->st = st;
    j->rc = -1;
    j->thread = NULL;
    if (!th) return -1;
    if (pthread_create(th, NULL, digest_thread, j) != 0) {
        free(th);
        return -1;
    }
    j->thread = th;
    return 0;
}

int import_digest_wait(import_digest_job *j)
{
    pthread_t *th = j->thread;
    if (!th) return j->rc;
    pthread_join(*th, NULL);
    free(th);
    j->thread = NULL;
    return j->rc;
}
