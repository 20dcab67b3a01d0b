#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Proof that the harness can fail: plant one known bug at a time in a copy of
# kmod/wire.c and require the fuzzer to report it within SECONDS. A mutant
# that survives means a property is missing. TAP at column 0.
#
#   mutants.sh KMOD_DIR OUT_DIR SECONDS MAKE_ARGS...
set -uo pipefail

kmod=$(realpath "$1") out=$(realpath "$2") secs=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)

# Pairs: what the bug is, the sed expression that plants it in wire.c (it
# must change the file).
mutants=(
	"reserved field not checked"
	"s/if (hdr.reserved || /if (/"
	"last fragment index off by one"
	"s/pkt->frag >= eorpc_nfrags/pkt->frag > eorpc_nfrags/"
	"header read before the length check"
	"s/if (len < EORPC_WIRE_HDR_LEN)/if (len < 1)/"
	"data length off by one"
	"s/data_len = len - EORPC_WIRE_HDR_LEN;/&data_len++;/"
	"ERROR code above the last reason accepted"
	"s/pkt->code > EORPC_WERR_MAX/& + 1/"
	"encoder drops the ack"
	"/hdr->ack = cpu_to_be64/d"
	"oversized message accepted"
	"s/pkt->msg_len > EORPC_WIRE_MAX_MSG/pkt->msg_len > 2 * EORPC_WIRE_MAX_MSG/"
	"CLOSE accepted on any type"
	"s/(pkt->flags \\& EORPC_F_CLOSE) \\&\\& pkt->type != EORPC_PKT_ACK/0/"
	"ACK_NOW accepted on any type"
	"s/(pkt->flags \\& EORPC_F_ACK_NOW) \\&\\& !type_has_message(pkt->type)/0/"
	"frag truncated to a byte"
	"s/pkt->frag = be16_to_cpu/pkt->frag = (u8)be16_to_cpu/"
	"NEED of any length accepted"
	"s/data_len != eorpc_need_len(pkt->msg_len)/0/"
	"NEED about a single fragment accepted"
	"s/pkt->msg_len <= EORPC_FRAG_DATA ||/pkt->msg_len == 0 ||/"
)

n=0
failed=0
for ((i = 0; i < ${#mutants[@]}; i += 2)); do
	name=${mutants[i]} expr=${mutants[i + 1]}
	n=$((n + 1))
	dir=$out/mutants/$n
	rm -rf "$dir"
	mkdir -p "$dir/kmod" "$dir/crashes" "$dir/corpus"
	cp "$kmod"/wire.c "$kmod"/wire.h "$kmod"/wire_env.h "$dir/kmod/"
	sed -i "$expr" "$dir/kmod/wire.c"
	if cmp -s "$kmod/wire.c" "$dir/kmod/wire.c"; then
		echo "not ok $n - fuzz mutant: $name # the mutation no longer applies"
		failed=1
		continue
	fi
	if ! make -s -C "$here" "$@" KMOD="$dir/kmod" BUILD="$dir/build" \
		"$dir/build/fuzz/fuzz_wire" >"$dir/build.log" 2>&1; then
		echo "not ok $n - fuzz mutant: $name # does not build"
		failed=1
		continue
	fi
	"$dir/build/fuzz/fuzz_wire" -max_total_time="$secs" -max_len=2048 \
		-artifact_prefix="$dir/crashes/" "$dir/corpus" "$here/corpus" \
		>"$dir/fuzz.log" 2>&1
	why=$(grep -m1 -oE 'property failed: .*|AddressSanitizer: [a-z-]+|runtime error: .{0,60}' \
		"$dir/fuzz.log")
	if [[ -n $(ls "$dir/crashes") ]]; then
		echo "ok $n - fuzz mutant: $name: caught (${why:-crash})"
	else
		echo "not ok $n - fuzz mutant: $name: survived $secs s"
		failed=1
	fi
done
echo "1..$n"
exit $failed
