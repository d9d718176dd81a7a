#!/usr/bin/python3
"""tests/e2e/fault-flood.py - a hostile "SUT" for fault-sut-flood.test,
run by the command profile's inject step inside the run's namespace:

  fault-flood.py flood N     open N TCP connections to the scenario's MX
                             as fast as it can and hold them, silent
  fault-flood.py linger      one connection that says EHLO and then
                             never says anything again, never closes

The MX address comes from $DANESIM_RUN_DIR/world/fakemx.json for
$DANESIM_SCENARIO. The process detaches (the inject step returns at
once) and holds its sockets until it is killed: the run's teardown must
do that. It writes how many connections it opened to
$DANESIM_SUT_DIR/flood-$DANESIM_SCENARIO.
"""
import json
import os
import resource
import socket
import sys
import time

run = os.environ["DANESIM_RUN_DIR"]
scn = os.environ["DANESIM_SCENARIO"]
conf = json.load(open(os.path.join(run, "world", "fakemx.json")))
addr = [l["address"] for l in conf["listeners"] if l["scenario"] == scn][0]

if os.fork() != 0:
    sys.exit(0)
os.setsid()
devnull = os.open(os.devnull, os.O_RDWR)
for fd in (0, 1, 2):
    os.dup2(devnull, fd)
# A flood needs more descriptors than a default soft limit of 1024.
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
want = 4096 if hard == resource.RLIM_INFINITY else min(hard, 4096)
if soft < want:
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
held = []
if sys.argv[1] == "flood":
    for i in range(int(sys.argv[2])):
        try:
            s = socket.create_connection((addr, 25), timeout=5)
        except OSError:
            continue
        held.append(s)
else:
    s = socket.create_connection((addr, 25), timeout=30)
    s.recv(1000)
    s.sendall(b"EHLO lingering.test\r\n")
    held.append(s)
with open(os.path.join(os.environ["DANESIM_SUT_DIR"], "flood-" + scn), "w") as f:
    f.write("%d\n" % len(held))
while True:
    time.sleep(60)
