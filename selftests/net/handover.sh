#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Zero-downtime restart (libeorpc's eorpc_handover_*, kv-server and
# `eorpc serve` --handover-listen/--handover-from), in the guest
# (selftests/net/run_all runs this). The key-value server is replaced three
# times while several clients run the demo's workload across a lossy link
# with calls in flight: each successor takes the server socket (sessions,
# history and queued requests stay in the kernel) and the store from its
# predecessor. Asserts no call failed, no Append ran twice, the final state
# equals the clients' models, the four server processes executed each call
# once between them, and each of them served. Also: a successor that dies
# mid-handover leaves the old server serving (the final reads go to it);
# `eorpc serve` hands over the same way. TAP on stdout.
#
#   [ho-cli] kv clients -- netem both ways -- kv-server x 4 [ho-srv]  10.82.0.0/24
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${EORPC_EXAMPLES:-$repo/userspace/build/examples}
tool=${EORPC_TOOL:-$repo/userspace/build/eorpc}
# shellcheck source=../../userspace/demo/lib.sh
. "$repo/userspace/demo/lib.sh"

# shellcheck source=../lib/tap.sh
. "$here/../lib/tap.sh"
tap() { result "$1" "handover: $2"; } # tap STATUS NAME
check() { # check NAME COMMAND...
	local name=$1
	shift
	"$@"
	tap $? "$name"
}

if [[ ${EORPC_KERNEL:-} == debug ]]; then
	clients=2 calls=60
else
	clients=3 calls=1000
fi
inflight=4 keys=6 upgrades=3
seed=${SEED:-$((RANDOM * 32768 + RANDOM))}
# A longer delay than the other suites': the workload must outlast three
# upgrades, each a second or so of process start-up under emulation.
netem="loss 20% duplicate 10% delay 5ms 2ms reorder 25% 50%"
rto="net.eorpc.rto_min_ms=10 net.eorpc.rto_initial_ms=100 net.eorpc.rto_max_ms=400"
echo "# netem both ways: $netem"
echo "# $clients clients x $calls calls, $inflight in flight, $upgrades upgrades, seed $seed (SEED=$seed replays)"

tmp=$(mktemp -d /tmp/eorpc-handover.XXXXXX)
sock=$tmp/kv.handover
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	link_down
	rm -rf "$tmp"
}
trap cleanup EXIT

link_up "eoho-$$" 10.82.0 "$netem" "$rto"
tap $? "a lossy veth link between two namespaces"
srv=$LINK_SRV cli=$LINK_CLI addr=$LINK_SRV_ADDR:4242

