# The repository's documents stand alone: every page cited as docs/NAME.md
# (in code, tests, scripts, docs and the README) exists, and no file cites
# a section sign of a document that is not in the repository.
. tests/e2e/lib.inc
cd "$CXPULSE_ROOT" || exit 1
files=$(git ls-files 2>/dev/null | grep -v '^tests/fuzz/corpus/' | grep -v '^tests/e2e/lint_docs.sh$')
[ -n "$files" ] || fail "not a git checkout: no files listed"
missing=""
cited=0
for page in $(echo "$files" | xargs grep -ohE 'docs/[A-Za-z0-9_-]+\.md' 2>/dev/null | sort -u); do
    cited=$((cited + 1))
    [ -f "$page" ] || missing="$missing $page($(echo "$files" | xargs grep -lF "$page" | head -3 | tr '\n' ' '))"
done
[ -z "$missing" ] || fail "cited pages that do not exist:$missing"
[ "$cited" -ge 5 ] || fail "only $cited docs pages cited: the search is broken"
outside=$(echo "$files" | xargs grep -nE '(SPEC|spec|issue) ?(§|section [0-9])' 2>/dev/null | head -5)
[ -z "$outside" ] || fail "cites a document outside the repository: $outside"
echo "docs: $cited pages cited, all present; no outside section cited"
