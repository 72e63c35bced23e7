# Disk full while writing (ulimit -f; SIGXFSZ is ignored so writes fail
# with EFBIG): report, stats --input and export fail with a clear message
# and exit 1; every output file is either the old one or a complete new
# one (never cut short), no temporary file is left; an import that cannot
# grow the store fails and leaves it exactly as it was.
. tests/e2e/lib.inc
"$GEN" --rows 6000 --seed 5 --out "$T/d" >/dev/null 2>&1 || fail "gen-sample"
head -2001 "$T/d/responses.csv" > "$T/small.csv"
# twelve recent long comments make the page larger than any table
$PY -c "
for i in range(12): print('long%d,2026-10-2%dT10:00:00Z,,9,' % (i, i % 8) + 'w' * 1990 + ',,,,,,,,')" >> "$T/small.csv"
"$CX" --db "$T/db" --quiet import responses "$T/small.csv" || fail "import"
BY=channel,customer_id
"$CX" --db "$T/db" --quiet report --by $BY --out "$T/out" > /dev/null || fail "first report"
snap() { (cd "$T/out" && find . -type f | sort | xargs md5sum) > "$1"; }
snap "$T/before"
# check_out: no temporary file; every CSV whole (same field count on every
# row, CRLF at the end); the page ends with </html>; charts end properly.
check_out() {
    left=$(find "$T/out" -name '*.tmp*')
    [ -z "$left" ] || fail "$1: temporary files left: $left"
    $PY - "$T/out" <<'PYEOF' || fail "$1: an output is cut short"
import csv, glob, sys
out = sys.argv[1]
for p in glob.glob(out + '/*.csv'):
    raw = open(p, 'rb').read()
    assert raw.endswith(b'\r\n'), p
    rows = list(csv.reader(open(p, newline='', encoding='utf-8')))
    assert len({len(r) for r in rows}) == 1, p
assert open(out + '/index.html', encoding='utf-8').read().rstrip().endswith('</html>')
for p in glob.glob(out + '/charts/*.svg'):
    assert open(p, encoding='utf-8').read().rstrip().endswith('</svg>'), p
for p in glob.glob(out + '/charts/*.png'):
    assert open(p, 'rb').read().endswith(b'IEND\xaeB`\x82'), p
PYEOF
}
# 1. the first output is already too big: nothing changes at all
( ulimit -f 100; "$CX" --db "$T/db" report --by $BY,agent_id --out "$T/out" > /dev/null 2> "$T/err" ); rc=$?
[ $rc -eq 1 ] || fail "report past the limit: exit $rc, want 1"
grep -q "nps.csv: write failed: File too large" "$T/err" || fail "report message: $(cat "$T/err")"
snap "$T/after"
cmp -s "$T/before" "$T/after" || fail "outputs changed though the first write failed"
check_out "limit 100k"
# 2. the tables fit, the page (and the charts) do not: they stay the old
#    ones, whole; the limit is set between the sizes a free run writes
#    (a 12-month window: agents over every month make the page large)
"$CX" --db "$T/db" --quiet report --window 12m --by channel,agent_id,product --out "$T/probe" > /dev/null || fail "probe report"
csv_max=$(wc -c "$T"/probe/*.csv | sort -n | tail -n 2 | head -n 1 | awk '{print $1}')
page=$(wc -c < "$T/probe/index.html")
[ "$page" -gt $((csv_max + 4096)) ] || fail "probe: page $page not larger than the tables $csv_max"
lim=$(( (csv_max + page) / 2048 ))
[ $lim -ge 40 ] || lim=40                       # SQLite's shared-memory file needs 32 KiB
[ "$page" -gt $(( lim * 1024 + 2048 )) ] || fail "probe: page of $page bytes fits under ${lim}k"
( ulimit -f $lim; "$CX" --db "$T/db" report --window 12m --by channel,agent_id,product --out "$T/out" > /dev/null 2> "$T/err" ); rc=$?
[ $rc -eq 1 ] || fail "report past the limit (page): exit $rc, want 1"
grep -q "index.html: write failed: File too large" "$T/err" || fail "page message: $(cat "$T/err")"
grep "index.html" "$T/before" | cmp -s - <(cd "$T/out" && md5sum ./index.html) || fail "the old page was not kept"
grep "charts/.*svg" "$T/before" | while read -r sum f; do
    [ "$(cd "$T/out" && md5sum "$f" | cut -d' ' -f1)" = "$sum" ] || [ "$(wc -c < "$T/out/$f")" -lt $((lim * 1024)) ] ||
        fail "chart $f replaced by a larger-than-limit file"
done
check_out "limit ${lim}k"
# 3. stats --input
( ulimit -f 100; "$CX" --quiet stats --input "$T/d/responses.csv" --by $BY --out "$T/out" 2> "$T/err" ); rc=$?
[ $rc -eq 1 ] || fail "stats --input past the limit: exit $rc, want 1"
grep -q "File too large" "$T/err" || fail "stats --input message: $(cat "$T/err")"
check_out "stats --input"
# 4. export to a file
( ulimit -f 50; "$CX" --db "$T/db" export responses > "$T/export.csv" 2> "$T/err" ); rc=$?
[ $rc -eq 1 ] || fail "export past the limit: exit $rc, want 1"
grep -q "write error on standard output: File too large" "$T/err" || fail "export message: $(cat "$T/err")"
# 5. an import that cannot grow the store (its 4000 new rows need far more
#    than 50 KB more): the store is as it was
"$CX" --db "$T/db" export responses > "$T/rows_before" || fail "export before"
size=$(( $(wc -c < "$T/db") / 1024 + 50 ))
( ulimit -f $size; "$CX" --db "$T/db" import responses "$T/d/responses.csv" 2> "$T/err" ); rc=$?
[ $rc -eq 1 ] || fail "import past the limit: exit $rc, want 1"
grep -q "cxpulse: import: store:" "$T/err" || fail "import message: $(cat "$T/err")"
[ "$(sqlite3 "$T/db" 'PRAGMA integrity_check')" = ok ] || fail "store damaged"
"$CX" --db "$T/db" export responses | cmp -s - "$T/rows_before" || fail "store changed by the failed import"
"$CX" --db "$T/db" --quiet import responses "$T/d/responses.csv" 2>/dev/null || fail "import after the limit is lifted"
echo "disk full: report, stats --input, export and import fail with 'File too large'/store error, exit 1, old files whole"
