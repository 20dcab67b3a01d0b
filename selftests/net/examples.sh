#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The example applications (userspace/examples) across lossy links, in the
# guest (selftests/net/run_all runs this): the key-value store and the bank
# at the same time, each with its server in one namespace and its clients in
# another, netem loss, duplication, reordering and delay both ways. Asserts
# no Append ran twice, the final state equals the clients' models, money is
# conserved and every balance is what the ledgers say, the servers executed
# each call once, and the kernel really did answer duplicates (the counters
# of each server's namespace moved). TAP on stdout.
#
#   [kv-cli]   kv clients   -- netem -- kv-server   [kv-srv]    10.80.0.0/24
#   [bank-cli] bank clients -- netem -- bank-server [bank-srv]  10.81.0.0/24
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${EORPC_EXAMPLES:-$repo/userspace/build/examples}
# shellcheck source=../../userspace/demo/lib.sh
. "$repo/userspace/demo/lib.sh"

n=0
failures=0
tap() { # tap STATUS NAME: one TAP line; STATUS 0 is a pass
	n=$((n + 1))
	if [[ $1 == 0 ]]; then
		echo "ok $n - examples: $2"
	else
		echo "not ok $n - examples: $2"
		failures=$((failures + 1))
	fi
}
check() { # check NAME COMMAND...: a test whose verdict is COMMAND's status
	local name=$1
	shift
	"$@"
	tap $? "$name"
}

# The debug guest (KASAN, lockdep under emulation) is ~20 times slower; a
# small workload there still crosses the lossy link and sees duplicates.
if [[ ${EORPC_KERNEL:-} == debug ]]; then
	clients=2 calls=30
else
	clients=3 calls=100
fi
inflight=4 keys=6 accounts=6 balance=1000
seed=${SEED:-$((RANDOM * 32768 + RANDOM))}
netem="loss 20% duplicate 10% delay 1ms 1ms reorder 25% 50%"
rto="net.eorpc.rto_min_ms=10 net.eorpc.rto_initial_ms=100 net.eorpc.rto_max_ms=400"
echo "# netem both ways: $netem"
echo "# $clients clients x $calls calls, $inflight in flight, seed $seed (SEED=$seed replays)"

tmp=$(mktemp -d /tmp/eorpc-examples.XXXXXX)
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

for b in kv-server kv-client bank-server bank-client; do
	[[ -x $bin/$b ]] || echo "# $bin/$b is missing (make -C userspace)"
done

link_up "eoex-$$-kv" 10.80.0 "$netem" "$rto" &&
	kv_srv=$LINK_SRV kv_cli=$LINK_CLI kv=$LINK_SRV_ADDR:4242 &&
	link_up "eoex-$$-bank" 10.81.0 "$netem" "$rto" &&
	bank_srv=$LINK_SRV bank_cli=$LINK_CLI bank=$LINK_SRV_ADDR:4243
tap $? "two lossy veth links, each between two namespaces"

ip netns exec "$kv_srv" "$bin/kv-server" --listen "$kv" \
	>"$tmp/kv-server.out" 2>"$tmp/kv-server.err" &
kv_pid=$!
pids+=("$kv_pid")
ip netns exec "$bank_srv" "$bin/bank-server" --listen "$bank" \
	--accounts "$accounts" --balance "$balance" \
	>"$tmp/bank-server.out" 2>"$tmp/bank-server.err" &
bank_pid=$!
pids+=("$bank_pid")
wait_for_line "$tmp/kv-server.out" listening 60 &&
	wait_for_line "$tmp/bank-server.out" listening 60
tap $? "kv-server and bank-server listen"
echo "# [${SECONDS}s] servers up"

