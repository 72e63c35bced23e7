/* html_stack.c — the data-label of every table cell (html_style.h). */
#include "report/html_style.h"

#include <stdlib.h>
#include <string.h>

#define MAX_COLS 32
#define LABEL_MAX 80
/* Tables this wide become stacked cards on a narrow screen; narrower ones
 * stay tables whose cells wrap. */
#define STACK_MIN_COLS 5
/* Tables this wide get a smaller type on a wide screen too. */
#define WIDE_COLS 9

typedef struct table_state {
    char label[MAX_COLS][LABEL_MAX];
    size_t n_labels;
    int have_head; /* the heading row has been read */
    size_t col;    /* next column of the current row */
} table_state;

static int starts(const char *p, const char *end, const char *tag)
{
    size_t n = strlen(tag);
    return (size_t)(end - p) >= n && strncmp(p, tag, n) == 0 && (p + n == end || p[n] == '>' || p[n] == ' ');
}

/* The text of a <th> from P (just after its '>') to "</th>", tags left
 * out, cut to fit.  Returns where the scan stopped. */
static const char *th_text(const char *p, const char *end, char *out)
{
    size_t o = 0;
    int in_tag = 0;
    while (p < end && !starts(p, end, "</th")) {
        if (*p == '<') in_tag = 1;
        else if (*p == '>') in_tag = 0;
        else if (!in_tag && *p != '"' && o + 1 < LABEL_MAX) out[o++] = *p;
        p++;
    }
    out[o] = 0;
    return p;
}

static size_t colspan(const char *tag, const char *tag_end)
{
    const char *c = NULL;
    for (const char *p = tag; p + 9 <= tag_end; p++)
        if (strncmp(p, "colspan=\"", 9) == 0) {
            c = p + 9;
            break;
        }
    if (!c) return 1;
    size_t n = 0;
    while (c < tag_end && *c >= '0' && *c <= '9' && n < 1000) n = n * 10 + (size_t)(*c++ - '0');
    return n ? n : 1;
}

/* Columns of the heading row of the table that starts at P: the <th> of
 * its first row that has any, before the table ends. */
static size_t head_cols(const char *p, const char *end)
{
    size_t n = 0;
    for (; p < end; p++) {
        if (*p != '<') continue;
        if (starts(p, end, "</table")) break;
        if (starts(p, end, "<th")) n++;
        else if (n && starts(p, end, "</tr")) break;
    }
    return n;
}

void html_stack_write(FILE *f, const char *buf, size_t len)
{
    const char *p = buf, *end = buf + len, *out = buf;
    table_state t = {.n_labels = 0};
    int in_table = 0, row_has_th = 0;
    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt) break;
        p = lt;
        const char *gt = memchr(p, '>', (size_t)(end - p));
        if (!gt) break;
        if (starts(p, end, "<table")) {
            memset(&t, 0, sizeof t);
            in_table = 1;
            int has_class = 0;
            for (const char *q = p; q + 5 <= gt; q++)
                if (strncmp(q, "class", 5) == 0) {
                    has_class = 1;
                    break;
                }
            size_t cols = has_class ? 0 : head_cols(gt + 1, end);
            if (cols >= STACK_MIN_COLS) {
                fwrite(out, 1, (size_t)(p + 6 - out), f);
                fputs(cols >= WIDE_COLS ? " class=\"stack wide\"" : " class=\"stack\"", f);
                out = p + 6;
            }
        } else if (starts(p, end, "</table")) {
            in_table = 0;
        } else if (in_table && starts(p, end, "<tr")) {
            if (row_has_th) t.have_head = 1;
            t.col = 0;
            row_has_th = 0;
        } else if (in_table && !t.have_head && starts(p, end, "<th")) {
            row_has_th = 1;
            if (t.n_labels < MAX_COLS) p = th_text(gt + 1, end, t.label[t.n_labels++]);
            else p = gt + 1;
            continue;
        } else if (in_table && starts(p, end, "<td")) {
            if (row_has_th) {
                t.have_head = 1;
                row_has_th = 0;
            }
            size_t span = colspan(p, gt);
            int has = 0;
            for (const char *q = p; q + 10 <= gt; q++)
                if (strncmp(q, "data-label", 10) == 0) {
                    has = 1;
                    break;
                }
            if (!has && t.col < t.n_labels) {
                fwrite(out, 1, (size_t)(p + 3 - out), f);
                fprintf(f, " data-label=\"%s\"", t.label[t.col]);
                out = p + 3;
            }
            t.col += span;
        }
        p = gt + 1;
    }
    fwrite(out, 1, (size_t)(end - out), f);
}
