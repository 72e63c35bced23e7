# Importing the same responses file again into a SQLite store nothing has
# changed since answers from the store's note of that import
# (store_sqlite_seen.c; docs/performance.md, "Re-import"): the scenario of
# import_again.inc (pg_import_again.sh runs it on PostgreSQL).  Behind the
# generation's back: the shell's update trigger taken away.
. tests/e2e/lib.inc
. tests/e2e/import_again.inc
S="$T/s.db"
copy_store() { C="$T/copy.db"; cp "$S" "$C" || fail "copy the store"; }
drop_note() { sqlite3 "$1" "DROP TABLE IF EXISTS cx_import_seen" || fail "drop the note of $1"; }
behind() {
    sqlite3 "$1" "DROP TRIGGER cx_gen_responses_update;
        UPDATE responses SET comment = 'behind' WHERE source = 'csv' AND response_id = 'r000001'" ||
        fail "a change behind the generation of $1"
}
noted() { sqlite3 "$1" "SELECT count(*) FROM cx_import_seen WHERE file = '$2'" 2>/dev/null || echo 0; }
dump() {
    sqlite3 "$1" "SELECT source, location, reason, hex(raw) FROM rejects ORDER BY id;
        SELECT kind, file, rows, inserted, replaced, ignored, rejected FROM imports ORDER BY id;
        SELECT source, response_id, updated_at, score, comment FROM responses ORDER BY source, response_id"
}
sql() { sqlite3 "$1" "$2"; }
again_scenario
echo "import again: summary, rejects, log and rows as a re-read; a store changed, rejects edited, an edited file, another id setting, a key twice, stdin read again"
