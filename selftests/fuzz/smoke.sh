#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The fuzzer's share of `make check`, about 30 s, TAP at column 0:
# the committed seeds are what the generator makes from today's wire.h, each
# seed gets the verdict its name states with every property holding (gcc
# ASan+UBSan build), then libFuzzer replays them and fuzzes for SECONDS.
#
#   smoke.sh OUT_DIR SEEDS_DIR SECONDS
set -uo pipefail

out=$1 seeds=$2 secs=$3
n=0
failed=0

tap() {	# tap STATUS NAME...
	local st=$1

	shift
	n=$((n + 1))
	if [[ $st == 0 ]]; then
		echo "ok $n - fuzz: $*"
	else
		echo "not ok $n - fuzz: $*"
		failed=1
	fi
}

fresh=$out/smoke/seeds
rm -rf "$out/smoke"
mkdir -p "$fresh" "$out/smoke/corpus" "$out/smoke/crashes"

"$out/gen_seeds" "$fresh" && diff -r "$seeds" "$fresh" >"$out/smoke/seeds.diff"
st=$?
[[ $st == 0 ]] || sed 's/^/# /' "$out/smoke/seeds.diff" | head -20
tap $st "committed seeds match the generator (else: make -C selftests/fuzz seeds)"

# One process for all seeds (ASan start-up is the slow part); a seed that
# breaks a property aborts it, and the seeds after it are not reported.
"$out/replay" "$seeds"/* >"$out/smoke/replay.out" 2>"$out/smoke/replay.err"
st=$?
while IFS= read -r line; do
	[[ $line == *", expected "* ]]
	tap $(($? == 0)) "seed $line"
done <"$out/smoke/replay.out"
if [[ $st != 0 && $st != 1 ]]; then
	sed 's/^/# /' "$out/smoke/replay.err" | head -30
	tap 1 "replay of the seeds ended with status $st"
fi

if [[ -x $out/fuzz_wire ]]; then
	"$out/fuzz_wire" -runs=0 "$seeds" >"$out/smoke/runs0.log" 2>&1
	st=$?
	[[ $st == 0 ]] || tail -20 "$out/smoke/runs0.log" | sed 's/^/# /'
	tap $st "libFuzzer build (ASan, UBSan, wrap checks) runs every seed"

	# A fresh corpus each time, so the smoke measures the same thing always.
	"$out/fuzz_wire" -max_total_time="$secs" -max_len=2048 -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$out/smoke/crashes/" \
		"$out/smoke/corpus" "$seeds" >"$out/smoke/fuzz.log" 2>&1
	st=$?
	[[ $st == 0 ]] || grep -A15 -E 'ERROR|runtime error|property failed' \
		"$out/smoke/fuzz.log" | head -30 | sed 's/^/# /'
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/smoke/fuzz.log")
	cov=$(grep -E '^#[0-9]+[[:space:]]' "$out/smoke/fuzz.log" | tail -1 |
	      sed -n 's/.*\(cov: [0-9]* ft: [0-9]*\).*/\1/p')
	tap $st "$secs s of fuzzing: no crash, no property broken" \
		"(${execs:-?} inputs, ${cov:-no coverage line})"
else
	tap 0 "libFuzzer runs the seeds # SKIP clang not installed"
	tap 0 "$secs s of fuzzing # SKIP clang not installed"
fi
echo "1..$n"
exit $failed
