# shellcheck shell=bash
# What make bench (run) and make profile (profile) both set up in the
# guest: two network namespaces joined by a veth pair, and eorpc bench
# servers in the first. Sourced; $tool is the eorpc program.

# bench_net_up SRV CLI ADDR...: namespace SRV (10.78.0.1 on veth0) and CLI
# (each ADDR on veth1), loopback and veth up.
bench_net_up() {
	local srv=$1 cli=$2 a m
	shift 2
	for m in veth sch_netem; do
		modprobe -q "$m" 2>/dev/null || true
	done
	ip netns add "$srv"
	ip netns add "$cli"
	ip -n "$srv" link add veth0 type veth peer name veth1 netns "$cli"
	ip -n "$srv" addr add 10.78.0.1/24 dev veth0
	for a in "$@"; do
		ip -n "$cli" addr add "$a/24" dev veth1
	done
	ip -n "$srv" link set lo up
	ip -n "$cli" link set lo up
	ip -n "$srv" link set veth0 up
	ip -n "$cli" link set veth1 up
}

# bench_servers_up SRV PORT TRANSPORT...: an eorpc bench server per
# TRANSPORT in SRV on 10.78.0.1, from PORT up, in the background; returns
# once each listens (it writes its ready file), fails if one does not.
bench_servers_up() {
	local srv=$1 port=$2 t
	shift 2
	for t in "$@"; do
		rm -f "/tmp/bench-ready.$t"
		# shellcheck disable=SC2154 # $tool: the sourcing script's
		ip netns exec "$srv" "$tool" bench server -t "$t" \
			-r "/tmp/bench-ready.$t" "10.78.0.1:$port" &
		port=$((port + 1))
	done
	for t in "$@"; do
		for _ in $(seq 200); do
			[[ -s /tmp/bench-ready.$t ]] && break
			sleep 0.05
		done
		[[ -s /tmp/bench-ready.$t ]] || { echo "bench: $t server did not start" >&2; return 1; }
	done
}
