# Hostile inputs on the import and store side: every one ends with a
# clear error and an exit code, never a hang, a crash or silent loss.
. tests/e2e/lib.inc
H='response_id,responded_at,score,comment,channel'

# ---- endless input: /dev/zero and a stream that never ends a record ----
timeout 60 "$CX" --db "$T/z.db" import responses /dev/zero 2> "$T/z.err"
rc=$?
[ $rc -eq 1 ] || fail "import /dev/zero: exit $rc, want 1: $(head -c 300 "$T/z.err")"
grep -q "/dev/zero:1: record longer than the size limit does not end within the skip limit" "$T/z.err" || fail "import /dev/zero: $(head -c 300 "$T/z.err")"
timeout 60 "$CX" stats --input - --out "$T/zo" < /dev/zero 2> "$T/z.err"
rc=$?
[ $rc -eq 1 ] || fail "stats --input /dev/zero: exit $rc, want 1"
grep -q "does not end within the skip limit" "$T/z.err" || fail "stats /dev/zero: $(head -c 300 "$T/z.err")"
{ printf '%s\n' "$H" 'ok1,2026-01-05T10:00:00Z,9,fine,phone'; printf 'b,2026-01-05T10:00:00Z,5,"'; yes; } 2>/dev/null |
    timeout 60 "$CX" stats --input - --out "$T/yo" 2> "$T/y.err"
rc=$?
[ $rc -ne 124 ] && [ $rc -ne 0 ] || fail "stats --input on an endless quoted field: exit $rc"
grep -q ":3: record longer than the size limit does not end within the skip limit" "$T/y.err" || fail "endless quoted field: $(head -c 300 "$T/y.err")"

# ---- empty input: every command on an all-rejected file or empty store ----
# (under the sanitizer build, qsort or memcpy on an empty table stops here)
printf '%s\n' "$H" 'b,2026-01-05T10:00:00Z,11,x,phone' > "$T/allrej.csv"
# (no response left is an error: exit 1 saying so, never a crash)
"$CX" stats --input "$T/allrej.csv" --by channel --out "$T/ar" 2> "$T/ar.err"
rc=$?
[ $rc -eq 1 ] && grep -q "no responses" "$T/ar.err" || fail "stats --input on an all-rejected file: exit $rc, want 1: $(cat "$T/ar.err")"
"$CX" --db "$T/ar.db" import responses "$T/allrej.csv" 2> /dev/null
for cmd in "stats --by channel --out $T/ar1" "report --by channel --out $T/ar2" "stats --month 2026-01 --out $T/ar3"; do
    # shellcheck disable=SC2086
    "$CX" --db "$T/ar.db" --quiet $cmd > "$T/ar.out" 2> "$T/ar.err"
    rc=$?
    [ $rc -eq 1 ] && grep -q "no responses" "$T/ar.err" || fail "empty store: $cmd: exit $rc: $(head -c 300 "$T/ar.err")"
done
for cmd in "export responses" "export rejects" "status"; do
    # shellcheck disable=SC2086
    "$CX" --db "$T/ar.db" --quiet $cmd > "$T/ar.out" 2> "$T/ar.err" || fail "empty store: $cmd: $(head -c 300 "$T/ar.err")"
done

# ---- times: year 0000 (month key 0 = "all months") and before 1970 ----
printf '%s\n' "$H" 'y0,0000-01-15T10:00:00Z,9,x,phone' 'y0b,0000-01-15,9,x,phone' 'y1899,1899-12-31T23:59:59Z,9,x,phone' \
    'old,1965-06-01T12:00:00Z,3,x,phone' 'new,2026-01-05T10:00:00Z,9,x,phone' > "$T/years.csv"