# run_clients KIND NS ARGS...: $clients clients of KIND in namespace NS, in
# parallel, client i writing $tmp/KIND$i.out; exit status: how many failed.
run_clients() {
	local kind=$1 ns=$2 i bad=0 p=()
	shift 2
	for ((i = 0; i < clients; i++)); do
		ip netns exec "$ns" "$bin/$kind-client" --calls "$calls" \
			--inflight "$inflight" --seed "$seed" --id "$i" \
			--deadline-ms 60000 "$@" >"$tmp/$kind$i.out" 2>"$tmp/$kind$i.err" &
		p+=($!)
	done
	for ((i = 0; i < clients; i++)); do
		if ! wait "${p[i]}"; then
			bad=$((bad + 1))
			echo "# $kind client $i: $(tr '\n' ' ' <"$tmp/$kind$i.err")"
		fi
	done
	return $bad
}

# sum_field KIND FIELD: the sum of FIELD over the clients' summaries.
sum_field() {
	local i v s=0
	for ((i = 0; i < clients; i++)); do
		v=$(summary_field "$tmp/$1$i.out" "$2")
		s=$((s + ${v:-0}))
	done
	echo "$s"
}

# Both services at once; the counters are per namespace, so per service.
run_clients kv "$kv_cli" --server "$kv" --keys "$keys" &
kv_clients=$!
run_clients bank "$bank_cli" --server "$bank" --accounts "$accounts" --max-amount 20 &
bank_clients=$!
wait "$kv_clients"
tap $? "kv: every client made all its calls and passed its own checks"
wait "$bank_clients"
tap $? "bank: every client made all its calls, no bad reply"
echo "# [${SECONDS}s] clients done"

# ---- key-value store ----
check "kv: every call completed ($((clients * calls)))" \
	test "$(sum_field kv completed)" = $((clients * calls))
check "kv: every reply and final value equals the client's model" \
	test "$(sum_field kv mismatches)" = 0
check "kv: no Append executed twice in the clients' own keys" \
	test "$(sum_field kv doubles)" = 0
ip netns exec "$kv_cli" "$bin/kv-client" --server "$kv" --deadline-ms 60000 \
	get shared >"$tmp/shared"
check_tokens "$tmp/shared" "$clients" "$tmp/kv%d.out" >"$tmp/shared.problems"
while read -r line; do
	echo "# $line"
done <"$tmp/shared.problems"
check "kv: no Append executed twice in the shared key" \
	test "$TOKENS" -gt 0 -a "$TOKEN_DOUBLES" = 0
check "kv: the shared key holds each client's Appends once, in its order" \
	test ! -s "$tmp/shared.problems"
srv_stats=$(ns_stats "$kv_srv")
cli_stats=$(ns_stats "$kv_cli")
retr=$(stat_in "$cli_stats" Retransmits)
hist=$(stat_in "$srv_stats" DupAnsweredFromHistory)
echo "# kv: $retr retransmissions, $hist duplicates answered from history," \
	"$(stat_in "$srv_stats" DupAnsweredBusy) BUSY"
check "kv: clients retransmitted over the lossy link" test "$retr" -gt 0
check "kv: the server's kernel answered duplicates from history" test "$hist" -gt 0
echo "# [${SECONDS}s] kv checked"

# ---- bank ----
ip netns exec "$bank_cli" "$bin/bank-client" --server "$bank" --deadline-ms 60000 \
	--accounts "$accounts" audit >"$tmp/audit"
tap $? "bank: audit of every account"
declare -A balance_of=()
total=
while read -r word a b; do
	[[ $word == balance ]] && balance_of[$a]=$b
	[[ $word == total ]] && total=$a
done <"$tmp/audit"
check "bank: money conserved (total $((accounts * balance)))" \
	test "${total:-x}" = $((accounts * balance))
# final[a] = initial - what client a sent + what every client sent to a.
declare -A want=()
for ((a = 0; a < accounts; a++)); do
	want[$a]=$balance
