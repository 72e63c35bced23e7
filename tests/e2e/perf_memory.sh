# Bounded memory (docs/performance.md): `stats --input` over 2M responses (about 220 MB
# of CSV) succeeds with its address space capped at 128 MB, read by chunks
# on threads (a regular file) and in one pass (a pipe), with every analysis
# on; both give the same tables.  Memory that grew with the rows would need
# the file's size at least.
. tests/e2e/lib.inc
LIMIT_KB=131072
if [ -n "${E2E_SANITIZER:-}" ]; then   # ASan reserves terabytes of shadow address space
    echo "skipped on the sanitizer build: ulimit -v and ASan's shadow memory do not mix (the plain run checks it)"
    exit 0
fi
"$GEN" --rows 2000000 --responses-only --out "$T/big" 2>/dev/null || fail "gen-sample"
size=$(wc -c < "$T/big/responses.csv")
[ "$size" -gt $((LIMIT_KB * 1024)) ] || fail "the data ($size bytes) should exceed the limit"
(ulimit -v $LIMIT_KB && exec "$CX" --quiet stats --input "$T/big/responses.csv" --by channel,region \
    --out "$T/file") || fail "stats --input (file) failed under ulimit -v $LIMIT_KB"
(ulimit -v $LIMIT_KB && exec "$CX" --quiet stats --input - --by channel,region --out "$T/pipe") \
    < <(cat "$T/big/responses.csv") || fail "stats --input - (pipe) failed under ulimit -v $LIMIT_KB"
n=$(awk -F, '$1 == "all" && $2 == "all" { print $4 }' "$T/file/nps.csv")
[ "$n" = 2000000 ] || fail "nps.csv counts $n responses, want 2000000"
for f in "$T"/file/*.csv; do
    cmp -s "$f" "$T/pipe/${f##*/}" || fail "${f##*/} differs between the chunked and the one-pass reader"
done
echo "stats --input: 2M responses ($((size / 1048576)) MB) under a ${LIMIT_KB} KB address-space limit, file and pipe agree"
