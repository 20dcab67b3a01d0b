#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Allocation failures (debug kernel only: it has failslab and
# fail_page_alloc; the stock kernel has no fault injection), in the guest,
# TAP. A key-value style workload (every call appends a unique token, so a
# second execution would show) runs while failslab and fail_page_alloc fail
# a few percent of the allocations made by its processes. Then:
#  - no crash, and the server answers normally once injection stops;
#  - no token was ever delivered twice; a completed call ran exactly once;
#    a call that ended "certainly not executed" never ran;
#  - failed allocations surfaced as errors (counted and printed);
#  - the kernel log is clean (verbose=0: no injected-failure stack dumps).
#
# Scope: fault injection is task-filtered (/proc/PID/make-it-fail), and the
# processes turn it on only around their AF_EORPC system calls, so the
# failures land in the module's syscall paths (socket, sendmsg, recvmsg) and
# nowhere else in those processes. The module's receive work runs in a
# kworker and its UDP hook in softirq: task filtering cannot reach those.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
dbg=/sys/kernel/debug
ns=eoft-$$
n=0
failed=0
planned=6

ok() { n=$((n + 1)); echo "ok $n $*"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n $*"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
bail() { not_ok "$1"; while ((n < planned)); do not_ok "not reached"; done; exit 1; }

echo "TAP version 13"
if [[ ${EORPC_KERNEL:-} != debug ]]; then
	echo "1..1"
	echo "ok 1 faults # SKIP needs the debug kernel: ${EORPC_KERNEL:-this} kernel has no failslab/fail_page_alloc"
	exit 0
fi
echo "1..$planned"
tmp=$(mktemp -d /tmp/eorpc-faults.XXXXXX)

injection_off() {
	local f
	for f in failslab fail_page_alloc; do
		[[ -d $dbg/$f ]] && echo 0 >"$dbg/$f/probability"
	done
}
cleanup() {
	local p
	exec 2>/dev/null
	injection_off
	for p in $(jobs -p); do kill -9 "$p"; done
	wait
	ip netns del "$ns"
	rm -rf "$tmp"
}
trap cleanup EXIT

cat >"$tmp/kv.py" <<'EOF'
import ctypes, errno, json, os, signal, socket, struct, sys

libc = ctypes.CDLL(None, use_errno=True)
AF = int(open("/sys/module/eorpc/parameters/family").read())
SOL_EORPC, TAG, DEADLINE, CALL_ID, ERROR = 299, 1, 2, 3, 5
NOT_EXECUTED = {errno.ECONNREFUSED, errno.ECONNABORTED}
fail_fd = os.open("/proc/self/make-it-fail", os.O_WRONLY)


def faulty(fn, *args):
    """fn(*args) with fault injection on for this process, and only then."""
    os.write(fail_fd, b"1")
    try:
        return fn(*args)
    finally:
        os.write(fail_fd, b"0")


def sock(port, how):
    # Presented to Python as AF_INET6 (same sockaddr size, 28 bytes): Python
    # sizes recvmsg's address buffer by the family.
    fd = libc.socket(AF, socket.SOCK_DGRAM, 0)
    a = (struct.pack("=HH", AF, socket.AF_INET) + struct.pack("!H", port)
         + bytes(6) + socket.inet_aton("127.0.0.1") + bytes(12))
    if fd < 0 or how(fd, a, len(a)):
        sys.exit("%s: %s" % (how.__name__, os.strerror(ctypes.get_errno())))
    return socket.socket(socket.AF_INET6, socket.SOCK_DGRAM, 0, fileno=fd)


def serve(port, ready, out):
    s = sock(port, libc.bind)
    s.listen(0)
    store, delivered, errs = {}, {}, {}

    def dump(*_):
        json.dump({"delivered": delivered, "errors": errs,
                   "keys": len(store)}, open(out, "w"))
        sys.exit(0)

    signal.signal(signal.SIGTERM, dump)
    open(ready, "w").write("ready\n")
    while True:
        try:
            data, anc, _, _ = faulty(s.recvmsg, 70000, 256)
        except OSError as e:
            errs["recv:" + errno.errorcode[e.errno]] = errs.get("recv:" + errno.errorcode[e.errno], 0) + 1
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
            except OSError as e:
                k = "reply:" + errno.errorcode[e.errno]
                errs[k] = errs.get(k, 0) + 1


def clients(port, cid, calls, inflight, out):
    outcome = {}
    # Creating and connecting the socket may fail too: count it, try again.
    for attempt in range(50):
        try:
            c = faulty(sock, port, libc.connect)
            break
        except SystemExit as e:
            outcome["socket-error-%d" % attempt] = str(e)
    else:
        json.dump(outcome, open(out, "w"))
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
        except OSError as e:
            outcome["recv-error-%d" % len(outcome)] = "recv:" + errno.errorcode[e.errno]
            continue
        tag = [struct.unpack("=Q", d[:8])[0] for l, t, d in anc
               if l == SOL_EORPC and t == TAG][0]
        err = [struct.unpack("=i", d[:4])[0] for l, t, d in anc
               if l == SOL_EORPC and t == ERROR]
        pending -= 1
        outcome["%d.%d" % (cid, tag - 1)] = errno.errorcode[err[0]] if err else "ok"
    json.dump(outcome, open(out, "w"))


def check(server_out, *client_outs):
    srv = json.load(open(server_out))
    delivered = srv["delivered"]
    doubles = [t for t, n in delivered.items() if n > 1]
    tally, ran_not_ok, ok_not_once = {}, [], []
    for f in client_outs:
        for token, res in json.load(open(f)).items():
            tally[res] = tally.get(res, 0) + 1
            n = delivered.get(token, 0)
            if res == "ok" and n != 1:
                ok_not_once.append(token)
            if (res in ("ECONNREFUSED", "ECONNABORTED") or res.startswith("send:")) and n:
                ran_not_ok.append(token)
    print("# call outcomes: " + ", ".join("%s %d" % kv for kv in sorted(tally.items())))
    print("# server: %d requests delivered, errors %s" % (sum(delivered.values()), srv["errors"]))
    print("# doubles %d, completed-but-not-run-once %d, not-executed-but-ran %d"
          % (len(doubles), len(ok_not_once), len(ran_not_ok)))
    failed_calls = sum(v for k, v in tally.items() if k != "ok") + sum(srv["errors"].values())
    open(server_out + ".verdict", "w").write("%d %d %d %d %d\n" % (
        len(doubles), len(ok_not_once), len(ran_not_ok), tally.get("ok", 0), failed_calls))


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "serve":
        serve(int(args[0]), args[1], args[2])
    elif mode == "clients":
        clients(int(args[0]), int(args[1]), int(args[2]), int(args[3]), args[4])
    else:
        check(*args)
EOF

# Fault injection only in tasks that set make-it-fail, also for allocations
# that may sleep (most of the module's), silently.
# "times" counts down with every injected failure: that is the count.
times=1000000
setup_injection() {
	local f
	for f in failslab fail_page_alloc; do
		[[ -d $dbg/$f ]] || return 1
		echo Y >"$dbg/$f/task-filter" &&
			echo 0 >"$dbg/$f/verbose" &&
			echo 1 >"$dbg/$f/interval" &&
			echo 0 >"$dbg/$f/space" &&
			echo "$times" >"$dbg/$f/times" &&
			echo N >"$dbg/$f/ignore-gfp-wait" || return 1
	done
	# vmalloc (kvmalloc's fallback for large messages) asks for highmem
	# pages: those count too.
	echo 0 >"$dbg/fail_page_alloc/min-order" &&
		echo N >"$dbg/fail_page_alloc/ignore-gfp-highmem"
}
setup_injection || bail "failslab and fail_page_alloc in $dbg"
injection_off

ip netns add "$ns" && ip -n "$ns" link set lo up || bail "namespace"
ip netns exec "$ns" python3 "$tmp/kv.py" serve 4700 "$tmp/ready" "$tmp/server.json" \
	>"$tmp/server.log" 2>&1 &
server=$!
end=$((SECONDS + 60))
while [[ ! -s $tmp/ready ]] && ((SECONDS < end)); do sleep 0.2; done
[[ -s $tmp/ready ]] || bail "server ready: $(cat "$tmp/server.log")"

dmesg_start=$(($(dmesg | wc -l) + 1))
# Percent of the allocations, made by tasks that set make-it-fail, to fail.
# Page allocations are rarer in these paths (only for large messages).
echo 5 >"$dbg/failslab/probability"
echo 10 >"$dbg/fail_page_alloc/probability"
pids=()
for c in 0 1 2; do
	ip netns exec "$ns" python3 "$tmp/kv.py" clients 4700 "$c" 60 4 \
		"$tmp/client$c.json" >"$tmp/client$c.log" 2>&1 &
	pids+=($!)
done
crashed=0
for p in "${pids[@]}"; do wait "$p" || crashed=1; done
injection_off
slab_failed=$((times - $(cat "$dbg/failslab/times")))
page_failed=$((times - $(cat "$dbg/fail_page_alloc/times")))
echo "# allocations failed by injection: failslab $slab_failed, fail_page_alloc $page_failed"
check "clients ran to the end under fault injection" test $crashed = 0
[[ $crashed = 0 ]] || cat "$tmp"/client*.log | sed 's/^/# /'

# Injection off: a normal call completes (a fresh client process).
final() {
	ip netns exec "$ns" python3 "$tmp/kv.py" clients 4700 9 5 1 "$tmp/final.json" &&
		test "$(grep -o '": "ok"' "$tmp/final.json" | wc -l)" = 5
}
check "the server answers normally once injection stops" final
kill -TERM "$server"
wait "$server"
[[ -s $tmp/server.json ]] || bail "server summary: $(cat "$tmp/server.log")"
python3 "$tmp/kv.py" check "$tmp/server.json" "$tmp"/client[0-2].json
read -r doubles ok_not_once ran_not_ok calls_ok calls_failed <"$tmp/server.json.verdict"
check "no request delivered twice; every completed call ran once ($calls_ok ok)" \
	test "$doubles" = 0 -a "$ok_not_once" = 0
check "no call reported as not executed had run" test "$ran_not_ok" = 0
check "failed allocations surfaced as errors ($((slab_failed + page_failed)) injected, $calls_failed errors seen)" \
	test $((slab_failed + page_failed)) -gt 0 -a "$calls_failed" -gt 0
log_clean() {
	local pat
	pat=$(grep -v '^#' "$repo/selftests/vm/log-patterns" | grep -v '^$')
	! dmesg | tail -n +"$dmesg_start" | grep -E -e "$pat"
}
check "kernel log clean" log_clean
exit $failed
