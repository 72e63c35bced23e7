# The store's pushed-down counts (`stats --tables nps`: SQL on SQLite and
# PostgreSQL) take the same value for a --by dimension as the C rule of the
# streamed run (cx_dim_field in core/model.h, run/run.c), on every kind of
# dimension: a text model field (channel, customer_id), the source, a
# response attribute (present, empty, absent), a customer attribute (the
# customer known, unknown, without a customer id), a name that is both (the
# response's wins, even empty); a name nothing has is refused by both
# (exit 2, a typo: tests/e2e/by_typo.sh).  nps.csv and
# nps_change.csv must be byte-identical, and the hand-counted groups below
# must appear.
. tests/e2e/lib.inc
cat > "$T/a.csv" <<'CSV'
response_id,responded_at,score,comment,channel,customer_id,region,tier
a1,2026-01-05T10:00:00Z,10,,phone,C1,north,gold
a2,2026-01-06T10:00:00Z,9,,phone,C2,,
a3,2026-01-07T10:00:00Z,3,,chat,C3,south,
a4,2026-02-01T10:00:00Z,8,,,C1,north,silver
a5,2026-02-02T10:00:00Z,0,,chat,,south,gold
a6,2026-02-03T10:00:00Z,10,,email,C9,,
CSV
cat > "$T/b.csv" <<'CSV'
response_id,responded_at,score,comment,channel,customer_id
b1,2026-01-08T10:00:00Z,7,,phone,C2
b2,2026-02-04T10:00:00Z,2,,chat,C3
b3,2026-02-05T10:00:00Z,9,,,C4
CSV
cat > "$T/customers.csv" <<'CSV'
customer_id,annual_value,segment,tier
C1,100,retail,platinum
C2,200,,bronze
C3,300,business,
C4,50,retail,bronze
CSV
DIMS=source,channel,customer_id,region,tier,segment
check_store() {   # DB LABEL
    "$CX" --db "$1" --quiet import responses "$T/a.csv" --source a || fail "$2 import a"
    "$CX" --db "$1" --quiet import responses "$T/b.csv" --source b || fail "$2 import b"
    "$CX" --db "$1" --quiet import customers "$T/customers.csv" || fail "$2 import customers"
    "$CX" --db "$1" --quiet stats --by "$DIMS" --out "$T/full-$2" || fail "$2 stats"
    "$CX" --db "$1" --quiet stats --tables nps --by "$DIMS" --out "$T/push-$2" || fail "$2 stats --tables nps"
    for t in "" "--tables nps"; do
        # shellcheck disable=SC2086
        "$CX" --db "$1" --quiet stats $t --by "$DIMS,nosuch" --out "$T/no-$2" 2> "$T/no.err"
        [ $? -eq 2 ] || fail "$2 stats $t: --by nosuch not refused"
        grep -q "^cxpulse: stats: --by nosuch: no response or customer has it" "$T/no.err" ||
            fail "$2 stats $t --by nosuch said: $(cat "$T/no.err")"
    done
    for f in nps.csv nps_change.csv; do
        cmp -s "$T/full-$2/$f" "$T/push-$2/$f" ||
            fail "$2: $f differs between the pushdown and the C rule: $(diff "$T/full-$2/$f" "$T/push-$2/$f" | head -5)"
    done
    # Hand counts over all months (period `all`): n, promoters, passives, detractors.
    $PY - "$T/push-$2/nps.csv" <<'PYEOF' || fail "$2: hand-counted groups"
import csv, sys
rows = {(r['dimension'], r['segment']): (int(r['n']), int(r['promoters']), int(r['passives']), int(r['detractors']))
        for r in csv.DictReader(open(sys.argv[1], newline='')) if r['period'] == 'all'}
want = {
    ('all', 'all'): (9, 4, 2, 3),
    ('source', 'a'): (6, 3, 1, 2), ('source', 'b'): (3, 1, 1, 1),
    ('channel', 'phone'): (3, 2, 1, 0), ('channel', 'chat'): (3, 0, 0, 3), ('channel', 'email'): (1, 1, 0, 0),
    ('customer_id', 'C1'): (2, 1, 1, 0), ('customer_id', 'C3'): (2, 0, 0, 2), ('customer_id', 'C9'): (1, 1, 0, 0),
    ('region', 'north'): (2, 1, 1, 0), ('region', 'south'): (2, 0, 0, 2),
    # a1 gold, a4 silver, a5 gold from the responses; a2, a3, a6 have the column empty: missing,
    # not their customer's; b1 (C2 bronze), b2 (C3 empty), b3 (C4 bronze) from the customers
    ('tier', 'gold'): (2, 1, 0, 1), ('tier', 'silver'): (1, 0, 1, 0), ('tier', 'bronze'): (2, 1, 1, 0),
    # a segment only customers have: C1 retail (a1, a4), C3 business (a3, b2), C4 retail (b3); C2 empty
    ('segment', 'retail'): (3, 2, 1, 0), ('segment', 'business'): (2, 0, 0, 2),
}
for k, v in want.items():
    assert rows.get(k) == v, (k, rows.get(k), v)
dims = {d for d, _ in rows}
assert 'nosuch' not in dims, 'a dimension nothing has got segments'
assert ('tier', 'platinum') not in rows, "a response's own attribute (a1, a4) must win over its customer's"
PYEOF
}
check_store "$T/db" sqlite
done_pg="PostgreSQL skipped (no server)"
PGTMP="$CXPULSE_ROOT/scripts/pg-tmp"
if "$PGTMP" bindir >/dev/null 2>&1; then
    trap '"$PGTMP" stop "$T/pg" >/dev/null 2>&1; rm -rf "$T"' EXIT
    eval "$("$PGTMP" start "$T/pg" 2>"$T/pg.err")" || fail "pg-tmp start: $(cat "$T/pg.err")"
    check_store "$CXPULSE_PG_URI" pg
    cmp -s "$T/push-sqlite/nps.csv" "$T/push-pg/nps.csv" || fail "pushdown nps.csv differs between backends"
    done_pg="PostgreSQL too"
fi
echo "pushdown agrees with the C dimension rule on 7 dimension kinds (SQLite; $done_pg)"
