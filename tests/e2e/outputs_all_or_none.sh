# A run's outputs land all or none (docs/formats.md, "All or none"): when
# a late output of `report` or `stats --out` fails (a directory where a
# file goes, a file past `ulimit -f`), every file of the folder is the
# previous run's, byte for byte (none of this run's tables or charts beside
# the old page), no temporary file or folder is left, the exit code is 1
# and the message names the file that failed.
. tests/e2e/lib.inc
"$GEN" --rows 6000 --seed 5 --months 12 --start 2025-11 --out "$T/d" >/dev/null 2>&1 || fail "gen-sample"
# twelve long comments in October make its page larger than any table or chart
$PY -c "
for i in range(12): print('long%d,2026-10-2%dT10:00:00Z,,9,' % (i, i % 8) + 'w' * 1990 + ',,,,,,,,')" >> "$T/d/responses.csv"
for k in responses customers spend; do
    "$CX" --db "$T/db" --quiet import $k "$T/d/$k.csv" || fail "import $k"
done
BY=channel,region,tier
snap() { (cd "$1" && find . -type f | sort | xargs md5sum) > "$2"; }
# check NAME DIR RC WANT_RC PATTERN: the failed run left DIR as $T/before
# says, no temporary file, and said PATTERN.
check() {
    [ "$3" -eq "$4" ] || fail "$1: exit $3, want $4"
    grep -q -- "$5" "$T/err" || fail "$1: message does not say '$5': $(cat "$T/err")"
    snap "$2" "$T/after"
    diff "$T/before" "$T/after" > "$T/diff" || fail "$1: files changed by the failed run: $(grep '^>' "$T/diff" | awk '{print $3}' | tr '\n' ' ')"
    left=$(find "$2" -name '*.tmp*')
    [ -z "$left" ] || fail "$1: temporary files left: $left"
}
report() { "$CX" --db "$T/db" --quiet report --by $BY --out "$T/out" "$@" > /dev/null; }
stats() { "$CX" --db "$T/db" --quiet stats --by $BY --out "$T/st" "$@"; }

# 1. report: a directory where a chart goes (it is renamed after the tables)
report --month 2026-09 || fail "first report"
rm "$T/out/charts/agents_aht_scatter.png" && mkdir "$T/out/charts/agents_aht_scatter.png" || fail "charts/agents_aht_scatter.png"
snap "$T/out" "$T/before"
report --month 2026-10 2> "$T/err"
check "report, a directory at a chart" "$T/out" $? 1 "charts/agents_aht_scatter.png: Is a directory"
rmdir "$T/out/charts/agents_aht_scatter.png"

# 2. report: the page, written last, is past the size limit; the limit is
#    set between the largest other file and the page of a free run
report --month 2026-09 || fail "report again"
snap "$T/out" "$T/before"
"$CX" --db "$T/db" --quiet report --by $BY --month 2026-10 --out "$T/probe" > /dev/null || fail "probe report"
page=$(wc -c < "$T/probe/index.html")
rest=$(find "$T/probe" -type f ! -name index.html -exec wc -c {} + | grep -v ' total$' | sort -n | tail -n 1 | awk '{print $1}')
lim=$(( (rest + page) / 2048 ))
[ $lim -ge 40 ] || lim=40                       # SQLite's shared-memory file needs 32 KiB
[ "$page" -gt $(( lim * 1024 + 2048 )) ] && [ "$rest" -lt $(( lim * 1024 - 2048 )) ] ||
    fail "probe: page $page and largest other file $rest do not straddle ${lim}k"
( trap '' XFSZ; ulimit -f $lim; report --month 2026-10 2> "$T/err" ); rc=$?
check "report, the page too large" "$T/out" $rc 1 "index.html: write failed: File too large"
# the limit lifted, the same run replaces everything
report --month 2026-10 || fail "report after the limit is lifted"
grep -q "Summary &mdash; October 2026" "$T/out/index.html" || fail "October's page not written"

# 3. stats --out: a directory where the last NPS table goes
stats --month 2026-09 || fail "first stats"
rm "$T/st/verbatim_flags.csv" && mkdir "$T/st/verbatim_flags.csv" || fail "verbatim_flags.csv"
snap "$T/st" "$T/before"
stats 2> "$T/err"
check "stats, a directory at a table" "$T/st" $? 1 "verbatim_flags.csv: Is a directory"
rmdir "$T/st/verbatim_flags.csv"

