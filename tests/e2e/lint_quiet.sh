# Only cli/ talks to the user and ends the process (docs/architecture.md,
# "Layers"): library code (core/, ingest/, stats/, run/, report/) writes
# nothing to stdout or stderr, calls no cx_msg, printf, puts or perror,
# and never exit()s; it returns a status with its message in the caller's
# buffer, or hands it to the caller's callback.  core/log.c is the writer
# cli/ prints with; a forked child ends with _exit, which is allowed.
. tests/e2e/lib.inc
cd "$CXPULSE_ROOT" || exit 1
src=$(ls core/*.c core/store/*.c ingest/*.c stats/*.c stats/text/*.c run/*.c report/*.c 2>/dev/null | grep -v '^core/log\.c$')
[ "$(echo "$src" | wc -w)" -ge 100 ] || fail "too few library sources found: $(echo "$src" | wc -w)"
# Comments are dropped first, so a comment may name what it does not do.
hits=$(for f in $src; do
    sed -e 's|/\*.*\*/||g' -e 's|/\*.*||' -e 's|^ *\*.*||' -e 's|//.*||' -e 's|format(printf|format(PRINTF|g' "$f" |
        grep -nE '(^|[^_[:alnum:]])(stderr|stdout|cx_msg|printf|puts|perror|exit)([^_[:alnum:]]|$)' |
        sed "s|^|$f:|"
done)
[ -z "$hits" ] || fail "library code that prints or exits: $hits"
echo "quiet: $(echo "$src" | wc -w) library files print nothing and never exit"
