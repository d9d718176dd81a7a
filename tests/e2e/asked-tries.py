#!/usr/bin/env python3
"""asked-tries.py RUN.JSON - exit 1 when the SUT made a delivery try
danesim did not ask for: a message's tries (the status step's count,
"sut_attempts") more than the attempts danesim opened for it
("attempts"). The flush step names the messages to retry
(docs/sut-profiles.md), each after danesim has put the world of its
next attempt in place; a try more was a retry of a message whose next
attempt danesim had not opened, made in the world of the attempt
before. Messages whose profile prints no count are not checked."""
import json
import sys

run = json.load(open(sys.argv[1]))
extra = ["%s message %d: %d tries in %d attempts" % (s["id"], m["n"],
         m["sut_attempts"], m["attempts"])
         for s in run["scenarios"] for m in s["messages"]
         if m["sut_attempts"] is not None and m["sut_attempts"] > m["attempts"]]
counted = sum(1 for s in run["scenarios"] for m in s["messages"]
              if m["sut_attempts"] is not None)
if extra:
    print("tries danesim did not ask for: " + "; ".join(extra))
    sys.exit(1)
if counted == 0:
    print("no message has a try count: nothing checked")
    sys.exit(1)
print("ok    %d messages: no try danesim did not ask for" % counted)
