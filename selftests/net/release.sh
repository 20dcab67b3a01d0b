#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# close() waits for no RCU grace period, in the guest (TAP). A grace period
# per close made closing an AF_EORPC socket cost ~16 ms (60 closes a second);
# the release is now deferred to RCU, as UDP's is. Timing close() would be a
# timed test; instead kprobes count synchronize_rcu() and
# synchronize_rcu_expedited() entered by the closing process itself:
#  1. closing AF_PACKET sockets (packet_release() waits for a grace period
#     each) shows the probes count;
#  2. closing bound AF_EORPC sockets, server and client, enters neither.
# The rate itself is in the benchmark (eorpc bench close).
set -u
ns=eorl-$$
tmp=$(mktemp -d /tmp/eorpc-release.XXXXXX)
tracefs=/sys/kernel/tracing
[[ -d $tracefs/instances ]] || tracefs=/sys/kernel/debug/tracing
inst=$tracefs/instances/eorpc-release-$$
group=eorpc_release_$$
sockets=200
packets=5
. "$(dirname "$0")/../lib/tap.sh"

planned=3

cleanup() {
	exec 2>/dev/null
	[[ -n ${closer:-} ]] && kill -9 "$closer" && wait "$closer"
	if [[ -d $inst ]]; then
		echo 0 >"$inst/events/$group/enable"
		rmdir "$inst"
	fi
	echo "-:$group/sync" >>"$tracefs/kprobe_events"
	echo "-:$group/sync_exp" >>"$tracefs/kprobe_events"
	ip netns del "$ns"
	rm -rf "$tmp"
}
trap cleanup EXIT

echo "1..$planned"
[[ -w $tracefs/kprobe_events ]] || bail "kprobe events in tracefs ($tracefs)"
ip netns add "$ns" && ip -n "$ns" link set lo up || bail "namespace $ns"

# Opens the sockets, then closes one kind per line read from stdin,
# answering each with "closed"; exits at EOF.
cat >"$tmp/closer.py" <<'EOF'
import ctypes, socket, struct, sys

libc = ctypes.CDLL(None, use_errno=True)
AF = int(open("/sys/module/eorpc/parameters/family").read())


def eorpc_bound(port, listen):
    fd = libc.socket(AF, socket.SOCK_DGRAM, 0)
    a = (struct.pack("=HH", AF, socket.AF_INET) + struct.pack("!H", port)
         + bytes(6) + socket.inet_aton("127.0.0.1") + bytes(12))
    if fd < 0 or libc.bind(fd, a, len(a)) or (listen and libc.listen(fd, 0)):
        sys.exit("eorpc socket: errno %d" % ctypes.get_errno())
    return fd


count, packets = int(sys.argv[1]), int(sys.argv[2])
kinds = {
    "packet": [socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, 0).detach()
               for _ in range(packets)],
    # Half servers, half clients: both roles' release.
    "eorpc": [eorpc_bound(0, i % 2) for i in range(count)],
}
print("ready", flush=True)
for line in sys.stdin:
    for fd in kinds[line.strip()]:
        libc.close(fd)
    print("closed", flush=True)
EOF

{
	echo "p:$group/sync synchronize_rcu"
	echo "p:$group/sync_exp synchronize_rcu_expedited"
} >>"$tracefs/kprobe_events" || bail "kprobes on synchronize_rcu{,_expedited}"

refs0=$(cat /sys/module/eorpc/refcnt)
coproc closer_io { ip netns exec "$ns" python3 "$tmp/closer.py" "$sockets" "$packets" 2>&1; }
closer=$closer_io_PID
read -r line <&"${closer_io[0]}"
[[ $line == ready ]] || bail "$sockets AF_EORPC and $packets AF_PACKET sockets open ($line)"
pid=$(pgrep -f "python3 $tmp/closer.py" | head -1)
[[ -n $pid ]] || bail "closer's pid"

mkdir "$inst" || bail "tracefs instance"
for e in sync sync_exp; do
	echo "common_pid == $pid" >"$inst/events/$group/$e/filter"
done
echo 1 >"$inst/events/$group/enable"

# close_kind KIND: close them; print how many grace periods were waited for.
close_kind() {
	local reply
	echo >"$inst/trace"
	echo "$1" >&"${closer_io[1]}"
	read -r reply <&"${closer_io[0]}"
	[[ $reply == closed ]] || return 1
	grep -cE " (sync|sync_exp): " "$inst/trace"
}

waits=$(close_kind packet)
if [[ $waits -ge $packets ]]; then
	ok "the probes count: closing $packets AF_PACKET sockets waited $waits grace periods"
else
	not_ok "the probes count: closing $packets AF_PACKET sockets waited ${waits:-?} grace periods, want >= $packets"
fi
waits=$(close_kind eorpc)
if [[ $waits == 0 ]]; then
	ok "closing $sockets bound AF_EORPC sockets waited for no grace period"
else
	not_ok "closing $sockets bound AF_EORPC sockets waited ${waits:-?} grace periods, want 0"
fi

# Released a grace period later: each socket's module reference goes.
refcnt() { cat /sys/module/eorpc/refcnt; }
end=$((SECONDS + 10))
while ((SECONDS < end)) && [[ $(refcnt) != "$refs0" ]]; do
	sleep 0.1
done
if [[ $(refcnt) == "$refs0" ]]; then
	ok "every closed socket was released (module references back to $refs0)"
else
	not_ok "every closed socket was released (module references $(refcnt), want $refs0)"
fi
exit $((failed > 0))
