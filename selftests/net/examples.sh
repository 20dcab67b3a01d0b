#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The example applications (userspace/examples) across a lossy link, in the
# guest (selftests/net/run_all runs this): the key-value store and the bank,
# server in one namespace, clients in another, netem loss, duplication,
# reordering and delay both ways. Asserts no Append ran twice, the final
# state equals the clients' models, money is conserved and every balance is
# what the ledgers say, the servers executed each call once, and the kernel
# really did answer duplicates (its counters moved). TAP on stdout.
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
	clients=3 calls=120
fi
inflight=4
seed=${SEED:-$((RANDOM * 32768 + RANDOM))}
netem="loss 20% duplicate 10% delay 1ms 1ms reorder 25% 50%"
rto="net.eorpc.rto_min_ms=10 net.eorpc.rto_initial_ms=100 net.eorpc.rto_max_ms=400"
accounts=6 balance=1000
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
	[[ -x $bin/$b ]] || { echo "# $bin/$b is missing (make -C userspace)"; break; }
done

link_up "eoex-$$" 10.80.0 "$netem" "$rto"
tap $? "lossy veth link between two namespaces"
kv=$LINK_SRV_ADDR:4242
bank=$LINK_SRV_ADDR:4243

ip netns exec "$LINK_SRV" "$bin/kv-server" --listen "$kv" \
	>"$tmp/kv-server.out" 2>"$tmp/kv-server.err" &
kv_pid=$!
pids+=("$kv_pid")
ip netns exec "$LINK_SRV" "$bin/bank-server" --listen "$bank" \
	--accounts "$accounts" --balance "$balance" \
	>"$tmp/bank-server.out" 2>"$tmp/bank-server.err" &
bank_pid=$!
pids+=("$bank_pid")
wait_for_line "$tmp/kv-server.out" listening 20 &&
	wait_for_line "$tmp/bank-server.out" listening 20
tap $? "kv-server and bank-server listen"

