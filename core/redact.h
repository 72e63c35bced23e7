/* redact.h — finding and masking a credential in text that came from
 * outside (a vendor's error body, record, continuation token or link).
 *
 * Owner: core/redact.c.  A cx_redact is built from a secret (more can be
 * added) and owns copies of every form of each; cx_redact_free wipes them.
 *
 * A vendor can echo a credential in many shapes, so these forms are
 * searched for:
 *   - the secret itself;
 *   - its base64 text, at each of the three alignments it can take inside
 *     a longer base64 text (so "Basic base64(key:)", "base64(user:key)" and
 *     base64(key) are all found), plus the whole base64 of "key:" and of
 *     "key" with their padding;
 * each compared ignoring ASCII case, with any character of the text also
 * accepted percent-encoded (%6B or %6b for 'k'), once or twice (%256B),
 * and ANY run of at least
 * CX_REDACT_MIN_RUN characters of a form counts (a partial echo), or the
 * whole form when it is shorter.  A secret shorter than CX_REDACT_MIN_SECRET
 * cannot be told from ordinary text: nothing is searched for then.
 */
#ifndef CX_REDACT_H
#define CX_REDACT_H

#include <stddef.h>

#define CX_REDACT_MIN_RUN 8
#define CX_REDACT_MIN_SECRET 4
#define CX_REDACT_MASK "***"

typedef struct cx_redact cx_redact;

/* NULL when out of memory.  SECRET NULL or "" gives a redactor that finds
 * nothing. */
cx_redact *cx_redact_new(const char *secret);
void cx_redact_free(cx_redact *r);

/* Adds another secret (an access token obtained at run time, say) to R;
 * every form of every secret added is found.  At most 8 secrets.  0 ok,
 * -1 out of memory or too many (R may then find only part of the forms:
 * the caller must treat it as a failure). */
int cx_redact_add(cx_redact *r, const char *secret);

/* 1 when the LEN bytes at S hold a form of the secret; *AT and *SPAN (may
 * be NULL) get the first such run (offset and length in S's bytes, the
 * longest run starting there). */
int cx_redact_find(const cx_redact *r, const char *s, size_t len, size_t *at, size_t *span);

/* 1 when the NUL-terminated S holds a form of the secret. */
int cx_redact_has(const cx_redact *r, const char *s);

/* Replaces every run found in the NUL-terminated S by "***", in place (a
 * run is never shorter than the mask).  Returns how many were replaced. */
size_t cx_redact_mask(const cx_redact *r, char *s);

/* A malloc'd masked copy of S when S holds a form of the secret; NULL when
 * it holds none (*OOM = 0) or when out of memory (*OOM = 1). */
char *cx_redact_dup(const cx_redact *r, const char *s, int *oom);

#endif
