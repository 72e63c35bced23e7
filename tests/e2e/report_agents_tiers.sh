# `cxpulse agents --metric csat|ces` groups the agents by tier (clearly
# above, typical, clearly below the population, then too few answers) and
# ranks them inside their tier, as `cxpulse agents` does for NPS: every
# agent's tier is the one in agents_csat.csv / agents_ces.csv (and
# agents.csv for NPS) of the same month and window, the groups come in that
# order, and each rank is the competition rank (ties share the lowest) of
# the agent's shrunk score among the agents of its tier, recomputed here
# from the CSV's own columns.
. tests/e2e/lib.inc
$PY - "$T/r.csv" <<'PY'
import random, sys
random.seed(11)
# Planted: 24 agents of rising skill (two pairs answer identically, so
# their scores tie), 3 agents with fewer than 10 answers (unranked).
rows = ["response_id,responded_at,score,metric,channel,agent_id,handle_time_s"]
def answers(agent, skill, n, seed):
    rnd = random.Random(seed)
    for k in range(n):
        month = ("2026-08", "2026-09", "2026-10")[k % 3]
        t = "%s-%02dT%02d:%02d:00Z" % (month, 1 + k % 28, k % 24, k % 60)
        sat = rnd.random() < 0.3 + 0.6 * skill
        rows.append("c-%s-%d,%s,%d,csat,phone,%s,%d" % (agent, k, t, rnd.choice((4, 5)) if sat else rnd.choice((1, 2, 3)), agent, 200 + 7 * k % 400))
        rows.append("e-%s-%d,%s,%d,ces,phone,%s,%d" % (agent, k, t, min(7, max(1, round(rnd.gauss(2 + 4 * skill, 1.0)))), agent, 200 + 7 * k % 400))
        rows.append("n-%s-%d,%s,%d,nps,phone,%s,%d" % (agent, k, t, min(10, max(0, round(rnd.gauss(3 + 7 * skill, 2.0)))), agent, 200 + 7 * k % 400))
for a in range(24):
    answers("ag%02d" % a, a / 23.0, 60, a)
answers("twin1", 0.5, 60, 99)
answers("twin2", 0.5, 60, 99)
answers("twin3", 0.9, 60, 98)
answers("twin4", 0.9, 60, 98)
for a in range(3):
    answers("few%d" % a, 0.5, 6, 50 + a)
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
"$CX" --db "$T/db" --quiet import responses "$T/r.csv" || fail "import"
for m in nps csat ces; do
    "$CX" --db "$T/db" agents --month 2026-10 --window 3m --metric $m >"$T/$m.txt" || fail "agents --metric $m"
    "$CX" --db "$T/db" --quiet stats --month 2026-10 --window 3m --metric $m --out "$T/$m" >/dev/null ||
        fail "stats --metric $m"
done
$PY - "$T" <<'PY' || fail "terminal tiers differ from the CSV's"
import csv, sys
t = sys.argv[1]
ORDER = ["above", "typical", "below", "too few"]
for m, csvname, score in (("nps", "agents.csv", "nps_shrunk"), ("csat", "agents_csat.csv", "share_shrunk"),
                          ("ces", "agents_ces.csv", "mean_shrunk")):
    rows = list(csv.DictReader(open("%s/%s/%s" % (t, m, csvname), newline="")))
    assert len(rows) == 31, (m, len(rows))
    want = {r["agent_id"]: r["tier"] or "too few" for r in rows}
    for r in rows:   # the CSV's own rule: unranked agents have no tier
        assert (r["tier"] == "") == (r["rank_feedback"] == ""), (m, r)
    # competition ranks of the shrunk score inside each tier, from the CSV
    rank = {}
    for r in rows:
        if r["tier"]:
            same = [float(o[score]) for o in rows if o["tier"] == r["tier"]]
            rank[r["agent_id"]] = 1 + sum(v > float(r[score]) for v in same)
    lines = open("%s/%s.txt" % (t, m)).read().splitlines()
    head = next(i for i, l in enumerate(lines) if l.startswith("tier "))
    assert lines[head].split()[:3] == ["tier", "rank", "agent"], lines[head]
    got, seq = {}, []
    for l in lines[head + 1:]:
        tier = "too few" if l.startswith("too few") else l.split()[0]
        rest = l[len(tier):].split()
        got[rest[1]] = tier
        seq.append(ORDER.index(tier))
        if tier == "too few":
            assert rest[0] == "-", (m, l)
        else:
            assert int(rest[0]) == rank[rest[1]], (m, l, rank[rest[1]])
    assert got == want, (m, sorted(set(got.items()) ^ set(want.items())))
    assert seq == sorted(seq), (m, "tiers out of order", seq)
    tiers = set(want.values())
    assert {"above", "below", "typical", "too few"} <= tiers, (m, tiers)
    ties = [a for a in rank if sum(rank[a] == rank[b] and want[a] == want[b] for b in rank) > 1]
    assert ties, (m, "no tie inside a tier to check")
print("ok")
PY
echo "agents --metric nps|csat|ces: tiers and ranks inside the tier as in the agents CSV of that metric"
