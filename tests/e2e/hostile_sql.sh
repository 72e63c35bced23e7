# SQL metacharacters in ids, sources, attribute names and values, --by
# dimension names (`--by "x'; DROP TABLE responses; --"`), --source, --db
# paths and the month: all are data (bound parameters, json_each keys), the
# store keeps every table and row, counts pushed down to the store equal
# the same data streamed (stats --input), and a malformed --month is a
# usage error.  Runs on SQLite and, when scripts/pg-tmp finds a server, on a
# throwaway PostgreSQL too.
. tests/e2e/lib.inc
export PYTHONPATH="$CXPULSE_ROOT/tests/e2e"
DROP="x'; DROP TABLE responses; --"
$PY - "$T" <<'PYEOF' || fail "generating data"
import csv, sys
T = sys.argv[1]
Q = ["x'; DROP TABLE responses; --", "'; DELETE FROM customers; --", '"; DROP TABLE spend; --',
     "a' OR '1'='1", "); ATTACH DATABASE '/tmp/x' AS x; --", "\\'; SELECT 1; --", "$1", "?", ":name",
     "' UNION SELECT * FROM rejects --", "a.b", "$.a", '$."x"', "1; SELECT pg_sleep(10); --",
     "E'\\\\x41'", "\\\\.", "COPY x FROM PROGRAM 'touch %s/canary'" % T]
with open(T + '/in.csv', 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f)
    w.writerow(['response_id', 'responded_at', 'score', 'customer_id', 'agent_id', 'channel',
                "x'; DROP TABLE responses; --", 'a.b', '$."x"'])
    i = 0
    for month in ('2026-01', '2026-02'):
        for q in Q:
            for s in (10, 9, 4, 8):
                i += 1
                w.writerow(['%s/%d' % (q, i), '%s-1%dT08:00:00Z' % (month, s % 10), s, q, q, q, q, q, q])
with open(T + '/customers.csv', 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f)
    w.writerow(['customer_id', 'annual_value', "t'; DROP TABLE customers; --"])
    for k, q in enumerate(Q):
        w.writerow([q, 10 + k, q])
with open(T + '/spend.csv', 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f)
    w.writerow(['customer_id', 'date', 'amount'])
    for q in Q:
        w.writerow([q, '2026-01-05', 3])
PYEOF
BY_STREAM="channel,agent_id,$DROP,a.b,\$.\"x\""
BY="$BY_STREAM,t'; DROP TABLE customers; --"
run_store() {   # DB: import everything twice (upserts), then stats, report, export
    db=$1 tag=$2
    for i in 1 2; do
        "$CX" --db "$db" --quiet import responses "$T/in.csv" --source "$DROP" || fail "$tag: import responses"
        "$CX" --db "$db" --quiet import customers "$T/customers.csv" || fail "$tag: import customers"
        "$CX" --db "$db" --quiet import spend "$T/spend.csv" --source "s'; DROP TABLE spend; --" || fail "$tag: import spend"
    done
    "$CX" --db "$db" --quiet stats --by "$BY" --out "$T/$tag" || fail "$tag: stats"
    "$CX" --db "$db" --quiet report --by "$BY" --out "$T/$tag" > /dev/null || fail "$tag: report"
    "$CX" --db "$db" export responses --source "$DROP" > "$T/$tag.export" || fail "$tag: export --source"
    # a source the store does not hold: exit 2 and nothing written (matched by SQL, it would export rows)
    "$CX" --db "$db" export responses --source "x' OR '1'='1" > "$T/$tag.none" 2> /dev/null
    [ $? -eq 2 ] || fail "$tag: export of a source the store does not hold: not refused"
    [ -s "$T/$tag.none" ] && fail "$tag: --source matched by SQL, not by value"
    "$CX" --db "$db" export responses --month "2026-01' OR '1'='1" > /dev/null 2>&1
    [ $? -eq 2 ] || fail "$tag: malformed --month not a usage error"
    "$CX" --db "$db" status > "$T/$tag.status" || fail "$tag: status"
    grep -q '^responses: *136' "$T/$tag.status" || fail "$tag: rows lost or doubled: $(head -3 "$T/$tag.status")"
    grep -q '^customers: *17' "$T/$tag.status" || fail "$tag: customers: $(sed -n 3p "$T/$tag.status")"
    grep -q '^spend rows: *17' "$T/$tag.status" || fail "$tag: spend: $(sed -n 4p "$T/$tag.status")"
}
# The --db path itself is full of metacharacters.
DB="$T/it's; \"a\" db.sqlite"
run_store "$DB" sqlite
[ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ] || fail "sqlite: store damaged"
# the CSV stream has no customers: their attribute is not a dimension there,
# and asking for it is refused (exit 2) rather than answered with nothing
"$CX" --quiet stats --input "$T/in.csv" --by "$BY" --out "$T/nostream" 2> "$T/by.err"
[ $? -eq 2 ] || fail "stats --input --by a customer attribute: not refused"
grep -q "stats: --by t'; DROP TABLE customers; --: no response or customer has it" "$T/by.err" ||
    fail "stats --input --by a customer attribute said: $(cat "$T/by.err")"
"$CX" --quiet stats --input "$T/in.csv" --by "$BY_STREAM" --out "$T/stream" || fail "stats --input"
[ -e "$T/canary" ] && fail "a data string ran as a command"
$PY - "$T" <<'PYEOF' || fail "counts differ"
import csv, sys
T = sys.argv[1]
def rows(p):
    return sorted(tuple(r) for r in csv.reader(open(p, newline='', encoding='utf-8')))
ref = [r for r in rows(T + '/stream/nps.csv')]
got = rows(T + '/sqlite/nps.csv')
# the CSV stream has no customers: compare every dimension but the customer one
ref = [r for r in ref if not r[1].startswith("t'")]
got = [r for r in got if not r[1].startswith("t'")]
assert ref == got, 'store counts differ from the streamed counts'
dims = {r[1] for r in rows(T + '/sqlite/nps.csv')}
assert "x'; DROP TABLE responses; --" in dims and '$."x"' in dims and 'a.b' in dims, dims
tier = [r for r in rows(T + '/sqlite/nps.csv') if r[1].startswith("t'") and r[0] == 'all']
assert len(tier) == 17, ('customer attribute segments', len(tier))
PYEOF
pg=""
if PGBIN=$("$CXPULSE_ROOT/scripts/pg-tmp" bindir 2>/dev/null) && [ -n "$PGBIN" ]; then
    if out=$("$CXPULSE_ROOT/scripts/pg-tmp" start "$T/pg" 2>"$T/pg.err"); then
        eval "$out"
        trap '"$CXPULSE_ROOT/scripts/pg-tmp" stop "$T/pg" >/dev/null 2>&1; rm -rf "$T"' EXIT
        run_store "$CXPULSE_PG_URI" pg
        $PY - "$T" <<'PYEOF' || fail "PostgreSQL counts differ from SQLite"
import csv, sys
T = sys.argv[1]
rows = lambda p: sorted(tuple(r) for r in csv.reader(open(p, newline='', encoding='utf-8')))
for name in ('nps.csv', 'nps_change.csv', 'agents.csv', 'hic.csv'):
    assert rows(T + '/pg/' + name) == rows(T + '/sqlite/' + name), name
PYEOF
        pg=" and PostgreSQL"
    fi
fi
echo "SQL metacharacters in ids, names, --by, --source, --db are data on SQLite$pg; counts match the stream"
