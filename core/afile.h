/* afile.h — write a file atomically: everything goes to a temporary file
 * beside the target, which is renamed into place only when every write,
 * the sync to the disk and the close succeeded.  A failure leaves the old file as it was.
 * Owner: core/afile.c.
 */
#ifndef CX_AFILE_H
#define CX_AFILE_H

#include "core/dsfile.h"

#include <stddef.h>
#include <stdio.h>

/* The temporary file's first AFILE_PLAIN bytes are written through the
 * page cache, the rest past it (core/dsfile.h): a large output (the
 * verbatim flags of millions of comments) is not worth the pages. */
#define AFILE_PLAIN (4LL << 20)

typedef struct afile {
    FILE *f;    /* write here (a stream onto ds) */
    char *path; /* owned */
    char *tmp;  /* owned */
    int fd;     /* the temporary file */
    dsfile ds;
} afile;

/* 0 ok; -1 with "PATH: why" in ERR. */
int afile_open(afile *a, const char *path, char *err, size_t errlen);
/* Flushes, closes and renames.  0 ok; -1 (temp file removed) with ERR. */
int afile_commit(afile *a, char *err, size_t errlen);
/* Discards the temporary file. */
void afile_abort(afile *a);
/* afile_commit without the rename: the temporary file is written whole,
 * synced and closed, and stays on disk under A->tmp for afile_group (or
 * afile_abort).  0 ok; -1 (temporary file removed, A emptied) with
 * "PATH: write failed: why" in ERR. */
int afile_finish(afile *a, char *err, size_t errlen);

/* Files that land together (a run's outputs): each is written whole to
 * its temporary file first, and only when every one was are they renamed
 * into place, one after the other in the order added.  Renames of many
 * files are not one atomic step, but nothing is left to fail between
 * them but the renames themselves. */
typedef struct afile_group {
    char **tmp, **path; /* owned: N temporary files and their targets */
    size_t n, cap;
} afile_group;

void afile_group_init(afile_group *g);
/* Finishes A (afile_finish) and keeps it in G; A is emptied either way.
 * 0 ok; -1 with ERR (A's temporary file removed). */
int afile_group_add(afile_group *g, afile *a, char *err, size_t errlen);
/* TMP, a finished temporary file on PATH's file system, now belongs to G:
 * renamed to PATH by afile_group_commit, removed by afile_group_abort
 * (or at once when this fails: -1, out of memory, with ERR). */
int afile_group_add_file(afile_group *g, const char *tmp, const char *path, char *err, size_t errlen);
/* Puts every file in place: first checks that no target is a directory,
 * then renames them in a tight loop.  0 ok; -1 with "PATH: why" in ERR,
 * the temporary files not yet renamed removed.  G is empty after. */
int afile_group_commit(afile_group *g, char *err, size_t errlen);
/* Removes every temporary file of G; G is empty after. */
void afile_group_abort(afile_group *g);

/* A new temporary file "cxpulse-TAG-XXXXXX" in $TMPDIR (else /tmp), open
 * for reading and writing: its descriptor, or -1 with errno set.  NAME
 * NULL: the file is unlinked at once (it goes when closed); else *NAME
 * gets its malloc'd path (the caller unlinks and frees it). */
int temp_file(const char *tag, char **name);
/* The folder temp_file makes its files in: $TMPDIR, else /tmp (for the
 * messages that say why one could not be made). */
const char *temp_dir(void);

/* Joins DIR and NAME into a malloc'd path (NULL when out of memory). */
char *path_join(const char *dir, const char *name);
/* mkdir -p; 0 ok, -1 with ERR. */
int mkdir_p(const char *dir, char *err, size_t errlen);

#endif
