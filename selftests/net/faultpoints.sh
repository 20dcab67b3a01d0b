#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module's own fault points (kmod/fault.h: fail_alloc, fail_xmit), in
# the debug guest, TAP. Unlike faults.sh's task-filtered failslab, they fire
# wherever the module runs: system calls, the receive work, timers. For each
# rate, 1%, 10% and 50% of the module's allocations and transmits fail while
# a key-value workload (kv_faults.py: every call appends a unique token)
# runs over a lossy, duplicating, reordering loopback. Then:
#  - every client runs to the end; no request was delivered twice, every
#    completed call ran once, no call reported "not executed" had run;
#  - every injected allocation failure surfaced once: as RxDropNomem (the
#    receive path) or as an ENOMEM a process saw (system calls), and calls
#    ended only with documented errors;
#  - every injected transmit failure was counted in TxErrors (a full queue
#    may add real ones);
#  - once injection stops, a new client's calls all complete.
# The runner fails the run on any splat and scans kmemleak at the end.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
kv=$here/kv_faults.py
fault_dir=/sys/kernel/debug/eorpc
points="fail_alloc fail_xmit"
rates="1 10 50"
ns=eofp-$$
. "$(dirname "$0")/../lib/tap.sh"
planned=$((5 * 3 + 1))

echo "TAP version 13"
if [[ ${EORPC_KERNEL:-} != debug ]]; then
	echo "1..1"
	echo "ok 1 faultpoints # SKIP needs the debug kernel: ${EORPC_KERNEL:-this} kernel has no fault injection"
	exit 0
fi
echo "1..$planned"
tmp=$(mktemp -d /tmp/eorpc-faultpoints.XXXXXX)

injection() {
	local p
	for p in $points; do
		echo "$1" >"$fault_dir/$p/probability"
	done
}
cleanup() {
	local p
	exec 2>/dev/null
	injection 0
	for p in $(jobs -p); do kill -9 "$p"; done
	wait
	ip netns del "$ns"
	rm -rf "$tmp"
}
trap cleanup EXIT

# "times" counts down with every injected failure: that is the count.
# verbose 0: an injected failure is not a stack dump in the log.
times=1000000
for p in $points; do
	[[ -d $fault_dir/$p ]] || bail "fault point $fault_dir/$p exists"
	echo 0 >"$fault_dir/$p/verbose" && echo 1 >"$fault_dir/$p/interval" &&
		echo 0 >"$fault_dir/$p/space" && echo "$times" >"$fault_dir/$p/times" ||
		bail "configure $fault_dir/$p"
done
injected() { echo $((times - $(cat "$fault_dir/$1/times"))); }
counter() { ip netns exec "$ns" awk -v k="$1" '$1 == k { print $2 }' /proc/net/eorpc/stats; }

ip netns add "$ns" && ip -n "$ns" link set lo up &&
	ip netns exec "$ns" tc qdisc add dev lo root netem loss 10% duplicate 5% \
		delay 2ms reorder 25% 50% || bail "lossy namespace"

clean_calls() {
	ip netns exec "$ns" python3 "$kv" clients "$1" 9 5 1 "$tmp/clean.json" &&
		test "$(grep -o '": "ok"' "$tmp/clean.json" | wc -l)" = 5
}

dmesg_start=$(($(dmesg | wc -l) + 1))
port=4800
for rate in $rates; do
	port=$((port + 1))
	: >"$tmp/ready"
	ip netns exec "$ns" python3 "$kv" serve "$port" "$tmp/ready" "$tmp/server$rate.json" \
		>"$tmp/server.log" 2>&1 &
	server=$!
	end=$((SECONDS + 60))
	while [[ ! -s $tmp/ready ]] && ((SECONDS < end)); do sleep 0.2; done
	[[ -s $tmp/ready ]] || bail "server ready: $(cat "$tmp/server.log")"

	alloc0=$(injected fail_alloc) xmit0=$(injected fail_xmit)
	nomem0=$(counter RxDropNomem) txerr0=$(counter TxErrors)
	injection "$rate"
	crashed=0
	ip netns exec "$ns" python3 "$kv" team "$port" 3 40 4 "$tmp/client$rate" \
		>"$tmp/clients.log" 2>&1 || crashed=1
	injection 0
	check "$rate%: clients ran to the end" test $crashed = 0
	[[ $crashed = 0 ]] || sed 's/^/# /' "$tmp/clients.log"

	# Injection off: a new client's calls complete. They also pass through
	# the server socket's lock after every receive-path failure, so the
	# counters below are settled.
	check "$rate%: once injection stops, a new client's calls all complete" \
		clean_calls "$port"

	alloc=$(($(injected fail_alloc) - alloc0)) xmit=$(($(injected fail_xmit) - xmit0))
	nomem=$(($(counter RxDropNomem) - nomem0)) txerr=$(($(counter TxErrors) - txerr0))
	kill -TERM "$server"
	wait "$server"
	[[ -s $tmp/server$rate.json ]] || bail "server summary: $(cat "$tmp/server.log")"
	python3 "$kv" check "$tmp/server$rate.json" "$tmp"/client"$rate".[0-2].json
	read -r doubles ok_not_once ran_not_ok calls_ok _ enomem odd <"$tmp/server$rate.json.verdict"
	check "$rate%: no request delivered twice, every completed call ($calls_ok) ran once, none reported not executed had run" \
		test "$doubles" = 0 -a "$ok_not_once" = 0 -a "$ran_not_ok" = 0
	check "$rate%: $alloc allocation failures injected = $nomem RxDropNomem + $enomem ENOMEM seen, only documented errors" \
		test "$alloc" -gt 0 -a "$alloc" = $((nomem + enomem)) -a "$odd" = 0
	check "$rate%: $xmit transmit failures injected, all counted ($txerr TxErrors)" \
		test "$xmit" -gt 0 -a "$txerr" -ge "$xmit"
done

log_clean() {
	local pat
	pat=$(grep -v '^#' "$repo/selftests/vm/log-patterns" | grep -v '^$')
	! dmesg | tail -n +"$dmesg_start" | grep -E -e "$pat"
}
check "kernel log clean" log_clean
exit $((failed > 0))
