/* hic_rest.c — the high-impact customers' state (hic_int.h) put away in
 * a temporary file while the run does not need it: from the end of the
 * response feed (the spend rows, the other tables' finishes) until the
 * customers are ranked.  About 60 bytes a customer with a response in
 * scope (16 MB at 1M responses and 333k customers).  A customer's long
 * id stays allocated where it is; only the records move. */
#include "stats/hic_int.h"
#include "core/afile.h"
#include "core/dio.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

static size_t slots_bytes(const hic_acc *h) { return h->n_c * h->n_by * sizeof *h->slots; }

void hic_acc_rest(hic_acc *h)
{
    if (!h || h->away || !h->n_c) return;
    int fd = temp_file("hic", NULL);
    if (fd < 0) return; /* kept in memory: this only saves memory */
    size_t nc = h->n_c * sizeof *h->c, ns = slots_bytes(h);
    if (file_pwrite_all(fd, h->c, nc, 0) != 0 ||
        (ns && file_pwrite_all(fd, h->slots, ns, (long long)nc) != 0)) {
        close(fd);
        return;
    }
    free(h->c);
    free(h->slots);
    h->c = NULL;
    h->slots = NULL;
    h->cap_c = 0;
    h->fd = fd;
    h->away = 1;
}

int hic_acc_back(hic_acc *h)
{
    if (!h || !h->away) return 0;
    size_t nc = h->n_c * sizeof *h->c, ns = slots_bytes(h);
    hic_cust *c = malloc(nc);
    uint32_t *s = malloc(ns ? ns : 1);
    if (!c || !s) {
        free(c);
        free(s);
        errno = ENOMEM;
        return -1;
    }
    if (file_pread_all(h->fd, c, nc, 0) != 0 || (ns && file_pread_all(h->fd, s, ns, (long long)nc) != 0)) {
        int e = errno ? errno : EIO;
        free(c);
        free(s);
        errno = e;
        return -1;
    }
    close(h->fd);
    h->fd = -1;
    h->away = 0;
    h->c = c;
    h->slots = s;
    h->cap_c = h->n_c;
    return 0;
}