"$CX" --db "$T/y.db" import responses "$T/years.csv" 2> "$T/y.err"
rc=$?
[ $rc -eq 3 ] || fail "years: exit $rc, want 3"
[ "$(grep -c 'timestamp out of range' "$T/y.err")" -eq 3 ] || fail "years before 1900 not refused: $(cat "$T/y.err")"
"$CX" --db "$T/y.db" status > "$T/y.out" || fail "status with a 1965 response"
grep -q '1965-06-01T12:00:00Z to 2026-01-05T10:00:00Z' "$T/y.out" || fail "status range: $(cat "$T/y.out")"
"$CX" --db "$T/y.db" stats --month 0000-01 --out "$T/y0" 2> "$T/y.err"
[ $? -eq 2 ] || fail "--month 0000-01 accepted"
"$CX" --db "$T/y.db" --quiet stats --out "$T/yall" || fail "stats with a 1965 response"
grep -q '^1965-06,all,all,1,0,0,1,' "$T/yall/nps.csv" || fail "1965 month missing: $(head -5 "$T/yall/nps.csv")"

# ---- numbers: one strict grammar, bounded ----
printf '%s\n' 'response_id,responded_at,score,handle_time_s,moments' 'ok,2026-01-05T10:00:00Z,9,300,3;4' \
    'sp,2026-01-05T10:00:00Z,9, 300,' 'hex,2026-01-05T10:00:00Z,9,0x10,' 'hexf,2026-01-05T10:00:00Z,9,0x1p4,' \
    'big,2026-01-05T10:00:00Z,9,1e308,' 'inf,2026-01-05T10:00:00Z,9,inf,' 'plus,2026-01-05T10:00:00Z,9,+5,' \
    'mplus,2026-01-05T10:00:00Z,9,,+3;4' > "$T/num.csv"
"$CX" --db "$T/n.db" import responses "$T/num.csv" 2> "$T/n.err"
[ $? -eq 3 ] || fail "lenient numbers: want exit 3"
[ "$(grep -c "field 'handle_time_s'" "$T/n.err")" -eq 6 ] || fail "handle_time_s not strict: $(cat "$T/n.err")"
grep -q "num.csv:9: field 'moments'" "$T/n.err" || fail "moments '+3' accepted: $(cat "$T/n.err")"
printf '%s\n' 'customer_id,annual_value' 'c1,100' 'c2,0x10' 'c3,1e308' 'c4, 5' > "$T/cust.csv"
"$CX" --db "$T/n.db" import customers "$T/cust.csv" 2> "$T/n.err"
[ $? -eq 3 ] || fail "lenient annual_value: want exit 3"
[ "$(grep -c 'annual_value' "$T/n.err")" -eq 3 ] || fail "annual_value not strict: $(cat "$T/n.err")"
printf '%s\n' 'customer_id,date,amount' 'c1,2026-01-01,10' 'c1,2026-01-02,0x10' 'c1,2026-01-03,1e300' \
    'c1,2026-01-04,-1e300' 'c1,2026-01-05, 1' > "$T/spend.csv"
"$CX" --db "$T/n.db" import spend "$T/spend.csv" 2> "$T/n.err"
[ $? -eq 3 ] || fail "lenient amount: want exit 3"
[ "$(grep -c 'amount' "$T/n.err")" -eq 4 ] || fail "amount not strict: $(cat "$T/n.err")"

# ---- a damaged or hand-edited store: every bad value is an error naming
# the table and the row, never a crash, an out-of-bounds count or a 0 ----
printf '%s\n' 'response_id,responded_at,score,channel,handle_time_s,moments,customer_id' \
    'a,2026-01-05T10:00:00Z,9,phone,30,3;4,c1' 'b,2026-02-05T10:00:00Z,3,chat,40,2,c1' > "$T/good.csv"
