# Temporary files go to $TMPDIR (else /tmp), like sort(1)'s: the sorted
# runs of an import of ids in random order, the spend windows' records of
# a run with customers and spend, the verbatim flags' spool.  With TMPDIR
# naming a folder that does not exist each of them fails, saying which
# temporary file, in which folder, and why (not "out of memory"), exit 1,
# and the import
# leaves the store as it was; with TMPDIR naming a folder they work, and
# nothing is left in it.
. tests/e2e/lib.inc
"$GEN" --rows 60000 --seed 11 --out "$T/d" >/dev/null 2>&1 || fail "gen-sample"
$PY - "$T/d/responses.csv" "$T/shuf.csv" <<'PYEOF' || fail "shuffle"
import csv, random, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
head, body = rows[0], rows[1:]
random.Random(2).shuffle(body)
with open(sys.argv[2], 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(head)
    w.writerows(body)
PYEOF
MISS="$T/missing"
TMP="$T/tmp"
mkdir -p "$TMP"
DB="$T/db"
# expect_tmp_fail WHAT PATTERN CMD...: exit 1, PATTERN on stderr
expect_tmp_fail() {
    what=$1 pat=$2; shift 2
    TMPDIR="$MISS" "$@" >/dev/null 2>"$T/err"; rc=$?
    [ $rc -eq 1 ] || fail "$what with TMPDIR missing: exit $rc, want 1 ($(cat "$T/err"))"
    grep -q "$pat" "$T/err" || fail "$what: the message does not say why: $(cat "$T/err")"
    grep -q "out of memory" "$T/err" && fail "$what: said out of memory: $(cat "$T/err")"
    return 0
}
expect_tmp_fail "import of shuffled ids" "temporary file of sorted runs in $MISS: No such file or directory" \
    "$CX" --db "$DB" --quiet import responses "$T/shuf.csv"
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM responses')" = 0 ] || fail "the failed import left rows"
expect_tmp_fail "stats --input from a pipe" "a temporary file for the input in $MISS: No such file or directory" \
    sh -c '"$1" --quiet stats --input - --out "$2" < "$3"' sh "$CX" "$T/pipe_out" "$T/shuf.csv"
TMPDIR="$TMP" "$CX" --db "$DB" --quiet import responses "$T/shuf.csv" || fail "import with TMPDIR"
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM responses')" = 60000 ] || fail "the import lost rows"
"$CX" --db "$DB" --quiet import customers "$T/d/customers.csv" || fail "import customers"
"$CX" --db "$DB" --quiet import spend "$T/d/spend.csv" || fail "import spend"
expect_tmp_fail "stats with spend" "the spend windows' temporary file in $MISS: No such file or directory" \
    "$CX" --db "$DB" --quiet stats --by channel,region,agent_id --out "$T/o1"
expect_tmp_fail "stats --input" "flags of .* comments: temporary file in $MISS: No such file or directory" \
    "$CX" --quiet stats --input "$T/d/responses.csv" --by channel --out "$T/o2"
mkdir -p "$T/o3" "$T/o4"
TMPDIR="$TMP" "$CX" --db "$DB" --quiet stats --by channel,region,agent_id --out "$T/o3" || fail "stats with TMPDIR"
TMPDIR="$TMP" "$CX" --quiet stats --input "$T/d/responses.csv" --by channel --out "$T/o4" || fail "stats --input with TMPDIR"
[ -z "$(ls -A "$TMP")" ] || fail "temporary files left in TMPDIR: $(ls -A "$TMP")"
echo "TMPDIR: import runs, spend windows and flags spool use it; a missing one is said (exit 1, store unchanged); nothing left behind"
