# One limit on attribute names across imports (PostgreSQL): see attr_limit.inc.
. tests/e2e/lib.inc
. tests/e2e/attr_limit.inc
PGTMP="$CXPULSE_ROOT/scripts/pg-tmp"
PGBIN=$("$PGTMP" bindir) || { echo "skipped: no PostgreSQL server (apt-get install postgresql)"; exit 0; }
trap '"$PGTMP" stop "$T/pg"; rm -rf "$T"' EXIT
eval "$("$PGTMP" start "$T/pg" 2>"$T/pg.err")" || fail "pg-tmp start: $(cat "$T/pg.err")"
PG=$CXPULSE_PG_URI
if "$CX" --db "$PG" status 2>&1 | grep -q "without PostgreSQL support"; then
    echo "skipped: ./cxpulse was built without libpq (the Makefile's PKGS needs libpq)"; exit 0
fi
"$PGBIN/psql" "$PG" -qX -c "CREATE DATABASE cxattr2" >/dev/null 2>&1 || fail "create database"
PG2=$(printf '%s' "$PG" | sed 's|:///[^?]*?|:///cxattr2?|')
[ "$PG2" != "$PG" ] || fail "cannot name a second database in $PG"
attr_limit_case "$PG" "$PG2"
echo "a store holds at most 64 attribute names across imports; at 64 export -> import round-trips (postgresql)"
