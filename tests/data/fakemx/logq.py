#!/usr/bin/env python3
"""logq.py - check fakemx's event log against a list of expectations.

usage: logq.py SMTP_JSONL CHECKS

CHECKS has one expectation per line, fields separated by TABs:
  SCENARIO <TAB> MIN <TAB> MAX <TAB> EXPR <TAB> WHAT
meaning: between MIN and MAX (MAX "-" = no limit) events of SCENARIO make
the Python expression EXPR true, the event being the dict e (e.g.
"e['event']=='tls' and e['ok']"). Prints "ok: SCENARIO: WHAT" or
"FAIL: ..." per line; exit 1 if any failed or if a log line is not a
whole JSON object with t, event, conn, scenario, host.
"""
import json
import sys

path, checks = sys.argv[1], sys.argv[2]
events = []
bad = 0
with open(path, encoding="utf-8") as f:
    for i, line in enumerate(f, 1):
        try:
            e = json.loads(line)
            for k in ("t", "event", "conn", "scenario", "host"):
                e[k]
            events.append(e)
        except (ValueError, KeyError) as err:
            print("FAIL: %s:%d: bad event line: %s" % (path, i, err))
            bad = 1
print("ok: %d whole JSON events in the log" % len(events))
with open(checks, encoding="utf-8") as f:
    for line in f:
        scen, lo, hi, expr, what = line.rstrip("\n").split("\t")
        n = 0
        for e in events:
            if e["scenario"] != scen:
                continue
            try:
                if eval(expr, {}, {"e": e}):
                    n += 1
            except (KeyError, TypeError, AttributeError):
                pass
        good = n >= int(lo) and (hi == "-" or n <= int(hi))
        if not good:
            bad = 1
        print("%s: %s: %s%s" % ("ok" if good else "FAIL", scen, what,
                                "" if good else " (%d events match %s)" % (n, expr)))
sys.exit(bad)
