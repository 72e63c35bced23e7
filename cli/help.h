/* help.h — what each command accepts and says about itself: synopsis,
 * options with their defaults, one example.  The same table decides which
 * options a command accepts, so the help cannot list one it refuses.
 * Owner: cli/help.c.  docs/cxpulse.1 repeats it (tests/e2e/help.sh checks). */
#ifndef CX_HELP_H
#define CX_HELP_H

#include <stdio.h>

typedef struct help_opt {
    const char *name; /* without "--" */
    const char *arg;  /* "YYYY-MM", or NULL for a flag */
    const char *text; /* what it does, with its default */
} help_opt;

typedef struct help_cmd {
    const char *name;
    const char *synopsis; /* after "cxpulse " */
    const char *summary;
    const help_opt *const *groups; /* NULL-terminated lists of options, each NULL-name-terminated */
    const char *example;
} help_cmd;

/* The command named NAME, or NULL. */
const help_cmd *help_find(const char *name);
/* 1 when CMD accepts --OPT (global options are accepted by every command). */
int help_accepts(const help_cmd *cmd, const char *opt);
/* Prints CMD's help (synopsis, summary, options, global options, example). */
void help_print(FILE *f, const help_cmd *cmd);
/* The program's usage: every command's synopsis. */
void help_usage(FILE *f);

#endif
