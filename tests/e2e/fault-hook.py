#!/usr/bin/python3
"""tests/e2e/fault-hook.py - what the fault tests do through danesim's
test hook DANESIM_TEST_NETNS_HOOK (docs/danesim.1), run inside the fresh
namespace of a run before any server starts, with DANESIM_RUN_DIR set:

  occupy-mx SCENARIO     hold TCP port 25 of SCENARIO's first MX address
  occupy ADDR PORT       hold UDP and TCP port PORT of ADDR
  spoil-zone SCENARIO    append a line ldns cannot parse to the zone file
                         of SCENARIO's domain ("." spoils the root zone)

A holder stays in the background (a child in the run's namespace, so
the run's teardown must remove it) and the hook returns once it holds
the port.
"""
import json
import os
import socket
import sys
import time

world = os.path.join(os.environ["DANESIM_RUN_DIR"], "world")


def hold(addr, port, udp=True):
    socks = []
    for kind in ((socket.SOCK_STREAM, socket.SOCK_DGRAM) if udp else (socket.SOCK_STREAM,)):
        s = socket.socket(socket.AF_INET, kind)
        s.bind((addr, port))
        if kind == socket.SOCK_STREAM:
            s.listen(5)
        socks.append(s)
    if os.fork() == 0:
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        time.sleep(600)
        os._exit(0)
    print("holding %s:%d" % (addr, port))


def main(argv):
    if argv[0] == "occupy-mx":
        conf = json.load(open(os.path.join(world, "fakemx.json")))
        mx = [l for l in conf["listeners"] if l["scenario"] == argv[1]]
        hold(mx[0]["address"], 25, udp=False)
    elif argv[0] == "occupy":
        hold(argv[1], int(argv[2]))
    elif argv[0] == "spoil-zone":
        conf = json.load(open(os.path.join(world, "fakedns.json")))
        want = None if argv[1] == "." else argv[1]
        z = [z for z in conf["zones"] if z["scenario"] == want and
             (want is not None or z["name"] == ".")]
        with open(z[0]["file"], "a") as f:
            f.write("spoiled 300 IN A not-an-address\n")
        print("spoiled", z[0]["file"])
    else:
        sys.exit("fault-hook.py: unknown action " + argv[0])


main(sys.argv[1:])
