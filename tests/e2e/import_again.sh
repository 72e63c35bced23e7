# Importing the same responses file again into a store nothing has changed
# since (docs/performance.md, "Re-import") answers from the store's note of
# that import, without reading the rows: the same summary, the same rejects
# (their raw bytes whole, in their order, shown again) and the same import
# log as reading the file again would give.  An edited file, a store
# changed in between, another duplicate-id setting or a file holding a key
# twice read the file again.  SQLite (PostgreSQL: pg_import_again.sh).
. tests/e2e/lib.inc
"$GEN" --rows 200 --seed 5 --responses-only --out "$T/d" >/dev/null 2>&1 || fail "gen-sample"
$PY - "$T/d" <<'PYEOF' || fail "test files"
import csv, sys
d = sys.argv[1]
rows = list(csv.reader(open(f'{d}/responses.csv', newline='')))
h = rows[0]
u, sc = h.index('updated_at'), h.index('score')
def write(name, rs):
    with open(f'{d}/{name}', 'w', newline='') as f:
        csv.writer(f, lineterminator='\n').writerows(rs)
write('other.csv', [h, rows[10]])                       # held by source "other"
extra = list(rows[50]); extra[0] = 'zextra'
write('extra.csv', [h, extra])                          # another file: a new response
newer = list(rows[20]); newer[u] = '2031-01-01T00:00:00Z'
write('newer.csv', [h, newer])                          # the file's row 20 is then older: ignored
a = [list(r) for r in rows]
a[5][sc] = '11'                                         # rejected: score out of range
write('a.csv', a)
with open(f'{d}/a.csv', 'ab') as f:                     # rejected: not UTF-8, kept byte for byte
    f.write(b'zbad1,2025-11-03T10:00:00Z,,7,caf\xe9,c1,a1,web,cards,x,1,,north\n')
b = [list(r) for r in a]
b[30][sc] = str((int(b[30][sc]) + 1) % 11)              # an edit: same updated_at, other content
write('b.csv', b)
write('dup.csv', a + [a[40]])                           # a key twice
PYEOF
A="$T/d/a.csv"
said() {    # said DB FILE [OPTIONS]: the import's stderr
    db=$1 f=$2; shift 2
    "$CX" --db "$db" "$@" import responses "$f" 2>&1
    [ $? -le 3 ] || fail "import $f into $db"
}
dump() {    # dump DB: what an import leaves, but times and row ids
    sqlite3 "$1" "SELECT source, location, reason, hex(raw) FROM rejects ORDER BY id;
        SELECT kind, file, rows, inserted, replaced, ignored, rejected FROM imports ORDER BY id;
        SELECT source, response_id, updated_at, score, comment FROM responses ORDER BY source, response_id"
}
noted() { sqlite3 "$1" "SELECT count(*) FROM cx_import_seen WHERE file = '$2'" 2>/dev/null || echo 0; }
S="$T/s.db"
"$CX" --db "$S" --quiet import responses "$T/d/other.csv" --source other || fail "import other"
"$CX" --db "$S" --quiet import responses "$T/d/newer.csv" || fail "import newer"
first=$(said "$S" "$A")
echo "$first" | grep -q "201 rows: 197 new, 0 replaced, 0 unchanged, 1 older ignored, 3 rejected (1 already held as source other)" ||
    fail "first import: $first"
[ "$(noted "$S" "$A")" = 1 ] || fail "the first import is not noted"
cp "$S" "$T/copy.db"
# Reading the file again (the note taken away) gives the reference.
sqlite3 "$T/copy.db" "DROP TABLE cx_import_seen" || fail "drop the note"
want=$(said "$T/copy.db" "$A")
echo "$want" | grep -q "201 rows: 0 new, 0 replaced, 197 unchanged, 1 older ignored, 3 rejected" || fail "reference: $want"
got=$(said "$S" "$A")
[ "$got" = "$want" ] || fail "again from the note: $got, want $want"
[ "$(dump "$S")" = "$(dump "$T/copy.db")" ] || fail "the store differs from a re-read: $(diff <(dump "$S") <(dump "$T/copy.db") | head -5)"
# The note is what answered: a change made behind the generation's back
# (the shell's triggers taken away) is not seen; the copy, its note taken
# away again, sees it.  And a third import still answers from the note.
sqlite3 "$T/copy.db" "DROP TABLE cx_import_seen" || fail "drop the note again"
for db in "$S" "$T/copy.db"; do
    sqlite3 "$db" "DROP TRIGGER cx_gen_responses_update;
        UPDATE responses SET comment = 'behind' WHERE source = 'csv' AND response_id = 'r000001'" ||
        fail "a change behind the generation"
done
got=$(said "$S" "$A")
echo "$got" | grep -q "0 new, 0 replaced, 197 unchanged" || fail "the note did not answer the third import: $got"
got=$(said "$T/copy.db" "$A")
echo "$got" | grep -q "0 new, 1 replaced, 196 unchanged" || fail "the copy did not read the file: $got"
# A transaction that changes no response leaves the generation, and the
# note holds; one that changes a response moves it: read again, and the
# change made behind its back is seen.
"$CX" --db "$S" --quiet import responses "$T/d/newer.csv" || fail "import newer again"
got=$(said "$S" "$A")
echo "$got" | grep -q "0 new, 0 replaced, 197 unchanged" || fail "the note did not answer after an unchanged import: $got"
"$CX" --db "$S" --quiet import responses "$T/d/extra.csv" || fail "import extra"
got=$(said "$S" "$A")
echo "$got" | grep -q "201 rows: 0 new, 1 replaced, 196 unchanged, 1 older ignored, 3 rejected" || fail "after a change: $got"
# An edited file: read, one row replaced.
got=$(said "$S" "$T/d/b.csv")
echo "$got" | grep -q "0 new, 1 replaced, 196 unchanged" || fail "edited file: $got"
# Another duplicate-id setting: read; the held row comes in.
got=$(said "$S" "$T/d/b.csv" --allow-duplicate-ids)
echo "$got" | grep -q "200 rows: 1 new, 0 replaced, 197 unchanged, 1 older ignored, 1 rejected" || fail "duplicate ids allowed: $got"
# A key twice: not noted, and the next import reads it again.
got=$(said "$S" "$T/d/dup.csv")
[ "$(noted "$S" "$T/d/dup.csv")" = 0 ] || fail "a file with a key twice was noted"
# Standard input is never noted.
"$CX" --db "$S" --quiet import responses - < "$A" >/dev/null 2>&1
[ "$(noted "$S" "-")" = 0 ] || fail "standard input was noted"
echo "import again: summary, rejects, log and rows as a re-read; a store changed, an edited file, another id setting, a key twice, stdin read again"