printf '%s\n' 'customer_id,annual_value' 'c1,100' > "$T/goodc.csv"
printf '%s\n' 'customer_id,date,amount' 'c1,2026-01-01,10' > "$T/goods.csv"
"$CX" --db "$T/base.db" --quiet import responses "$T/good.csv" || fail "base import"
"$CX" --db "$T/base.db" --quiet import customers "$T/goodc.csv" || fail "base customers"
"$CX" --db "$T/base.db" --quiet import spend "$T/goods.csv" || fail "base spend"
damage() {   # name, SQL, expected message part, commands...
    name=$1 sql=$2 want=$3; shift 3
    cp "$T/base.db" "$T/$name.db"
    $PY -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript("PRAGMA ignore_check_constraints=1;" + sys.argv[2]); c.commit()' \
        "$T/$name.db" "$sql" || fail "$name: damaging the store"
    for cmd in "$@"; do
        # shellcheck disable=SC2086
        "$CX" --db "$T/$name.db" --quiet $cmd > "$T/$name.out" 2> "$T/$name.err"
        rc=$?
        [ $rc -eq 1 ] || fail "$name: $cmd: exit $rc, want 1: $(head -c 300 "$T/$name.err")"
        grep -q "store: .*$want" "$T/$name.err" || fail "$name: $cmd: message: $(head -c 300 "$T/$name.err")"
    done
}

IFS0=$IFS
for bad in "score99|UPDATE responses SET score = 99 WHERE response_id = 'a'|responses ('csv', 'a'): score 99 is outside 0..10" \
           "score11|UPDATE responses SET score = 11 WHERE response_id = 'a'|score 11 is outside" \
           "scoreneg|UPDATE responses SET score = -1 WHERE response_id = 'b'|responses ('csv', 'b'): score -1" \
           "scorebig|UPDATE responses SET score = 4294967305 WHERE response_id = 'a'|score 999999 is outside" \
           "scoretext|UPDATE responses SET score = 'x' WHERE response_id = 'a'|responses ('csv', 'a'): score holds a value of the wrong type" \
           "timemax|UPDATE responses SET responded_at = 9223372036854775807 WHERE response_id = 'a'|responded_at" \
           "timemin|UPDATE responses SET updated_at = -9223372036854775808 WHERE response_id = 'b'|updated_at" \
           "month0|UPDATE responses SET month = 0 WHERE response_id = 'a'|month 0 does not match" \
           "htime|UPDATE responses SET handle_time_s = 1e308 WHERE response_id = 'a'|handle_time_s" \
           "moments|UPDATE responses SET moments = 'x;y' WHERE response_id = 'b'|moments are not" \
           "metric|UPDATE responses SET metric = 'bogus' WHERE response_id = 'b'|responses ('csv', 'b'): metric is not" \
           "csat9|UPDATE responses SET metric = 'csat' WHERE response_id = 'a'|score 9 is outside 1..5 (csat)"; do
    IFS='|'; set -- $bad; IFS=$IFS0
    name=$1 sql=$2 want=$3
    damage "$name" "$sql" "$want" "stats --out $T/$name.o1" "report --out $T/$name.o2" "export responses"
done
damage nps99 "UPDATE responses SET score = 99 WHERE response_id = 'a'" "score 99 is outside 0..10" \
    "stats --tables nps --by channel --out $T/n99"
damage nps99b "UPDATE responses SET month = 5 WHERE response_id = 'a'" "month 5 is outside" \
    "stats --tables nps --out $T/n99b"
damage status "UPDATE responses SET responded_at = 9223372036854775807 WHERE response_id = 'a'" "responded_at" status
damage spendday "UPDATE spend SET day = 9223372036854775807" "spend ('c1'): day" "stats --out $T/sd"
damage spendamt "UPDATE spend SET amount = 1e308" "spend ('c1'): amount" "stats --out $T/sa"
damage spendtxt "UPDATE spend SET amount = 'ten'" "spend ('c1'): day or amount holds" "stats --out $T/st"
damage annual "UPDATE customers SET annual_value = -5" "customers ('c1'): annual_value" "stats --out $T/an"
damage annualtxt "UPDATE customers SET annual_value = 'lots'" "customers ('c1'): annual_value holds" "stats --out $T/at"

