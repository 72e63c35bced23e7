# Bounded memory (docs/performance.md): `stats --input` over 2M responses
# (about 220 MB of CSV) with every analysis on, verbatims included, peaks
# under 80 MB of resident memory (it measures about 35 MB), read by
# chunks on threads (a regular file) and in one pass (a pipe); both give the same tables.  Memory that
# grew with the rows would need the file's size at least.  Peak resident
# memory, not an address-space limit: glibc reserves 64 MB of address space
# for each thread's heap arena, which is not memory used.
. tests/e2e/lib.inc
LIMIT_MB=80
plain_memory_only
"$GEN" --rows 2000000 --responses-only --out "$T/big" 2>/dev/null || fail "gen-sample"
size=$(wc -c < "$T/big/responses.csv")
[ "$size" -gt $((LIMIT_MB * 1048576)) ] || fail "the data ($size bytes) should exceed the limit"
run_limited 300 $LIMIT_MB "$CX" --quiet stats --input "$T/big/responses.csv" --by channel,region \
    --out "$T/file" 2> "$T/file.err" || fail "stats --input (file): $(cat "$T/file.err")"
cat "$T/big/responses.csv" | run_limited 300 $LIMIT_MB "$CX" --quiet stats --input - --by channel,region \
    --out "$T/pipe" 2> "$T/pipe.err" || fail "stats --input - (pipe): $(cat "$T/pipe.err")"
n=$(awk -F, '$1 == "all" && $2 == "all" { print $4 }' "$T/file/nps.csv")
[ "$n" = 2000000 ] || fail "nps.csv counts $n responses, want 2000000"
c=$(($(wc -l < "$T/file/verbatim_flags.csv") - 1))
[ "$c" -gt 1000000 ] || fail "verbatim_flags.csv has $c rows, want the comments of 2M responses"
for f in "$T"/file/*.csv; do
    cmp -s "$f" "$T/pipe/${f##*/}" || fail "${f##*/} differs between the chunked and the one-pass reader"
done
echo "stats --input: 2M responses ($((size / 1048576)) MB, $c comments) peak $(sed -n 's/.* \([0-9]*MB\):.*/\1/p' "$T/file.err") (file), $(sed -n 's/.* \([0-9]*MB\):.*/\1/p' "$T/pipe.err") (pipe) of ${LIMIT_MB} MB allowed; file and pipe agree"