# 4. stats --out: the flags of every month (the largest table) past the limit
stats --month 2026-09 || fail "stats again"
snap "$T/st" "$T/before"
"$CX" --db "$T/db" --quiet stats --by $BY --out "$T/sprobe" || fail "probe stats"
flags=$(wc -c < "$T/sprobe/verbatim_flags.csv")
rest=$(find "$T/sprobe" -type f ! -name verbatim_flags.csv -exec wc -c {} + | grep -v ' total$' | sort -n | tail -n 1 | awk '{print $1}')
lim=$(( (rest + flags) / 2048 ))
[ $lim -ge 40 ] || lim=40
[ "$flags" -gt $(( lim * 1024 + 2048 )) ] && [ "$rest" -lt $(( lim * 1024 - 2048 )) ] ||
    fail "probe: flags $flags and largest other table $rest do not straddle ${lim}k"
( trap '' XFSZ; ulimit -f $lim; stats 2> "$T/err" ); rc=$?
check "stats, a table too large" "$T/st" $rc 1 "verbatim_flags.csv: write failed: File too large"
stats || fail "stats after the limit is lifted"
cmp -s "$T/st/agents.csv" "$T/sprobe/agents.csv" || fail "stats after the limit: agents.csv not this run's"
# 5. verbatims --out: themes.csv a directory, so verbatim_flags.csv (written
# first) must stay the last run's
mkdir -p "$T/vb"
"$CX" --db "$T/db" --quiet verbatims --month 2026-09 --out "$T/vb" > /dev/null || fail "first verbatims"
rm "$T/vb/themes.csv" && mkdir "$T/vb/themes.csv" || fail "themes.csv"
snap "$T/vb" "$T/before"
"$CX" --db "$T/db" --quiet verbatims --out "$T/vb" > /dev/null 2> "$T/err"
check "verbatims, a directory at themes.csv" "$T/vb" $? 1 "themes.csv: Is a directory"
# 6. a charts/ folder this user may not write (made by another user): the
# set lands without charts, said, as before the set (a tables-then-charts
# rename order had left new tables beside the old page).  Needs another
# user than root to mean anything: run as nobody when root.
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null && runuser -u nobody -- test -x "$CX" 2>/dev/null; then
    W="$T/nb"
    chmod a+rx "$T" && mkdir -p "$W/ro/charts" && cp "$T/db" "$W/db" && chmod -R a+rwX "$W" || fail "nobody's folder"
    runuser -u nobody -- "$CX" --db "$W/db" --quiet report --by $BY --out "$W/ro" > /dev/null 2>&1 ||
        fail "nobody's first report"
    chmod 555 "$W/ro/charts"
    touch -d 2000-01-01 "$W/ro/index.html" "$W/ro/nps.csv"
    runuser -u nobody -- "$CX" --db "$W/db" --quiet report --month 2026-09 --by $BY --out "$W/ro" \
        > /dev/null 2> "$T/err"
    rc=$?
    [ $rc -eq 1 ] || fail "charts/ not writable: exit $rc, want 1: $(cat "$T/err")"
    grep -q "could not be drawn" "$T/err" || fail "charts/ not writable not said: $(cat "$T/err")"
    [ "$W/ro/index.html" -nt "$W/ro/charts" ] || fail "charts/ not writable: the page is still the old one"
    grep -q "September 2026" "$W/ro/index.html" || fail "charts/ not writable: the page is not this run's"
    [ "$(find "$W/ro" -maxdepth 1 -name '*.tmp.*' | wc -l)" -eq 0 ] || fail "temporary files left"
    chmod 755 "$W/ro/charts"
fi
# 7. what a killed run left (NAME.tmp.XXXXXX, .charts.tmp.XXXXXX) is removed
# by the next run once an hour old; a younger one is left alone
mkdir -p "$T/sw/.charts.tmp.abcDEF/charts"
for f in "$T/sw/nps.csv.tmp.abc123" "$T/sw/index.html.tmp.xyz789" "$T/sw/.charts.tmp.abcDEF/charts/a.svg"; do
    echo x > "$f"
done
echo young > "$T/sw/agents.csv.tmp.young1"
touch -d '2 hours ago' "$T/sw/nps.csv.tmp.abc123" "$T/sw/index.html.tmp.xyz789" "$T/sw/.charts.tmp.abcDEF"
"$CX" --db "$T/db" --quiet stats --by $BY --out "$T/sw" || fail "stats into a folder with leftovers"
[ -e "$T/sw/nps.csv.tmp.abc123" ] || [ -e "$T/sw/index.html.tmp.xyz789" ] || [ -e "$T/sw/.charts.tmp.abcDEF" ] &&
    fail "a killed run's leftovers were kept: $(ls -a "$T/sw" | tr '\n' ' ')"
[ -e "$T/sw/agents.csv.tmp.young1" ] || fail "a young temporary file (a run under way) was removed"
echo "all or none: report, stats and verbatims --out that fail late (a directory, ulimit -f) leave the old outputs whole, exit 1, name the file"
