# Every kind of bad input: clear message with file and line, row kept in
# rejects, good rows imported, exit code 3; fatal problems exit 1 and leave
# the store as it was.
. tests/e2e/lib.inc
H='response_id,responded_at,score,comment,channel'
good() { printf '%s\n' "$H" 'ok1,2026-01-05T10:00:00Z,9,fine,phone'; }
check_bad() {   # name, expected reason substring, extra lines...
    name=$1 want=$2; shift 2
    { good; printf '%s\n' "$@"; printf 'ok2,2026-01-06T10:00:00Z,3,bad,chat\n'; } > "$T/$name.csv"
    "$CX" --db "$T/$name.db" import responses "$T/$name.csv" 2> "$T/$name.err"
    rc=$?
    [ $rc -eq 3 ] || fail "$name: exit $rc, want 3"
    grep -q "$T/$name.csv:3" "$T/$name.err" || fail "$name: no file:line in: $(cat "$T/$name.err")"
    grep -q "$want" "$T/$name.err" || fail "$name: message lacks '$want': $(cat "$T/$name.err")"
    n=$("$CX" --db "$T/$name.db" export responses | $PY -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(sys.stdin)))')
    [ "$n" = 2 ] || fail "$name: $n good rows imported, want 2"
    r=$("$CX" --db "$T/$name.db" export rejects | $PY -c 'import csv,sys; print(len(list(csv.DictReader(sys.stdin))))')
    [ "$r" -ge 1 ] || fail "$name: reject not kept"
}
check_bad score11 "out of range" 'b,2026-01-05T10:00:00Z,11,x,phone'
check_bad scoreneg "score" 'b,2026-01-05T10:00:00Z,-1,x,phone'
check_bad scorefrac "whole number" 'b,2026-01-05T10:00:00Z,9.5,x,phone'
check_bad scoreword "not a number" 'b,2026-01-05T10:00:00Z,nine,x,phone'
check_bad scoreempty "empty" 'b,2026-01-05T10:00:00Z,,x,phone'
check_bad baddate "responded_at" 'b,2026-13-05T10:00:00Z,5,x,phone'
check_bad ragged "fields" 'b,2026-01-05T10:00:00Z,5,x'
check_bad utf8 "UTF-8" "$(printf 'b,2026-01-05T10:00:00Z,5,caf\351,phone')"
# an unterminated quote swallows the rest of the file: good rows before it stay
printf '%s\n' "$H" 'ok1,2026-01-05T10:00:00Z,9,fine,phone' 'b,2026-01-05T10:00:00Z,5,"open,phone' 'c,2026-01-05T10:00:00Z,5,x,phone' > "$T/q.csv"
"$CX" --db "$T/q.db" import responses "$T/q.csv" 2> "$T/q.err"; [ $? -eq 3 ] || fail "unterminated quote: want exit 3"
grep -q "q.csv:3.*unterminated" "$T/q.err" || fail "unterminated quote message: $(cat "$T/q.err")"
# missing column, empty file, directory: exit 1, store unchanged
printf 'response_id,responded_at\nx,2026-01-01\n' > "$T/nocol.csv"
"$CX" --db "$T/score11.db" import responses "$T/nocol.csv" 2> "$T/e"; [ $? -eq 1 ] || fail "missing column: want exit 1"
grep -q "nocol.csv:1: missing required column 'score'" "$T/e" || fail "missing column message: $(cat "$T/e")"
: > "$T/empty.csv"
"$CX" --db "$T/score11.db" import responses "$T/empty.csv" 2> "$T/e"; [ $? -eq 1 ] || fail "empty file: want exit 1"
grep -q "empty" "$T/e" || fail "empty file message"
"$CX" --db "$T/score11.db" import responses "$T" 2> "$T/e"; [ $? -eq 1 ] || fail "directory: want exit 1"
grep -qi "directory" "$T/e" || fail "directory message: $(cat "$T/e")"
n=$("$CX" --db "$T/score11.db" export responses | wc -l)
[ "$n" -eq 3 ] || fail "store changed by failed imports ($n lines)"
# duplicate id in one file: last wins, counted
printf '%s\n' "$H" 'd,2026-01-05T10:00:00Z,9,first,phone' 'd,2026-01-05T10:00:00Z,2,second,phone' > "$T/dup.csv"
"$CX" --db "$T/dup.db" import responses "$T/dup.csv" 2> "$T/e" || fail "dup import"
grep -q "1 replaced" "$T/e" || fail "duplicate not counted: $(cat "$T/e")"
"$CX" --db "$T/dup.db" export responses | grep -q ',2,second,' || fail "last duplicate did not win"
# a 1 MB comment imports and exports intact
$PY -c "print('$H'); print('big,2026-01-05T10:00:00Z,7,\"' + 'x'*1048576 + '\",phone')" > "$T/big.csv"
"$CX" --db "$T/big.db" --quiet import responses "$T/big.csv" || fail "1 MB comment"
[ "$("$CX" --db "$T/big.db" export responses | wc -c)" -gt 1048576 ] || fail "1 MB comment truncated"
# customers and spend rows with fewer or more fields than the header are
# rejected, never filled from the row before (they once were, reading
# freed memory: a long first field made the reader grow its buffer)
printf 'customer_id,date,amount\nk1,2026-01-01,1000\nk2,2026-01-02\nk3\nk4,2026-01-04,5,EXTRA\nk5,2026-01-05,7\n' > "$T/sp.csv"
$PY -c "print('customer_id,annual_value,tier,country'); print('k1,100,PLATINUM,DE'); print('k2,50'); print('k3'); print('k' * 3000000)" > "$T/cu.csv"
"$CX" --db "$T/cs.db" import spend "$T/sp.csv" 2> "$T/sp.err"; rc=$?
[ $rc -eq 3 ] || fail "ragged spend rows: exit $rc, want 3"
"$CX" --db "$T/cs.db" import customers "$T/cu.csv" 2> "$T/cu.err"; rc=$?
[ $rc -eq 3 ] || fail "ragged customers rows: exit $rc, want 3"
for w in "sp.csv:3: too few fields" "sp.csv:4: too few fields" "sp.csv:5: too many fields"; do
    grep -q "$w" "$T/sp.err" || fail "spend: no '$w' in: $(cat "$T/sp.err")"
done
for w in "cu.csv:3: too few fields" "cu.csv:4: too few fields" "cu.csv:5: too few fields"; do
    grep -q "$w" "$T/cu.err" || fail "customers: no '$w' in: $(cat "$T/cu.err")"
done
[ "$(sqlite3 "$T/cs.db" 'SELECT customer_id, amount FROM spend ORDER BY customer_id' | tr '\n' ' ')" = "k1|1000.0 k5|7.0 " ] ||
    fail "spend rows: $(sqlite3 "$T/cs.db" 'SELECT * FROM spend')"
[ "$(sqlite3 "$T/cs.db" 'SELECT customer_id, annual_value, attributes FROM customers')" = 'k1|100.0|{"tier":"PLATINUM","country":"DE"}' ] ||
    fail "customers rows: $(sqlite3 "$T/cs.db" 'SELECT * FROM customers')"
[ "$(sqlite3 "$T/cs.db" 'SELECT count(*) FROM rejects')" = 6 ] || fail "ragged rows not all kept as rejects"
echo "bad input: 9 row-level cases rejected with file:line (exit 3), customers and spend rows of the wrong width too, 3 fatal cases exit 1 with the store unchanged"