# ---- a replace-by-source spend import removes nothing unless a row is accepted ----
printf '%s\n' 'customer_id,date,amount' 'c1,2026-01-01,10' 'c1,2026-01-02,20' 'c2,2026-01-02,5' > "$T/sp1.csv"
"$CX" --db "$T/sp.db" --quiet import spend "$T/sp1.csv" || fail "spend import"
spend_rows() { "$CX" --db "$T/sp.db" status | sed -n 's/^spend rows: *//p'; }
printf '%s\n' 'customer_id,date,amount' > "$T/sphead.csv"
"$CX" --db "$T/sp.db" import spend "$T/sphead.csv" 2> "$T/sp.err" || fail "header-only spend file"
[ "$(spend_rows)" = 3 ] || fail "a header-only spend file removed spend: $(spend_rows) rows left"
grep -q "no spend row accepted: the spend of source 'csv' is kept" "$T/sp.err" || fail "header-only: $(cat "$T/sp.err")"
printf '%s\n' 'customer_id,date,amount' 'c1,2026-13-01,10' 'c2,2026-01-02,x' > "$T/spbad.csv"
"$CX" --db "$T/sp.db" --quiet import spend "$T/spbad.csv" 2> "$T/sp.err"
[ $? -eq 3 ] || fail "all-rejected spend file: want exit 3"
[ "$(spend_rows)" = 3 ] || fail "an all-rejected spend file removed spend: $(spend_rows) rows left"
grep -q "is kept as it was" "$T/sp.err" || fail "all-rejected: $(cat "$T/sp.err")"
printf '%s\n' 'customer_id,date,amount' 'c9,2026-02-01,1' 'c9,2026-02-30,1' > "$T/sp2.csv"
"$CX" --db "$T/sp.db" import spend "$T/sp2.csv" 2> "$T/sp.err"
[ $? -eq 3 ] || fail "half-good spend file: want exit 3"
[ "$(spend_rows)" = 1 ] || fail "a re-import should replace the source's spend: $(spend_rows) rows"
grep -q "source 'csv' now holds this file's spend; its 3 earlier rows were removed" "$T/sp.err" || fail "replace count: $(cat "$T/sp.err")"

