# The analysis cache beside a SQLite store (docs/cache.md): stats, report
# and agents give byte-identical outputs with the cache (as it is built
# and once built), without it (CXPULSE_CACHE=off), after it is deleted,
# after imports and hand edits that change the store (a stale cache is
# never used: the outputs equal a fresh store's), after it is damaged or
# cut short (said on stderr, rebuilt), when it belongs to another store,
# and after kill -9 during its build.  --tables nps from the cache equals
# the store's own counts.  The stores are imported with CXPULSE_CACHE=off:
# an import into an empty store writes the cache itself (cache_import.sh),
# and these runs are to build it.
. tests/e2e/lib.inc
"$GEN" --rows 6000 --seed 3 --out "$T/d" >/dev/null 2>&1 || fail "gen-sample"
head -3001 "$T/d/responses.csv" > "$T/first.csv"
{ head -1 "$T/d/responses.csv"; tail -n +3002 "$T/d/responses.csv"; } > "$T/second.csv"
DB="$T/db"
C="$DB.cache"
BY=channel,region,tier,agent_id
CXPULSE_CACHE=off "$CX" --db "$DB" --quiet import responses "$T/first.csv" || fail "import"
"$CX" --db "$DB" --quiet import customers "$T/d/customers.csv" || fail "import customers"
"$CX" --db "$DB" --quiet import spend "$T/d/spend.csv" || fail "import spend"

# outs TAG [DB]: stats (every table), stats --tables nps, report and agents into $T/TAG
outs() { cache_outs "${2:-$DB}" "$1"; }
same() { diff -r "$T/$1" "$T/$2" > "$T/diff" || fail "$2 differs from $1: $(head -5 "$T/diff")"; }
quiet() { [ -s "$T/$1.err" ] && fail "$1: said $(cat "$T/$1.err")"; return 0; }

mkdir -p "$T/off" && CXPULSE_CACHE=off outs off
[ -e "$C" ] && fail "CXPULSE_CACHE=off wrote a cache"
outs cold; quiet cold
[ -s "$C" ] || fail "no cache beside the store after stats"
outs warm; quiet warm
same off cold
same off warm

# an unchanged re-import (and re-imports of customers and spend: the cache
# holds only responses) change no response: the generation stays, and the
# next runs read the cache as it is — the same file (inode and mtime), not
# one rebuilt and renamed over it.  On a copy of the store (with its cache):
# the report counts the imports, so the outputs below would move.
RE="$T/re.db"
cp "$DB" "$RE" && cp "$C" "$RE.cache" || fail "copy the store"
ino=$(stat -c %i.%Y "$RE.cache")
gen=$(sqlite3 "$RE" "SELECT n FROM cx_generation")
"$CX" --db "$RE" --quiet import responses "$T/first.csv" || fail "re-import"
"$CX" --db "$RE" --quiet import customers "$T/d/customers.csv" || fail "re-import customers"
"$CX" --db "$RE" --quiet import spend "$T/d/spend.csv" || fail "re-import spend"
[ "$(sqlite3 "$RE" "SELECT n FROM cx_generation")" = "$gen" ] || fail "an unchanged re-import moved the generation"
sleep 1
outs reimported "$RE"; quiet reimported
mkdir -p "$T/reimported_off" && CXPULSE_CACHE=off outs reimported_off "$RE"
same reimported_off reimported
[ "$(stat -c %i.%Y "$RE.cache")" = "$ino" ] || fail "the cache was rebuilt after an unchanged re-import"

# a damaged cache (a byte of a column flipped) is said and rebuilt; the outputs stay
size=$(stat -c %s "$C")
printf '\377' | dd of="$C" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
"$CX" --db "$DB" --quiet stats --by "$BY" --out "$T/dmg" 2>"$T/dmg.err" || fail "stats on a damaged cache"
grep -q "cache: .*damaged" "$T/dmg.err" || fail "a damaged cache was not said: $(cat "$T/dmg.err")"
diff -r "$T/off/stats" "$T/dmg" >/dev/null || fail "stats from a damaged cache differ"
outs rebuilt; quiet rebuilt
same off rebuilt

