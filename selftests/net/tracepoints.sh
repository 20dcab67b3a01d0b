#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tracepoints, in the guest (TAP): enable events/eorpc/* in a private
# tracefs instance, make calls over a lossy veth link until the trace shows
# retransmissions and replies resent from history, then check that each
# event kind appeared with fields that agree with what was sent.
#
#   [ns eots-PID] echo server 10.79.0.1:4600 --- veth, netem loss --- [ns eotc-PID] caller
set -u
srv=eots-$$
cli=eotc-$$
tmp=$(mktemp -d /tmp/eorpc-trace.XXXXXX)
tracefs=/sys/kernel/tracing
[[ -d $tracefs/instances ]] || tracefs=/sys/kernel/debug/tracing
inst=$tracefs/instances/eorpc-$$
. "$(dirname "$0")/../lib/tap.sh"

# A failed step ends the run; the tests after it fail as not reached.
planned=6

cleanup() {
	local p
	exec 2>/dev/null	# no job-control notices for the killed server
	for p in $(jobs -p); do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	[[ -d $inst ]] && { echo 0 >"$inst/events/eorpc/enable"; rmdir "$inst"; }
	ip netns del "$srv" 2>/dev/null
	ip netns del "$cli" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# Echo server and caller on AF_EORPC through Python's socket module.
cat >"$tmp/eorpc.py" <<'EOF'
import ctypes, os, socket, struct, sys

libc = ctypes.CDLL(None, use_errno=True)
AF = int(open("/sys/module/eorpc/parameters/family").read())
SOL_EORPC, TAG, CALL_ID, ERROR = 299, 1, 3, 5


def sock(ip, port, how):
    # Presented to Python as AF_INET6, whose sockaddr is as large as
    # sockaddr_eorpc: Python sizes recvmsg's address buffer by the family.
    fd = libc.socket(AF, socket.SOCK_DGRAM, 0)
    a = (struct.pack("=HH", AF, socket.AF_INET) + struct.pack("!H", port)
         + bytes(6) + socket.inet_aton(ip) + bytes(12))
    if fd < 0 or how(fd, a, len(a)):
        sys.exit("%s: %s" % (how.__name__, os.strerror(ctypes.get_errno())))
    return socket.socket(socket.AF_INET6, socket.SOCK_DGRAM, 0, fileno=fd)


def serve(ip, port):
    s = sock(ip, port, libc.bind)
    s.listen(0)
    print("ready", flush=True)
    while True:
        data, anc, _, _ = s.recvmsg(70000, 256)
        cid = [d[:8] for l, t, d in anc if l == SOL_EORPC and t == CALL_ID][0]
        s.sendmsg([data], [(SOL_EORPC, CALL_ID, cid)])


def call(ip, port, first, count, size):
    c = sock(ip, port, libc.connect)
    for i in range(first, first + count):
        c.sendmsg([b"%08d" % i + bytes(size - 8)],
                  [(SOL_EORPC, TAG, struct.pack("=Q", i))])
        data, anc, _, _ = c.recvmsg(70000, 256)
        if [d for l, t, d in anc if l == SOL_EORPC and t == ERROR]:
            sys.exit("call %d failed" % i)
        if data[:8] != b"%08d" % i:
            sys.exit("call %d: wrong reply" % i)


if sys.argv[1] == "serve":
    serve(sys.argv[2], int(sys.argv[3]))
else:
    call(sys.argv[2], int(sys.argv[3]), *map(int, sys.argv[4:7]))
EOF

echo "TAP version 13"
echo "1..$planned"
if [[ ! -d $tracefs/instances ]] || ! mkdir "$inst"; then
	bail "tracefs instance for events/eorpc (tracefs at $tracefs)"
fi
if [[ ! -d $inst/events/eorpc ]]; then
	bail "events/eorpc exists in tracefs"
fi
ok "events/eorpc: $(cd "$inst/events/eorpc" && echo eorpc_*)"

ip netns add "$srv" && ip netns add "$cli" &&
	ip -n "$srv" link add veth0 type veth peer name veth1 netns "$cli" &&
	ip -n "$srv" addr add 10.79.0.1/24 dev veth0 &&
	ip -n "$cli" addr add 10.79.0.2/24 dev veth1 &&
	ip -n "$srv" link set veth0 up && ip -n "$cli" link set veth1 up &&
	ip netns exec "$srv" tc qdisc add dev veth0 root netem loss 30% &&
	ip netns exec "$cli" tc qdisc add dev veth1 root netem loss 30% &&
	ip netns exec "$cli" sysctl -qw net.eorpc.rto_min_ms=10 \
		net.eorpc.rto_initial_ms=50 net.eorpc.rto_max_ms=200 ||
	bail "namespaces, veth, netem"

echo 1 >"$inst/events/eorpc/enable"
echo 1 >"$inst/tracing_on"
coproc server { ip netns exec "$srv" python3 "$tmp/eorpc.py" serve 10.79.0.1 4600 2>&1; }
read -r -t 30 line <&"${server[0]}"
[[ ${line:-} == ready ]] || bail "server ready: ${line:-nothing}"

# Calls in batches of 10 until both loss-driven events showed (at most 100):
# a lost request is retransmitted; a lost reply is resent from history.
size=200
calls=0
while ((calls < 100)); do
	ip netns exec "$cli" python3 "$tmp/eorpc.py" call 10.79.0.1 4600 \
		"$calls" 10 "$size" || bail "calls over the lossy link"
	calls=$((calls + 10))
	grep -q 'eorpc_retransmit:' "$inst/trace" &&
		grep -q 'eorpc_history_hit:' "$inst/trace" && break
done
echo 0 >"$inst/tracing_on"
cp "$inst/trace" "$tmp/trace"
echo "# $calls calls; events: $(grep -o 'eorpc_[a-z_]*:' "$tmp/trace" | sort | uniq -c | tr -s ' \n' ' ')"

# Field checks, one per event kind. Every packet event names the peer and a
# type; ids and lengths must be those of the calls made.
fields_ok() { # EVENT TYPE PEER: the EVENT lines of packets of TYPE
	awk -v ev="$1:" -v type="type=($2) " -v peer="peer=$3 " -v size="$size" \
		-v calls="$calls" '
	$0 ~ ev && $0 ~ type {
		seen++
		b = 0
		if ($0 !~ peer) b++
		if (!match($0, /session=[0-9a-f]+/) ||
		    substr($0, RSTART + 8, RLENGTH - 8) ~ /^0+$/) b++
		match($0, / id=[0-9]+/)
		id = substr($0, RSTART + 4, RLENGTH - 4) + 0
		if (id < 1 || id > calls + 1) b++
		if ($0 !~ " len=" size "$") b++
		if (b && !bad) print "# first bad:" $0
		bad += b > 0
	}
	END {
		if (bad || !seen)
			printf "# %s %s: %d events, %d with bad fields\n", ev, type, seen, bad
		exit !(seen && !bad)
	}' "$tmp/trace"
}
server_peer='10\.79\.0\.1:4600'
client_peer='10\.79\.0\.2:[0-9]+'
check "eorpc_tx: client REQUESTs to the server with their ids and length" \
	fields_ok eorpc_tx REQUEST "$server_peer"
check "eorpc_rx: REPLYs from the server with the calls' ids and length" \
	fields_ok eorpc_rx REPLY "$server_peer"
check "eorpc_retransmit: REQUESTs again to the server, ids of calls made" \
	fields_ok eorpc_retransmit REQUEST "$server_peer"
check "eorpc_history_hit: a duplicate REQUEST from the client answered from history" \
	fields_ok eorpc_history_hit 'REQUEST|REPLY' "$client_peer"
# A retransmitted id was first sent normally, before its retransmission.
order_ok() {
	awk '/eorpc_tx:.*type=REQUEST/ { match($0, / id=[0-9]+/); sent[substr($0, RSTART + 4, RLENGTH - 4)] = 1 }
	     /eorpc_retransmit:/ { match($0, / id=[0-9]+/); if (!sent[substr($0, RSTART + 4, RLENGTH - 4)]) bad++ }
	     END { exit bad > 0 }' "$tmp/trace"
}
check "every retransmitted id was transmitted first" order_ok
exit $((failed > 0))
