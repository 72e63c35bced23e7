#!/usr/bin/env python3
"""compare_truth.py EXPORT.csv TRUTH.json SOURCE [CHECKPOINT [MIN_SHARE]]

Checks that the rows of SOURCE in EXPORT.csv (`cxpulse export responses`)
are exactly the mock vendor's data set in TRUTH.json (GET /_mock/truth):
the same response ids, each with the latest score and comment, and no id
twice.  Prints one line; exits 0 when equal, 1 otherwise.

With CHECKPOINT (the source's checkpoint JSON, {"updated_at":T,"ids":[...]}),
the store is checked as a sync left it while the vendor was still changing:
a row the vendor updated after T, or at T but not among the ids the sync
noted there, may be missing or stale (the next run reads it); every other
row must be stored exactly, and a stored id the vendor does not have or an
id stored twice still fails.  At least MIN_SHARE (default 0.9) of the
vendor's rows must lie before the checkpoint, so a sync that stopped early
does not pass by checking nothing."""
import csv
import json
import sys


def main():
    if len(sys.argv) not in (4, 5, 6):
        sys.stderr.write(__doc__)
        return 2
    export, truth_file, source = sys.argv[1:4]
    cp = json.loads(sys.argv[4]) if len(sys.argv) > 4 else None
    min_share = float(sys.argv[5]) if len(sys.argv) > 5 else 0.9
    got, dups = {}, []
    with open(export, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["source"] != source:
                continue
            if row["response_id"] in got:
                dups.append(row["response_id"])
            got[row["response_id"]] = (row["score"], row["comment"])   # "9", or "good"/"bad" CSAT
    with open(truth_file, encoding="utf-8") as f:
        truth = json.load(f)
    want = {r["id"]: (str(r["score"]), r["comment"] or "") for r in truth["responses"]}
    pending = set()
    if cp is not None:
        t, ids = int(cp["updated_at"]), set(cp.get("ids") or [])
        pending = {r["id"] for r in truth["responses"]
                   if r["updated_at"] > t or (r["updated_at"] == t and r["id"] not in ids)}
    checked = set(want) - pending
    missing = sorted(checked - set(got))
    extra = sorted(set(got) - set(want))
    stale = sorted(k for k in checked & set(got) if want[k] != got[k])
    if missing or extra or stale or dups:
        print("%s: %d stored, %d at the vendor%s; missing %s; extra %s; stale %s; duplicated %s" % (
            source, len(got), len(want),
            " (%d after the checkpoint)" % len(pending) if cp is not None else "",
            missing[:5], extra[:5], [(k, got[k], want[k]) for k in stale[:3]], dups[:5]))
        return 1
    if cp is None:
        print("%s: %d responses equal the vendor's" % (source, len(got)))
        return 0
    if len(checked) < min_share * len(want):
        print("%s: only %d of the vendor's %d responses lie before the checkpoint %s" % (
            source, len(checked), len(want), cp["updated_at"]))
        return 1
    print("%s: %d responses before the checkpoint equal the vendor's, %d after it" % (
        source, len(checked), len(pending)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
