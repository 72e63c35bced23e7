# kill -9 at random moments: during a large import the store keeps the
# file's rows all or none (one transaction per file) and stays sound
# (integrity_check); during a report every output file is the old one or a
# complete new one.  A rerun then completes.
. tests/e2e/lib.inc
"$GEN" --rows 150000 --seed 8 --out "$T/d" --responses-only >/dev/null 2>&1 || fail "gen-sample"
$PY -c 'import csv,sys; r=csv.reader(open(sys.argv[1], newline="")); w=csv.writer(sys.stdout); [w.writerow(x) for _, x in zip(range(1001), r)]' "$T/d/responses.csv" > "$T/first.csv"
"$CX" --db "$T/db" --quiet import responses "$T/first.csv" || fail "first import"
count() { sqlite3 "$T/db" 'SELECT count(*) FROM responses'; }
schema() { sqlite3 "$1" "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name"; }
base=$(count)
full=$($PY -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1], newline=""))))' "$T/d/responses.csv")
# kill_imports CSV WANT LABEL [FROM SPAN]: kill -9 imports of CSV into a
# copy of $T/db at random moments (FROM% to FROM+SPAN% of an import's time:
# 5 and 70 unless given) until three died while running; each leaves the
# store sound, holding the file's rows all (WANT) or
# none ($base).  Then a rerun completes.
kill_imports() {
    local csv=$1 want=$2 label=$3 from=${4:-5} span=${5:-70} ms t0 killed=0 i=0 n
    base=$(count)
    # how long a whole import takes here, to kill inside it
    cp "$T/db" "$T/probe.db"
    t0=$(date +%s%N)
    "$CX" --db "$T/probe.db" --quiet import responses "$csv" || fail "$label: probe import"
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    rm -f "$T/probe.db"*
    cp "$T/db" "$T/base.db"
    # until three imports were killed while running (at most 12 tries: an
    # import that finished before its kill is undone from the copy and retried)
    while [ $killed -lt 3 ] && [ $i -lt 12 ]; do
        i=$((i + 1))
        "$CX" --db "$T/db" --quiet import responses "$csv" 2>/dev/null &
        pid=$!
        at=$(( ms * (from + RANDOM % span) / 100 ))
        sleep "$((at / 1000)).$(printf '%03d' $((at % 1000)))"
        if [ -d /proc/$pid ] && ! grep -q '^State:.*Z' /proc/$pid/status 2>/dev/null; then
            killed=$((killed + 1))
        else
            # it ended before its kill: later imports ran faster than the
            # probe (on a virtual machine the first one pays for fresh
            # pages), so aim earlier from now on
            ms=$((ms * 4 / 5))
        fi
        kill -9 $pid 2>/dev/null
        wait $pid 2>/dev/null
        [ "$(sqlite3 "$T/db" 'PRAGMA integrity_check')" = ok ] || fail "$label: store damaged after kill $i"
        n=$(count)
        # undone: its tables and indexes as before the import too
        [ "$n" -ne "$base" ] || [ "$(schema "$T/db")" = "$(schema "$T/base.db")" ] ||
            fail "$label: kill $i left the store's schema changed"
        [ "$n" -eq "$base" ] || [ "$n" -eq "$want" ] || fail "$label: kill $i: $n rows, want $base (none) or $want (all)"
        if [ "$n" -eq "$want" ]; then rm -f "$T/db"*; cp "$T/base.db" "$T/db"; fi
    done
    [ $killed -gt 0 ] || fail "$label: no import was killed while running in $i tries (one takes ${ms} ms)"
    "$CX" --db "$T/db" --quiet import responses "$csv" || fail "$label: import after the kills"
    [ "$(count)" -eq "$want" ] || fail "$label: rerun: $(count) rows, want $want"
    kills="$kills, $label $killed x ${ms} ms"
}
kills=""
# into a store holding the file's first rows (the rows are staged and merged)
kill_imports "$T/d/responses.csv" "$full" "merge"
# into an empty store: ids in order are loaded straight into responses,
# batch by batch; shuffled ids are staged and inserted sorted at the end
# (killed late too: during the runs' merge and its load)
head -1 "$T/d/responses.csv" > "$T/header.csv"
$PY -c 'import csv,random,sys; r=list(csv.reader(open(sys.argv[1], newline=""))); h, rows = r[0], r[1:]; random.Random(3).shuffle(rows); w=csv.writer(sys.stdout, lineterminator="\n"); w.writerow(h); w.writerows(rows)' "$T/d/responses.csv" > "$T/shuffled.csv"
for order in responses shuffled; do
    rm -f "$T/db"*
    "$CX" --db "$T/db" --quiet import responses "$T/header.csv" || fail "empty store"
    [ "$(count)" -eq 0 ] || fail "the empty store holds rows"
    csv="$T/d/responses.csv"
    [ $order = shuffled ] && csv="$T/shuffled.csv"
    kill_imports "$csv" "$full" "new store, ids ${order/responses/in order}"
done
rm -f "$T/db"*
"$CX" --db "$T/db" --quiet import responses "$T/header.csv" || fail "empty store"
kill_imports "$T/shuffled.csv" "$full" "new store, ids shuffled, late" 70 28

# kill -9 during reports
"$CX" --db "$T/db" --quiet report --by channel,customer_id --out "$T/out" > /dev/null || fail "report"
for i in 1 2 3; do
    "$CX" --db "$T/db" --quiet report --by channel,customer_id,agent_id,product --out "$T/out" > /dev/null 2>&1 &
    pid=$!
    sleep "0.$(( RANDOM % 9 + 1 ))"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    $PY - "$T/out" <<'PYEOF' || fail "an output was left cut short by kill $i"
import csv, glob, sys
out = sys.argv[1]
for p in glob.glob(out + '/*.csv'):
    raw = open(p, 'rb').read()
    assert raw.endswith(b'\r\n'), p
    assert len({len(r) for r in csv.reader(open(p, newline='', encoding='utf-8'))}) == 1, p
assert open(out + '/index.html', encoding='utf-8').read().rstrip().endswith('</html>')
for p in glob.glob(out + '/charts/*.svg'):
    assert open(p, encoding='utf-8').read().rstrip().endswith('</svg>'), p
for p in glob.glob(out + '/charts/*.png'):
    assert open(p, 'rb').read().endswith(b'IEND\xaeB`\x82'), p
PYEOF
done
"$CX" --db "$T/db" --quiet report --by channel --out "$T/out" > /dev/null || fail "report after the kills"
echo "kill -9 during import (${kills#, }): all or none of $full rows, store sound; during report: files whole"
