#!/usr/bin/env python3
"""compare_truth.py EXPORT.csv TRUTH.json SOURCE

Checks that the rows of SOURCE in EXPORT.csv (`cxpulse export responses`)
are exactly the mock vendor's data set in TRUTH.json (GET /_mock/truth):
the same response ids, each with the latest score and comment, and no id
twice.  Prints one line; exits 0 when equal, 1 otherwise."""
import csv
import json
import sys


def main():
    export, truth_file, source = sys.argv[1:4]
    got, dups = {}, []
    with open(export, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["source"] != source:
                continue
            if row["response_id"] in got:
                dups.append(row["response_id"])
            got[row["response_id"]] = (int(row["score"]), row["comment"])
    with open(truth_file, encoding="utf-8") as f:
        truth = json.load(f)
    want = {r["id"]: (r["score"], r["comment"] or "") for r in truth["responses"]}
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    stale = sorted(k for k in set(want) & set(got) if want[k] != got[k])
    if missing or extra or stale or dups:
        print("%s: %d stored, %d at the vendor; missing %s; extra %s; stale %s; duplicated %s" % (
            source, len(got), len(want), missing[:5], extra[:5],
            [(k, got[k], want[k]) for k in stale[:3]], dups[:5]))
        return 1
    print("%s: %d responses equal the vendor's" % (source, len(got)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
