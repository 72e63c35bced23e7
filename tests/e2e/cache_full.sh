# A cache that cannot be written (a full disk: ulimit -f, SIGXFSZ ignored
# so writes fail with EFBIG) ends its build, and the run answers from the
# store alone (docs/cache.md): exit 0, the outputs equal CXPULSE_CACHE=off,
# no cache and no temporary file left; with room again the next run
# builds it.  The same for an extension of the cache after more rows.
. tests/e2e/lib.inc
"$GEN" --rows 6000 --seed 4 --responses-only --out "$T/d" >/dev/null 2>&1 || fail "gen-sample"
head -4001 "$T/d/responses.csv" > "$T/first.csv"
{ head -1 "$T/d/responses.csv"; tail -n +4002 "$T/d/responses.csv"; } > "$T/second.csv"
DB="$T/db"
BY=channel,agent_id
CXPULSE_CACHE=off "$CX" --db "$DB" --quiet import responses "$T/first.csv" || fail "import"
# full TAG: stats with room for the CSV files (each under 200 KB) but not for the cache
full() {
    ( trap '' XFSZ; ulimit -f 200; "$CX" --db "$DB" --quiet stats --by $BY --out "$T/$1" 2>"$T/$1.err" )
    rc=$?
    [ $rc -eq 0 ] || fail "$1: exit $rc with no room for the cache: $(cat "$T/$1.err")"
    mkdir -p "$T/$1_off"
    CXPULSE_CACHE=off "$CX" --db "$DB" --quiet stats --by $BY --out "$T/$1_off" || fail "$1: stats, cache off"
    diff -r "$T/$1_off" "$T/$1" > "$T/diff" || fail "$1: the store's answer differs: $(head -5 "$T/diff")"
    [ -e "$DB.cache.tmp" ] && fail "$1: a temporary file was left"
    return 0
}
full built
[ -e "$DB.cache" ] && fail "a cache was kept that could not be written"
"$CX" --db "$DB" --verbose --quiet stats --by $BY --out "$T/room" 2>"$T/room.err" || fail "stats with room"
grep -q "built from the store" "$T/room.err" || fail "no cache built with room again: $(cat "$T/room.err")"
[ "$(stat -c %s "$DB.cache")" -gt 204800 ] || fail "the cache fits under the limit: the test proves nothing"
# an extension that cannot be written leaves the old cache as it was
cp "$DB.cache" "$T/old.cache"
CXPULSE_CACHE=off "$CX" --db "$DB" --quiet import responses "$T/second.csv" --source more --allow-duplicate-ids ||
    fail "import more"
full extended
cmp -s "$DB.cache" "$T/old.cache" || fail "an extension that could not be written changed the cache"
echo "cache that cannot be written: the run answers from the store (build and extension), nothing left half made"
