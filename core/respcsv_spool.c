/* respcsv_spool.c — a pipe copied record by record into a file that
 * `stats --input` can read twice (resp_spool, core/respcsv_dedup.h). */
#include "core/afile.h"
#include "core/respcsv_dedup.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int resp_spool(csv_reader *in, FILE *out, resp_spool_bad bad, void *ctx, char *err, size_t errlen)
{
    char why[1024];
    csv_record rec;
    for (;;) {
        int rc = csv_read(in, &rec, why, sizeof why);
        if (rc == 0) break;
        const char *reason = rc < 0 ? csv_error_reason(in, why) : "";
        int cut = rc == -2 && strstr(reason, "record longer than") != NULL; /* raw is its start only */
        if (rc == 1 || (rc == -2 && !cut)) {                                /* copied as it was */
            if (fwrite(rec.raw, 1, rec.raw_len, out) != rec.raw_len || putc('\n', out) == EOF)
                goto write_fail;
            continue;
        }
        bad(ctx, rec.line, rec.raw, rec.raw_len, reason, rc == -1);
        if (rc == -1) break;
        long line;
        if (csv_reader_tell(in, &line) < 0) break;
        for (long k = rec.line; k <= line; k++) /* the lines it spanned, empty */
            if (putc('\n', out) == EOF) goto write_fail;
    }
    if (fflush(out) == 0 && !ferror(out)) return 0;
write_fail:
    snprintf(err, errlen, "%s: copying the input to a temporary file in %s: %s", csv_reader_name(in),
             temp_dir(), strerror(errno));
    return -1;
}