# wait_until SECONDS COMMAND...: poll COMMAND until it succeeds.
wait_until() {
	local i limit=$(($1 * 20))
	shift
	for ((i = 0; i < limit; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}
completed() { stat_in "$(ns_stats "$cli")" CallsCompleted; }
completed_at_least() { (($(completed) >= $1)); }
exited() { ! kill -0 "$1" 2>/dev/null; }

# Generation 0 opens the socket; each later one takes it from the one before.
gen_pid=()
ip netns exec "$srv" "$bin/kv-server" --listen "$addr" --handover-listen "$sock" \
	>"$tmp/server0.out" 2>"$tmp/server0.err" &
gen_pid[0]=$!
pids+=("${gen_pid[0]}")
wait_for_line "$tmp/server0.out" listening 60 && [[ -S $sock ]]
tap $? "kv-server listens, and accepts a successor on a unix socket"

for ((i = 0; i < clients; i++)); do
	ip netns exec "$cli" "$bin/kv-client" --server "$addr" --calls "$calls" \
		--inflight "$inflight" --keys "$keys" --seed "$seed" --id "$i" \
		--deadline-ms 60000 >"$tmp/client$i.out" 2>"$tmp/client$i.err" &
	client_pid[i]=$!
	pids+=("${client_pid[i]}")
done
total=$((clients * calls))

# The upgrades at the next eighth of the workload each, calls in flight.
# While one runs, the server's replies are dropped: requests still arrive
# and run, retransmissions are answered from the history the successor
# takes over, and no call completes, so the workload cannot end before the
# upgrade does however slow the host is (a second or two under emulation).
# replies_dropped ON|OFF: drop every reply, or restore the lossy link.
replies_dropped() {
	if [[ $1 == ON ]]; then
		tc -n "$srv" qdisc change dev veth0 root netem loss 100%
	else
		# shellcheck disable=SC2086 # netem's own argument words
		tc -n "$srv" qdisc change dev veth0 root netem $netem
	fi
}
done_at=(0)
running=0
for ((g = 1; g <= upgrades; g++)); do
	# Each generation serves a sixteenth of the workload before the next
	# upgrade, even when the one before it ended past the next eighth (a
	# slow takeover: upgrade 2 once ended at 1531 of 3000 calls, upgrade 3
	# followed at once and generation 2 executed nothing).
	next=$((total * g / (2 * upgrades + 2)))
	since=$((done_at[g - 1] + total / (4 * upgrades + 4)))
	wait_until 300 completed_at_least $((next > since ? next : since))
	replies_dropped ON
	ip netns exec "$srv" "$bin/kv-server" --listen 0.0.0.0:1 \
		--handover-from "$sock" --handover-listen "$sock" \
		>"$tmp/server$g.out" 2>"$tmp/server$g.err" &
	gen_pid[g]=$!
	pids+=("${gen_pid[g]}")
	wait_for_line "$tmp/server$g.out" listening 60 &&
		wait_until 60 exited "${gen_pid[g - 1]}"
	tap $? "upgrade $g: pid ${gen_pid[g]} took over from pid ${gen_pid[g - 1]}"
	done_at[g]=$(completed)
	# Calls left, and a client still making them (any one of them).
	running=0
	for ((i = 0; i < clients; i++)); do
		exited "${client_pid[i]}" || running=$((running + 1))
	done
	replies_dropped OFF
	wait "${gen_pid[g - 1]}"
	old_rc=$?
	grep -q "^handover sent" "$tmp/server$((g - 1)).out" &&
		grep -q "^handover received" "$tmp/server$g.out" &&
		grep -q "^listening $addr" "$tmp/server$g.out" && ((old_rc == 0))
	tap $? "upgrade $g: the old server handed over and exited 0; the new one serves $addr"
	echo "# [${SECONDS}s] upgrade $g done at ${done_at[g]} of $total calls: $(grep '^handover received' "$tmp/server$g.out")"
done
((done_at[upgrades] < total && running > 0))
tap $? "the last upgrade came while the workload still ran (${done_at[upgrades]} < $total calls, $running clients running)"

bad=0
for ((i = 0; i < clients; i++)); do
	if ! wait "${client_pid[i]}"; then
		bad=$((bad + 1))
		echo "# client $i: $(tr '\n' ' ' <"$tmp/client$i.err")"
	fi
done
tap $bad "every client made all its calls and passed its own model check"

# A successor that dies after the descriptor is in flight: the running
# server gets no acknowledgement, so it keeps the socket and serves on.
python3 - "$sock" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.recv(8)   # the header has started, with the descriptor: then die
EOF
wait_for_line "$tmp/server$upgrades.err" "kv-server: handover:" 30 &&
	grep -q "serving on" "$tmp/server$upgrades.err"
tap $? "a successor dying mid-handover: the server says so and serves on"
wait_until 30 test -S "$sock" && ! exited "${gen_pid[upgrades]}"
tap $? "...listening for a successor again (the reads below go to it)"

sum_field() { # sum_field FIELD: over the clients' summaries
	local i v s=0
	for ((i = 0; i < clients; i++)); do
		v=$(summary_field "$tmp/client$i.out" "$1")
		s=$((s + ${v:-0}))
	done
	echo "$s"
}
check "no call failed ($(sum_field failed) failed)" test "$(sum_field failed)" = 0
check "every call completed ($total)" test "$(sum_field completed)" = "$total"
check "every reply and final value equals the client's model" \
	test "$(sum_field mismatches)" = 0
check "no Append executed twice in the clients' own keys" \
	test "$(sum_field doubles)" = 0
ip netns exec "$cli" "$bin/kv-client" --server "$addr" --deadline-ms 60000 \
	get shared >"$tmp/shared"
check_tokens "$tmp/shared" "$clients" "$tmp/client%d.out" >"$tmp/shared.problems"
while read -r line; do
	echo "# $line"
done <"$tmp/shared.problems"
check "no Append executed twice in the shared key" \
	test "$TOKENS" -gt 0 -a "$TOKEN_DOUBLES" = 0
check "the shared key holds each client's Appends once, in its order" \
	test ! -s "$tmp/shared.problems"

kill -TERM "${gen_pid[upgrades]}"
wait "${gen_pid[upgrades]}"
tap $? "the last server exits 0 on SIGTERM"
executed=0 served_all=0
declare -A seen=()
for ((g = 0; g <= upgrades; g++)); do
	r=$(summary_field "$tmp/server$g.out" requests)
	echo "# server $g (pid ${gen_pid[g]}): ${r:-?} requests"
	executed=$((executed + ${r:-0}))
	((${r:-0} > 0)) || served_all=1
	seen[${gen_pid[g]}]=1
done
((served_all == 0 && ${#seen[@]} == upgrades + 1))
tap $? "$((upgrades + 1)) distinct server processes each executed requests"
# Every workload call, each client's final Get of its keys, the Get of 'shared'.
want=$((total + clients * keys + 1))
check "the servers executed $want requests between them, one per call ($executed)" \
	test "$executed" = "$want"
srv_stats=$(ns_stats "$srv")
echo "# $(stat_in "$(ns_stats "$cli")" Retransmits) retransmissions," \
	"$(stat_in "$srv_stats" DupAnsweredFromHistory) duplicates answered from history"
check "the kernel answered duplicates from history across the upgrades" \
	test "$(stat_in "$srv_stats" DupAnsweredFromHistory)" -gt 0

# ---- eorpc serve: the same handover, echo server, on loopback ----
echo_sock=$tmp/echo.handover
ip netns exec "$srv" "$tool" serve -q --ready-file "$tmp/echo.addr" \
	--handover-listen "$echo_sock" 127.0.0.1:0 2>"$tmp/echo0.err" &
e0=$!
pids+=("$e0")
wait_until 30 test -s "$tmp/echo.addr" && eaddr=$(<"$tmp/echo.addr") &&
	[[ $(ip netns exec "$srv" "$tool" call "$eaddr" one) == one ]]
tap $? "eorpc serve --handover-listen answers"
ip netns exec "$srv" "$tool" serve --handover-from "$echo_sock" \
	--handover-listen "$echo_sock" 2>"$tmp/echo1.err" &
e1=$!
pids+=("$e1")
wait_until 30 exited "$e0" && wait "$e0" &&
	[[ $(ip netns exec "$srv" "$tool" call "$eaddr" two) == two ]] && ! exited "$e1"
tap $? "eorpc serve --handover-from takes over the same address and answers"
grep -q "handed over to a successor after 1 calls" "$tmp/echo0.err" &&
	grep -q "listening on $eaddr" "$tmp/echo1.err"
tap $? "...the old one said it handed over, the new one listens on $eaddr"
kill -TERM "$e1"
wait "$e1"
tap $? "the successor exits 0 on SIGTERM"

echo "# handover.sh: $SECONDS s"
echo "1..$n"
exit $((failed > 0))
