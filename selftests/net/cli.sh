#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The eorpc(1) tool against the live module (selftests/net/run_all runs it
# in the guest): round trips, serve with a command, the exit status of each
# error kind we can provoke, counters in `eorpc stat`, a bench smoke test of
# each transport. TAP on stdout.
set -u
here=$(cd "$(dirname "$0")" && pwd)
eorpc=${EORPC_TOOL:-$here/../../userspace/build/eorpc}
dir=$(mktemp -d /tmp/eorpc-cli.XXXXXX)
. "$(dirname "$0")/../lib/tap.sh"
pids=()

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT


# Wait (at most 10 s; the debug guest is slow) for FILE to be non-empty.
wait_file() {
	local i
	for ((i = 0; i < 200; i++)); do
		[[ -s $1 ]] && return 0
		sleep 0.05
	done
	return 1
}

# start_server NAME ARGS...: background `eorpc serve`, sets $addr.
start_server() {
	local name=$1
	shift
	rm -f "$dir/$name.ready"
	"$eorpc" serve -q -r "$dir/$name.ready" "$@" 2>"$dir/$name.err" &
	pids+=($!)
	server_pid=$!
	wait_file "$dir/$name.ready" || return 1
	addr=$(cat "$dir/$name.ready")
}

if [[ ! -x $eorpc ]]; then
	echo "1..0 # SKIP $eorpc not built"
	exit 4
fi

echo "# cli.sh: $SECONDS s at start"
# ---- call and serve ----
start_server echo 127.0.0.1:0
result $? "serve: listens and writes its address to the ready file"
out=$("$eorpc" call "$addr" "hello, exactly once")
rc=$?
[[ $rc == 0 && $out == "hello, exactly once" ]]
result $? "call: echo round trip prints the reply, exit 0" "rc=$rc out='$out'"

head -c 3000 /dev/urandom >"$dir/blob"
"$eorpc" call "$addr" - <"$dir/blob" >"$dir/blob.back"
rc=$?
[[ $rc == 0 ]] && cmp -s "$dir/blob" "$dir/blob.back"
result $? "call: binary payload from stdin comes back byte for byte" "rc=$rc"

"$eorpc" stat sockets >"$dir/stat.sockets"
grep -qF "$addr" "$dir/stat.sockets"
result $? "stat: the listening server's address is in the sockets table" "$(tr '\n' '|' <"$dir/stat.sockets")"

json=$("$eorpc" stat -a --json)
python3 -c '
import json, sys
d = json.loads(sys.argv[1])
c = d["counters"]
assert c["CallsCompleted"] >= 2, c
assert c["RequestsDelivered"] >= 2, c
assert any(s["role"] == "server" for s in d["sockets"]), d["sockets"]
assert "window" in d["sysctl"], d["sysctl"]
' "$json"
result $? "stat --json: valid JSON; completed calls and delivered requests counted" "$json"

"$eorpc" stat >"$dir/stat.txt"
grep -Eq '^CallsCompleted +[1-9]' "$dir/stat.txt" &&
	! grep -Eq '^[A-Za-z]+ +0$' "$dir/stat.txt"
result $? "stat: non-zero counters shown, zeros hidden by default"
"$eorpc" stat -z counters | grep -Eq '^[A-Za-z]+ +0$'
result $? "stat -z: zero counters shown too"

# ---- serve running a command per request ----
start_server upper 127.0.0.1:0 -n 2 -- sh -c 'tr a-z A-Z; printf " %s" "$EORPC_CALL_ID"'
result $? "serve -- CMD: listens"
out=$("$eorpc" call "$addr" "shout")
rc=$?
[[ $rc == 0 && $out =~ ^SHOUT\ [0-9]+$ ]]
result $? "serve -- CMD: the reply is CMD's stdout, request on its stdin, call id in env" "rc=$rc out='$out'"
"$eorpc" call "$addr" "again" >/dev/null
wait "$server_pid"
rc=$?
result $rc "serve --count 2: exits 0 after answering two calls" "rc=$rc"

# ---- serve --reuseport: two servers on one port, each answering ----
start_server rp1 127.0.0.1:0 --reuseport -v
rp_addr=$addr rp1_pid=$server_pid
start_server rp2 "$rp_addr" --reuseport -v
result $? "serve --reuseport: a second server binds the same port" "$(cat "$dir/rp2.err")"
rp2_pid=$server_pid
# Each call is a new client socket, hence a new session; both servers get
# some of 24 (all to one: 1 in 2^23 with the sender ports spread).
for i in $(seq 24); do
	[[ $("$eorpc" call -d 5000 "$rp_addr" "rp $i") == "rp $i" ]] || echo "call $i failed"
done >"$dir/rp.calls"
kill "$rp1_pid" "$rp2_pid"
wait "$rp1_pid" "$rp2_pid" 2>/dev/null
n1=$(grep -c ": call [0-9]* from" "$dir/rp1.err") n2=$(grep -c ": call [0-9]* from" "$dir/rp2.err")
[[ ! -s $dir/rp.calls ]] && ((n1 > 0 && n2 > 0 && n1 + n2 == 24))
result $? "serve --reuseport: 24 calls answered, each once, by both servers" "$n1 + $n2 $(cat "$dir/rp.calls")"

