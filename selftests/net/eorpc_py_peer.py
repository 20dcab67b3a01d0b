# SPDX-License-Identifier: GPL-2.0
"""Server and client programs on the Python module (userspace/python), for
selftests/net/python.sh and wireshark.sh; each runs in its own namespace.

  server ADDR LOG [--not-server ADDR]
      Serve ADDR: a request "sleep:MS:..." is answered after MS ms, any other
      with answer(request). Every request executed is appended to LOG
      ("r:" and its hex, so an empty one makes a line too),
      so a test can count executions. --not-server also binds a client
      socket (bound, not listening) at ADDR. Prints "listening" when ready.
  client ADDR OUT N [SIZES]
      N calls in sequence on one socket, payload i "call-i" or, for i in
      SIZES (i=size,...), size bytes of a pattern; writes OUT (JSON):
      [[payload hex, reply hex or null, errno, may_have_executed], ...].
  call ADDR PAYLOAD TIMEOUT_MS [--warm PAYLOAD]
      One call; prints JSON {"reply", "errno", "may_have_executed",
      "class"}. --warm first makes a call of PAYLOAD (60 s deadline) on the
      same socket, so the session's handshake is over before the timed
      call starts; its outcome is printed under "warm".
"""
import hashlib
import json
import sys
import time

import eorpc


def answer(request):
    """The reply to a request: tests compute it again to check the bytes."""
    return b"ok:" + hashlib.sha256(request).hexdigest()[:16].encode()


def payload(i, size=None):
    if size is None:
        return b"call-%d" % i
    return bytes((i * 31 + k * 7) & 0xFF for k in range(size))


def server(addr, log, not_server=None):
    keep = None
    if not_server:
        # A socket bound but not listening: the kernel answers a HELLO with
        # ERROR(NOT_SERVER).
        keep = eorpc.Client(addr, bind_addr=not_server)
    with eorpc.Server(addr) as s, open(log, "a") as out:
        print("listening", s.local_address, flush=True)
        while True:
            req = s.recv_request()
            out.write("r:" + req.data.hex() + "\n")
            out.flush()
            if req.data.startswith(b"sleep:"):
                time.sleep(int(req.data.split(b":")[1]) / 1000)
            s.reply(req.call_id, answer(req.data))
    del keep


def outcome(c, data, timeout_ms):
    try:
        return {"reply": c.call(data, timeout_ms=timeout_ms).hex(),
                "errno": 0, "may_have_executed": None, "class": None}
    except eorpc.CallError as e:
        return {"reply": None, "errno": e.errno,
                "may_have_executed": e.may_have_executed,
                "class": type(e).__name__}


def client(addr, out, n, sizes=""):
    size_of = dict(map(int, kv.split("=")) for kv in sizes.split(",") if kv)
    res = []
    with eorpc.Client(addr) as c:
        for i in range(1, n + 1):
            data = payload(i, size_of.get(i))
            o = outcome(c, data, 60000)
            res.append([data.hex(), o["reply"], o["errno"],
                        o["may_have_executed"]])
    with open(out, "w") as f:
        json.dump(res, f)


def main(argv):
    if argv[1] == "server":
        ns = argv[argv.index("--not-server") + 1] \
            if "--not-server" in argv else None
        server(argv[2], argv[3], ns)
    elif argv[1] == "client":
        client(argv[2], argv[3], int(argv[4]), argv[5] if len(argv) > 5 else "")
    elif argv[1] == "call":
        with eorpc.Client(argv[2]) as c:
            warm = None
            if "--warm" in argv:
                warm = outcome(c, argv[argv.index("--warm") + 1].encode(),
                               60000)
            o = outcome(c, argv[3].encode(), int(argv[4]))
            if warm is not None:
                o["warm"] = warm
            print(json.dumps(o))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
