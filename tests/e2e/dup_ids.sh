# One response id, one source: importing the CSV export of a survey that
# the store already holds under another source rejects those rows with the
# holder named and says how to merge (--source NAME) or keep both
# (--allow-duplicate-ids); a vendor sync meeting ids imported from CSV does
# the same.  NPS n never doubles.  SQLite, and PostgreSQL when
# scripts/pg-tmp finds a server.
. tests/e2e/ingest_lib.inc
GEN="$CXPULSE_ROOT/scripts/gen-sample"
"$GEN" --rows 600 --seed 8 --out "$T/d" >/dev/null 2>&1 || fail "gen-sample"
F="$T/d/responses.csv"
n_all() {   # n_all DB: n of the overall `all` row of nps.csv
    "$CX" --db "$1" --quiet stats --tables nps --out "$T/st" || fail "stats on $1"
    awk -F, '$1 == "all" && $2 == "all" {print $4}' "$T/st/nps.csv"
}
check_backend() {   # check_backend TAG DB
    tag=$1 db=$2
    "$CX" --db "$db" --quiet import responses "$F" --source qualtrics || fail "$tag: first import"
    [ "$(n_all "$db")" -eq 600 ] || fail "$tag: n after the first import"
    "$CX" --db "$db" import responses "$F" > /dev/null 2> "$T/err"
    rc=$?
    [ $rc -eq 3 ] || fail "$tag: re-import under csv: exit $rc, want 3"
    grep -qxF "cxpulse: import $F: 600 rows: 0 new, 0 replaced, 0 unchanged, 0 older ignored, 600 rejected (600 already held as source qualtrics)" "$T/err" ||
        fail "$tag: summary: $(tail -2 "$T/err")"
    grep -qxF "cxpulse: import $F: a response_id held under another source is not imported twice; to merge these into that source, import with --source qualtrics; to keep both copies (each counts), add --allow-duplicate-ids" "$T/err" ||
        fail "$tag: no hint: $(tail -1 "$T/err")"
    grep -q "^cxpulse: $F:2: response_id 'r000001' already held as source qualtrics$" "$T/err" ||
        fail "$tag: the first reject is not shown with its line: $(head -1 "$T/err")"
    [ "$(n_all "$db")" -eq 600 ] || fail "$tag: n doubled"
    "$CX" --db "$db" export rejects | grep -c "already held as source qualtrics" | grep -qx 600 || fail "$tag: 600 rejects kept"
    # each names the line its record starts on (the file has records over
    # several lines: comments with line breaks)
    "$CX" --db "$db" export rejects > "$T/rejects.csv" || fail "$tag: export rejects"
    $PY - "$F" "$T/rejects.csv" <<'PYEOF' || fail "$tag: a set-aside row's reject names the wrong line"
import csv, re, sys
start, prev = {}, 1
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    r = csv.reader(f)
    next(r)
    for row in r:
        start[row[0]] = prev + 1
        prev = r.line_num
assert prev > len(start) + 1, 'no record over several lines'
n = 0
for row in csv.DictReader(open(sys.argv[2], newline='', encoding='utf-8')):
    m = re.match(r"response_id '([^']*)' already held", row['reason'])
    if not m:
        continue
    assert row['where'].endswith(':%d' % start[m.group(1)]), (row['where'], m.group(1), start[m.group(1)])
    n += 1
assert n == 600, n
PYEOF
    # --quiet still says that rows were set aside
    "$CX" --db "$db" --quiet import responses "$F" 2> "$T/err"
    grep -q "600 already held as source qualtrics" "$T/err" || fail "$tag: --quiet hid the duplicates"
    # merging into the holder: no new row
    "$CX" --db "$db" import responses "$F" --source qualtrics 2> "$T/err" || fail "$tag: --source qualtrics"
    grep -q ": 600 rows: 0 new, 0 replaced, 600 unchanged, 0 older ignored, 0 rejected$" "$T/err" || fail "$tag: merge: $(cat "$T/err")"
    # keeping both on purpose
    "$CX" --db "$db" import responses "$F" --allow-duplicate-ids 2> "$T/err" || fail "$tag: --allow-duplicate-ids"
    grep -q ": 600 rows: 600 new, 0 replaced, 0 unchanged, 0 older ignored, 0 rejected$" "$T/err" || fail "$tag: allow: $(cat "$T/err")"
    [ "$(n_all "$db")" -eq 1200 ] || fail "$tag: --allow-duplicate-ids did not keep both"
}
check_backend sqlite "$T/a.db"

# A vendor sync meeting ids imported from CSV (the mock serves the same file).
start_mock --data "$F"
write_config "$(source_json delighted)"
"$CX" --db "$T/v.db" --quiet import responses "$F" || fail "csv import before the sync"
"$CX" --config "$T/cfg.json" --db "$T/v.db" --quiet ingest > /dev/null 2> "$T/err"
rc=$?
[ $rc -eq 3 ] || fail "sync over CSV ids: exit $rc, want 3 ($(cat "$T/err"))"
[ "$(n_all "$T/v.db")" -eq 600 ] || fail "the sync doubled the CSV rows"
"$CX" --db "$T/v.db" export rejects | grep -c "^delighted,page [0-9]*,response_id 'r[0-9]*' already held as source csv," |
    grep -qx 600 || fail "sync rejects: $("$CX" --db "$T/v.db" export rejects | head -3)"
"$CX" --config "$T/cfg.json" --db "$T/v2.db" --quiet import responses "$F" || fail "import v2"
"$CX" --config "$T/cfg.json" --db "$T/v2.db" --quiet ingest --full --allow-duplicate-ids || fail "sync --allow-duplicate-ids"
[ "$(n_all "$T/v2.db")" -eq 1200 ] || fail "sync --allow-duplicate-ids did not keep both"

start_pg
check_backend postgresql "$PG"
echo "600 duplicate ids across sources rejected with the holder named (SQLite, PostgreSQL, vendor sync); --source merges, --allow-duplicate-ids keeps both"
