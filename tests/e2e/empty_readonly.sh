# Read-only commands never create a store: a missing one, or an empty file,
# is an error naming the path and what to run first.  A period with no responses exits 1 with
# the range the store (or the input file) does hold, and writes no output.
. tests/e2e/lib.inc
"$GEN" --rows 500 --seed 5 --out "$T/d" >/dev/null || fail "gen-sample"
range=$($PY - "$T/d/responses.csv" <<'PYEOF'
import csv, sys, datetime
ms = set()
for r in csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')):
    v = r['responded_at']
    t = datetime.datetime.fromtimestamp(int(v), datetime.timezone.utc) if v.isdigit() else \
        datetime.datetime.fromisoformat(v.replace('Z', '+00:00')).astimezone(datetime.timezone.utc)
    ms.add(t.strftime('%Y-%m'))
print(min(ms), 'to', max(ms))
PYEOF
) || fail "months of the sample"
mkdir -p "$T/empty"
cd "$T/empty" || fail "cd"
for cmd in status "stats" "report" "agents" "export responses" "export rejects"; do
    # shellcheck disable=SC2086
    "$CX" $cmd > "$T/out" 2> "$T/err"
    rc=$?
    [ $rc -eq 1 ] || fail "$cmd without a store: exit $rc, want 1"
    want="cxpulse: store: cxpulse.db does not exist; create it first with 'cxpulse import responses FILE.csv' or 'cxpulse ingest' (or name the store with --db or --config)"
    [ "$(cat "$T/err")" = "$want" ] || fail "$cmd said: $(cat "$T/err")"
    [ -e cxpulse.db ] && fail "$cmd created ./cxpulse.db"
done
# an empty file named by mistake is no store, and stays as it was
: > notes.txt
for cmd in status "stats --out $T/o_empty" "report --out $T/o_empty" agents "export responses" "verbatims"; do
    # shellcheck disable=SC2086
    "$CX" --db notes.txt $cmd > "$T/out" 2> "$T/err"
    rc=$?
    [ $rc -eq 1 ] || fail "$cmd on an empty file: exit $rc, want 1"
    want="cxpulse: store: notes.txt is an empty file, not a cxpulse store; create one with 'cxpulse import responses FILE.csv' or 'cxpulse ingest', or name the store with --db"
    [ "$(cat "$T/err")" = "$want" ] || fail "$cmd on an empty file said: $(cat "$T/err")"
    [ -s notes.txt ] && fail "$cmd wrote into the empty notes.txt"
    [ "$(ls -A .)" = "notes.txt" ] || fail "$cmd on an empty file left: $(ls -A .)"
done
rm -f notes.txt
"$CX" --db "$T/nope/x.db" status 2> "$T/err" && fail "status of a missing --db succeeded"
grep -q "store: $T/nope/x.db does not exist" "$T/err" || fail "missing --db: $(cat "$T/err")"
"$CX" import responses nope.csv 2> "$T/err" && fail "import of a missing file succeeded"
[ "$(cat "$T/err")" = "cxpulse: import: nope.csv: No such file or directory" ] || fail "import nope.csv: $(cat "$T/err")"
[ -e cxpulse.db ] && fail "import of a missing file created ./cxpulse.db"
"$CX" sources > /dev/null || fail "sources without a store"
[ -e cxpulse.db ] && fail "sources created ./cxpulse.db"
[ "$(ls -A .)" = "" ] || fail "files left in an empty folder: $(ls -A .)"

"$CX" --db "$T/a.db" --quiet import responses "$T/d/responses.csv" || fail "import"
for cmd in "report --month 1999-01 --out $T/out_report" "stats --month 1999-01 --out $T/out_stats" "agents --month 2030-01" \
           "verbatims --month 2031-01 --out $T/out_verbatims"; do
    name=${cmd%% *}
    m=${cmd#* --month }
    m=${m%% *}
    # shellcheck disable=SC2086
    "$CX" --db "$T/a.db" $cmd > "$T/out" 2> "$T/err"
    rc=$?
    [ $rc -eq 1 ] || fail "$cmd: exit $rc, want 1"
    want="cxpulse: $name: no responses in $m; the store holds $range"
    [ "$(cat "$T/err")" = "$want" ] || fail "$cmd said '$(cat "$T/err")', want '$want'"
    [ -e "$T/out_$name" ] && [ -n "$(ls -A "$T/out_$name")" ] && fail "$cmd wrote $(ls "$T/out_$name")"
    [ -s "$T/out" ] && fail "$cmd printed: $(head -3 "$T/out")"
done
"$CX" stats --input "$T/d/responses.csv" --month 1999-01 --out "$T/out_in" 2> "$T/err"
rc=$?
[ $rc -eq 1 ] || fail "stats --input of an empty month: exit $rc, want 1"
want="cxpulse: stats: no responses in 1999-01; $T/d/responses.csv holds $range"
[ "$(cat "$T/err")" = "$want" ] || fail "stats --input said '$(cat "$T/err")', want '$want'"
[ -n "$(ls -A "$T/out_in" 2>/dev/null)" ] && fail "stats --input wrote $(ls "$T/out_in")"
"$CX" verbatims --input "$T/d/responses.csv" --month 1999-01 2> "$T/err" > "$T/out"
rc=$?
[ $rc -eq 1 ] || fail "verbatims --input of an empty month: exit $rc, want 1"
want="cxpulse: verbatims: no responses in 1999-01; $T/d/responses.csv holds $range"
[ "$(cat "$T/err")" = "$want" ] || fail "verbatims --input said '$(cat "$T/err")', want '$want'"
[ -s "$T/out" ] && fail "verbatims of an empty month printed: $(head -3 "$T/out")"
first=${range%% *}
"$CX" --db "$T/a.db" report --month "$first" --out "$T/ok" > /dev/null 2>&1 || fail "report of $first"
[ -s "$T/ok/index.html" ] || fail "no report for $first"
# stats --input says what store stats says
"$CX" --db "$T/a.db" stats --out "$T/s1" > /dev/null 2> "$T/e1" || fail "stats"
"$CX" stats --input "$T/d/responses.csv" --out "$T/s1" > /dev/null 2> "$T/e2" || fail "stats --input"
[ "$(cat "$T/e1")" = "cxpulse: stats: 500 responses; CSV files in $T/s1/" ] || fail "stats said: $(cat "$T/e1")"
cmp -s "$T/e1" "$T/e2" || fail "stats --input said: $(cat "$T/e2")"
echo "6 read-only commands refuse a missing store without creating it, an empty file without writing into it; empty months exit 1 with the range ($range)"
