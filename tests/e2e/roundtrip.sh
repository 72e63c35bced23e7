# export -> import -> export is byte-identical, attributes and all.
. tests/e2e/lib.inc
"$GEN" --rows 3000 --seed 11 --out "$T/d" >/dev/null || fail "gen-sample"
"$CX" --db "$T/a.db" --quiet import responses "$T/d/responses.csv" || fail "import"
"$CX" --db "$T/a.db" export responses > "$T/a.csv" || fail "export a"
"$CX" --db "$T/b.db" --quiet import responses "$T/a.csv" || fail "re-import"
"$CX" --db "$T/b.db" export responses > "$T/b.csv" || fail "export b"
cmp "$T/a.csv" "$T/b.csv" || fail "round trip differs"
rows=$($PY -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1], newline=""))))' "$T/a.csv")
src=$($PY -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1], newline=""))))' "$T/d/responses.csv")
[ "$rows" -eq "$src" ] || fail "exported $rows rows of $src"
head -1 "$T/a.csv" | grep -q 'region' || fail "attribute column lost"
# exact values: formula-looking comments are NOT escaped by default, but are with --spreadsheet-safe
"$CX" --db "$T/a.db" export responses --spreadsheet-safe > "$T/safe.csv" || fail "export --spreadsheet-safe"
$PY - "$T/a.csv" "$T/safe.csv" <<'PYEOF' || fail "formula escaping of export"
import csv, sys
plain = [r['comment'] for r in csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8'))]
safe = [r['comment'] for r in csv.DictReader(open(sys.argv[2], newline='', encoding='utf-8'))]
risky = [i for i, c in enumerate(plain) if c[:1] in ('=', '+', '-', '@', '\t', '\r')]
assert risky, 'sample has no formula-like comment'
assert all(safe[i] == "'" + plain[i] for i in risky), 'not escaped'
assert all(safe[i] == plain[i] for i in range(len(plain)) if i not in set(risky)), 'over-escaped'
PYEOF
echo "export/import round trip of $rows rows is byte-identical"
