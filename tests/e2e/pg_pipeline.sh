# The same pipeline on SQLite and on PostgreSQL gives byte-identical CSV:
# import (with replaced, ignored and rejected rows) -> stats -> report ->
# export, then export -> import -> export round trips on each backend; and
# status names the backend.  Runs its own server (scripts/pg-tmp).
. tests/e2e/lib.inc
PGTMP="$CXPULSE_ROOT/scripts/pg-tmp"
PGBIN=$("$PGTMP" bindir) || { echo "skipped: no PostgreSQL server (apt-get install postgresql)"; exit 0; }
trap '"$PGTMP" stop "$T/pg"; rm -rf "$T"' EXIT
eval "$("$PGTMP" start "$T/pg" 2>"$T/pg.err")" || fail "pg-tmp start: $(cat "$T/pg.err")"
PG=$CXPULSE_PG_URI
if "$CX" --db "$PG" status 2>&1 | grep -q "without PostgreSQL support"; then
    echo "skipped: ./cxpulse was built without libpq (the Makefile's PKGS needs libpq)"; exit 0
fi

"$GEN" --rows 4000 --seed 5 --out "$T/d" >/dev/null || fail "gen-sample"
# A second file: 40 edits with a newer updated_at, 40 with an older one, a
# row twice (the later copy wins), two bad rows.
$PY - "$T/d/responses.csv" "$T/edits.csv" <<'PYEOF' || fail "edits file"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
cols = list(rows[0].keys())
out = csv.DictWriter(open(sys.argv[2], 'w', newline='', encoding='utf-8'), fieldnames=cols)
out.writeheader()
def edit(r, when, score, comment):
    e = dict(r); e['updated_at'] = when; e['score'] = str(score); e['comment'] = comment
    return e
for i, r in enumerate(rows[:80]):
    when = '2030-01-01T00:00:00Z' if i < 40 else '2000-01-01T00:00:00Z'
    out.writerow(edit(r, when, (int(r['score']) + 3) % 11, 'edited\ttab "%d"' % i))
out.writerow(edit(rows[100], '2031-01-01T00:00:00Z', 0, 'first copy'))
out.writerow(edit(rows[100], '2031-01-01T00:00:00Z', 10, 'second copy wins'))
bad = dict(rows[0]); bad['score'] = '11'; bad['response_id'] = 'bad1'; out.writerow(bad)
bad = dict(rows[1]); bad['response_id'] = ''; out.writerow(bad)
PYEOF

run_backend() {   # name db
    b=$1 db=$2 o="$T/$1"
    mkdir -p "$o"
    "$CX" --db "$db" --quiet import responses "$T/d/responses.csv" || fail "$b: import responses"
    "$CX" --db "$db" --quiet import customers "$T/d/customers.csv" || fail "$b: import customers"
    "$CX" --db "$db" --quiet import spend "$T/d/spend.csv" || fail "$b: import spend"
    "$CX" --db "$db" import responses "$T/edits.csv" 2>"$o/edits.err"
    [ $? -eq 3 ] || fail "$b: edits import: want exit 3: $(cat "$o/edits.err")"
    tail -n 1 "$o/edits.err" | sed 's/^.*: [0-9]* rows:/rows:/' > "$o/edits.summary"
    "$CX" --db "$db" --quiet stats --by channel,region,tier --out "$o/stats" || fail "$b: stats"
    "$CX" --db "$db" --quiet report --month 2026-06 --by channel,tier --out "$o/report" >/dev/null || fail "$b: report"
    "$CX" --db "$db" export responses > "$o/export.csv" || fail "$b: export"
    "$CX" --db "$db" export rejects > "$o/rejects.csv" || fail "$b: export rejects"
    "$CX" --db "$db" export responses --month 2026-03 --source csv > "$o/march.csv" || fail "$b: export --month"
    "$CX" --db "$db" status > "$o/status.txt" || fail "$b: status"
}
run_backend sqlite "$T/s.db"
run_backend pg "$PG"

grep -q "rows: 4000 new" "$T/sqlite/edits.summary" && fail "edits were all new"
cmp "$T/sqlite/edits.summary" "$T/pg/edits.summary" ||
    fail "import counts differ: $(cat "$T/sqlite/edits.summary") vs $(cat "$T/pg/edits.summary")"
n=0
for f in "$T"/sqlite/stats/*.csv "$T"/sqlite/report/*.csv "$T"/sqlite/*.csv; do
    g="$T/pg/${f#"$T"/sqlite/}"
    [ -f "$g" ] || fail "pg lacks $g"
    cmp -s "$f" "$g" || { diff "$f" "$g" | head -5; fail "differs: ${f#"$T"/sqlite/}"; }
    n=$((n + 1))
done
[ "$n" -ge 20 ] || fail "only $n CSV files compared"
grep -q "second copy wins" "$T/pg/export.csv" || fail "the later duplicate did not win"
grep -q "(postgresql 1[0-9.]*, schema " "$T/pg/status.txt" || fail "status: $(head -1 "$T/pg/status.txt")"
grep -q "(sqlite 3" "$T/sqlite/status.txt" || fail "sqlite status: $(head -1 "$T/sqlite/status.txt")"

# export -> import -> export round trip on a second PostgreSQL database
"$PGBIN/psql" "$PG" -qX -c 'CREATE DATABASE cx2' >/dev/null 2>&1 || fail "create database cx2"
PG2=$(printf '%s' "$PG" | sed 's|:///cxpulse?|:///cx2?|')
"$CX" --db "$PG2" --quiet import responses "$T/pg/export.csv" || fail "round trip import (pg)"
"$CX" --db "$PG2" export responses > "$T/pg/export2.csv" || fail "round trip export (pg)"
cmp "$T/pg/export.csv" "$T/pg/export2.csv" || fail "pg round trip differs"
"$CX" --db "$T/s2.db" --quiet import responses "$T/sqlite/export.csv" || fail "round trip import (sqlite)"
"$CX" --db "$T/s2.db" export responses > "$T/sqlite/export2.csv" || fail "round trip export (sqlite)"
cmp "$T/sqlite/export2.csv" "$T/pg/export2.csv" || fail "round trips differ between backends"
echo "sqlite and postgresql: $n CSV outputs byte-identical; export round trips identical; $(sed 's/^rows: //' "$T/pg/edits.summary")"
