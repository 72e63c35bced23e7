# `stats --input` reads a regular file by chunks on threads, guessing each
# chunk's first record boundary, and a pipe in one pass (docs/performance.md).
# On inputs made to trip the guesses — multi-line quoted comments (LF, CRLF,
# lone CR), quoted fields longer than a chunk, junk after quotes, bad rows of
# every kind, empty lines, a BOM, no final line end, an unterminated quote —
# both must give byte-identical tables and rejects, with and without --month.
. tests/e2e/lib.inc
"$GEN" --rows 8000 --seed 11 --responses-only --out "$T/g" 2>/dev/null || fail "gen-sample"
$PY - "$T/g/responses.csv" "$T" <<'EOF' || fail "making the inputs"
import random, sys
src, out = sys.argv[1], sys.argv[2]
lines = open(src, 'rb').read().split(b'\n')
head, body = lines[0], [l for l in lines[1:] if l]
tail = b',c1,a1,phone,cards,billing_question,10,3;4,north'
bad = [b'b1,2026-01-05T10:00:00Z,,11,x' + tail, b'b2,2026-01-05T10:00:00Z,,5,"ab"c' + tail,
       b'b3,2026-01-05T10:00:00Z,,5,x,c1', b'b4,2026-01-05T10:00:00Z,,5,caf\xe9' + tail,
       b'b5,2026-01-05T10:00:00Z,,5,a\x00b' + tail, b'', b'b6,2026-13-05T10:00:00Z,,5,x' + tail,
       b'b7,2026-01-05T10:00:00Z,,5,x,c1,a1,phone,cards,billing_question,-1,3;4,north',
       b'b8,2026-01-05T10:00:00Z,,5,x,c1,a1,phone,cards,billing_question,10,3;9,north',
       b'g1,2026-01-31T23:30:00-02:00,,5,"multi\nline ""quoted"", with commas"' + tail,
       b'g2,1767607200,,10,x,c1,a1,"ph""one",cards,billing_question,1e3,  3 , 4 ,north',
       b'g3,2026-01-05,2026-01-06 10:00,9.0,x,c1,a1,,cards,billing_question,,,',
       b'g4,2026-01-05T10:00:00Z,,5,"a\rb\r\nc"' + tail,
       b'g5,2026-02-05T10:00:00Z,,9,"' + b'long,\n' * 30000 + b'"' + tail]
random.seed(3)
rows = []
for l in body:
    rows.append(l)
    if random.random() < 0.02:
        rows.append(random.choice(bad))
data = b'\n'.join([head] + rows)
variants = {'lf': data + b'\n', 'crlf': data.replace(b'\n', b'\r\n') + b'\r\n',
            'cr': data.replace(b'\n', b'\r'), 'bom_noeol': b'\xef\xbb\xbf' + data,
            'open_quote': data + b'\nlast,2026-01-05T10:00:00Z,,5,"open' + tail + b'\n' + b'more\n' * 50}
for name, v in variants.items():
    open(f'{out}/{name}.csv', 'wb').write(v)
EOF
n=0
for v in lf crlf cr bom_noeol open_quote; do
    for opts in "--by channel,region,source" "--by channel --month 2026-03"; do
        # shellcheck disable=SC2086
        "$CX" --quiet stats --input "$T/$v.csv" $opts --out "$T/f" 2>/dev/null; rf=$?
        # shellcheck disable=SC2086
        "$CX" --quiet stats --input - $opts --out "$T/p" < <(cat "$T/$v.csv") 2>/dev/null; rp=$?
        [ $rf = $rp ] || fail "$v $opts: exit $rf from the file, $rp from the pipe"
        [ $rf = 3 ] || fail "$v $opts: exit $rf, want 3 (rows rejected)"
        sed "s#^csv,'-:#csv,$T/$v.csv:#" "$T/p/rejects.csv" > "$T/p/rejects.norm"
        mv "$T/p/rejects.norm" "$T/p/rejects.csv"
        for f in "$T"/f/*.csv; do
            cmp -s "$f" "$T/p/${f##*/}" || fail "$v $opts: ${f##*/} differs between file and pipe"
        done
        n=$((n + 1))
        rm -rf "$T/f" "$T/p"
    done
done
echo "stats --input: chunked and one-pass readers agree on $n tricky inputs (tables and rejects)"
