# Sizes and bytes an attacker picks: 100,000 distinct segments (channel,
# agent, customer) finish in reasonable time and memory with a readable
# page; a record over the reader's 64 MiB limit is rejected and the rows
# after it still import, in bounded memory; a 5 MiB comment and a 1 MiB
# segment name pass through (the page shows the comment's start only); a
# NUL byte or invalid UTF-8 (overlong, surrogate, stray continuation, cut
# sequence, F5+) in any column of responses, customers or spend rejects
# that row with its line, and other rows import.
. tests/e2e/lib.inc

# ---- 100k distinct segments ----
$PY - "$T/seg.csv" <<'PYEOF'
import csv, sys
w = csv.writer(open(sys.argv[1], 'w', newline=''))
w.writerow(['response_id', 'responded_at', 'score', 'channel', 'agent_id', 'customer_id', 'comment'])
for i in range(100000):
    w.writerow(['r%d' % i, '2026-0%d-1%dT10:00:00Z' % (1 + i % 3, i % 10), i % 11, 'seg%d' % i, 'ag%d' % i,
                'cu%d' % i, 'c' if i % 5 else ''])
PYEOF
# Memory grows with groups: 100k values in each of 3 dimensions over 3
# months are 900k groups, about 370 MB for stats --input (each chunk thread
# holds its partial tables until they merge) and 330 MB for report.  The
# budgets are twice that: a bound on groups, not a tight measurement.
run_limited 60 800 "$CX" --quiet stats --input "$T/seg.csv" --by channel,agent_id,customer_id --out "$T/s1" ||
    fail "stats --input, 100k segments"
run_limited 60 100 "$CX" --db "$T/seg.db" --quiet import responses "$T/seg.csv" || fail "import, 100k segments"
run_limited 90 800 "$CX" --db "$T/seg.db" --quiet report --by channel,agent_id,customer_id --out "$T/s2" ||
    fail "report, 100k segments"
n=$(grep -c '^2026-03,channel,' "$T/s2/nps.csv")
[ "$n" -eq 33333 ] || fail "nps.csv has $n March channel rows, want 33333"
cmp -s "$T/s1/nps.csv" "$T/s2/nps.csv" || fail "stream and store disagree on 100k segments"
size=$(wc -c < "$T/s2/index.html")
[ "$size" -lt 2000000 ] || fail "index.html is $size bytes for 100k segments"
grep -q 'Showing 200 of 33333 segments' "$T/s2/index.html" || fail "segment table not capped"

# ---- a record over 64 MiB, then good rows ----
$PY - "$T/big.csv" <<'PYEOF'
import sys
with open(sys.argv[1], 'w') as f:
    f.write('response_id,responded_at,score,comment\n')
    f.write('ok1,2026-01-05,9,fine\n')
    f.write('huge,2026-01-05,9,"')
    chunk = 'x' * (1 << 20)
    for _ in range(65):
        f.write(chunk)
    f.write('"\n')
    f.write('ok2,2026-01-06,3,after\n')
    f.write('big5,2026-01-06,7,"' + 'y' * (5 << 20) + '"\n')
    f.write('bigseg,2026-01-06,7,z\n')
PYEOF
run_limited 60 400 "$CX" --db "$T/big.db" import responses "$T/big.csv" 2> "$T/big.err"
rc=$?
[ $rc -eq 3 ] || fail "record over 64 MiB: exit $rc, want 3: $(head -c 300 "$T/big.err")"
grep -q "big.csv:3: record longer than" "$T/big.err" || fail "no message for the huge record: $(head -c 300 "$T/big.err")"
ids=$("$CX" --db "$T/big.db" export responses | $PY -c 'import csv,sys; csv.field_size_limit(1 << 30); print(" ".join(sorted(r["response_id"] for r in csv.DictReader(sys.stdin))))')
[ "$ids" = "big5 bigseg ok1 ok2" ] || fail "rows around the huge record: '$ids'"
raw=$("$CX" --db "$T/big.db" export rejects | wc -c)
[ "$raw" -lt 10000 ] || fail "the reject keeps $raw bytes of the huge record"
# a 1 MiB segment name and the 5 MiB comment through a report
$PY -c "import sys; print('response_id,responded_at,score,channel'); print('s1,2026-01-07,9,' + 'q' * (1 << 20))" > "$T/seg1m.csv"
"$CX" --db "$T/big.db" --quiet import responses "$T/seg1m.csv" || fail "1 MiB segment name"
run_limited 60 400 "$CX" --db "$T/big.db" --quiet report --by channel --out "$T/bigout" || fail "report with big fields"
grep -q '(5242880 bytes)' "$T/bigout/index.html" || fail "the 5 MiB comment is not cut in the page"
[ "$(wc -c < "$T/bigout/index.html")" -lt 3000000 ] || fail "page too large"

