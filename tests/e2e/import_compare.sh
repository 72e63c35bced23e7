# A re-import compares each row with its stored row (store_sqlite_bulk.c
# drop_range, in C, and SQL at the end): rows another program changed in
# the store are counted as SQL's IS compares them, whatever type it wrote.
# A comment stored as a blob of the same bytes is not the same text (SQL:
# replaced); a changed comment is replaced; an updated_at stored as text
# (later than any number in SQLite's order) leaves the file's row older,
# ignored.  10000 rows: the first two edits in the second batch of 8192,
# compared in C, the third in the first, which goes to SQL.
. tests/e2e/lib.inc
"$GEN" --rows 10000 --seed 4 --responses-only --out "$T/d" >/dev/null 2>&1 || fail "gen-sample"
F="$T/d/responses.csv"
S="$T/s.db"
"$CX" --db "$S" --quiet import responses "$F" || fail "import"
n=$(sqlite3 "$S" "SELECT count(*) FROM responses")
sqlite3 "$S" "UPDATE responses SET comment = CAST(comment AS BLOB) WHERE response_id = 'r009050';
    UPDATE responses SET comment = comment || ' (edited)' WHERE response_id = 'r009100';
    UPDATE responses SET updated_at = 'later' WHERE response_id = 'r002000'" || fail "edits"
[ "$(sqlite3 "$S" "SELECT typeof(comment) FROM responses WHERE response_id = 'r009050'")" = blob ] ||
    fail "the comment is not stored as a blob"
got=$("$CX" --db "$S" import responses "$F" 2>&1)
want="$n rows: 0 new, 2 replaced, $((n - 3)) unchanged, 1 older ignored, 0 rejected"
echo "$got" | grep -qF "$want" || fail "re-import: $got, want $want"
[ "$(sqlite3 "$S" "SELECT comment NOT LIKE '% (edited)' FROM responses WHERE response_id = 'r009100'")" = 1 ] ||
    fail "the edited comment was not replaced"
[ "$(sqlite3 "$S" "SELECT typeof(comment) FROM responses WHERE response_id = 'r009050'")" = text ] ||
    fail "the blob comment was not replaced"
echo "re-import compares rows another program changed as SQL does: a blob of the same bytes and an edit replaced, a text updated_at newer"
