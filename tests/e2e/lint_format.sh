# The code's style (.clang-format) holds for every C file the repository
# tracks: a file that clang-format would change is named, with the first
# of its lines that would change.
. tests/e2e/lib.inc
cd "$CXPULSE_ROOT" || exit 1
command -v clang-format >/dev/null || fail "clang-format is missing (scripts/install-deps installs it)"
if command -v git >/dev/null && git rev-parse --git-dir >/dev/null 2>&1; then
    src=$(git ls-files '*.c' '*.h')
else
    src=$(find core ingest stats run report cli scripts tests -name '*.[ch]' | sort)
fi
[ -n "$src" ] || fail "no sources found"
# shellcheck disable=SC2086
out=$(clang-format --dry-run $src 2>&1 | grep -m 1 'warning:')
[ -z "$out" ] || fail "not formatted with .clang-format (run clang-format -i on it): $out"
echo "format: $(echo "$src" | wc -w) C files as .clang-format writes them"
