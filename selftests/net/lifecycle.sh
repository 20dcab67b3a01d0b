#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module and namespace lifecycle, in the guest (TAP):
#  - rmmod while sockets are open and calls are in flight is refused, the
#    module stays, and the sockets go on working (the held calls complete);
#  - once they are closed, rmmod works;
#  - load, heavy use, unload, five times, with a clean kernel log (the VM
#    runner also checks it and runs kmemleak on the debug kernel);
#  - a namespace deleted while its sockets are open with calls in flight
#    frees everything: rmmod succeeds afterwards.
# The module is loaded again at the end, so later tests find it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
kernel=${EORPC_KERNEL:-stock}
ko=${EORPC_BUILD:-$repo/.build}/$kernel/kmod/eorpc.ko
rounds=5
[[ $kernel == debug ]] && rounds=2
tmp=$(mktemp -d /tmp/eorpc-lifecycle.XXXXXX)
ns=eolc-$$
. "$(dirname "$0")/../lib/tap.sh"

loaded() { [[ -d /sys/module/eorpc ]]; }

cleanup() {
	local p
	for p in $(jobs -p); do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	loaded || insmod "$ko" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# The workload: AF_EORPC from Python's socket module (ctypes for bind and
# connect, whose sockaddr Python cannot build for an unknown family).
cat >"$tmp/work.py" <<'EOF'
import ctypes, os, select, signal, socket, struct, sys

libc = ctypes.CDLL(None, use_errno=True)
AF = int(open("/sys/module/eorpc/parameters/family").read())
SOL_EORPC, TAG, CALL_ID, ERROR = 299, 1, 3, 5


def addr(port):
    return (struct.pack("=HH", AF, socket.AF_INET) + struct.pack("!H", port)
            + struct.pack("=HI", 0, 0) + socket.inet_aton("127.0.0.1") + bytes(12))


def sys_ok(ret, what):
    if ret:
        e = ctypes.get_errno()
        raise OSError(e, "%s: %s" % (what, os.strerror(e)))


def sock():
    # Python sizes recvmsg's address buffer by the socket's family and knows
    # none for AF_EORPC: present the socket as AF_INET6, whose sockaddr is
    # as large as sockaddr_eorpc (28 bytes). Addresses are never passed.
    fd = libc.socket(AF, socket.SOCK_DGRAM, 0)
    sys_ok(fd < 0, "socket")
    return socket.socket(socket.AF_INET6, socket.SOCK_DGRAM, 0, fileno=fd)


def server(port):
    s = sock()
    a = addr(port)
    sys_ok(libc.bind(s.fileno(), a, len(a)), "bind")
    s.listen(0)
    return s


def client(port):
    c = sock()
    a = addr(port)
    sys_ok(libc.connect(c.fileno(), a, len(a)), "connect")
    return c


def send(c, payload, tag):
    c.sendmsg([payload], [(SOL_EORPC, TAG, struct.pack("=Q", tag))])


def recv_request(s):
    data, anc, _, _ = s.recvmsg(70000, 256)
    cid = [struct.unpack("=Q", d[:8])[0] for l, t, d in anc
           if l == SOL_EORPC and t == CALL_ID]
    return data, cid[0]


def reply(s, cid, payload):
    s.sendmsg([payload], [(SOL_EORPC, CALL_ID, struct.pack("=Q", cid))])


def recv_reply(c):
    data, anc, _, _ = c.recvmsg(70000, 256)
    err = [struct.unpack("=i", d[:4])[0] for l, t, d in anc
           if l == SOL_EORPC and t == ERROR]
    return data, (err[0] if err else 0)


def hold(port, nclients, inflight, ready):
    """Calls in flight, held by the server until SIGUSR1; then answer them."""
    s = server(port)
    cs = [client(port) for _ in range(nclients)]
    for i, c in enumerate(cs):
        for j in range(inflight):
            send(c, b"%d.%d" % (i, j), j + 1)
    held = [recv_request(s) for _ in range(nclients * inflight)]
    signal.signal(signal.SIGUSR1, lambda *a: None)
    with open(ready, "w") as f:
        f.write("%d\n" % len(held))
    signal.pause()
    for data, cid in held:
        reply(s, cid, data)
    done = 0
    for c in cs:
        for _ in range(inflight):
            data, err = recv_reply(c)
            done += not err
    print("served %d of %d held calls" % (done, nclients * inflight))
    return 0 if done == nclients * inflight else 1


def load(port, nclients, rounds, per_round):
    """Echo calls, pipelined: every reply must be its own request's."""
    s = server(port)
    cs = [client(port) for _ in range(nclients)]
    good = 0
    for r in range(rounds):
        for i, c in enumerate(cs):
            for j in range(per_round):
                send(c, b"%d.%d.%d" % (r, i, j) + bytes(j * 100), j + 1)
        for _ in range(nclients * per_round):
            data, cid = recv_request(s)
            reply(s, cid, data)
        for i, c in enumerate(cs):
            want = {b"%d.%d.%d" % (r, i, j) + bytes(j * 100)
                    for j in range(per_round)}
            for _ in range(per_round):
                data, err = recv_reply(c)
                if not err and data in want:
                    want.discard(data)
                    good += 1
    total = nclients * rounds * per_round
    print("load: %d of %d calls echoed" % (good, total))
    return 0 if good == total else 1


if __name__ == "__main__":
    mode = sys.argv[1]
    args = [int(a) for a in sys.argv[2:5]]
    if mode == "hold":
        sys.exit(hold(*args, sys.argv[5]))
    sys.exit(load(*args, int(sys.argv[5])))
EOF

# Wait (30 s at most) for FILE to exist: the workload writes it once it
# holds its calls. Bounded by time, not iterations: under TCG each sleep
# process alone can take a good part of a second.
wait_file() {
	local end=$((SECONDS + 30))
	while ((SECONDS < end)); do
		[[ -s $1 ]] && return 0
		sleep 0.1
	done
	return 1
}

# rmmod, retried for up to 10 s: closing a socket or a namespace releases
# the module's reference asynchronously (work items, RCU, cleanup_net).
rmmod_settled() {
	local end=$((SECONDS + 10))
	while ((SECONDS < end)); do
		rmmod eorpc 2>/dev/null && return 0
		sleep 0.1
	done
	rmmod eorpc
}

log_clean_since() {
	local pat
	pat=$(grep -v '^#' "$repo/selftests/vm/log-patterns" | grep -v '^$')
	! dmesg | tail -n +"$1" | grep -E -e "$pat" >/dev/null
}

echo "TAP version 13"
echo "1..9"
dmesg_start=$(($(dmesg | wc -l) + 1))
check "module is loaded at start" loaded

# 1. rmmod with sockets open and calls in flight.
python3 "$tmp/work.py" hold 4300 4 8 "$tmp/ready" >"$tmp/hold.out" 2>&1 &
holder=$!
if wait_file "$tmp/ready"; then
	echo "# $(cat "$tmp/ready") calls held by the server"
	if rmmod eorpc 2>"$tmp/rmmod.err"; then
		not_ok "rmmod with open sockets and calls in flight is refused"
	else
		ok "rmmod with open sockets and calls in flight is refused ($(head -1 "$tmp/rmmod.err"))"
	fi
	check "module still loaded after the refused rmmod" loaded
	kill -USR1 "$holder"
	if wait "$holder"; then
		ok "sockets keep working: $(cat "$tmp/hold.out")"
	else
		not_ok "sockets keep working: $(cat "$tmp/hold.out")"
	fi
else
	not_ok "workload holds calls in flight: $(cat "$tmp/hold.out")"
	kill -9 "$holder" 2>/dev/null
	not_ok "module still loaded after the refused rmmod # not reached"
	not_ok "sockets keep working # not reached"
fi
check "rmmod works once the sockets are closed" rmmod_settled

# 2. Load, heavy use, unload.
bad=0
for ((r = 1; r <= rounds; r++)); do
	if ! insmod "$ko"; then
		bad=1
		break
	fi
	if ! out=$(python3 "$tmp/work.py" load 4400 4 5 8 2>&1); then
		echo "# round $r: $out"
		bad=1
	fi
	if ! rmmod_settled; then
		echo "# round $r: rmmod failed"
		bad=1
		break
	fi
done
check "$rounds rounds of insmod, 160 calls each, rmmod" test $bad = 0
check "kernel log clean after the rounds" log_clean_since "$dmesg_start"

# 3. A namespace deleted with sockets open and calls in flight.
insmod "$ko"
ip netns add "$ns" && ip -n "$ns" link set lo up
rm -f "$tmp/ready"
ip netns exec "$ns" python3 "$tmp/work.py" hold 4500 4 8 "$tmp/ready" \
	>"$tmp/ns.out" 2>&1 &
holder=$!
if wait_file "$tmp/ready"; then
	ip netns del "$ns"
	# The processes were the namespace's last users: it dies with them,
	# taking its sockets, sessions and held calls.
	kill -9 "$holder"
	wait "$holder" 2>/dev/null
	check "namespace deleted with calls in flight frees everything (rmmod works)" \
		rmmod_settled
else
	not_ok "namespace deleted with calls in flight frees everything: $(cat "$tmp/ns.out")"
fi
loaded || insmod "$ko"
final_state() { loaded && log_clean_since "$dmesg_start"; }
check "module loaded again for later tests; kernel log clean" final_state
exit $((failed > 0))
