# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Helpers shared by userspace/demo/run and selftests/net/examples.sh: two
# network namespaces joined by a veth pair with netem on both ends, readers
# for the counters AF_EORPC keeps per namespace, and for the examples'
# "summary" lines.
#
#   [ns $LINK_CLI] clients  veth1 ---- netem both ways ---- veth0  server [ns $LINK_SRV]
#                  PREFIX.2                                        PREFIX.1
#
# Under qemu TCG with the root filesystem on 9p, starting a program costs
# tens of milliseconds or more (far more on a busy host), so these helpers
# batch ip commands and parse text with bash itself rather than awk.

LINK_NAMESPACES=()

# Create a link. $1: name prefix (unique per run), $2: IPv4 /24 prefix
# ("10.79.0"), $3: netem arguments for both directions ("" = none),
# $4: sysctl assignments for both namespaces ("" = none).
# Sets LINK_SRV, LINK_CLI (the namespaces) and LINK_SRV_ADDR; link_down
# removes every link made.
link_up() {
	local name=$1 prefix=$2 netem=$3 sysctls=$4 ns m
	LINK_SRV=$name-srv
	LINK_CLI=$name-cli
	# shellcheck disable=SC2034 # for the caller
	LINK_SRV_ADDR=$prefix.1
	LINK_NAMESPACES+=("$LINK_SRV" "$LINK_CLI")
	# Stock kernel: veth and netem are modules.
	for m in veth sch_netem; do
		[[ -d /sys/module/$m ]] || modprobe -q "$m" 2>/dev/null
	done
	printf 'netns add %s\nnetns add %s\n' "$LINK_SRV" "$LINK_CLI" | ip -batch - &&
	ip -n "$LINK_SRV" -batch - <<-EOF &&
		link add veth0 type veth peer name veth1 netns $LINK_CLI
		addr add $prefix.1/24 dev veth0
		link set veth0 up
		link set lo up
	EOF
	ip -n "$LINK_CLI" -batch - <<-EOF || return 1
		addr add $prefix.2/24 dev veth1
		link set veth1 up
		link set lo up
	EOF
	if [[ -n $sysctls ]]; then
		for ns in "$LINK_SRV" "$LINK_CLI"; do
			# shellcheck disable=SC2086 # a list of name=value words
			ip netns exec "$ns" sysctl -qw $sysctls || return 1
		done
	fi
	if [[ -n $netem ]]; then
		# shellcheck disable=SC2086 # netem's own argument words
		tc -n "$LINK_SRV" qdisc add dev veth0 root netem $netem &&
		tc -n "$LINK_CLI" qdisc add dev veth1 root netem $netem ||
			return 1
	fi
}

link_down() {
	local ns
	for ns in "${LINK_NAMESPACES[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	LINK_NAMESPACES=()
	return 0
}

# ns_stats NS: the text of /proc/net/eorpc/stats in namespace NS.
ns_stats() {
	ip netns exec "$1" cat /proc/net/eorpc/stats
}

# stat_in TEXT NAME: counter NAME of a ns_stats text (0 if absent).
stat_in() {
	local k v
	while read -r k v; do
		[[ $k == "$2" ]] && { echo "$v"; return; }
	done <<<"$1"
	echo 0
}

# link_packets SRV_NS CLI_NS: packets netem dropped and packets it sent,
# both directions, as "DROPPED SENT".
link_packets() {
	local drop=0 sent=0 w
	while read -r -a w; do
		# " Sent 1234 bytes 56 pkt (dropped 7, overlimits 0 requeues 0)"
		[[ ${w[0]:-} == Sent ]] || continue
		sent=$((sent + w[3]))
		drop=$((drop + ${w[6]%,}))
	done < <(tc -n "$1" -s qdisc show dev veth0; tc -n "$2" -s qdisc show dev veth1)
	echo "$drop $sent"
}

# wait_for_line FILE PREFIX SECONDS: wait until FILE has a line starting
# with PREFIX (a server's "listening"), polling, for at most SECONDS.
wait_for_line() {
	local i line
	for ((i = 0; i < $3 * 20; i++)); do
		if [[ -f $1 ]]; then
			while read -r line; do
				[[ $line == "$2"* ]] && return 0
			done <"$1"
		fi
		sleep 0.05
	done
	return 1
}

# summary_field FILE KEY: field KEY (key=value) of the "summary" line in
# FILE; empty and status 1 if there is none.
summary_field() {
	local line w
	while read -r line; do
		[[ $line == "summary "* ]] || continue
		for w in $line; do
			[[ $w == "$2="* ]] && { echo "${w#*=}"; return 0; }
		done
	done <"$1" 2>/dev/null
	return 1
}

# check_tokens FILE CLIENTS SUMMARY_PATTERN: the value of the key-value
# store's "shared" key (FILE) against the clients' summaries (a printf
# pattern of their files, given the client number): every token once, each
# client's tokens as many as its shared_appends and in its order. Prints
# one line per problem; sets TOKENS (tokens seen) and TOKEN_DOUBLES.
check_tokens() {
	local file=$1 clients=$2 pattern=$3 value tok c s i want
	local -A seen=() count=() last=()
	TOKENS=0 TOKEN_DOUBLES=0
	value=$(<"$file")
	IFS=';' read -r -a toks <<<"$value"
	for tok in "${toks[@]}"; do
		[[ -n $tok ]] || continue
		TOKENS=$((TOKENS + 1))
		if [[ -n ${seen[$tok]:-} ]]; then
			TOKEN_DOUBLES=$((TOKEN_DOUBLES + 1))
			echo "token $tok appears twice"
		fi
		seen[$tok]=1
		# aC.S: client C's call S
		if [[ $tok =~ ^a([0-9]+)\.([0-9]+)$ ]]; then
			c=${BASH_REMATCH[1]} s=${BASH_REMATCH[2]}
			count[$c]=$((${count[$c]:-0} + 1))
			if ((s <= ${last[$c]:--1})); then
				echo "client $c's token $tok comes after its call ${last[$c]}"
			fi
			last[$c]=$s
		else
			echo "'$tok' is not an Append token"
		fi
	done
	for ((i = 0; i < clients; i++)); do
		# shellcheck disable=SC2059 # the pattern is the caller's format
		want=$(summary_field "$(printf "$pattern" "$i")" shared_appends)
		[[ ${count[$i]:-0} == "${want:-x}" ]] ||
			echo "client $i appended ${want:-?} tokens, 'shared' holds ${count[$i]:-0}"
	done
}
