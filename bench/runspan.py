"""bench/runspan.py - what bounds the wall time of one "danesim run".

Used by bench/suite and bench/sut-rate (not executable, so bench/run
does not take it for a benchmark). Every scenario has its own timeline
from its first attempt's start to its last attempt's end (report.json,
scenarios[].attempts); a scenario that waits for a DNS time-out or
delays its banner on purpose cannot end sooner, however fast the
harness is. The longest such span is the floor of the run's wall time;
the wall time beyond it is what the harness and the machine add.

  python3 bench/runspan.py REPORT.json WALL_S [EXPECT_FILE]

prints the floor (the slowest scenarios, copies of one core scenario
counted once under its core id) and the wall time beyond it, and, given
the SUT's expect file (expect/SUT.expect), how many of the failing
expectations that file lists for the core scenario (a known and
documented behaviour of the SUT, e.g. "xfail" in expect/postfix.expect;
a line left undecided counts as known when the file lists it at all, as
expect/exim.expect does for the scenario Exim crashes on).
Exit status: 0 when every expectation that is not pass is listed there,
1 otherwise.
"""
import json
import re
import sys


def core_id(sid):
    """the core scenario's id of a bench/gen-suite copy (<id>-NNNN)"""
    m = re.match(r"^(.*)-\d{4}$", sid)
    return m.group(1) if m else sid


def listed(expect_file):
    """{(scenario id, line): the state an expect file gives the line}"""
    out = {}
    if not expect_file:
        return out
    try:
        lines = open(expect_file, encoding="utf-8").read().splitlines()
    except OSError:
        return out
    for raw in lines:
        f = raw.split()
        if not f or f[0].startswith("#") or len(f) < 2:
            continue
        if ":" not in f[0]:
            continue
        sid, _, line = f[0].rpartition(":")
        out[(sid, line)] = f[1]
    return out


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[5], file=sys.stderr)
        return 2
    rep = json.load(open(argv[1], encoding="utf-8"))
    wall = float(argv[2])
    known = listed(argv[3] if len(argv) > 3 else "")
    spans = {}
    for sc in rep["scenarios"]:
        att = sc.get("attempts") or []
        if not att:
            continue
        # an attempt that never ended (the scenario undecided until its
        # window ran out) held the run until the run finished
        end = rep.get("run", {}).get("finished_epoch") or 0.0
        span = max(a["ended"] or end for a in att) - min(a["started"] for a in att)
        cid = core_id(sc["id"])
        spans[cid] = max(spans.get(cid, 0.0), span)
    top = sorted(spans.items(), key=lambda kv: -kv[1])[:3]
    if top:
        floor = top[0][1]
        print(f"  floor            {floor:8.2f} s    the slowest scenario's own "
              f"timeline (first attempt's start to last attempt's end): "
              + ", ".join(f"{k} {v:.1f} s" for k, v in top))
        print(f"  beyond the floor {max(wall - floor, 0.0):8.2f} s    "
              f"set-up, injection, queueing, analysis and reports")
    bad = unexplained = 0
    for sc in rep["scenarios"]:
        for x in sc["expectations"]:
            if x["verdict"] == "pass":
                continue
            bad += 1
            # a failure must be listed as one; an undecided line (the
            # expect format has no "expected undecided") only listed
            want = known.get((core_id(sc["id"]), str(x.get("line"))))
            if want is None or (x["verdict"] == "fail" and
                                want not in ("xfail", "fail")):
                unexplained += 1
    if bad:
        print(f"  not pass         {bad:8d}      of them listed in "
              f"{argv[3] if len(argv) > 3 else 'no expect file'}: "
              f"{bad - unexplained}, unexplained: {unexplained}")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
