# The store locked by another process (a writer holding BEGIN EXCLUSIVE)
# or read-only: an import waits for the lock (busy timeout), then fails
# with "database is locked", exit 1; a read-only store refuses writes with
# a clear message and is still read (status, export, stats: opened
# read-only).  Either way the store is not damaged (integrity_check)
# nor changed.  (Readers during the lock: fault_locked_readers.sh.)
. tests/e2e/lib.inc
"$GEN" --rows 3000 --seed 2 --out "$T/d" --responses-only >/dev/null 2>&1 || fail "gen-sample"
head -1001 "$T/d/responses.csv" > "$T/a.csv"
"$CX" --db "$T/db" --quiet import responses "$T/a.csv" || fail "import"
"$CX" --db "$T/db" export responses > "$T/before.csv" || fail "export"

# another process holds the write lock (until killed, at most 30 s)
$PY - "$T/db" "$T/locked" <<'PYEOF' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=0)
db.execute('BEGIN EXCLUSIVE')
open(sys.argv[2], 'w').close()
time.sleep(30)
db.execute('ROLLBACK')
PYEOF
LPID=$!
for _ in $(seq 1 100); do [ -e "$T/locked" ] && break; sleep 0.05; done
[ -e "$T/locked" ] || fail "could not take the lock"
t0=$(date +%s)
"$CX" --db "$T/db" import responses "$T/d/responses.csv" 2> "$T/err"; rc=$?
t1=$(date +%s)
[ $rc -eq 1 ] || fail "import into a locked store: exit $rc, want 1"
grep -q "locked" "$T/err" || fail "locked store message: $(cat "$T/err")"
[ $((t1 - t0)) -ge 5 ] || fail "the import did not wait for the lock ($((t1 - t0)) s)"
kill $LPID; wait $LPID 2>/dev/null
[ "$(sqlite3 "$T/db" 'PRAGMA integrity_check')" = ok ] || fail "store damaged"
"$CX" --db "$T/db" export responses | cmp -s - "$T/before.csv" || fail "store changed by the failed import"

# read-only: as an unprivileged user when we are root (root may write anyway)
chmod 755 "$T"
if [ "$(id -u)" = 0 ]; then
    as_other() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
    command -v setpriv >/dev/null || as_other() { runuser -u nobody -- "$@"; }
else
    chmod a-w "$T/db" "$T"
    as_other() { "$@"; }
fi
ro="read-only store refused"
if ! as_other "$CX" --version > /dev/null 2>&1; then
    ro="read-only part skipped: $CX cannot run as another user"
else
    as_other "$CX" --db "$T/db" import responses "$T/d/responses.csv" 2> "$T/err"; rc=$?
    [ $rc -eq 1 ] || fail "import into a read-only store: exit $rc, want 1"
    grep -qi "readonly\|read-only\|permission\|unable to open" "$T/err" || fail "read-only message: $(cat "$T/err")"
    # reading still works: status, export, stats (into a directory we may write)
    as_other "$CX" --db "$T/db" status > "$T/ro-status" 2> "$T/err" || fail "status of a read-only store: $(cat "$T/err")"
    grep -q "read-only" "$T/ro-status" || fail "status does not say read-only: $(head -2 "$T/ro-status")"
    as_other "$CX" --db "$T/db" export responses 2> "$T/err" | cmp -s - "$T/before.csv" ||
        fail "export of a read-only store differs: $(cat "$T/err")"
    ro_out=$(mktemp -d); chmod 777 "$ro_out"
    as_other "$CX" --db "$T/db" --quiet stats --out "$ro_out/s" 2> "$T/err" || fail "stats of a read-only store: $(cat "$T/err")"
    [ "$(wc -l < "$ro_out/s/nps.csv")" -gt 1 ] || fail "stats of a read-only store: no NPS rows"
    # a file name SQLite's URIs would misread unless escaped
    odd="$T/odd?mode=rw#x %41.db"
    cp "$T/db" "$odd"
    [ "$(id -u)" = 0 ] || chmod a-w "$odd"
    as_other "$CX" --db "$odd" export responses 2> "$T/err" | cmp -s - "$T/before.csv" ||
        fail "export of a read-only store with an odd name: $(cat "$T/err")"
    [ "$(id -u)" = 0 ] || chmod u+w "$odd"
    rm -f "$odd"
    # a store of schema 6 (7 less the month index's drop) that cannot be
    # migrated is read as it is; one of schema 5 is refused, saying why
    mkdir "$T/v6"
    cp "$T/db" "$T/v6/db"
    sqlite3 "$T/v6/db" "CREATE INDEX responses_month ON responses(month); PRAGMA user_version = 6" ||
        fail "make a schema 6 store"
    [ "$(id -u)" = 0 ] || chmod a-w "$T/v6/db" "$T/v6"
    as_other "$CX" --db "$T/v6/db" --quiet stats --out "$ro_out/v6" 2> "$T/err" ||
        fail "stats of a read-only store of schema 6: $(cat "$T/err")"
    diff -r "$ro_out/s" "$ro_out/v6" > /dev/null || fail "stats of a read-only store of schema 6 differ"
    as_other "$CX" --db "$T/v6/db" status 2> "$T/err" | grep -q "read-only, schema 6; open it once with write access" ||
        fail "status of a read-only store of schema 6 does not say its schema: $(cat "$T/err")"
    # its import log has no unchanged column: every import's rows already
    # held are counted together, as logged
    n_imp=$(sqlite3 "$T/v6/db" 'SELECT count(*) FROM imports')
    held=$(sqlite3 "$T/v6/db" 'SELECT sum(replaced + ignored) FROM imports')
    as_other "$CX" --db "$T/v6/db" status 2> "$T/err" |
        grep -q "^imports: .* 0 replaced, 0 unchanged, 0 older ignored, $held already held (replaced, unchanged or older) by $n_imp imports\? logged before these were told apart; last" ||
        fail "status of a read-only store of schema 6: its import log: $(as_other "$CX" --db "$T/v6/db" status 2>&1)"
    [ "$(id -u)" = 0 ] || chmod u+w "$T/v6/db" "$T/v6"
    sqlite3 "$T/v6/db" "PRAGMA user_version = 5" || fail "make a schema 5 store"
    [ "$(id -u)" = 0 ] || chmod a-w "$T/v6/db" "$T/v6"
    as_other "$CX" --db "$T/v6/db" --quiet stats --out "$ro_out/v5" 2> "$T/err" &&
        fail "a read-only store of schema 5 was read"
    grep -q "read-only, at schema version 5; this cxpulse needs 10" "$T/err" || fail "schema 5: $(cat "$T/err")"
    [ "$(id -u)" = 0 ] || chmod u+w "$T/v6/db" "$T/v6"
    rm -rf "$T/v6"
    rm -rf "$ro_out"
    ro="read-only store refused for writes, read by status, export and stats (schema 6 too)"
fi
chmod u+w "$T/db" "$T"
[ "$(sqlite3 "$T/db" 'PRAGMA integrity_check')" = ok ] || fail "store damaged (read-only)"
"$CX" --db "$T/db" export responses | cmp -s - "$T/before.csv" || fail "read-only store changed"
"$CX" --db "$T/db" --quiet import responses "$T/d/responses.csv" || fail "import once writable again"
echo "locked store: import waits, then fails 'locked' (exit 1); $ro; no damage"
