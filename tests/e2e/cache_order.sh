# The analysis cache is built from the store's rows in the table's own
# order when that is the key order (no lookup through the key's index a
# row) and from its key order otherwise: a store whose rows were loaded
# out of key order (a source imported before one that sorts ahead of it;
# more rows than a cache block before the first row out of order, so the
# run has fed the analyses when it finds it and starts again) gives
# byte-identical outputs with the cache as it is built, once built and
# without it (CXPULSE_CACHE=off), and so does a store loaded in key order.
# The first import into each store is made with CXPULSE_CACHE=off: into an
# empty store an import writes the cache itself (cache_import.sh).
. tests/e2e/lib.inc
"$GEN" --rows 20000 --seed 5 --out "$T/d" >/dev/null 2>&1 || fail "gen-sample"
head -17001 "$T/d/responses.csv" > "$T/first.csv"
{ head -1 "$T/d/responses.csv"; tail -n +17002 "$T/d/responses.csv"; } > "$T/second.csv"
BY=channel,region,agent_id

# outs TAG DB: stats (every table) and agents into $T/TAG
outs() {
    mkdir -p "$T/$1"
    "$CX" --db "$2" --verbose stats --by "$BY" --out "$T/$1/stats" 2>"$T/$1.err" >/dev/null || fail "$1: stats"
    "$CX" --db "$2" --quiet agents > "$T/$1/agents.txt" 2>>"$T/$1.err" || fail "$1: agents"
}
same() { diff -r "$T/$1" "$T/$2" > "$T/diff" || fail "$2 differs from $1: $(head -5 "$T/diff")"; }
built() { grep -q "cache: .*: built from the store" "$T/$1.err" || fail "$1: no cache built: $(cat "$T/$1.err")"; }

# zz's 17000 rows numbered first, aa's 3000 (which sort before them) after
MIX="$T/mix.db"
CXPULSE_CACHE=off "$CX" --db "$MIX" --quiet import responses "$T/first.csv" --source zz || fail "import zz"
"$CX" --db "$MIX" --quiet import responses "$T/second.csv" --source aa || fail "import aa"
[ "$(sqlite3 "$MIX" "SELECT source FROM responses ORDER BY rowid LIMIT 1")" = zz ] ||
    fail "the rows are not numbered in the order imported"
CXPULSE_CACHE=off outs mix_off "$MIX"
outs mix_cold "$MIX"; built mix_cold
outs mix_warm "$MIX"
same mix_off mix_cold
same mix_off mix_warm
rm -f "$MIX.cache"
CXPULSE_CACHE=off outs mix_off2 "$MIX"
same mix_off mix_off2

# the same rows loaded in key order (aa first): the table's order serves
ORD="$T/ord.db"
CXPULSE_CACHE=off "$CX" --db "$ORD" --quiet import responses "$T/second.csv" --source aa || fail "import aa"
"$CX" --db "$ORD" --quiet import responses "$T/first.csv" --source zz || fail "import zz"
CXPULSE_CACHE=off outs ord_off "$ORD"
rm -f "$ORD.cache"
outs ord_cold "$ORD"; built ord_cold
outs ord_warm "$ORD"
same ord_off ord_cold
same ord_off ord_warm
same mix_off ord_off
echo "cache: built in table order, or in key order when the table's is not (after a block was fed): outputs identical"
