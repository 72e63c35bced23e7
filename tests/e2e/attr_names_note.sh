# The attribute names an import notes for the next one (SQLite,
# core/store/store_sqlite_names.c): the next import starts its count from
# the note instead of a pass over every response, while the note holds
# (no response changed since); a note that counts more names than the
# store holds never refuses a file by itself (the store's own names decide
# a refusal); a write by another program makes the note stale and unused.
. tests/e2e/lib.inc
command -v sqlite3 >/dev/null || fail "sqlite3 not found"
$PY - "$T" <<'PYEOF' || fail "write the files"
import csv, sys
def write(path, names, prefix):
    with open(path, 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['response_id', 'responded_at', 'score'] + names)
        for i in range(3):
            w.writerow(['%s%d' % (prefix, i), '2026-03-0%dT10:00:00Z' % (i + 1), str(i * 4)]
                       + ['%s-%d' % (n, i) for n in names])
a = ['a%02d' % k for k in range(1, 41)]
write(sys.argv[1] + '/a.csv', a, 'ra')
write(sys.argv[1] + '/c.csv', a[:10] + ['c%02d' % k for k in range(1, 25)], 'rc')
write(sys.argv[1] + '/d.csv', a[:1], 'rd')
PYEOF
db=$T/s.db
"$CX" --db "$db" --quiet import responses "$T/a.csv" || fail "import a"
note() { sqlite3 "$db" "SELECT group_concat(name, ' ') FROM (SELECT name FROM cx_attr_names WHERE generation = (SELECT n FROM cx_generation) ORDER BY name)"; }
want=" $(seq -f 'a%02g' 1 40 | tr '\n' ' ' | sed 's/ $//')"
[ "$(note)" = "$want" ] || fail "after a: the note is '$(note)', want '$want' (the '' row first)"
# the note is the next import's starting count: a name only it holds stays
sqlite3 "$db" "INSERT INTO cx_attr_names VALUES ('zz99', (SELECT n FROM cx_generation))" || fail "fake name"
"$CX" --db "$db" --quiet import responses "$T/d.csv" 2> "$T/err" || fail "d: $(cat "$T/err")"
note | grep -q ' zz99$' || fail "after d: the note was not read (it is '$(note)')"
# 24 names the store does not hold, put into the note at the present
# generation: by the note c's 24 new names make 89, by the store 64
sqlite3 "$db" "INSERT INTO cx_attr_names SELECT 'zz' || value, (SELECT n FROM cx_generation) FROM generate_series(1, 24)" ||
    fail "fake names"
"$CX" --db "$db" --quiet import responses "$T/c.csv" 2> "$T/err" || fail "c refused by the note's extra names: $(cat "$T/err")"
want=" $(seq -f 'a%02g' 1 40 | tr '\n' ' ')$(seq -f 'c%02g' 1 24 | tr '\n' ' ' | sed 's/ $//')"
[ "$(note)" = "$want" ] || fail "after c: the note is '$(note)', want the store's 64 names"
# another program adds 24 names to a stored response: the note (40 names)
# is stale, and c (24 new) is refused by the store's 64 + 24
db=$T/t.db
"$CX" --db "$db" --quiet import responses "$T/a.csv" || fail "import a into t"
attrs=$($PY -c "import json; print(json.dumps({'o%02d' % k: 'x' for k in range(1, 25)}))")
sqlite3 "$db" "UPDATE responses SET attributes = '$attrs' WHERE response_id = 'ra0'" || fail "the other program's update"
"$CX" --db "$db" --quiet import responses "$T/c.csv" > /dev/null 2> "$T/err"
rc=$?
[ $rc -eq 1 ] || fail "c after another program's names: exit $rc, want 1 (a stale note was used?): $(cat "$T/err")"
grep -q "88 attribute names in the store's responses would be more than the limit of 64 (it holds 64;" "$T/err" ||
    fail "c after another program's names: message: $(cat "$T/err")"
# another program's empty name: the import goes on, and notes nothing
db=$T/u.db
"$CX" --db "$db" --quiet import responses "$T/a.csv" || fail "import a into u"
sqlite3 "$db" "UPDATE responses SET attributes = '{\"\":\"x\"}' WHERE response_id = 'ra1'" || fail "an empty name"
"$CX" --db "$db" --quiet import responses "$T/d.csv" 2> "$T/err" || fail "d after an empty name: $(cat "$T/err")"
[ -z "$(note)" ] || fail "an empty name in the store, and a note: '$(note)'"
echo "attribute names noted by an import start the next one's count; extra noted names never refuse; a stale note is not used"