# ---- charts: names planted in --out/charts are replaced, never written through ----
if command -v gnuplot >/dev/null; then
    printf '%s\n' 'response_id,responded_at,score,channel' 'a,2026-01-05T10:00:00Z,9,phone' \
        'b,2026-02-05T10:00:00Z,3,chat' 'c,2026-02-06T10:00:00Z,10,chat' > "$T/ch.csv"
    "$CX" --db "$T/ch.db" --quiet import responses "$T/ch.csv" || fail "charts: import"
    mkdir -p "$T/chout/charts"
    echo canary > "$T/canary"
    for n in nps_trend score_dist; do
        for e in .dat .gp .svg .png .svg.tmp .png.tmp; do ln -s "$T/canary" "$T/chout/charts/$n$e"; done
    done
    "$CX" --db "$T/ch.db" --quiet report --out "$T/chout" > /dev/null 2> "$T/ch.err" || fail "charts: report: $(cat "$T/ch.err")"
    [ "$(cat "$T/canary")" = canary ] || fail "a chart file was written through a planted symlink"
    for f in nps_trend.dat nps_trend.gp nps_trend.svg score_dist.png; do
        [ -f "$T/chout/charts/$f" ] && [ ! -L "$T/chout/charts/$f" ] || fail "charts/$f is not a new regular file"
    done
    ls -a "$T/chout/charts" | grep -q '^\.work' && fail "the private work directory was left behind"
    # charts/ itself a symlink: refused, nothing written there
    mkdir -p "$T/elsewhere" "$T/chout2"
    ln -s "$T/elsewhere" "$T/chout2/charts"
    "$CX" --db "$T/ch.db" report --out "$T/chout2" > /dev/null 2> "$T/ch.err"
    [ $? -eq 1 ] || fail "charts/ as a symlink: want exit 1"
    grep -q "not a directory (a symlink?)" "$T/ch.err" || fail "charts symlink message: $(cat "$T/ch.err")"
    [ -z "$(ls "$T/elsewhere")" ] || fail "files written through the charts symlink: $(ls "$T/elsewhere")"
    # charts/ a regular file, or a symlink to nowhere: exit 1 too, the file left as it was
    for how in file dangling; do
        rm -rf "$T/chout4"
        mkdir -p "$T/chout4"
        if [ $how = file ]; then echo keep > "$T/chout4/charts"; else ln -s "$T/nowhere/x" "$T/chout4/charts"; fi
        "$CX" --db "$T/ch.db" report --out "$T/chout4" > /dev/null 2> "$T/ch.err"
        [ $? -eq 1 ] || fail "charts/ as a $how: want exit 1 ($(cat "$T/ch.err"))"
        grep -q "no charts drawn" "$T/ch.err" || fail "charts/ as a $how: $(cat "$T/ch.err")"
        [ -s "$T/chout4/index.html" ] || fail "charts/ as a $how: no page written"
        [ $how = dangling ] || [ "$(cat "$T/chout4/charts")" = keep ] || fail "charts/ as a file was changed"
    done
    # gnuplot that fails: exit 1 and a message, the page still written
    mkdir -p "$T/badbin"
    printf '#!/bin/sh\nexit 1\n' > "$T/badbin/gnuplot"
    chmod +x "$T/badbin/gnuplot"
    PATH="$T/badbin:$PATH" "$CX" --db "$T/ch.db" report --out "$T/chout3" > /dev/null 2> "$T/ch.err"
    [ $? -eq 1 ] || fail "failing gnuplot: want exit 1"
    grep -q "report: 2 charts could not be drawn" "$T/ch.err" || fail "failing gnuplot message: $(cat "$T/ch.err")"
    [ -s "$T/chout3/index.html" ] || fail "failing gnuplot: no page"
fi

# ---- UTF-16 input is named as such ----
for enc in utf-16 utf-16le utf-16be; do
    printf '%s\n' "$H" 'ok1,2026-01-05T10:00:00Z,9,fine,phone' | iconv -f utf-8 -t $enc > "$T/u16.csv"
    "$CX" --db "$T/u16.db" import responses "$T/u16.csv" 2> "$T/u16.err"
    [ $? -eq 1 ] || fail "$enc import: want exit 1"
    grep -q "u16.csv:1: the file is UTF-16: convert it to UTF-8" "$T/u16.err" || fail "$enc: $(cat "$T/u16.err")"
    "$CX" stats --input - --out "$T/u16o" < "$T/u16.csv" 2> "$T/u16.err"
    [ $? -eq 1 ] && grep -q "UTF-16: convert it to UTF-8" "$T/u16.err" || fail "$enc stats --input: $(cat "$T/u16.err")"
done
printf '%s\n' 'customer_id,annual_value' 'c1,5' | iconv -f utf-8 -t utf-16 > "$T/c16.csv"
"$CX" --db "$T/u16.db" import customers "$T/c16.csv" 2> "$T/u16.err"
grep -q "UTF-16: convert it to UTF-8" "$T/u16.err" || fail "customers utf-16: $(cat "$T/u16.err")"

# ---- rejects: a re-import replaces its rejects; raw kept whole; export is spreadsheet-safe ----
{ printf '%s\n' "$H" 'ok1,2026-01-05T10:00:00Z,9,fine,phone' '=cmd|x,2026-01-05T10:00:00Z,11,x,phone'
  printf 'nul,2026-01-05T10:00:00Z,12,a\000b,phone\n'; } > "$T/rej.csv"
