/* log.c — see log.h. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

/* Messages carry data (column names, file names, config values): their
 * control characters — C0, DEL and the C1 range in UTF-8 (C2 80..9F) —
 * become '?', so no escape sequence reaches the terminal and no CR or LF
 * forges a line. */
void cx_msg(const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    size_t len = (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c == 0xC2 && i + 1 < len && (unsigned char)buf[i + 1] >= 0x80 &&
            (unsigned char)buf[i + 1] <= 0x9F) {
            buf[i] = '?';
            buf[i + 1] = '?';
            i++;
        } else if (c < 0x20 || c == 0x7F) {
            buf[i] = '?';
        }
    }
    fputs("cxpulse: ", stderr);
    fwrite(buf, 1, len, stderr);
    fputc('\n', stderr);
}

double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}
