/* noun.h — the one rule for number-noun agreement on the page and in the
 * text outputs: "1 response", "0 responses", "2 responses".  Header only,
 * so that every writer (report/fmt.c's users, report/html.c, the CLI) can
 * use it without depending on the others.  Owner: this header.
 */
#ifndef CX_NOUN_H
#define CX_NOUN_H

/* The noun that agrees with a count of N: ONE when N is exactly 1, else
 * MANY ("1 response", "0 responses", "2.5 points"). */
static inline const char *fmt_noun(double n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

#endif
