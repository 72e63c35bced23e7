# The build prints one line per step unless V=1; `make demo` installs only
# what the demo needs (scripts/install-deps demo: no Check, no PostgreSQL
# server), while the full set still asks for them.
. tests/e2e/lib.inc
cd "$CXPULSE_ROOT" || fail "cd"
make -s --no-print-directory BUILD="$T/b" "$T/b/gen-sample" > "$T/quiet" 2>&1 || fail "quiet build: $(cat "$T/quiet")"
[ "$(cat "$T/quiet")" = "  LINK   $T/b/gen-sample" ] || fail "quiet build printed: $(cat "$T/quiet")"
rm -f "$T/b/gen-sample"
make --no-print-directory V=1 BUILD="$T/b" "$T/b/gen-sample" > "$T/loud" 2>&1 || fail "V=1 build"
grep -q -- "-o $T/b/gen-sample scripts/gensample/" "$T/loud" || fail "V=1 did not show the command: $(cat "$T/loud")"
grep -q "LINK" "$T/loud" && fail "V=1 printed the short line too"
# install-deps with a package manager that only records what it is asked for,
# and pkg-config / commands that say Check and gnuplot are missing
mkdir -p "$T/bin"
cat > "$T/bin/apt-get" <<SH
#!/bin/sh
echo "\$*" >> "$T/apt.log"
SH
cat > "$T/bin/pkg-config" <<'SH'
#!/bin/sh
[ "$1" = --exists ] && [ "$2" = check ] && exit 1
exec /usr/bin/pkg-config "$@"
SH
chmod +x "$T/bin/apt-get" "$T/bin/pkg-config"
# command -v finds gnuplot and sqlite3 nowhere: a PATH without them
for c in sh cc make python3 ls id pkg-config; do
    p=$(command -v "$c") && [ ! -e "$T/bin/$c" ] && ln -s "$p" "$T/bin/$c"
done
PATH="$T/bin" scripts/install-deps demo 2> "$T/demo.err" || fail "install-deps demo: $(cat "$T/demo.err")"
grep -q "install -y.* gnuplot-nox" "$T/apt.log" || fail "demo deps: $(cat "$T/apt.log")"
grep -Eq " (check|sqlite3|postgresql)( |$)" "$T/apt.log" && fail "the demo installs test-only packages: $(cat "$T/apt.log")"
: > "$T/apt.log"
PATH="$T/bin" scripts/install-deps 2> "$T/all.err" || fail "install-deps: $(cat "$T/all.err")"
grep -q "install -y.* check" "$T/apt.log" || fail "full deps lack check: $(cat "$T/apt.log")"
echo "quiet build: one line per step (V=1 shows commands); make demo installs only gnuplot here, the full set adds check"
