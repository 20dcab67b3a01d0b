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
. "$(dirname "$0")/../lib/tap.sh"
planned=6

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

kv=$here/kv_faults.py

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
ip netns exec "$ns" python3 "$kv" serve 4700 "$tmp/ready" "$tmp/server.json" \
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
crashed=0
ip netns exec "$ns" python3 "$kv" team 4700 3 60 4 "$tmp/client" \
	>"$tmp/clients.log" 2>&1 || crashed=1
injection_off
slab_failed=$((times - $(cat "$dbg/failslab/times")))
page_failed=$((times - $(cat "$dbg/fail_page_alloc/times")))
echo "# allocations failed by injection: failslab $slab_failed, fail_page_alloc $page_failed"
check "clients ran to the end under fault injection" test $crashed = 0
[[ $crashed = 0 ]] || sed 's/^/# /' "$tmp/clients.log"

# Injection off: a normal call completes (a fresh client process).
final() {
	ip netns exec "$ns" python3 "$kv" clients 4700 9 5 1 "$tmp/final.json" &&
		test "$(grep -o '": "ok"' "$tmp/final.json" | wc -l)" = 5
}
check "the server answers normally once injection stops" final
kill -TERM "$server"
wait "$server"
[[ -s $tmp/server.json ]] || bail "server summary: $(cat "$tmp/server.log")"
python3 "$kv" check "$tmp/server.json" "$tmp"/client.[0-2].json
read -r doubles ok_not_once ran_not_ok calls_ok calls_failed _ _ <"$tmp/server.json.verdict"
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
exit $((failed > 0))
