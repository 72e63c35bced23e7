# A reader that goes away (`cxpulse export responses | head -1`): the
# command ends quietly -- nothing on stderr -- whether SIGPIPE kills it (the
# default) or is ignored by the parent (then EPIPE ends it, exit 1); and a
# full stdout (/dev/full) is a clear error, exit 1.
. tests/e2e/lib.inc
"$GEN" --rows 5000 --seed 4 --out "$T/d" >/dev/null 2>&1 || fail "gen-sample"
"$CX" --db "$T/db" --quiet import responses "$T/d/responses.csv" || fail "import"
"$CX" --db "$T/db" --quiet import responses "$T/d/responses.csv" --source other --allow-duplicate-ids || fail "import 2"
cmds="export@responses export@rejects export@responses@--spreadsheet-safe status agents sources --help"
for ignore in no yes; do
    for c in $cmds; do
        # shellcheck disable=SC2046
        set -- $(echo "$c" | tr '@' ' ')
        if [ $ignore = yes ]; then
            ( trap '' PIPE; "$CX" --db "$T/db" "$@" 2> "$T/err" | head -c 10 > /dev/null; echo "${PIPESTATUS[0]}" > "$T/rc" )
        else
            ( "$CX" --db "$T/db" "$@" 2> "$T/err" | head -c 10 > /dev/null; echo "${PIPESTATUS[0]}" > "$T/rc" )
        fi
        rc=$(cat "$T/rc")
        [ -s "$T/err" ] && fail "'$*' | head (SIGPIPE ignored: $ignore) wrote to stderr: $(head -c 200 "$T/err")"
        case $rc in 0|1|141) ;; *) fail "'$*' | head (SIGPIPE ignored: $ignore): exit $rc" ;; esac
    done
done
# the long export surely met the closed pipe: killed by SIGPIPE, or exit 1 when it is ignored
( "$CX" --db "$T/db" export responses | head -1 > /dev/null; echo "${PIPESTATUS[0]}" > "$T/rc" )
[ "$(cat "$T/rc")" = 141 ] || fail "export | head -1: exit $(cat "$T/rc"), want 141 (SIGPIPE)"
( trap '' PIPE; "$CX" --db "$T/db" export responses 2>/dev/null | head -1 > /dev/null; echo "${PIPESTATUS[0]}" > "$T/rc" )
[ "$(cat "$T/rc")" = 1 ] || fail "export | head -1 with SIGPIPE ignored: exit $(cat "$T/rc"), want 1"
if [ -w /dev/full ]; then
    "$CX" --db "$T/db" export responses > /dev/full 2> "$T/err"; rc=$?
    [ $rc -eq 1 ] || fail "export > /dev/full: exit $rc, want 1"
    grep -q "write error on standard output: No space left on device" "$T/err" || fail "/dev/full message: $(cat "$T/err")"
    "$CX" --db "$T/db" status > /dev/full 2> "$T/err"; [ $? -eq 1 ] || fail "status > /dev/full: want exit 1"
fi
echo "closed pipe: quiet (SIGPIPE or EPIPE) for export, status, agents, sources, --help; /dev/full is an error"
