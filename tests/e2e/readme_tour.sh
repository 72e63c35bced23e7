# The README's tour runs as written after `make demo`: the demo is run in a
# scratch copy (scripts/demo, the mock vendor, gen-sample and ./cxpulse),
# then every line of the tour block; each command's exit code is the one
# its comment promises (0 unless it says "exit N").
. tests/e2e/lib.inc
R="$CXPULSE_ROOT"
mkdir -p "$T/repo/scripts" "$T/repo/build" || fail "mkdir"
cp -p "$R/scripts/demo" "$R/scripts/mock-vendor" "$R/scripts/gen-sample" "$T/repo/scripts/" || fail "copy scripts"
cp -Rp "$R/scripts/gensample" "$T/repo/scripts/" || fail "copy gensample"
[ -d "$R/scripts/mockvendor" ] && cp -Rp "$R/scripts/mockvendor" "$T/repo/scripts/"
cp -p "$R/build/gen-sample" "$T/repo/build/" 2>/dev/null || true
cp "$CX" "$T/repo/cxpulse" || fail "copy cxpulse"
cd "$T/repo" || fail "cd"
scripts/demo > "$T/demo.out" 2>&1 || fail "the demo failed: $(tail -5 "$T/demo.out")"
sed -n '/^<!-- tour/,/^<!-- end of tour -->/p' "$R/README.md" | sed -n 's/^    //p' > "$T/tour.txt"
[ "$(wc -l < "$T/tour.txt")" -ge 8 ] || fail "tour block not found in README.md"
n=0
while IFS= read -r line; do
    n=$((n + 1))
    want=0
    case "$line" in *"# exit "[0-9]*) want=$(printf '%s' "$line" | sed 's/.*# exit \([0-9]*\).*/\1/');; esac
    # run in this shell (the first line sets CX for the others), without the comment
    cmd=$(printf '%s' "$line" | sed 's/  *# .*$//')
    eval "$cmd" > "$T/line.out" 2> "$T/line.err" < /dev/null
    rc=$?
    [ $rc -eq "$want" ] || fail "tour line $n: exit $rc, want $want: $line
$(tail -3 "$T/line.err")"
done < "$T/tour.txt"
[ -s out/tour/index.html ] || fail "the tour wrote no report"
[ -s out/tour/all.csv ] || fail "the tour's export is empty"
echo "README tour: $n lines run as written after the demo, each with its promised exit code"