echo "# cli.sh: $SECONDS s"
# ---- exit statuses ----
start_server slow 127.0.0.1:0 -- sleep 5
"$eorpc" call -d 1000 "$addr" "too slow" 2>"$dir/slow.err"
rc=$?
[[ $rc == 10 ]] && grep -q "deadline" "$dir/slow.err"
result $? "call: a deadline that passes with the request delivered exits 10" "rc=$rc $(cat "$dir/slow.err")"
kill "$server_pid"

# Nobody listens on this port (the echo server's socket, once closed).
start_server gone 127.0.0.1:0
gone=$addr
kill "$server_pid"
wait "$server_pid" 2>/dev/null
"$eorpc" call -d 1000 "$gone" "anyone?" 2>"$dir/gone.err"
rc=$?
[[ $rc == 10 || $rc == 20 || $rc == 21 ]] && [[ -s $dir/gone.err ]]
result $? "call: no server listening exits 10, 20 or 21 with a message" "rc=$rc $(cat "$dir/gone.err")"

"$eorpc" call "not-an-address" x 2>"$dir/bad.err"
rc=$?
[[ $rc == 2 ]] && grep -q "not-an-address" "$dir/bad.err"
result $? "call: a malformed address exits 2 and names it" "rc=$rc $(cat "$dir/bad.err")"
"$eorpc" call --deadline soon 127.0.0.1:1 x 2>/dev/null
result $([[ $? == 2 ]]; echo $?) "call: a bad --deadline exits 2"
"$eorpc" call 127.0.0.1:1 2>/dev/null
result $([[ $? == 2 ]]; echo $?) "call: a missing PAYLOAD exits 2"
"$eorpc" frobnicate 2>/dev/null
result $([[ $? == 2 ]]; echo $?) "eorpc: an unknown command exits 2"
EORPC_FAMILY_FILE=$dir/none "$eorpc" call 127.0.0.1:1 x 2>"$dir/nomod.err"
rc=$?
[[ $rc == 3 ]] && grep -q "module" "$dir/nomod.err"
result $? "call: family unknown (module not loaded) exits 3" "rc=$rc $(cat "$dir/nomod.err")"
"$eorpc" stat --proc "$dir/none" 2>/dev/null
result $([[ $? == 3 ]]; echo $?) "stat: no /proc/net/eorpc exits 3"

echo "# cli.sh: $SECONDS s"
for c in "" call serve stat "bench"; do
	# shellcheck disable=SC2086
	"$eorpc" $c --help | grep -q "^Usage: eorpc"
	result $? "eorpc ${c:+$c }--help prints the usage"
done

# ---- bench smoke test, each transport ----
# The debug guest (KASAN, lockdep under emulation) is many times slower.
calls=40
[[ ${EORPC_KERNEL:-} == debug ]] && calls=10
for t in eorpc udp tcp; do
	rm -f "$dir/bench.$t"
	"$eorpc" bench server -t "$t" -r "$dir/bench.$t" 127.0.0.1:0 2>/dev/null &
	pids+=($!)
	if ! wait_file "$dir/bench.$t"; then
		result 1 "bench $t: server starts"
		continue
	fi
	line=$("$eorpc" bench client -t "$t" -n "$calls" -w 4 -c 2 -s 1k --csv --no-header \
	       "$(cat "$dir/bench.$t")")
	rc=$?
	# ndone + lost = 2 clients x $calls; AF_EORPC and TCP lose nothing.
	IFS=, read -r tr _ _ _ _ _ _ ndone lost cfail _ _ p50 p99 _ <<<"$line"
	[[ $rc == 0 && $tr == "$t" && $((ndone + lost)) == $((2 * calls)) && $cfail == 0 ]] &&
		[[ $t == udp || $lost == 0 ]] &&
		awk -v a="$p50" -v b="$p99" 'BEGIN { exit !(a > 0 && b >= a) }'
	result $? "bench $t: 2 clients x $calls calls complete, p50 > 0, p99 >= p50" "rc=$rc $line"
done

# ---- bench close smoke test: both transports, sane figures ----
out=$("$eorpc" bench close -N 20 -R 2 --csv --no-header 2>&1)
rc=$?
awk -F, -v rc=$rc 'rc == 0 && $2 == 20 && $3 == 2 && $4 > 0 && $5 > 0 &&
		   $5 <= $4 && $4 <= $6 && $7 > 0 { seen[$1] = 1 }
		   END { exit !(seen["eorpc"] && seen["udp"] && NR == 2) }' <<<"$out"
result $? "bench close: a rate for eorpc and udp, min <= median <= max" "rc=$rc $out"

echo "1..$n"
echo "# cli.sh: $SECONDS s"
exit $((failed > 0))
