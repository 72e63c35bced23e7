# Importing the same responses file again into a PostgreSQL store nothing
# has changed since answers from the store's note of that import
# (store_pg_seen.c; docs/performance.md, "Re-import"), without sending a
# row to the server: the same summary, the same rejects (their raw bytes
# whole, in their order, shown again) and the same import log as reading
# the file again (a copy of the database without the note) gives.  A
# change made behind the generation's back is not seen (the note
# answered); a store changed in between, an edited file, another
# duplicate-id setting or a file holding a key twice read the file again.
. tests/e2e/lib.inc
. tests/e2e/ingest_lib.inc
start_pg
PSQL="$("$PGTMP" bindir)/psql"
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
db() { printf '%s' "$PG" | sed "s|///cxpulse?|///$1?|"; }
S=$(db cxpulse)
said() {    # said URI FILE [OPTIONS]: the import's stderr
    uri=$1 f=$2; shift 2
    "$CX" --db "$uri" "$@" import responses "$f" 2>&1
    [ $? -le 3 ] || fail "import $f into $uri"
}
q() { "$PSQL" -X -At "$1" -c "$2"; }
dump() {    # dump URI: what an import leaves, but times and row ids
    q "$1" "SELECT source, location, reason, encode(raw, 'hex') FROM rejects ORDER BY id" &&
    q "$1" "SELECT kind, file, rows, inserted, replaced, ignored, rejected FROM imports ORDER BY id" &&
    q "$1" "SELECT source, response_id, updated_at, score, comment FROM responses ORDER BY source, response_id"
}
noted() { q "$1" "SELECT count(*) FROM cx_import_seen WHERE file = '$2'" 2>/dev/null || echo 0; }
copy() {    # copy NAME: a new database NAME made from the store, its note taken away
    q "$S" "DROP DATABASE IF EXISTS $1" >/dev/null 2>&1 && q "$S" "CREATE DATABASE $1 TEMPLATE cxpulse" >/dev/null &&
        q "$(db "$1")" "DROP TABLE cx_import_seen" >/dev/null || fail "copy the store into $1"
}
"$CX" --db "$S" --quiet import responses "$T/d/other.csv" --source other || fail "import other"
"$CX" --db "$S" --quiet import responses "$T/d/newer.csv" || fail "import newer"
first=$(said "$S" "$A")
echo "$first" | grep -q "201 rows: 197 new, 0 replaced, 0 unchanged, 1 older ignored, 3 rejected (1 already held as source other)" ||
    fail "first import: $first"
[ "$(noted "$S" "$A")" = 1 ] || fail "the first import is not noted"
# Reading the file again (the note taken away) gives the reference.
copy cx_copy
C=$(db cx_copy)
want=$(said "$C" "$A")
echo "$want" | grep -q "201 rows: 0 new, 0 replaced, 197 unchanged, 1 older ignored, 3 rejected" || fail "reference: $want"
echo "$want" | grep -q "a.csv:203: field .comment.: invalid UTF-8" || fail "reference: the byte that is not UTF-8 not said: $want"
got=$(said "$S" "$A")
[ "$got" = "$want" ] || fail "again from the note: $got, want $want"
[ "$(dump "$S")" = "$(dump "$C")" ] || fail "the store differs from a re-read: $(diff <(dump "$S") <(dump "$C") | head -5)"
# The note is what answered: a change made behind the generation's back
# (the trigger off) is not seen; the copy, its note taken away, sees it.
# And a third import still answers from the note.
for u in "$S" "$C"; do
    q "$u" "ALTER TABLE responses DISABLE TRIGGER cx_changes_responses;
        UPDATE responses SET comment = 'behind' WHERE source = 'csv' AND response_id = 'r000001';
        ALTER TABLE responses ENABLE TRIGGER cx_changes_responses" >/dev/null || fail "a change behind the generation"
done
q "$C" "DROP TABLE IF EXISTS cx_import_seen" >/dev/null
got=$(said "$S" "$A")
echo "$got" | grep -q "0 new, 0 replaced, 197 unchanged" || fail "the note did not answer the third import: $got"
got=$(said "$C" "$A")
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
# The file's rejects edited by hand: read again.
q "$S" "DELETE FROM rejects WHERE id = (SELECT max(id) FROM rejects)" >/dev/null || fail "delete a reject"
got=$(said "$S" "$A")
echo "$got" | grep -q "0 new, 0 replaced, 197 unchanged, 1 older ignored, 3 rejected" || fail "rejects edited: $got"
[ "$(q "$S" "SELECT count(*) FROM rejects WHERE location LIKE '%a.csv:%'")" = 3 ] || fail "rejects edited: not written again"
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
echo "PostgreSQL import again: summary, rejects, log and rows as a re-read; a change behind the generation not seen; a store changed, rejects edited, an edited file, another id setting, a key twice, stdin read again"