"$CX" --db "$T/rej.db" import responses "$T/rej.csv" 2> /dev/null
"$CX" --db "$T/rej.db" import responses "$T/rej.csv" 2> "$T/rej.err"
[ $? -eq 3 ] || fail "re-import: want exit 3"
grep -q "2 rejects of an earlier import of this file replaced" "$T/rej.err" || fail "re-import message: $(cat "$T/rej.err")"
n=$("$CX" --db "$T/rej.db" status | sed -n 's/^rejects: *//p')
[ "$n" = 2 ] || fail "re-importing a file repeated its rejects: $n"
"$CX" --db "$T/rej.db" export rejects > "$T/rej.out" || fail "export rejects"
"$CX" --db "$T/rej.db" --quiet report --out "$T/rejrep" > /dev/null || true
cmp -s "$T/rej.out" "$T/rejrep/rejects.csv" || fail "export rejects differs from rejects.csv"
grep -q "^csv,.*,\"'=cmd|x," "$T/rej.out" || fail "export rejects is not spreadsheet-safe: $(cat "$T/rej.out")"
$PY - "$T/rej.out" <<'PYEOF' || fail "the raw text with a NUL byte is cut"
import sys
data = open(sys.argv[1], 'rb').read()
assert b'a\xef\xbf\xbdb,phone' in data, data    # whole past the NUL, written as U+FFFD (docs/formats.md)
PYEOF

# ---- a repeated response_id: stats --input (file and pipe) counts what import keeps ----
"$GEN" --rows 4000 --seed 9 --responses-only --out "$T/dupd" > /dev/null 2>&1 || fail "gen-sample"
$PY - "$T/dupd/responses.csv" "$T/dup.csv" <<'PYEOF'
import csv, random, sys
random.seed(4)
rows = list(csv.reader(open(sys.argv[1], newline='')))
h, body = rows[0], rows[1:]
ui, si, ri = h.index('updated_at'), h.index('score'), h.index('responded_at')
extra = []
for r in random.sample(body, 600):
    r = list(r)
    k = random.random()
    r[ui] = (r[ui] or r[ri]) if k < 0.4 else ('2027-12-31T00:00:00Z' if k < 0.7 else '2001-01-01T00:00:00Z')
    r[si] = str(random.choice([0, 3, 6, 7, 8, 9, 10, 11]))   # 11: a rejected repeat replaces nothing
    extra.append(r)
w = csv.writer(open(sys.argv[2], 'w', newline=''))
w.writerow(h); w.writerows(body[:2000] + extra + body[2000:])
PYEOF
"$CX" --db "$T/dup.db" --quiet import responses "$T/dup.csv" 2> /dev/null
"$CX" --db "$T/dup.db" --quiet stats --by channel --out "$T/dup_store" || fail "dup: stats from the store"
"$CX" stats --input "$T/dup.csv" --by channel --out "$T/dup_file" 2> "$T/dup.err"
grep -q "rows replaced by a later row with the same response_id" "$T/dup.err" || fail "dup: no replaced count: $(cat "$T/dup.err")"
# one repeated row: "1 row replaced", not "1 rows"
{ head -2 "$T/dup.csv"; sed -n 2p "$T/dup.csv"; } > "$T/dup1.csv"
"$CX" stats --input "$T/dup1.csv" --out "$T/dup1" 2> "$T/dup1.err" || fail "dup1: stats"
grep -q ": 1 row replaced by a later row" "$T/dup1.err" || fail "dup1: not one row replaced: $(cat "$T/dup1.err")"
cat "$T/dup.csv" | "$CX" --quiet stats --input - --by channel --out "$T/dup_pipe" 2> /dev/null
# (the count tables: others sum floats in another order, the last digit may differ)
for f in nps.csv nps_change.csv drivers.csv; do
    cmp -s "$T/dup_store/$f" "$T/dup_file/$f" || fail "dup: $f differs between import and stats --input"
    cmp -s "$T/dup_store/$f" "$T/dup_pipe/$f" || fail "dup: $f differs between import and stats --input -"
done

echo "hostile store and input: all checks passed"
