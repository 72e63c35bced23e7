# The comments' notes kept beside the analysis cache (docs/cache.md, "The
# comments' notes"; run/run_notes_file.h).  A cached run of comments
# writes CACHE.notes; the next takes every note from it and reads no
# comment, leaving the file as it is.  Every output (stats, --tables nps,
# the report, agents) equals that of a run without the file, whatever the
# file holds: damaged in its middle, another store's notes for the same
# ids (other comments), another configuration's or program's (its key),
# a window that reads fewer months, a cache extended with rows among the
# old ones, a comment changed or emptied in place, a temporary file left
# by a killed run or held by another.
. tests/e2e/lib.inc
"$GEN" --rows 40000 --seed 11 --verbatims --out "$T/d" >/dev/null 2>&1 || fail "gen-sample"
# the same ids with the comments turned round (another store's notes); 1%
# more rows among the old ids; one row's comment changed, later
$PY - "$T" <<'PYEOF' || fail "making the files"
import csv, sys
t = sys.argv[1]
rows = list(csv.reader(open(t + "/d/responses.csv", newline="")))
h, body = rows[0], rows[1:]
ci, ii, ui = h.index("comment"), h.index("response_id"), h.index("updated_at")
with open(t + "/other.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(h)
    comments = [r[ci] for r in body][::-1]
    for r, c in zip(body, comments):
        w.writerow(r[:ci] + [c] + r[ci + 1:])
with open(t + "/among.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(h)
    for r in body[::100]:
        w.writerow(r[:ii] + [r[ii] + "x"] + r[ii + 1:])
# one_row NAME COMMENT SKIP: the first row with a comment and no
# updated_at past the first SKIP rows, its comment COMMENT, later
def one_row(name, comment, skip):
    with open(t + "/" + name, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(h)
        r = list(next(r for r in body[skip:] if r[ci] and r[ui] == ""))
        r[ci] = comment
        r[ui] = "2026-11-30T00:00:00Z"
        w.writerow(r)
one_row("changed.csv", "The agent never called back, terrible service", 0)
# the comment of an early row emptied (its note must not stop the walk)
one_row("emptied.csv", "", 1)
PYEOF
DB="$T/s.db" N="$T/s.db.cache.notes"
BY=channel
"$CX" --db "$DB" --quiet import responses "$T/d/responses.csv" || fail "import"
"$CX" --db "$T/o.db" --quiet import responses "$T/other.csv" || fail "import other"
# said TAG: what --verbose said of the notes in TAG's run ("K R": kept, read)
said() {
    sed -n "s/.*comments' notes: \([0-9]*\) kept from an earlier run, \([0-9]*\) read.*/\1 \2/p;
            s/.*: \([0-9]*\) comments' notes kept from an earlier run, \([0-9]*\) read.*/\1 \2/p" "$T/$1.err" |
        head -1
}
# ref TAG: the outputs of a run without the notes file (put back after)
ref() {
    [ -f "$N" ] && mv "$N" "$T/kept.notes"
    cache_outs "$DB" "$1"
    rm -f "$N"
    [ -f "$T/kept.notes" ] && mv "$T/kept.notes" "$N"
    return 0
}
# run TAG REF: the outputs with the notes file as it is, equal to REF's
run() {
    cache_outs "$DB" "$1" --verbose
    diff -r "$T/$2" "$T/$1" >/dev/null || fail "$1: outputs differ from a run without notes: $(diff -rq "$T/$2" "$T/$1" | head -3)"
}
# A plain read of the cache says nothing, so its notes show in the file:
# left as it was (the same inode) when no comment was read, else written
# anew; a file written anew holds every note, the same bytes whatever it
# was made from.
cache_outs "$DB" first --verbose # the cache the import wrote; no notes yet
[ -s "$N" ] || fail "no notes file written"
"$CX" --db "$DB" status | grep -q "^cache: .*: current; its comments' notes beside it ([0-9]* MB)" ||
    fail "status does not name the notes: $("$CX" --db "$DB" status | grep '^cache')"
cp "$N" "$T/n1"
INODE=$(stat -c %i "$N")
run again first
[ "$(stat -c %i "$N")" = "$INODE" ] && cmp -s "$N" "$T/n1" || fail "a run that had every note wrote the notes anew"
# written_anew TAG: the file is not the one before TAG's run, and holds
# every note as the first run wrote them
written_anew() {
    [ "$(stat -c %i "$N")" != "$INODE" ] || fail "$1: the notes file was not written anew"
    INODE=$(stat -c %i "$N")
    cmp -s "$N" "$T/n1" || fail "$1: the notes written anew differ from the first run's"
}
# damaged in its middle: read up to there, the rest read again
SIZE=$(stat -c %s "$N")
printf '\377' | dd of="$N" bs=1 seek=$((SIZE / 2)) conv=notrunc 2>/dev/null
run damaged first
written_anew damaged
# another store's notes for the same ids: none taken for another comment
"$CX" --db "$T/o.db" --quiet stats --by channel --out "$T/o-first" 2>/dev/null || fail "other store's run"
cp "$T/o.db.cache.notes" "$N"
INODE=$(stat -c %i "$N")
run other first
written_anew other
# another program's or configuration's notes (the key in the header)
printf 'XXXXXXXX' | dd of="$N" bs=1 seek=16 conv=notrunc 2>/dev/null
run key first
written_anew key
echo '{"mot_types": ["card_lost"]}' > "$T/mot.json"
"$CX" --config "$T/mot.json" --db "$DB" --quiet stats --by channel --out "$T/mot-a" || fail "mot run"
[ "$(stat -c %i "$N")" != "$INODE" ] && ! cmp -s "$N" "$T/n1" || fail "another configuration took the notes"
cp "$N" "$T/mot.notes"
INODE=$(stat -c %i "$N")
"$CX" --config "$T/mot.json" --db "$DB" --quiet stats --by channel --out "$T/mot-b" || fail "mot run"
[ "$(stat -c %i "$N")" = "$INODE" ] || fail "the configuration's second run wrote its notes anew"
rm "$N"
"$CX" --config "$T/mot.json" --db "$DB" --quiet stats --by channel --out "$T/mot-c" || fail "mot run"
diff -r "$T/mot-c" "$T/mot-b" >/dev/null || fail "the configuration's notes: outputs differ"
cmp -s "$N" "$T/mot.notes" || fail "the configuration's notes differ"
INODE=$(stat -c %i "$N")
run back first # the default configuration again
written_anew back
# a run of one month (it reads fewer comments): every note there, the file
# left as it was; without the file, it writes the notes of its months
"$CX" --db "$DB" --quiet stats --by channel --month 2026-02 --out "$T/month" || fail "--month"
[ "$(stat -c %i "$N")" = "$INODE" ] || fail "a run of one month changed the notes"
mv "$N" "$T/kept.notes"
"$CX" --db "$DB" --quiet stats --by channel --month 2026-02 --out "$T/month-ref" || fail "--month, no notes"
diff -r "$T/month-ref" "$T/month" >/dev/null || fail "--month: outputs differ from a run without notes"
[ "$(stat -c %s "$N")" -lt "$(stat -c %s "$T/n1")" ] || fail "--month wrote the notes of every month"
# the next full run keeps those, reads the others and writes every month's
INODE=$(stat -c %i "$N")
run fewer first
written_anew fewer
# a temporary file left by a killed run: taken over; one held by another
# run: left alone, nothing written
rm -f "$N"
echo junk > "$N.tmp"
run leftover first
[ -s "$N" ] && [ ! -e "$N.tmp" ] && cmp -s "$N" "$T/n1" || fail "a left temporary file was not taken over"
rm -f "$N"
$PY -c '
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.lockf(fd, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(60)' "$N.tmp" "$T/held.flag" &
HOLD=$!
for i in $(seq 100); do [ -e "$T/held.flag" ] && break; sleep 0.1; done
[ -e "$T/held.flag" ] || fail "the temporary file was not held"
run held first
kill $HOLD 2>/dev/null
wait $HOLD 2>/dev/null
[ -e "$N" ] && fail "a notes file written while another run held its temporary file"
rm -f "$N.tmp"
run rewrite first
cmp -s "$N" "$T/n1" || fail "the notes written again differ"
# rows among the old ids (an extension merging them): the old rows' notes
# kept, the new ones' read; then a comment changed in place.  Each as a
# run without the notes from the same cache gives it, which writes the
# same notes
# grow TAG FILE: FILE imported, the next runs with the notes and without
grow() {
    "$CX" --db "$DB" --quiet import responses "$2" || fail "$1: import"
    cp "$DB.cache" "$T/pre.cache"
    cache_outs "$DB" "$1" --verbose
    mv "$N" "$T/$1.notes"
    cp "$T/pre.cache" "$DB.cache"
    cache_outs "$DB" "$1-ref"
    diff -r "$T/$1-ref" "$T/$1" >/dev/null || fail "$1: outputs differ from a run without notes"
    cmp -s "$N" "$T/$1.notes" || fail "$1: the notes written differ from a run's without them"
}
grow among "$T/among.csv"
grep -q 'extended with 400 new' "$T/among.err" || fail "among: not extended: $(cat "$T/among.err")"
set -- $(said among)
[ "${2:-0}" -gt 0 ] && [ "$2" -lt 400 ] && [ "${1:-0}" -gt $((20 * $2)) ] || fail "among: '$(said among)'"
grow changed "$T/changed.csv"
grep -q 'extended with 0 new and 1 changed' "$T/changed.err" || fail "changed: not extended: $(cat "$T/changed.err")"
set -- $(said changed)
[ "${2:-9}" -le 1 ] || fail "one comment changed: '$(said changed)', want it alone read"
KEPT=$(($1 + $2)) # the notes in the file after it
grow emptied "$T/emptied.csv"
grep -q 'extended with 0 new and 1 changed' "$T/emptied.err" || fail "emptied: not extended: $(cat "$T/emptied.err")"
[ "$(said emptied)" = "$((KEPT - 1)) 0" ] || fail "a comment emptied: '$(said emptied)', want $((KEPT - 1)) kept, 0 read"
echo "the comments' notes kept beside the cache: a second run reads no comment and leaves the file as it is; the same outputs as without it, and the same notes written, when it is damaged, another store's, another key or configuration's, a run of one month's; rows merged among the old ($(said among) kept, read), a comment changed ($(said changed)), a comment emptied ($(said emptied)); a temporary file left or held"
