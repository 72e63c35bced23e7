# The formula escape of the CSV outputs is one-to-one (docs/security.md):
# a value starting with ' gets one more, so the channel -1 and the channel
# '-1 come out as '-1 and ''-1 in nps.csv, the agents =a and '=a as '=a
# and ''=a in agents.csv, never as two rows a reader cannot tell apart.
. tests/e2e/lib.inc
printf '%s\n' 'response_id,responded_at,score,channel,agent_id' \
    "q1,2026-03-01T00:00:00Z,10,-1,=a" "q2,2026-03-01T00:00:00Z,0,'-1,'=a" \
    "q3,2026-03-01T00:00:00Z,7,''-1,''=a" > "$T/esc.csv"
"$CX" --quiet stats --input "$T/esc.csv" --by channel --out "$T/o" || fail "stats"
$PY - "$T/o" <<'PYEOF' || fail "escape not one-to-one"
import csv, sys
def cells(name, col):
    with open(sys.argv[1] + '/' + name, newline='', encoding='utf-8') as f:
        return [r[col] for r in csv.DictReader(f) if r.get('dimension', 'channel') == 'channel']
def unescape(c):
    return c[1:] if c[:1] == "'" else c
seg = cells('nps.csv', 'segment')
assert sorted(seg) == sorted(["'-1", "''-1", "'''-1"] * 2), seg  # the month's rows and the window's
agents = cells('agents.csv', 'agent_id')
assert sorted(agents) == sorted(["'=a", "''=a", "'''=a"]), agents
assert sorted(map(unescape, set(seg))) == sorted(["-1", "'-1", "''-1"])
assert sorted(map(unescape, agents)) == sorted(["=a", "'=a", "''=a"])
PYEOF
echo "escaped cells stay apart: -1 '-1 ''-1 and =a '=a ''=a"
