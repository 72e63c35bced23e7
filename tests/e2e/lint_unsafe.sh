# Calls whose misuse is a class of defect are kept out of the sources:
# unbounded string functions and number parsers without error checks
# (the code style forbids them), and qsort, undefined on an empty array
# whose pointer is NULL (core/xsort.h's cx_qsort is the one way to sort).
. tests/e2e/lib.inc
cd "$CXPULSE_ROOT" || exit 1
src=$(ls core/*.[ch] core/store/*.[ch] ingest/*.[ch] stats/*.[ch] stats/text/*.[ch] report/*.[ch] cli/*.[ch] run/*.[ch] 2>/dev/null)
[ -n "$src" ] || fail "no sources found"
# Comments are dropped first, so a comment may name a function.
hits=$(for f in $src; do
    sed -e 's|/\*.*\*/||g' -e 's|^ *\*.*||' -e 's|//.*||' "$f" |
        grep -nE '(^|[^_[:alnum:]])(sprintf|vsprintf|strcpy|strcat|atoi|atol|atof|gets|qsort)[[:space:]]*\(' |
        grep -v 'cx_qsort\|snprintf' | sed "s|^|$f:|"
done | grep -v '^core/xsort.h:')
[ -z "$hits" ] || fail "unsafe calls: $hits"
echo "lint: $(echo "$src" | wc -w) files free of unbounded string calls and raw qsort"
