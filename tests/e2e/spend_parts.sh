# The spend windows summed in parts (stats/spendtab_part.c): with
# CXPULSE_SPEND_MEMORY at 40,000 bytes (1,000 windows a part, about 26
# parts, each later part's rows in its own temporary file), `stats` writes
# the same files, byte for byte, as with every window in one part, and
# leaves nothing in TMPDIR; a value that is not a number of bytes is
# refused with the variable's name, before anything is read.
. tests/e2e/lib.inc
"$GEN" --rows 30000 --seed 9 --out "$T/d" >/dev/null || fail "gen-sample"
for k in responses customers spend; do
    "$CX" --db "$T/db" --quiet import "$k" "$T/d/$k.csv" || fail "import $k"
done
"$CX" --db "$T/db" --quiet stats --by channel,region,tier --out "$T/one" || fail "stats"
mkdir -p "$T/tmp"
TMPDIR="$T/tmp" CXPULSE_SPEND_MEMORY=40000 "$CX" --db "$T/db" --quiet stats --by channel,region,tier \
    --out "$T/parts" || fail "stats in parts"
diff -r "$T/one" "$T/parts" >"$T/diff" || fail "the files differ in parts: $(head -5 "$T/diff")"
[ -z "$(ls -A "$T/tmp")" ] || fail "temporary files left in TMPDIR: $(ls -A "$T/tmp")"
$PY - "$T/parts/spend_delta.csv" <<'PYEOF' || fail "spend groups"
import csv, sys
rows = {(r['group_by'], r['group']): r for r in csv.DictReader(open(sys.argv[1], newline=''))}
p = rows[('nps_class', 'promoter')]
assert int(p['n']) > 5000 and float(p['mean_pre']) > 0, p
PYEOF
for bad in abc 0 -5 12x ""; do
    CXPULSE_SPEND_MEMORY="$bad" "$CX" --db "$T/db" --quiet stats --by channel --out "$T/bad" 2>"$T/err"
    rc=$?
    [ $rc -ne 0 ] || fail "CXPULSE_SPEND_MEMORY='$bad' was taken"
    grep -q "CXPULSE_SPEND_MEMORY: '$bad' is not a number of bytes" "$T/err" ||
        fail "CXPULSE_SPEND_MEMORY='$bad': $(cat "$T/err")"
done
echo "spend windows in 26 parts: the same files as in one; bad CXPULSE_SPEND_MEMORY refused"