# cut short
truncate -s $((size * 2 / 3)) "$C"
outs cut
grep -q "cache: .*damaged (cut short)" "$T/cut.err" || fail "a cut cache was not said: $(cat "$T/cut.err")"
same off cut

# deleted
rm -f "$C"
outs deleted; quiet deleted
same off deleted

# A forged cache (forge.py score|month CACHE): a block's column changed,
# its hashes made right again (the cache's hash, core/store/cache_hash.c).
cat > "$T/forge.py" <<'PYEOF'
import struct, sys
def h(b):
    x, M = 0xcbf29ce484222325, (1 << 64) - 1
    n = len(b) // 8 * 8
    for i in range(0, n, 8):
        x = ((x ^ int.from_bytes(b[i:i + 8], 'little')) * 0x100000001b3) & M
        x ^= x >> 29
    for c in b[n:]:
        x = ((x ^ c) * 0x100000001b3) & M
    x ^= len(b)
    for k in (0xff51afd7ed558ccd, 0xc4ceb9fe1a85ec53):   # hash_fmix64 (core/hash.h)
        x = ((x ^ (x >> 33)) * k) & M
    return x ^ (x >> 33)
what, p = sys.argv[1:]
d = bytearray(open(p, 'rb').read())
head = 256
# block head: magic, rows, moments, attributes, payload, pad; 20 x (off, len, hash); hash
col = 5 if what == 'score' else 3
off, ln, _ = struct.unpack_from('<IIQ', d, head + 24 + 16 * col)
at = head + 352 + off
if what == 'score':
    d[at] = 99                                                     # the first score out of range
else:
    for i in range(0, ln, 4):                                      # every row a month later
        struct.pack_into('<i', d, at + i, struct.unpack_from('<i', d, at + i)[0] + 1)
struct.pack_into('<Q', d, head + 24 + 16 * col + 8, h(bytes(d[at:at + ln])))
struct.pack_into('<Q', d, head + 344, h(bytes(d[head:head + 344])))
open(p, 'wb').write(d)
PYEOF

# a cache with valid hashes but a score out of range is refused as input
$PY "$T/forge.py" score "$C" || fail "forge a cache"
"$CX" --db "$DB" --quiet stats --by "$BY" --out "$T/forged" 2>"$T/forged.err" || fail "stats on a forged cache"
grep -q "score" "$T/forged.err" || fail "a score out of range in the cache was not said: $(cat "$T/forged.err")"
diff -r "$T/off/stats" "$T/forged" >/dev/null || fail "stats from a forged cache differ"

# a month that does not match its time (hashes made right) is refused by
# --tables nps too, as by a run of every analysis: the store's counts answer
outs reforged >/dev/null 2>&1     # a cache again
$PY "$T/forge.py" month "$C" || fail "forge a month"
"$CX" --db "$DB" --quiet stats --by channel,agent_id --tables nps --out "$T/mforged" 2>"$T/mforged.err" ||
    fail "stats --tables nps on a forged cache"
grep -q "does not match responded_at" "$T/mforged.err" ||
    fail "a month not matching its time in the cache was not said: $(cat "$T/mforged.err")"
diff -r "$T/off/nps" "$T/mforged" >/dev/null || fail "--tables nps from a forged cache differs"

# an import that changes the store: the cache is stale, never used
outs before
"$CX" --db "$DB" --quiet import responses "$T/second.csv" || fail "import more"
outs after; quiet after
FRESH="$T/fresh.db"
"$CX" --db "$FRESH" --quiet import responses "$T/first.csv" || fail "fresh import"
"$CX" --db "$FRESH" --quiet import responses "$T/second.csv" || fail "fresh import more"
"$CX" --db "$FRESH" --quiet import customers "$T/d/customers.csv" || fail "fresh customers"
"$CX" --db "$FRESH" --quiet import spend "$T/d/spend.csv" || fail "fresh spend"
mkdir -p "$T/fresh" && CXPULSE_CACHE=off outs fresh "$FRESH"
same fresh after
diff -r "$T/before/stats" "$T/after/stats" >/dev/null && fail "the second import changed nothing"

