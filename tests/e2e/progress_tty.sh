# On a terminal, long work shows progress: an import its percent of the
# file (and time left once it has run a second), then the phase it is in
# ("merging into the store…"); ingest its pages and responses per source;
# the line is cleared before the summary.  Nothing of it when stderr is not
# a terminal.  The terminal is script(1)'s pseudo-terminal.
. tests/e2e/ingest_lib.inc
command -v script > /dev/null || { echo "skipped: script(1) is missing (util-linux)"; exit 0; }
GEN="$CXPULSE_ROOT/scripts/gen-sample"
"$GEN" --rows 60000 --seed 2 --responses-only --out "$T/d" > /dev/null 2>&1 || fail "gen-sample"
tty_run() { script -qfc "$1" /dev/null > "$2" 2>&1 < /dev/null; }
tty_run "'$CX' --db '$T/a.db' import responses '$T/d/responses.csv'" "$T/tty.out" || fail "import on a terminal"
tr '\r' '\n' < "$T/tty.out" > "$T/lines"
grep -Eq "^$(printf '\033')\[Kreading $T/d/responses.csv: [0-9]+%, [0-9]+ rows" "$T/lines" || fail "no percent: $(head -c 300 "$T/lines")"
grep -q "^$(printf '\033')\[Kmerging into the store…" "$T/lines" || fail "no merge phase"
grep -q "^$(printf '\033')\[Kcxpulse: import $T/d/responses.csv: 60000 rows: 60000 new" "$T/lines" ||
    fail "the summary does not follow a cleared line: $(tail -c 300 "$T/lines")"
"$CX" --db "$T/b.db" import responses "$T/d/responses.csv" 2> "$T/plain.err" || fail "plain import"
grep -q "$(printf '\r')" "$T/plain.err" && fail "progress drawn when stderr is a file"
[ "$(wc -l < "$T/plain.err")" -eq 1 ] || fail "plain import said: $(cat "$T/plain.err")"
# store stats and report: loading, the store read with its percent, computing, writing
# (240,000 rows: the same file under four sources, so that the read lasts)
for src in s2 s3 s4; do
    "$CX" --db "$T/a.db" --quiet import responses "$T/d/responses.csv" --source $src --allow-duplicate-ids || fail "import $src"
done
tty_run "'$CX' --db '$T/a.db' report --out '$T/rep'" "$T/rep.out" || fail "report on a terminal: $(tail -c 300 "$T/rep.out")"
tr '\r' '\n' < "$T/rep.out" > "$T/rep.lines"
for phase in "loading customers and spend…" "computing the statistics…" "writing the tables, the charts and the page…"; do
    grep -q "^$(printf '\033')\[K$phase" "$T/rep.lines" || fail "report: no '$phase'"
done
grep -Eq "^$(printf '\033')\[Kreading the store: [0-9]+%, [0-9]+ responses" "$T/rep.lines" || fail "report: no percent of the store"
tty_run "'$CX' --db '$T/a.db' stats --out '$T/st'" "$T/st.out" || fail "stats on a terminal"
tr '\r' '\n' < "$T/st.out" | grep -Eq "reading the store: [0-9]+%" || fail "stats: no percent of the store"
"$CX" --db "$T/a.db" report --out "$T/rep2" > /dev/null 2> "$T/rep2.err" || fail "plain report"
grep -q "$(printf '\r')" "$T/rep2.err" && fail "report drew progress into a file"
start_mock --generate 600
PER_PAGE=50; write_config "$(source_json delighted)"
tty_run "'$CX' --config '$T/cfg.json' --db '$T/c.db' ingest" "$T/ing.out" || fail "ingest on a terminal: $(cat "$T/ing.out")"
tr '\r' '\n' < "$T/ing.out" | grep -Eq "delighted: [0-9]+ pages, [0-9]+ responses, [0-9]+/s, [0-9]+ retries" ||
    fail "no ingest progress: $(head -c 300 "$T/ing.out")"
echo "progress on a terminal: import percent and merge phase, store stats/report percent and phases, ingest pages; none on a file"
