# --by a response attribute through the analysis cache (docs/cache.md,
# "Reading"): with no customer in the store, `stats --by region` (alone
# and beside text fields) counts the attribute's values from the cache's
# attribute columns, for every table and for `--tables nps` alone; rows
# whose region is empty count as missing. Every output (stats, --tables
# nps, the report with its count of responses without a region, agents)
# equals what the store read row by row gives (CXPULSE_CACHE=off), and
# the tables equal those of `stats --input`. With customers, a row
# without the attribute takes its customer's: a full run looks it up in
# the customers it loaded, `--tables nps` leaves the counting to the
# store when a row lacks it; the outputs still equal the store's (--by a
# region every row has, a customer's tier, and a region a second source's
# rows lack).
. tests/e2e/lib.inc
"$GEN" --rows 30000 --seed 5 --out "$T/d" >/dev/null 2>&1 || fail "gen-sample"
# every 7th row's region empty; a second source's rows (ids of their own)
# without a region column; customers with one
$PY - "$T" <<'PYEOF' || fail "making the files"
import csv, sys
t = sys.argv[1]
rows = list(csv.reader(open(t + "/d/responses.csv", newline="")))
h = rows[0]
ri = h.index("region")
with open(t + "/r.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(h)
    for k, r in enumerate(rows[1:]):
        if k % 7 == 6:
            r[ri] = ""
        w.writerow(r)
cols = ["response_id", "responded_at", "score", "customer_id", "channel"]
with open(t + "/x.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(cols)
    for r in rows[1:2001]:
        w.writerow(["x" + r[0]] + [r[h.index(c)] for c in cols[1:]])
cust = list(csv.reader(open(t + "/d/customers.csv", newline="")))
with open(t + "/c.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(cust[0] + ["region"])
    for k, r in enumerate(cust[1:]):
        w.writerow(r + ["north" if k % 2 else "south"])
PYEOF
DB="$T/s.db"
"$CX" --db "$DB" --quiet import responses "$T/r.csv" || fail "import"
# same TAG BY: every output from the cache and from the store, equal
same() {
    BY=$2
    unset CXPULSE_CACHE
    cache_outs "$DB" "$1-c"
    "$CX" --db "$DB" --quiet stats --by "$BY" --tables nps --out "$T/$1-c/nps-by" 2>>"$T/$1-c.err" ||
        fail "$1: stats --tables nps"
    export CXPULSE_CACHE=off
    cache_outs "$DB" "$1-s"
    "$CX" --db "$DB" --quiet stats --by "$BY" --tables nps --out "$T/$1-s/nps-by" 2>>"$T/$1-s.err" ||
        fail "$1: stats --tables nps, no cache"
    unset CXPULSE_CACHE
    diff -r "$T/$1-s" "$T/$1-c" >/dev/null ||
        fail "$1: outputs differ between the store and the cache: $(diff -rq "$T/$1-s" "$T/$1-c" | head -3)"
}
for by in region channel,region region,agent_id; do
    tag=$(echo "$by" | tr , _)
    same "$tag" "$by"
    "$CX" --quiet stats --input "$T/r.csv" --by "$by" --out "$T/$tag-i" 2>>"$T/err" || fail "$tag: --input"
    for f in "$T/$tag-i"/*.csv; do
        cmp -s "$f" "$T/$tag-c/stats/${f##*/}" || fail "$tag: ${f##*/} differs between the cache and --input"
    done
done
grep -q 'responses have no value for this' "$T/region-c/report/index.html" || fail "the report does not count the rows without a region"
grep -q '^[0-9-]*,region,,' "$T/region-c/stats/nps.csv" && fail "an empty region became a segment"
# customers with a region and a tier: every response has its own region
# (some empty), every tier is the customer's
"$CX" --db "$DB" --quiet import customers "$T/c.csv" || fail "import customers"
same cust_all region
same cust_tier tier,channel
grep -q '^[0-9-]*,tier,business,' "$T/cust_tier-c/stats/nps.csv" || fail "no customer's tier counted"
# the second source's rows have no region: they take their customer's
"$CX" --db "$DB" --quiet import responses "$T/x.csv" --source other || fail "import other"
same cust_region region
same cust_channel_region channel,region
echo "--by region (an attribute, every 7th row empty) from the cache: stats, --tables nps, report and agents as the store gives them, tables as --input's; with customers carrying a region and a tier, and rows without a region taking their customer's"
