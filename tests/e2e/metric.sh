# The metric of a response (nps 0..10, csat 1..5 or good/bad, ces 1..7):
# imported from a `metric` column, checked against its scale (a bad one
# rejected with line, field and reason), kept by the store and exported so
# that export -> import round-trips exactly; the NPS tables count NPS
# responses only.  A store made before the metric existed is migrated and
# its rows are NPS.
. tests/e2e/lib.inc
cat > "$T/mixed.csv" <<'CSV'
response_id,responded_at,score,metric,comment
n1,2026-11-02T10:00:00Z,10,nps,
n2,2026-11-03T10:00:00Z,3,,plain
n3,2026-11-04T10:00:00Z,8,NPS,
c1,2026-11-05T10:00:00Z,5,csat,happy
c2,2026-11-06T10:00:00Z,good,csat,thumbs up
c3,2026-11-07T10:00:00Z,bad,CSAT,
e1,2026-11-08T10:00:00Z,7,ces,
x1,2026-11-09T10:00:00Z,0,csat,off the csat scale
x2,2026-11-10T10:00:00Z,8,ces,off the ces scale
x3,2026-11-11T10:00:00Z,4,star,unknown metric
x4,2026-11-12T10:00:00Z,good,nps,good is not an nps score
CSV
"$CX" --db "$T/db" import responses "$T/mixed.csv" 2>"$T/err"
[ $? -eq 3 ] || fail "mixed import: want exit 3 (4 bad rows)"
for want in "mixed.csv:9: field 'score': csat score is out of range 1..5" \
            "mixed.csv:10: field 'score': ces score is out of range 1..7" \
            "mixed.csv:11: field 'metric': unknown metric (nps, csat or ces)" \
            "mixed.csv:12: field 'score': score is not a number"; do
    grep -qF "$want" "$T/err" || fail "no '$want' in: $(cat "$T/err")"
done
"$CX" --db "$T/db" export responses > "$T/out.csv" || fail "export"
$PY - "$T/out.csv" <<'PY' || fail "exported metrics"
import csv, sys
rows = {r["response_id"]: r for r in csv.DictReader(open(sys.argv[1], newline=""))}
want = {"n1": ("nps", "10"), "n2": ("nps", "3"), "n3": ("nps", "8"), "c1": ("csat", "5"),
        "c2": ("csat", "good"), "c3": ("csat", "bad"), "e1": ("ces", "7")}
got = {k: (r["metric"], r["score"]) for k, r in rows.items()}
assert got == want, got
PY
"$CX" --db "$T/db2" --quiet import responses "$T/out.csv" || fail "re-import of the export"
"$CX" --db "$T/db2" export responses | cmp -s - "$T/out.csv" || fail "export -> import -> export differs"
# NPS tables: n1 promoter, n2 detractor, n3 passive; the CSAT and CES rows are not in them.
"$CX" --db "$T/db" --quiet stats --out "$T/o" || fail "stats"
$PY - "$T/o/nps.csv" <<'PY' || fail "nps.csv counts other metrics"
import csv, sys
r = [x for x in csv.DictReader(open(sys.argv[1])) if x["period"] == "all" and x["dimension"] == "all"][0]
assert (r["n"], r["promoters"], r["passives"], r["detractors"]) == ("3", "1", "1", "1"), r
PY
"$CX" --quiet stats --input "$T/out.csv" --out "$T/o2" || fail "stats --input"
cmp -s "$T/o/nps.csv" "$T/o2/nps.csv" || fail "stats --input counts differ from the store's"

# A store at schema version 1 (before the metric) is migrated; its rows are NPS.
sqlite3 "$T/old.db" "CREATE TABLE responses (source TEXT NOT NULL, response_id TEXT NOT NULL,
 responded_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, month INTEGER NOT NULL,
 score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10), comment TEXT NOT NULL DEFAULT '',
 customer_id TEXT NOT NULL DEFAULT '', agent_id TEXT NOT NULL DEFAULT '', channel TEXT NOT NULL DEFAULT '',
 product TEXT NOT NULL DEFAULT '', interaction_type TEXT NOT NULL DEFAULT '', handle_time_s REAL,
 moments TEXT NOT NULL DEFAULT '', attributes TEXT NOT NULL DEFAULT '{}', PRIMARY KEY (source, response_id));
CREATE INDEX responses_month ON responses(month);
CREATE TABLE customers (customer_id TEXT PRIMARY KEY, annual_value REAL, attributes TEXT NOT NULL DEFAULT '{}');
CREATE TABLE spend (source TEXT NOT NULL, customer_id TEXT NOT NULL, day INTEGER NOT NULL, amount REAL NOT NULL);
CREATE INDEX spend_source ON spend(source);
CREATE TABLE rejects (id INTEGER PRIMARY KEY, source TEXT NOT NULL, at INTEGER NOT NULL,
 location TEXT NOT NULL, reason TEXT NOT NULL, raw BLOB NOT NULL);
CREATE TABLE imports (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL, file TEXT NOT NULL,
 rows INTEGER NOT NULL, inserted INTEGER NOT NULL, replaced INTEGER NOT NULL, ignored INTEGER NOT NULL,
 rejected INTEGER NOT NULL);
CREATE TABLE sync_state (source TEXT PRIMARY KEY, checkpoint TEXT, last_sync INTEGER, last_fetched INTEGER, last_error TEXT);
INSERT INTO responses (source, response_id, responded_at, updated_at, month, score) VALUES ('csv', 'old1', 1780000000, 1780000000, 24316, 9);
PRAGMA user_version = 1;" || fail "make an old store"
"$CX" --db "$T/old.db" export responses > "$T/old.csv" || fail "open an old store"
grep -q '^csv,old1,.*,9,.*,nps.\?$' "$T/old.csv" || fail "old row: $(cat "$T/old.csv")"
[ "$(sqlite3 "$T/old.db" 'PRAGMA user_version')" = 10 ] || fail "not migrated"
# version 7 has no month index: the migration dropped the old store's
[ "$(sqlite3 "$T/old.db" "SELECT count(*) FROM sqlite_master WHERE name = 'responses_month'")" = 0 ] ||
    fail "the month index is still there after the migration"

# PostgreSQL: the same import gives the same export and NPS table.
pg="not run (no PostgreSQL server)"
PGTMP="$CXPULSE_ROOT/scripts/pg-tmp"
if "$PGTMP" bindir >/dev/null 2>&1; then
    trap '"$PGTMP" stop "$T/pg"; rm -rf "$T"' EXIT
    eval "$("$PGTMP" start "$T/pg" 2>"$T/pg.err")" || fail "pg-tmp start: $(cat "$T/pg.err")"
    if ! "$CX" --db "$CXPULSE_PG_URI" status 2>&1 | grep -q "without PostgreSQL support"; then
        "$CX" --db "$CXPULSE_PG_URI" --quiet import responses "$T/mixed.csv" 2>/dev/null
        [ $? -eq 3 ] || fail "PostgreSQL import: want exit 3"
        "$CX" --db "$CXPULSE_PG_URI" export responses | cmp -s - "$T/out.csv" || fail "PostgreSQL export differs"
        "$CX" --db "$CXPULSE_PG_URI" --quiet stats --out "$T/o3" || fail "PostgreSQL stats"
        cmp -s "$T/o/nps.csv" "$T/o3/nps.csv" || fail "PostgreSQL nps.csv differs"
        pg="identical on PostgreSQL"
    fi
fi
echo "metrics imported, checked, stored, exported and round-tripped; NPS tables on NPS rows only; v1 store migrated; $pg"
