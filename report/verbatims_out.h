/* verbatims_out.h — themes.csv, verbatim_flags.csv and the terminal view
 * of `cxpulse verbatims`, all read from the verbatim analysis's result
 * (stats/text/verbatims.h).  Owner: report/csv_verbatims.c,
 * report/text_verbatims.c.  Comments reach these writers masked already
 * (verb_theme.example_text); the terminal writer also neutralises control
 * characters. */
#ifndef CX_VERBATIMS_OUT_H
#define CX_VERBATIMS_OUT_H

#include <stdio.h>
#include "core/csv.h"
#include "stats/text/verbatims.h"

void verb_themes_csv(csv_writer *w, const verb_result *res);
void verb_flags_csv_header(csv_writer *w);
void verb_flags_csv_row(csv_writer *w, const cx_response *r, const verb_flag *f);

/* The themes as aligned text, scope by scope.  0 ok, -1 write error. */
int verb_themes_print(FILE *f, const verb_result *res);
/* One comment of a theme: id, score, language and the masked comment on
 * one line.  0 ok, -1 write error or out of memory. */
int verb_comment_print(FILE *f, const cx_response *r, text_lang lang);
/* Writes S with control characters (C0, DEL, C1) as '?' and line breaks as
 * spaces. */
void verb_put_safe(FILE *f, const char *s);

#endif