# run_clients KIND ARGS...: $clients clients of KIND in parallel, client i
# writing $tmp/KIND$i.out; returns how many exited non-zero.
run_clients() {
	local kind=$1 i bad=0 p=()
	shift
	for ((i = 0; i < clients; i++)); do
		ip netns exec "$LINK_CLI" "$bin/$kind-client" --calls "$calls" \
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

# ---- key-value store ----
hist0=$(ns_stat "$LINK_SRV" DupAnsweredFromHistory)
busy0=$(ns_stat "$LINK_SRV" DupAnsweredBusy)
retr0=$(ns_stat "$LINK_CLI" Retransmits)
run_clients kv --server "$kv" --keys 6
tap $? "kv: every client made all its calls and passed its own checks"
check "kv: every call completed ($((clients * calls)))" \
	test "$(sum_field kv completed)" = $((clients * calls))
check "kv: every reply and final value equals the client's model" \
	test "$(sum_field kv mismatches)" = 0
check "kv: no Append executed twice in the clients' own keys" \
	test "$(sum_field kv doubles)" = 0

ip netns exec "$LINK_CLI" "$bin/kv-client" --server "$kv" --deadline-ms 60000 \
	get shared | tr ';' '\n' | sed '/^$/d' >"$tmp/shared"
check "kv: no Append executed twice in the shared key" \
	test -z "$(sort "$tmp/shared" | uniq -d)"
shared_ok=0
for ((i = 0; i < clients; i++)); do
	want=$(summary_field "$tmp/kv$i.out" shared_appends)
	have=$(grep -c "^a$i\." "$tmp/shared")
	# A client's shared Appends ran one at a time: in its order.
	if [[ $have != "${want:-x}" ]] ||
		! grep "^a$i\." "$tmp/shared" | cut -d. -f2 | sort -n -c 2>/dev/null; then
		echo "# client $i: $have tokens in 'shared', $want appended"
		shared_ok=1
	fi
done
tap $shared_ok "kv: the shared key holds each client's Appends once, in its order"
hist_kv=$(($(ns_stat "$LINK_SRV" DupAnsweredFromHistory) - hist0))
busy_kv=$(($(ns_stat "$LINK_SRV" DupAnsweredBusy) - busy0))
retr_kv=$(($(ns_stat "$LINK_CLI" Retransmits) - retr0))
echo "# kv: $retr_kv retransmissions, $hist_kv duplicates answered from history, $busy_kv BUSY"
check "kv: clients retransmitted over the lossy link" test "$retr_kv" -gt 0
check "kv: the server's kernel answered duplicates from history" test "$hist_kv" -gt 0

# ---- bank ----
hist0=$(ns_stat "$LINK_SRV" DupAnsweredFromHistory)
run_clients bank --server "$bank" --accounts "$accounts" --max-amount 20
tap $? "bank: every client made all its calls, no bad reply"
ip netns exec "$LINK_CLI" "$bin/bank-client" --server "$bank" --deadline-ms 60000 \
	--accounts "$accounts" audit >"$tmp/audit"
tap $? "bank: audit of every account"
check "bank: money conserved (total $((accounts * balance)))" \
	grep -qx "total $((accounts * balance))" "$tmp/audit"
# final[a] = initial - what client a sent + what every client sent to a.
ledger_ok=0
for ((a = 0; a < accounts; a++)); do
	want=$balance
	if ((a < clients)); then
		want=$((want - $(summary_field "$tmp/bank$a.out" out)))
	fi
	for ((i = 0; i < clients; i++)); do
		got=$(summary_field "$tmp/bank$i.out" sent | tr ',' '\n' |
			awk -F: -v a="$a" '$1 == a { print $2 }')
		want=$((want + ${got:-0}))
	done
	have=$(awk -v a="$a" '$1 == "balance" && $2 == a { print $3 }' "$tmp/audit")
	if [[ $have != "$want" ]]; then
		echo "# account $a: balance ${have:-?}, the ledgers say $want"
		ledger_ok=1
	fi
done
tap $ledger_ok "bank: every balance is what the clients' ledgers say (no transfer twice)"
hist_bank=$(($(ns_stat "$LINK_SRV" DupAnsweredFromHistory) - hist0))
echo "# bank: $hist_bank duplicates answered from history"
check "bank: the server's kernel answered duplicates from history" \
	test "$hist_bank" -gt 0

# ---- the servers saw each call once ----
kill -TERM "$kv_pid" "$bank_pid"
wait "$kv_pid"
kv_rc=$?
wait "$bank_pid"
bank_rc=$?
pids=()
check "kv-server and bank-server exit 0 on SIGTERM" test "$kv_rc$bank_rc" = 00
grep '^summary' "$tmp/kv-server.out" "$tmp/bank-server.out" | sed 's/^/# /'
# The workload, each client's final Gets (--keys 6), and the Get of 'shared'.
check "kv: the server executed exactly the calls made" \
	test "$(summary_field "$tmp/kv-server.out" requests)" = \
	$(($(sum_field kv completed) + clients * 6 + 1))
check "bank: the server executed exactly the transfers the clients saw" \
	test "$(summary_field "$tmp/bank-server.out" transfers)" = "$(sum_field bank transfers)"
check "bank: the server executed exactly the calls made" \
	test "$(summary_field "$tmp/bank-server.out" requests)" = \
	$(($(sum_field bank completed) + accounts))

# ---- bad input from the command line ----
ip netns exec "$LINK_CLI" "$bin/kv-client" --calls lots >/dev/null 2>&1
check "kv-client: a bad number exits 2" test $? = 2
ip netns exec "$LINK_CLI" "$bin/kv-client" --server "$kv" get "two words" >/dev/null 2>&1
check "kv-client: a key with a space exits 2" test $? = 2
ip netns exec "$LINK_CLI" "$bin/bank-client" --id 9 --accounts 3 >/dev/null 2>&1
check "bank-client: an id without an account exits 2" test $? = 2

echo "# examples.sh: $SECONDS s"
echo "1..$n"
exit $((failures > 0))
