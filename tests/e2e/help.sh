# Every command has its own --help (synopsis, every option with its
# default, one example); an unknown option or one of another command names
# the command; docs/cxpulse.1 says the same as the help and `make install`
# puts it where man finds it.
. tests/e2e/lib.inc
MAN="$CXPULSE_ROOT/docs/cxpulse.1"
cmds=$("$CX" --help | sed -n '/^commands:/,/^$/p' | sed -n 's/^  \([a-z]*\).*/\1/p')
[ "$(echo "$cmds" | wc -l)" -ge 9 ] || fail "commands listed by --help: $cmds"
# man text to plain: \- is -, \e is \, font changes dropped
plain() { sed -e 's/\\-/-/g' -e 's/\\e/\\/g' -e 's/\\f[BIR]//g' "$MAN"; }
plain > "$T/man.txt"
for c in $cmds; do
    "$CX" "$c" --help > "$T/h" 2> "$T/e" || fail "$c --help exited $?"
    [ -s "$T/e" ] && fail "$c --help wrote to stderr: $(cat "$T/e")"
    syn=$(sed -n '1s/^usage: cxpulse \[global options\] //p' "$T/h")
    case "$syn" in "$c"*) ;; *) fail "$c --help starts with: $(head -1 "$T/h")";; esac
    grep -q '^example:' "$T/h" || fail "$c --help has no example"
    ex=$(sed -n '/^example:/{n;s/^  //;p}' "$T/h")
    case "$ex" in *"cxpulse "*"$c"*) ;; *) fail "$c example does not run $c: $ex";; esac
    grep -qxF ".SS \"$syn\"" "$T/man.txt" || fail "man page lacks the synopsis of $c: $syn"
    # every option line of the help: its name, argument and text in the man page, in the command's section
    sed -n '/^options:/,/^$/p' "$T/h" | sed -n 's/^  \(--[^ ]*\( [^ ]\{1,\}\)\{0,1\}\)  \{1,\}\(.*\)$/\1\t\3/p' > "$T/opts"
    awk -v s=".SS \"$syn\"" '$0 == s {on = 1; next} /^\.S[SH] / {on = 0} on' "$T/man.txt" > "$T/sec"
    tab=$(printf '\t')
    while IFS=$tab read -r opt text; do
        name=${opt%% *}
        grep -qxF -- "$opt" "$T/sec" || fail "man page, $c: no '$opt'"
        grep -qxF -- "$text" "$T/sec" || fail "man page, $c $name: text differs from the help: $text"
        case "$text" in *default*|*"without a store"*) ;; *) fail "$c $name: no default in '$text'";; esac
    done < "$T/opts"
    [ "$(grep -c '^\.TP' "$T/sec" 2>/dev/null || true)" -eq "$(wc -l < "$T/opts")" ] ||
        fail "man page, $c: $(grep -c '^\.TP' "$T/sec") options, help lists $(wc -l < "$T/opts")"
    "$CX" "$c" --frobnicate > /dev/null 2> "$T/e"
    [ $? -eq 2 ] || fail "$c --frobnicate is not a usage error"
    [ "$(head -1 "$T/e")" = "cxpulse $c: unknown option --frobnicate" ] || fail "$c --frobnicate said: $(cat "$T/e")"
    [ "$(sed -n 2p "$T/e")" = "Try 'cxpulse $c --help'." ] || fail "$c --frobnicate hint: $(cat "$T/e")"
done
"$CX" status --month 2026-01 > /dev/null 2> "$T/e"
[ $? -eq 2 ] || fail "status --month is not a usage error"
[ "$(head -1 "$T/e")" = "cxpulse status: --month is not an option of status" ] || fail "status --month: $(cat "$T/e")"
"$CX" report --confidence 3 > /dev/null 2> "$T/e"
[ "$(head -1 "$T/e")" = "cxpulse report: invalid value for --confidence: '3' (a number from 0.5 to 0.9999)" ] ||
    fail "report --confidence 3: $(cat "$T/e")"
"$CX" report --month 2026-13 > /dev/null 2> "$T/e"
[ $? -eq 2 ] || fail "report --month 2026-13 is not a usage error"
[ "$(cat "$T/e")" = "cxpulse: report: --month: '2026-13' is not a month (YYYY-MM, 1900-01 to 9999-12)" ] ||
    fail "report --month 2026-13: $(cat "$T/e")"
# global options before the command are checked against it too
"$CX" --tables nps status > /dev/null 2> "$T/e"
[ "$(head -1 "$T/e")" = "cxpulse status: --tables is not an option of status" ] || fail "--tables status: $(cat "$T/e")"
# an option's value neither replaced, empty, nor taken from the next option;
# the check of options against the command past any count of them
usage() {   # WANT CMD...: exit 2 and WANT as the first line of stderr
    local want=$1
    shift
    "$CX" "$@" > /dev/null 2> "$T/e"
    [ $? -eq 2 ] || fail "$* is not a usage error: $(cat "$T/e")"
    [ "$(head -1 "$T/e")" = "$want" ] || fail "$* said '$(head -1 "$T/e")', want '$want'"
}
usage "cxpulse stats: option --by is given twice" stats --by channel --by region
usage "cxpulse stats: option --month needs a value" stats --month --out "$T/o3"
usage "cxpulse import: option --source needs a value, not an empty one" import responses x.csv --source ''
usage "cxpulse stats: option --by= needs a value, not an empty one" stats --by=
usage "cxpulse: --by: 'channel,' leaves a dimension's name empty" stats --by channel,
usage "cxpulse: --by: ',' leaves a dimension's name empty" stats --by ,
set --
for _ in $(seq 70); do set -- "$@" --quiet; done
usage "cxpulse status: --month is not an option of status" "$@" status --month 2026-10
[ -e "$T/o3" ] && fail "a usage error wrote $T/o3"
make -s -C "$CXPULSE_ROOT" install DESTDIR="$T/inst" PREFIX=/usr > "$T/inst.log" 2>&1 || fail "make install: $(cat "$T/inst.log")"
cmp "$T/inst/usr/share/man/man1/cxpulse.1" "$MAN" || fail "make install did not put the man page in share/man/man1"
if command -v man > /dev/null; then
    MANPATH="$T/inst/usr/share/man" man cxpulse 2>/dev/null | grep -q -- '--spreadsheet-safe' || fail "man cxpulse does not render"
fi
echo "$(echo "$cmds" | wc -l) commands: own --help with defaults and an example, same as the man page; unknown options name the command"
