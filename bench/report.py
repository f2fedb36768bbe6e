#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the bench's raw samples into a table (stdout) and results.json.

Usage: report.py RAW OUT.json KEY=VALUE...
RAW lines (tab separated): meta ID SECTION UNIT LABEL | s ID VALUE |
na ID REASON | note TEXT. KEY=VALUE pairs describe the run (kernel, mode).
Each figure is the median of its samples, with min and max.
"""
import json
import math
import statistics
import sys


def fmt(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    a = abs(v)
    if a >= 1e6:
        return "%.3gM" % (v / 1e6)
    if a >= 1e4:
        return "%.0f" % v
    if a >= 100:
        return "%.0f" % v
    if a >= 10:
        return "%.1f" % v
    return "%.3g" % v


def main():
    raw, out = sys.argv[1], sys.argv[2]
    run = dict(a.split("=", 1) for a in sys.argv[3:])
    order, figs, notes = [], {}, []

    def fig(i):
        if i not in figs:
            figs[i] = {"id": i, "section": "", "unit": "", "label": i,
                       "samples": [], "na": None}
            order.append(i)
        return figs[i]

    with open(raw) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if p[0] == "meta" and len(p) >= 5:
                g = fig(p[1])
                g["section"], g["unit"], g["label"] = p[2], p[3], p[4]
            elif p[0] == "s" and len(p) >= 3:
                try:
                    v = float(p[2])
                except ValueError:
                    continue
                if not math.isnan(v):
                    fig(p[1])["samples"].append(v)
            elif p[0] == "na" and len(p) >= 3:
                g = fig(p[1])
                if g["na"] is None:
                    g["na"] = p[2]
            elif p[0] == "note" and len(p) >= 2:
                notes.append(p[1])

    res = []
    for i in order:
        g = figs[i]
        r = {"id": i, "section": g["section"], "label": g["label"],
             "unit": g["unit"]}
        s = g["samples"]
        if s:
            r.update(median=statistics.median(s), min=min(s), max=max(s),
                     runs=len(s), samples=s)
            if g["na"]:
                r["note"] = "some runs failed: " + g["na"]
        else:
            r["na"] = g["na"] or "no run succeeded"
        res.append(r)

    doc = dict(run)
    doc["figures"] = res
    doc["notes"] = notes
    with open(out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")

    print("mcoa bench: kernel %s, %s, %s CPUs, %s" % (
        run.get("kernel", "?"), run.get("vm_mode", "?"),
        run.get("cpus", "?"), run.get("date", "?")))
    print("Each figure: median [min .. max] of N runs. Speed as ratios "
          "against ip6tnl measured in the same run.")
    sec = None
    for r in res:
        if r["section"] != sec:
            sec = r["section"]
            print("\n== %s ==" % sec)
        if "na" in r:
            print("  %-58s n/a (%s)" % (r["label"], r["na"]))
        else:
            print("  %-58s %9s %-10s [%s .. %s] n=%d" % (
                r["label"], fmt(r["median"]), r["unit"], fmt(r["min"]),
                fmt(r["max"]), r["runs"]))
    if notes:
        print("\nNotes:")
        for n in notes:
            print("  - " + n)
    print("\nwritten: %s" % out)


if __name__ == "__main__":
    main()
