# Importing the same responses file again into a PostgreSQL store nothing
# has changed since answers from the store's note of that import
# (store_pg_seen.c; docs/performance.md, "Re-import"), without sending a
# row to the server: the scenario of import_again.inc.  The copy of the
# store is a database made from it (CREATE DATABASE … TEMPLATE); behind
# the generation's back: the trigger off for the update.
. tests/e2e/lib.inc
. tests/e2e/ingest_lib.inc
. tests/e2e/import_again.inc
start_pg
PSQL="$("$PGTMP" bindir)/psql"
db() { printf '%s' "$PG" | sed "s|///cxpulse?|///$1?|"; }
sql() { "$PSQL" -X -At "$1" -c "$2"; }
S=$(db cxpulse)
copy_store() {
    C=$(db cx_copy)
    sql "$S" "CREATE DATABASE cx_copy TEMPLATE cxpulse" >/dev/null || fail "copy the store"
}
drop_note() { sql "$1" "DROP TABLE IF EXISTS cx_import_seen" >/dev/null 2>&1 || fail "drop the note of $1"; }
behind() {
    sql "$1" "ALTER TABLE responses DISABLE TRIGGER cx_changes_responses;
        UPDATE responses SET comment = 'behind' WHERE source = 'csv' AND response_id = 'r000001';
        ALTER TABLE responses ENABLE TRIGGER cx_changes_responses" >/dev/null ||
        fail "a change behind the generation of $1"
}
noted() { sql "$1" "SELECT count(*) FROM cx_import_seen WHERE file = '$2'" 2>/dev/null || echo 0; }
dump() {
    sql "$1" "SELECT source, location, reason, encode(raw, 'hex') FROM rejects ORDER BY id" &&
        sql "$1" "SELECT kind, file, rows, inserted, replaced, ignored, rejected FROM imports ORDER BY id" &&
        sql "$1" "SELECT source, response_id, updated_at, score, comment FROM responses ORDER BY source, response_id"
}
again_scenario
echo "PostgreSQL import again: summary, rejects, log and rows as a re-read; a store changed, rejects edited, an edited file, another id setting, a key twice, stdin read again"
