# `stats --tables nps` from the store counts groups in the store (GROUP BY
# on the server for PostgreSQL) and must give nps.csv and nps_change.csv
# byte-identical to the streamed run, with a response attribute and a
# customer attribute among the dimensions, on SQLite and on PostgreSQL.
. tests/e2e/lib.inc
"$GEN" --rows 8000 --seed 5 --out "$T/d" >/dev/null 2>&1 || fail "gen-sample"
check_store() {   # DB LABEL
    "$CX" --db "$1" --quiet import responses "$T/d/responses.csv" || fail "$2 import"
    "$CX" --db "$1" --quiet import customers "$T/d/customers.csv" || fail "$2 import customers"
    "$CX" --db "$1" --quiet stats --by channel,region,tier --out "$T/full-$2" || fail "$2 stats"
    "$CX" --db "$1" --quiet stats --tables nps --by channel,region,tier --out "$T/push-$2" || fail "$2 stats --tables nps"
    for f in nps.csv nps_change.csv; do
        cmp -s "$T/full-$2/$f" "$T/push-$2/$f" || fail "$2: $f differs between the pushdown and the streamed run"
    done
    [ -e "$T/push-$2/agents.csv" ] && fail "$2: --tables nps wrote agents.csv"
    $PY tests/e2e/nps_reference.py "$T/d/responses.csv" --customers "$T/d/customers.csv" \
        --by channel,region,tier --check "$T/push-$2" >/dev/null || fail "$2: pushdown differs from the reference"
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
echo "stats --tables nps from store-side counts equals the streamed run and the reference (SQLite; $done_pg)"