done
for ((i = 0; i < clients; i++)); do
	out=$(summary_field "$tmp/bank$i.out" out)
	want[$i]=$((want[$i] - ${out:-0}))
	sent=$(summary_field "$tmp/bank$i.out" sent)
	IFS=, read -r -a moves <<<"${sent#-}"
	for m in "${moves[@]}"; do
		want[${m%%:*}]=$((want[${m%%:*}] + ${m#*:}))
	done
done
ledger_ok=0
for ((a = 0; a < accounts; a++)); do
	if [[ ${balance_of[$a]:-} != "${want[$a]}" ]]; then
		echo "# account $a: balance ${balance_of[$a]:-?}, the ledgers say ${want[$a]}"
		ledger_ok=1
	fi
done
tap $ledger_ok "bank: every balance is what the clients' ledgers say (no transfer twice)"
srv_stats=$(ns_stats "$bank_srv")
hist=$(stat_in "$srv_stats" DupAnsweredFromHistory)
echo "# bank: $hist duplicates answered from history," \
	"$(stat_in "$srv_stats" DupAnsweredBusy) BUSY"
check "bank: the server's kernel answered duplicates from history" \
	test "$hist" -gt 0
echo "# [${SECONDS}s] bank checked"

# ---- the servers saw each call once ----
kill -TERM "$kv_pid" "$bank_pid"
wait "$kv_pid"
kv_rc=$?
wait "$bank_pid"
bank_rc=$?
pids=()
check "kv-server and bank-server exit 0 on SIGTERM" test "$kv_rc$bank_rc" = 00
for f in "$tmp/kv-server.out" "$tmp/bank-server.out"; do
	while read -r line; do
		[[ $line == summary* ]] && echo "# $line"
	done <"$f"
done
# The workload, each client's final Gets (--keys), and the Get of 'shared'.
check "kv: the server executed exactly the calls made" \
	test "$(summary_field "$tmp/kv-server.out" requests)" = \
	$(($(sum_field kv completed) + clients * keys + 1))
check "bank: the server moved money exactly as often as the clients saw" \
	test "$(summary_field "$tmp/bank-server.out" transfers)" = "$(sum_field bank transfers)"
check "bank: the server executed exactly the calls made" \
	test "$(summary_field "$tmp/bank-server.out" requests)" = \
	$(($(sum_field bank completed) + accounts))

# ---- bad input from the command line ----
ip netns exec "$kv_cli" "$bin/kv-client" --calls lots >/dev/null 2>&1
check "kv-client: a bad number exits 2" test $? = 2
ip netns exec "$kv_cli" "$bin/kv-client" --server "$kv" get "two words" >/dev/null 2>&1
check "kv-client: a key with a space exits 2" test $? = 2
ip netns exec "$bank_cli" "$bin/bank-client" --id 9 --accounts 3 >/dev/null 2>&1
check "bank-client: an id without an account exits 2" test $? = 2

# ---- the README's minimal client and server, across the lossy link ----
hello=${kv%:*}:4343
ip netns exec "$kv_srv" "$bin/hello-server" "$hello" &
hello_pid=$!
pids+=("$hello_pid")
# The client starts once the server listens: a HELLO to a port where nothing
# listens yet is refused (ICMP port unreachable: ECONNREFUSED, never run).
listening() {
	ip netns exec "$kv_srv" awk -v port=":${hello##*:}" \
		'$2 == "server" && substr($1, length($1) - length(port) + 1) == port { found = 1 }
		 END { exit !found }' /proc/net/eorpc/sockets
}
end=$((SECONDS + 30))
until listening || ((SECONDS > end)); do sleep 0.1; done
# hello_call NAME REQUEST WANT: a test that one call of REQUEST gets WANT.
hello_call() {
	local out
	out=$(ip netns exec "$kv_cli" "$bin/hello-client" "$hello" "$2" 2>&1)
	if [[ $out == "$3" ]]; then
		tap 0 "$1"
	else
		echo "# hello-client printed: ${out:0:100}"
		tap 1 "$1"
	fi
}
hello_call "hello-client gets 'hello, world' from hello-server" world "hello, world"
# A request longer than the server's buffer is delivered truncated: the
# server must answer it with an error and go on serving.
hello_call "hello-server answers a 1000-byte request with an error reply" \
	"$(printf '%01000d' 0)" "error: request longer than 256 bytes"
hello_call "hello-server still answers 'hello, world' after it" \
	world "hello, world"
kill "$hello_pid"
wait "$hello_pid" 2>/dev/null

echo "# examples.sh: $SECONDS s"
echo "1..$n"
exit $((failures > 0))
