# migrate() takes the write lock only to migrate
# (core/store/store_sqlite.c): while another process holds the store's
# write lock -- a long import or ingest transaction -- readers (status,
# export, stats, report) go on at once instead of waiting for it (and
# failing after the 10 s busy timeout).
. tests/e2e/lib.inc
"$GEN" --rows 1000 --seed 2 --out "$T/d" --responses-only >/dev/null 2>&1 || fail "gen-sample"
"$CX" --db "$T/db" --quiet import responses "$T/d/responses.csv" || fail "import"
$PY - "$T/db" "$T/locked" <<'PYEOF' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=0)
db.execute('BEGIN EXCLUSIVE')
open(sys.argv[2], 'w').close()
time.sleep(30)
PYEOF
LPID=$!
trap 'kill $LPID 2>/dev/null; wait $LPID 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 1 100); do [ -e "$T/locked" ] && break; sleep 0.05; done
[ -e "$T/locked" ] || fail "could not take the lock"
for cmd in "status" "export responses" "stats --out $T/out" "report --out $T/out" "agents"; do
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    "$CX" --db "$T/db" --quiet $cmd > /dev/null 2> "$T/err" || fail "$cmd failed while a writer held the lock: $(cat "$T/err")"
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    [ $ms -lt 3000 ] || fail "$cmd waited ${ms} ms for the writer's lock"
done
echo "readers (status, export, stats, report, agents) are not blocked by a writer's lock"