# edits by another program (the sqlite3 shell) move the generation too
outs warm2
sqlite3 "$DB" "UPDATE responses SET score = 10 - score WHERE rowid % 7 = 0" || fail "hand edit"
outs edited; quiet edited
mkdir -p "$T/edited_off" && CXPULSE_CACHE=off outs edited_off
same edited_off edited
diff -r "$T/warm2/stats" "$T/edited/stats" >/dev/null && fail "the hand edit changed nothing"
sqlite3 "$DB" "UPDATE customers SET attributes = json_set(attributes, '\$.tier', 'gold') WHERE rowid % 3 = 0" ||
    fail "customer edit"
outs cust; quiet cust
mkdir -p "$T/cust_off" && CXPULSE_CACHE=off outs cust_off
same cust_off cust

# the cache of another store beside this one is not used
cp "$FRESH.cache" "$C" 2>/dev/null || { "$CX" --db "$FRESH" --quiet stats --out "$T/x" && cp "$FRESH.cache" "$C"; }
outs other; quiet other
same cust_off other

# kill -9 while the cache is built: the next run gives the same answer
"$GEN" --rows 120000 --seed 9 --out "$T/big" --responses-only >/dev/null 2>&1 || fail "gen-sample big"
BIG="$T/big.db"
CXPULSE_CACHE=off "$CX" --db "$BIG" --quiet import responses "$T/big/responses.csv" || fail "big import"
CXPULSE_CACHE=off "$CX" --db "$BIG" --quiet stats --by channel --out "$T/big_ref" || fail "big reference"
t0=$(date +%s%N)
"$CX" --db "$BIG" --quiet stats --by channel --out "$T/big_probe" || fail "big probe"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
killed=0
for i in 1 2 3 4 5 6 7 8; do
    [ $i -gt 4 ] && [ $killed -gt 0 ] && break
    rm -f "$BIG.cache"
    kill_during "$ms" "$CX" --db "$BIG" --quiet stats --by channel --out "$T/big_k" && killed=$((killed + 1))
    "$CX" --db "$BIG" --quiet stats --by channel --out "$T/big_after" 2>"$T/big.err" || fail "stats after kill $i"
    [ -s "$T/big.err" ] && fail "after kill $i: $(cat "$T/big.err")"
    diff -r "$T/big_ref" "$T/big_after" >/dev/null || fail "stats after kill $i differ"
    "$CX" --db "$BIG" --quiet stats --by channel --out "$T/big_after2" || fail "stats after kill $i (cache)"
    diff -r "$T/big_ref" "$T/big_after2" >/dev/null || fail "stats from the cache after kill $i differ"
done
[ $killed -gt 0 ] || fail "no cache build was killed while running (one takes ${ms} ms)"
left=$(ls "$BIG".cache.tmp* 2>/dev/null | wc -l)
[ "$left" -le 1 ] || fail "killed builds left $left temporary files: $(ls "$BIG".cache.tmp*)"
# a build under way (its temporary file locked) is not disturbed by another run
$PY - "$BIG.cache.tmp" "$CX" "$BIG" "$T/big_locked" <<'PYEOF' || fail "a run beside a locked build"
import fcntl, os, subprocess, sys
tmp, cx, db, out = sys.argv[1:]
fd = os.open(tmp, os.O_WRONLY | os.O_CREAT, 0o644)
os.write(fd, b'partial')
fcntl.lockf(fd, fcntl.LOCK_EX)
os.unlink(db + '.cache')
subprocess.run([cx, '--db', db, '--quiet', 'stats', '--by', 'channel', '--out', out], check=True)
assert os.path.getsize(tmp) == 7, 'the locked file was written'
assert not os.path.exists(db + '.cache'), 'a cache was made beside a build under way'
PYEOF
diff -r "$T/big_ref" "$T/big_locked" >/dev/null || fail "stats beside a locked build differ"
echo "cache: outputs identical with, without, deleted, damaged, cut, forged, stale, edited, another store's; $killed kills during builds"
