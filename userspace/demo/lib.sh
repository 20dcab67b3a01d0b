# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Helpers shared by userspace/demo/run and selftests/net/examples.sh: two
# network namespaces joined by a veth pair with netem on both ends, and
# readers for the counters AF_EORPC keeps per namespace.
#
#   [ns $LINK_CLI] clients  veth1 ---- netem both ways ---- veth0  server [ns $LINK_SRV]
#                  $LINK_PREFIX.2                                 $LINK_PREFIX.1

# Create the link. $1: name prefix (unique per run), $2: IPv4 /24 prefix
# ("10.79.0"), $3: netem arguments for both directions ("" = none),
# $4: RTO sysctl assignments for both namespaces ("" = kernel defaults).
# Sets LINK_SRV, LINK_CLI, LINK_SRV_ADDR.
link_up() {
	local name=$1 prefix=$2 netem=$3 sysctls=$4 ns
	LINK_SRV=$name-srv
	LINK_CLI=$name-cli
	# shellcheck disable=SC2034 # for the caller
	LINK_SRV_ADDR=$prefix.1
	# Stock kernel: veth and netem are modules.
	modprobe -q veth 2>/dev/null || true
	modprobe -q sch_netem 2>/dev/null || true
	ip netns add "$LINK_SRV" && ip netns add "$LINK_CLI" &&
	ip -n "$LINK_SRV" link add veth0 type veth peer name veth1 netns "$LINK_CLI" &&
	ip -n "$LINK_SRV" addr add "$prefix.1/24" dev veth0 &&
	ip -n "$LINK_CLI" addr add "$prefix.2/24" dev veth1 || return 1
	for ns in "$LINK_SRV" "$LINK_CLI"; do
		ip -n "$ns" link set lo up || return 1
	done
	ip -n "$LINK_SRV" link set veth0 up && ip -n "$LINK_CLI" link set veth1 up ||
		return 1
	if [[ -n $sysctls ]]; then
		for ns in "$LINK_SRV" "$LINK_CLI"; do
			# shellcheck disable=SC2086 # a list of name=value words
			ip netns exec "$ns" sysctl -qw $sysctls || return 1
		done
	fi
	if [[ -n $netem ]]; then
		# shellcheck disable=SC2086 # netem's own argument words
		ip netns exec "$LINK_SRV" tc qdisc add dev veth0 root netem $netem &&
		ip netns exec "$LINK_CLI" tc qdisc add dev veth1 root netem $netem ||
			return 1
	fi
}

link_down() {
	[[ -n ${LINK_SRV:-} ]] && ip netns del "$LINK_SRV" 2>/dev/null
	[[ -n ${LINK_CLI:-} ]] && ip netns del "$LINK_CLI" 2>/dev/null
	return 0
}

# A counter of /proc/net/eorpc/stats in namespace $1 (0 if absent).
ns_stat() {
	ip netns exec "$1" awk -v k="$2" '$1 == k { v = $2 } END { print v + 0 }' \
		/proc/net/eorpc/stats
}

# Packets netem dropped and packets sent, both directions: "DROPPED SENT".
link_packets() {
	{
		ip netns exec "$LINK_SRV" tc -s qdisc show dev veth0
		ip netns exec "$LINK_CLI" tc -s qdisc show dev veth1
	} | awk '/^ Sent/ { sent += $4; d = $7; sub(",", "", d); drop += d }
		END { print drop + 0, sent + 0 }'
}

# Wait until file $1 has a line starting with $2; at most $3 seconds.
wait_for_line() {
	local i
	for ((i = 0; i < $3 * 20; i++)); do
		grep -q "^$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# Field $2 (key=value) of the "summary" line in file $1.
summary_field() {
	awk -v k="$2" '$1 == "summary" {
		for (i = 2; i <= NF; i++) if (index($i, k "=") == 1) v = substr($i, length(k) + 2)
	} END { print v }' "$1"
}