# ---- NUL and invalid UTF-8 in every column ----
$PY - "$T" <<'PYEOF' || fail "generating bad bytes"
import sys
T = sys.argv[1]
bad = [b'\x00', b'\xc0\xaf', b'\xed\xa0\x80', b'\x80', b'\xe2\x82', b'\xf5\x80\x80\x80', b'\xff']
cols = ['response_id', 'responded_at', 'score', 'comment', 'customer_id', 'agent_id', 'channel', 'product',
        'interaction_type', 'handle_time_s', 'moments', 'updated_at', 'source', 'region']
good = [b'g', b'2026-01-05T10:00:00Z', b'9', b'fine', b'c1', b'a1', b'phone', b'card', b'routine', b'60', b'1;2',
        b'2026-01-05T10:00:00Z', b'csv', b'north']
with open(T + '/bytes.csv', 'wb') as f:
    f.write(','.join(cols).encode() + b'\n')
    n = 0
    for k in range(len(cols)):
        for b in bad:
            row = list(good)
            row[0] = b'id%d' % n
            row[k] = row[k][:1] + b + row[k][1:]
            f.write(b','.join(row) + b'\n')
            n += 1
    f.write(b','.join([b'last'] + good[1:]) + b'\n')
with open(T + '/cust.csv', 'wb') as f:
    f.write(b'customer_id,annual_value,tier\n')
    for b in bad:
        f.write(b'c' + b + b',10,gold\n' + b'd,1' + b + b',gold\n' + b'e,10,go' + b + b'ld\n')
    f.write(b'ok,10,gold\n')
with open(T + '/spend.csv', 'wb') as f:
    f.write(b'customer_id,date,amount\n')
    for b in bad:
        f.write(b'c' + b + b',2026-01-01,1\n' + b'c,2026-01-0' + b + b'1,1\n' + b'c,2026-01-01,1' + b + b'\n')
    f.write(b'ok,2026-01-01,1\n')
PYEOF
"$CX" --db "$T/bytes.db" import responses "$T/bytes.csv" 2> "$T/bytes.err"; rc=$?
[ $rc -eq 3 ] || fail "bad bytes: exit $rc, want 3"
"$CX" --db "$T/bytes.db" export responses > "$T/bytes.out" || fail "export after bad bytes"
[ "$(sed 1d "$T/bytes.out" | cut -d, -f2)" = last ] || fail "a row with a bad byte was imported: $(sed 1d "$T/bytes.out" | cut -d, -f2 | head -3)"
nrej=$("$CX" --db "$T/bytes.db" export rejects | $PY -c 'import csv,sys; print(len(list(csv.DictReader(sys.stdin))))')
[ "$nrej" -eq 98 ] || fail "$nrej rejects kept, want 98"
"$CX" --db "$T/bytes.db" import customers "$T/cust.csv" 2>/dev/null; [ $? -eq 3 ] || fail "customers with bad bytes: want exit 3"
"$CX" --db "$T/bytes.db" import spend "$T/spend.csv" 2>/dev/null; [ $? -eq 3 ] || fail "spend with bad bytes: want exit 3"
"$CX" --db "$T/bytes.db" status > "$T/st" || fail "status"
grep -q '^customers: *1$' "$T/st" && grep -q '^spend rows: *1$' "$T/st" || fail "bad customer/spend rows imported: $(cat "$T/st")"
"$CX" --db "$T/bytes.db" export rejects | $PY -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    r["raw"].encode("utf-8")   # the export itself is text
' || fail "rejects export is not UTF-8"
echo "100k segments, a 65 MiB record, 5 MiB fields, NUL and 7 kinds of bad UTF-8 in 14+3+3 columns: bounded and rejected by line"
