# A row rejected as "response_id 'X' already held as source Y" (set aside
# by store_bulk_end, ingest/import.c held_*) keeps its raw text like every
# other reject: the record as it stands in the file.  The store names
# those rows in its own order; the import sorts them by line (on disk
# past 4 MiB: 60,000 rows with long ids here, in shuffled order, held by
# two sources, between new rows, rejected rows, blank lines, records over
# several lines and CRLF line ends) and reads their text back in one more
# pass over the file.  Standard input cannot be read twice: there the raw
# text stays empty (docs/formats.md).  SQLite, and PostgreSQL when
# scripts/pg-tmp finds a server.
. tests/e2e/ingest_lib.inc
cd "$T" || fail "no temp dir"
printf 'response_id,responded_at,score,comment\nh1,2026-01-01,9,first answer\n' > vendor.csv
printf 'response_id,responded_at,score,comment\nh1,2026-01-01,2,edited: terrible\nh2,2026-01-01,11,out of range\n' > export.csv
$PY - <<'PYEOF' || fail "make the files"
import random
rnd = random.Random(11)
pad = 'x' * 90
held = ['held%s%06d' % (pad, i) for i in range(60000)]
head = 'response_id,responded_at,score,comment'
def rec(i, rid, score):
    c = rnd.random()
    if c < 0.02:
        return '%s,2026-01-%02d,%s,"two\nlines, %d"' % (rid, 1 + i % 28, score, i)
    if c < 0.03:
        return '%s,2026-01-%02d,%s,"a ""quoted""\r\nthird %d"' % (rid, 1 + i % 28, score, i)
    return '%s,2026-01-%02d,%s,plain %d' % (rid, 1 + i % 28, score, i)
# what two other sources hold: every held id, under vend or other
for name, part in (('vend', held[0::2]), ('other', held[1::2])):
    with open(name + '.csv', 'w', newline='') as f:
        f.write(head + '\n' + ''.join(rec(i, r, 5) + '\n' for i, r in enumerate(part)))
rows = [rec(i, r, 7) for i, r in enumerate(held)]
rows += [rec(i, 'new%06d' % i, 8) for i in range(3000)]      # land
rows += [rec(i, 'bad%06d' % i, 11) for i in range(500)]      # rejected: score
rows += [''] * 200                                           # blank lines
rnd.shuffle(rows)
with open('big.csv', 'w', newline='') as f:
    f.write(head + '\n')
    for r in rows:
        f.write(r + ('\r\n' if rnd.random() < 0.05 else '\n'))
PYEOF

# check_raw TAG FILE REJECTS HELD: every reject of FILE (where "PATH:LINE")
# holds the text of the record starting at LINE; HELD of them held elsewhere
# (the id in the reason is the raw text's, the holder the one that has it)
check_raw() {
    $PY - "$@" <<'PYEOF'
import csv, re, sys
tag, path, rej, want = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
data = open(path, 'rb').read().decode('utf-8')
# records by their first line: split outside quotes at CR, LF or CRLF
start, i, line, quoted, n = {}, 0, 1, False, len(data)
data_head = data.index('\n') + 1
i, line, begin, first = data_head, 2, data_head, 2
while i < n:
    ch = data[i]
    if ch == '"':
        quoted = not quoted
    elif ch in '\r\n':
        if not quoted:
            start[first] = data[begin:i]
        if ch == '\r' and i + 1 < n and data[i + 1] == '\n':
            i += 1
        line += 1
        if not quoted:
            begin, first = i + 1, line
    i += 1
held = other = 0
for row in csv.DictReader(open(rej, newline='', encoding='utf-8')):
    where = row['where']
    num = int(where.rsplit(':', 1)[1])
    raw = start.get(num)
    assert raw is not None, (tag, 'no record at', where)
    assert row['raw'] == raw, (tag, where, row['raw'], raw)
    m = re.match(r"response_id '([^']*)' already held as source (\w+)$", row['reason'])
    if m:
        held += 1
        rid = raw.split(',', 1)[0]
        assert m.group(1) == rid[:100], (tag, where, row['reason'], rid)
        idx = int(rid[-6:])
        assert m.group(2) == ('vend' if idx % 2 == 0 else 'other'), (tag, where, row['reason'])
    else:
        other += 1
assert held == want, (tag, 'held', held, want)
print(tag, held, other)
PYEOF
}

check_backend() { # check_backend TAG DB
    tag=$1 db=$2
    # the reproducer: the held row keeps its line
    "$CX" --db "$db" --quiet import responses vendor.csv --source vend || fail "$tag: vendor.csv"
    "$CX" --db "$db" import responses export.csv > /dev/null 2> err
    rc=$?
    [ $rc -eq 3 ] || fail "$tag: export.csv: exit $rc: $(cat err)"
    "$CX" --db "$db" export rejects | tr -d '\r' > got
    printf '%s\n' 'source,where,reason,raw' \
        "csv,$T/export.csv:2,response_id 'h1' already held as source vend,\"h1,2026-01-01,2,edited: terrible\"" \
        "csv,$T/export.csv:3,field 'score': score is out of range 0..10,\"h2,2026-01-01,11,out of range\"" |
        sort > want
    sort got | cmp -s want - || fail "$tag: reproducer: $(cat got)"
    # re-imported unchanged (the store's note): the raw text is replayed
    "$CX" --db "$db" import responses export.csv > /dev/null 2> err
    "$CX" --db "$db" export rejects | tr -d '\r' | sort | cmp -s want - || fail "$tag: again: $(cat err)"

    # many held rows in shuffled order
    "$CX" --db "$db" --quiet import responses vend.csv --source vend || fail "$tag: vend.csv"
    "$CX" --db "$db" --quiet import responses other.csv --source other || fail "$tag: other.csv"
    "$CX" --db "$db" --quiet import responses big.csv 2> err
    rc=$?
    [ $rc -eq 3 ] || fail "$tag: big.csv: exit $rc: $(tail -3 err)"
    grep -qF "63500 rows: 3000 new, 0 replaced, 0 unchanged, 0 older ignored, 60500 rejected (60000 already held as source " err ||
        fail "$tag: big.csv: $(tail -3 err)"
    "$CX" --db "$db" export rejects > all.csv || fail "$tag: export rejects"
    $PY -c 'import csv,sys; w=csv.writer(open("big_rej.csv","w",newline="")); r=csv.reader(open("all.csv",newline="",encoding="utf-8")); w.writerow(next(r)); [w.writerow(x) for x in r if x[1].startswith(sys.argv[1])]' \
        "$T/big.csv:" || fail "$tag: select"
    check_raw "$tag big" big.csv big_rej.csv 60000 > /dev/null || fail "$tag: held rows' raw text"

    # standard input: read once, the raw text of a held row stays empty
    "$CX" --db "$db" import responses - < export.csv > /dev/null 2> err
    [ $? -eq 3 ] || fail "$tag: stdin: $(cat err)"
    "$CX" --db "$db" export rejects | tr -d '\r' | grep "^csv,'-:" | sort > got
    printf '%s\n' "csv,'-:2,response_id 'h1' already held as source vend," \
        "csv,'-:3,field 'score': score is out of range 0..10,\"h2,2026-01-01,11,out of range\"" | cmp -s - got ||
        fail "$tag: stdin: $(cat got)"
}
check_backend sqlite "$T/s.db"

start_pg
check_backend postgresql "$PG"
echo "held rows keep their raw text: the reproducer, 60,000 held rows in shuffled order (sorted on disk; multi-line records, CRLF), standard input empty (SQLite, PostgreSQL)"
