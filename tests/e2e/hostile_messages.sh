# cx_msg replaces control characters (core/log.c): messages on stderr
# carry data -- column names, file names, config values -- and must not
# carry its control characters: no escape sequence that retitles or clears
# the terminal, no CR or LF that forges a message line.
. tests/e2e/lib.inc
ESC=$(printf '\033')
evil="x${ESC}]0;pwned$(printf '\007')${ESC}[2J$(printf '\r')cxpulse: forged$(printf '\302\233')31m"
f="$T/in${ESC}[31m.csv"
printf 'response_id,responded_at,score,"%s"\nr1,2026-01-05,11,a\nr2,2026-01-05,zz,b\n' "$evil" > "$f"
"$CX" --db "$T/db" import responses "$f" 2> "$T/err1"
"$CX" stats --input "$f" --out "$T/out" 2> "$T/err2"
"$CX" stats --input "$f" --by "$evil" --out "$T/out" 2> "$T/err3"
printf '{"sources":[{"name":"%s","vendor":"qualtrics","base_url":"https://h","token_env":"T"}]}' \
    "$(printf '%s' "$evil" | $PY -c 'import json,sys; print(json.dumps(sys.stdin.read())[1:-1])')" > "$T/cfg.json"
"$CX" --config "$T/cfg.json" sources 2> "$T/err4"
for e in 1 2 3 4; do
    [ -s "$T/err$e" ] || fail "case $e printed no message"
    $PY - "$T/err$e" <<'PYEOF' || fail "case $e: control characters reached stderr: $(od -c "$T/err$e" | head -5)"
import sys
raw = open(sys.argv[1], 'rb').read()
bad = [b for b in raw if (b < 0x20 and b != 0x0a) or b == 0x7f]
assert not bad, bad[:5]
assert b'\xc2\x9b' not in raw
for line in raw.split(b'\n')[:-1]:
    assert line.startswith(b'cxpulse: '), line
PYEOF
done
echo "messages naming hostile columns, files and config values carry no control characters"
