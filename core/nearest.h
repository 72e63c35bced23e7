/* nearest.h — "did you mean": the known name closest to a typo, for the
 * config's keys (core/config_keys.c) and the command line's --by
 * dimensions (cli/cli_store.c).  Owner: core/nearest.c.
 */
#ifndef CX_NEAREST_H
#define CX_NEAREST_H

#include <stddef.h>

/* Names longer than this are never matched. */
#define NEAREST_MAX 64

/* Optimal string alignment distance (Damerau–Levenshtein with adjacent
 * transpositions), case-insensitive; both lengths at most NEAREST_MAX. */
size_t nearest_distance(const char *a, size_t la, const char *b, size_t lb);

/* Of NAMES[0..N) (NULL entries skipped), the one closest to NAME when it
 * is close enough to be a typo of it — a third of its letters, at least
 * one and at most three edits — else NULL. */
const char *nearest_name(const char *name, const char *const *names, size_t n);

#endif
