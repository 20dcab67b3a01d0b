#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A key-value style workload for the fault-injection tests (faults.sh,
faultpoints.sh): every call appends a unique token to a key, so a second
execution shows. Runs in the guest.

  kv_faults.py serve PORT READY OUT      server; SIGTERM writes OUT (JSON)
  kv_faults.py clients PORT ID CALLS INFLIGHT OUT
  kv_faults.py team PORT N CALLS INFLIGHT PREFIX   clients 0..N-1 at once,
                                        each writing PREFIX.ID.json
  kv_faults.py check SERVER_OUT CLIENT_OUT...   writes SERVER_OUT.verdict

Every failed system call is tallied by errno ("errnos" in OUT), so a test
can match the failures it injected against the errors that surfaced.
"""
import ctypes, errno, json, os, signal, socket, struct, sys, traceback

libc = ctypes.CDLL(None, use_errno=True)
AF = int(open("/sys/module/eorpc/parameters/family").read())
SOL_EORPC, TAG, DEADLINE, CALL_ID, ERROR = 299, 1, 2, 3, 5
fail_fd = os.open("/proc/self/make-it-fail", os.O_WRONLY)
errnos = {}


def faulty(fn, *args):
    """fn(*args) with task-filtered injection on for this process, and only
    then; a failure is tallied by errno and raised again."""
    os.write(fail_fd, b"1")
    try:
        return fn(*args)
    except OSError as e:
        name = errno.errorcode.get(e.errno, str(e.errno))
        errnos[name] = errnos.get(name, 0) + 1
        raise
    finally:
        os.write(fail_fd, b"0")


def sock(port, how):
    # Presented to Python as AF_INET6 (same sockaddr size, 28 bytes): Python
    # sizes recvmsg's address buffer by the family.
    a = (struct.pack("=HH", AF, socket.AF_INET) + struct.pack("!H", port)
         + bytes(6) + socket.inet_aton("127.0.0.1") + bytes(12))
    fd = libc.socket(AF, socket.SOCK_DGRAM, 0)
    if fd < 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    if how(fd, a, len(a)):
        e = ctypes.get_errno()
        os.close(fd)
        raise OSError(e, "%s: %s" % (how.__name__, os.strerror(e)))
    return socket.socket(socket.AF_INET6, socket.SOCK_DGRAM, 0, fileno=fd)


def serve(port, ready, out):
    s = sock(port, libc.bind)
    s.listen(0)
    store, delivered = {}, {}

    def dump(*_):
        json.dump({"delivered": delivered, "errnos": errnos,
                   "keys": len(store)}, open(out, "w"))
        sys.exit(0)

    signal.signal(signal.SIGTERM, dump)
    open(ready, "w").write("ready\n")
    while True:
        try:
            data, anc, _, _ = faulty(s.recvmsg, 70000, 256)
        except OSError:
            continue
        cid = [d[:8] for l, t, d in anc if l == SOL_EORPC and t == CALL_ID][0]
        key, token = data.decode().rstrip(".").split("=")
        delivered[token] = delivered.get(token, 0) + 1
        store.setdefault(key, []).append(token)
        # A real application retries a reply that failed for memory.
        for _ in range(20):
            try:
                faulty(s.sendmsg, [b"%d" % len(store[key])],
                       [(SOL_EORPC, CALL_ID, cid)])
                break
            except OSError:
                pass


def clients(port, cid, calls, inflight, out):
    outcome = {}
    # Creating and connecting the socket may fail too: tallied, tried again.
    for _ in range(50):
        try:
            c = faulty(sock, port, libc.connect)
            break
        except OSError:
            pass
    else:
        json.dump({"outcome": outcome, "errnos": errnos}, open(out, "w"))
        return
    sent = 0
    pending = 0
    while sent < calls or pending:
        while sent < calls and pending < inflight:
            token = "%d.%d" % (cid, sent)
            sent += 1
            try:
                # Every fourth value is 20000 bytes: multi-fragment messages
                # and buffers large enough to come from the page allocator.
                pad = b"." * (20000 if sent % 4 == 0 else 0)
                faulty(c.sendmsg, [b"k%d=%s" % (cid % 4, token.encode() + pad)],
                       [(SOL_EORPC, TAG, struct.pack("=Q", sent)),
                        (SOL_EORPC, DEADLINE, struct.pack("=I", 20000))])
                pending += 1
            except OSError as e:
                outcome[token] = "send:" + errno.errorcode[e.errno]
        if not pending:
            continue
        try:
            data, anc, _, _ = faulty(c.recvmsg, 70000, 256)
        except OSError:
            continue
        tag = [struct.unpack("=Q", d[:8])[0] for l, t, d in anc
               if l == SOL_EORPC and t == TAG][0]
        err = [struct.unpack("=i", d[:4])[0] for l, t, d in anc
               if l == SOL_EORPC and t == ERROR]
        pending -= 1
        outcome["%d.%d" % (cid, tag - 1)] = errno.errorcode[err[0]] if err else "ok"
    json.dump({"outcome": outcome, "errnos": errnos}, open(out, "w"))


def team(port, n, calls, inflight, prefix):
    """Clients 0..n-1 side by side in forked processes: one interpreter
    start instead of n (seconds of CPU each in the debug guest). Exits 1 if
    any of them did not run to the end."""
    global fail_fd
    pids = []
    for cid in range(n):
        pid = os.fork()
        if pid:
            pids.append(pid)
            continue
        code = 1
        try:
            # Opened before the fork, /proc/self named the parent.
            fail_fd = os.open("/proc/self/make-it-fail", os.O_WRONLY)
            clients(port, cid, calls, inflight, "%s.%d.json" % (prefix, cid))
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            os._exit(code)
    crashed = [p for p in pids if os.waitpid(p, 0)[1]]
    sys.exit(1 if crashed else 0)


# What an injected allocation failure may end a call or system call with:
# ENOMEM from a system call (eorpc(7)), ENOBUFS from sendmsg when the socket
# layer cannot copy the control messages (sendmsg(2)); a call refused before
# it ran, one whose deadline passed, one whose session the server lost or
# reset (eorpc(7)).
DOCUMENTED = {"ok", "send:ENOMEM", "send:ENOBUFS", "ECONNREFUSED",
              "ECONNABORTED", "ETIMEDOUT", "ECONNRESET", "ESTALE"}
SYSCALL_ERRORS = {"ENOMEM", "ENOBUFS"}


def check(server_out, *client_outs):
    """Writes: doubles, completed-not-once, not-executed-but-ran, calls ok,
    errors seen (failed calls and failed system calls), ENOMEM seen, and
    how many kinds of outcome are outside DOCUMENTED and SYSCALL_ERRORS."""
    srv = json.load(open(server_out))
    delivered = srv["delivered"]
    doubles = [t for t, n in delivered.items() if n > 1]
    tally, ran_not_ok, ok_not_once = {}, [], []
    seen = dict(srv["errnos"])
    for f in client_outs:
        cli = json.load(open(f))
        for name, n in cli["errnos"].items():
            seen[name] = seen.get(name, 0) + n
        for token, res in cli["outcome"].items():
            tally[res] = tally.get(res, 0) + 1
            n = delivered.get(token, 0)
            if res == "ok" and n != 1:
                ok_not_once.append(token)
            if (res in ("ECONNREFUSED", "ECONNABORTED") or res.startswith("send:")) and n:
                ran_not_ok.append(token)
    print("# call outcomes: " + ", ".join("%s %d" % kv for kv in sorted(tally.items())))
    print("# server: %d requests delivered" % sum(delivered.values()))
    print("# failed system calls: " + ", ".join("%s %d" % kv for kv in sorted(seen.items())))
    print("# doubles %d, completed-but-not-run-once %d, not-executed-but-ran %d"
          % (len(doubles), len(ok_not_once), len(ran_not_ok)))
    failed_calls = sum(v for k, v in tally.items() if k != "ok")
    odd = [k for k in tally if k not in DOCUMENTED] + [k for k in seen if k not in SYSCALL_ERRORS]
    if odd:
        print("# outcomes no allocation failure should cause: " + " ".join(odd))
    open(server_out + ".verdict", "w").write("%d %d %d %d %d %d %d\n" % (
        len(doubles), len(ok_not_once), len(ran_not_ok), tally.get("ok", 0),
        failed_calls + sum(seen.values()), seen.get("ENOMEM", 0), len(odd)))


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "serve":
        serve(int(args[0]), args[1], args[2])
    elif mode == "clients":
        clients(int(args[0]), int(args[1]), int(args[2]), int(args[3]), args[4])
    elif mode == "team":
        team(int(args[0]), int(args[1]), int(args[2]), int(args[3]), args[4])
    else:
        check(*args)
