#!/usr/bin/env python3
"""chat.py - scripted SMTP client for the fakemx end-to-end tests.

usage: chat.py [HOST PORT] < script

Script lines (one step each; blank lines and '#' comments ignored):
  connect HOST PORT NAME   start a new dialogue called NAME; a dialogue
                that fails prints "FAIL: NAME", one that passes
                "ok: NAME", and the script goes on with the next one
  > TEXT        send TEXT + CRLF
  >> TEXT       send TEXT with \\r \\n \\xNN escapes, nothing added
  < REGEX       read one whole reply (up to its last line) and require
                REGEX to match it (re.search, DOTALL)
  <1 REGEX      read what ONE recv() returns (after 0.3 s) and require
                REGEX to match it: shows bytes that came in one segment
  <eof          require the server to close the connection (a close or a
                reset) with nothing more sent before it
  <silence MS   require nothing to arrive within MS milliseconds
  tls [SNI]     TLS handshake on the socket (no verification); prints the
                peer certificate's subject
  tlsfail       require the TLS handshake to fail
  sleep MS      wait
  reset         abort the connection with a TCP RST (SO_LINGER 0)
  garbage N     send N random bytes (fixed seed, so runs repeat)
  time< MS      the previous read finished less than MS ms after the
                previous step began (or, time> MS, more than MS ms)
Every exchange is printed; exit status 0 when every step of every
dialogue matched, 1 otherwise, 2 on a bad script.
"""
import random
import re
import socket
import ssl
import struct
import sys
import time


RNG = random.Random(7672)


def unescape(s):
    return s.encode("latin-1").decode("unicode_escape").encode("latin-1")


class Chat:
    def __init__(self, host, port):
        self.sock = socket.create_connection((host, int(port)), timeout=10)
        self.buf = b""
        self.step_start = time.monotonic()
        self.step_end = self.step_start

    def fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError("connection closed by server")
        self.buf += data

    def reply(self):
        lines = []
        while True:
            while b"\n" not in self.buf:
                self.fill()
            line, self.buf = self.buf.split(b"\n", 1)
            line = line.rstrip(b"\r").decode("latin-1")
            lines.append(line)
            if len(line) < 4 or line[3] != "-":
                return "\n".join(lines)


def run_step(c, op, arg, raw):
    """run_step - one step; True if it matched."""
    if op == ">":
        print("C: " + arg)
        c.sock.sendall(arg.encode("latin-1") + b"\r\n")
    elif op == ">>":
        print("C: %r" % unescape(arg))
        c.sock.sendall(unescape(arg))
    elif op == "<":
        got = c.reply()
        print("S: " + got.replace("\n", "\nS: "))
        if not re.search(arg, got, re.S):
            print("MISMATCH: wanted /%s/" % arg)
            return False
    elif op == "<1":
        time.sleep(0.3)
        if not c.buf:
            c.fill()
        got, c.buf = c.buf.decode("latin-1"), b""
        print("S(one recv): %r" % got)
        if not re.search(arg, got, re.S):
            print("MISMATCH: wanted /%s/" % arg)
            return False
    elif op == "<eof":
        extra = c.buf
        c.buf = b""
        try:
            while True:
                c.fill()
                extra += c.buf
                c.buf = b""
        except EOFError:
            print("S: <closed>")
        except ConnectionResetError:
            print("S: <reset>")
        if extra:
            print("S(unexpected before the close): %r" % extra)
            print("MISMATCH: wanted the close and nothing else")
            return False
    elif op == "<silence":
        c.sock.settimeout(int(arg) / 1000.0)
        try:
            c.fill()
            print("S(unexpected): %r" % c.buf)
            return False
        except socket.timeout:
            print("S: <silent %s ms>" % arg)
        c.sock.settimeout(10)
    elif op in ("tls", "tlsfail"):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        try:
            c.sock = ctx.wrap_socket(c.sock, server_hostname=arg or None)
        except (ssl.SSLError, OSError) as e:
            print("TLS failed: %s" % e)
            return op == "tlsfail"
        if op == "tlsfail":
            print("MISMATCH: TLS handshake succeeded")
            return False
        der = c.sock.getpeercert(binary_form=True)
        print("TLS %s %s, peer certificate %d bytes" %
              (c.sock.version(), c.sock.cipher()[0], len(der)))
    elif op == "sleep":
        time.sleep(int(arg) / 1000.0)
    elif op == "garbage":
        data = bytes(RNG.getrandbits(8) for _ in range(int(arg)))
        print("C: <%d random bytes>" % len(data))
        c.sock.sendall(data)
    elif op == "reset":
        c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                          struct.pack("ii", 1, 0))
        c.sock.close()
        print("C: <reset>")
    elif op in ("time<", "time>"):
        ms = (c.step_end - c.step_start) * 1000
        print("time: %.0f ms" % ms)
        if (op == "time<" and ms >= int(arg)) or \
           (op == "time>" and ms <= int(arg)):
            print("MISMATCH: time %s %s" % (op[-1], arg))
            return False
    else:
        raise ValueError("bad step: " + raw)
    return True


def main():
    c, name, dead, failed = None, None, False, 0
    if len(sys.argv) == 3:
        name = "%s:%s" % (sys.argv[1], sys.argv[2])
        try:
            c = Chat(sys.argv[1], sys.argv[2])
        except OSError as e:
            print("connect failed: %s" % e)
            return 1
    elif len(sys.argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2

    def finish():
        nonlocal failed
        if name is not None and len(sys.argv) == 1:
            print(("FAIL: " if dead else "ok: ") + name, flush=True)
        if dead:
            failed += 1
        if c is not None:
            c.sock.close()

    for raw in sys.stdin.read().splitlines():
        step = raw.strip()
        if not step or step.startswith("#"):
            continue
        op, _, arg = step.partition(" ")
        if op == "connect":
            finish()
            host, port, name = arg.split(" ", 2)
            dead, c = False, None
            print("== " + name)
            try:
                c = Chat(host, port)
            except OSError as e:
                print("connect failed: %s" % e)
                dead = True
            continue
        if dead or c is None:
            continue
        if op in ("time<", "time>"):
            dead = not run_step(c, op, arg, raw)
            continue
        start = time.monotonic()
        try:
            dead = not run_step(c, op, arg, raw)
        except ValueError as e:
            print(e, file=sys.stderr)
            return 2
        except (EOFError, OSError) as e:
            print("MISMATCH at '%s': %s" % (step, e))
            dead = True
        c.step_start, c.step_end = start, time.monotonic()
    finish()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
