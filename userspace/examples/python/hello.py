#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The README's hello client and server, in Python (the eorpc module).

    hello.py server ADDR          answer "hello, <request>" until killed
    hello.py client ADDR NAME     one call; prints the reply or the outcome

ADDR is "host:port" ("[::1]:4242" for IPv6). The client's exit status: 0
reply, 1 the call certainly did not run, 2 it may have run, 3 other error.
"""
import sys

import eorpc


def server(addr):
    with eorpc.Server(addr) as s:
        print("listening on", s.local_address, flush=True)
        # Each request reaches the handler once, however often the network
        # repeats it: the kernel answers repeats from its history.
        s.serve(lambda request: b"hello, " + request)


def client(addr, name):
    with eorpc.Client(addr) as c:
        try:
            print(c.call(name.encode(), timeout_ms=5000).decode())
        except eorpc.CallError as e:
            print("%s: %s" % (e.strerror, "the server may have run it"
                              if e.may_have_executed else "it did not run"),
                  file=sys.stderr)
            return 2 if e.may_have_executed else 1
    return 0


def main(argv):
    try:
        if len(argv) == 3 and argv[1] == "server":
            return server(argv[2])
        if len(argv) == 4 and argv[1] == "client":
            return client(argv[2], argv[3])
    except OSError as e:
        print("hello.py:", e, file=sys.stderr)
        return 3
    print(__doc__, file=sys.stderr)
    return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv))
