#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Which share of kmod/wire.c the seeds and the work corpus reach: replays
# them through a clang source-coverage build and prints llvm-cov's totals.
#
#   coverage.sh REPLAY_COV WIRE_C OUT_DIR LLVM_PROFDATA LLVM_COV DIR...
set -uo pipefail

bin=$1 src=$2 out=$3 profdata=$4 llvmcov=$5
shift 5
prof=$out/cov

# Coverage is a report, not a verdict: without llvm's tools, say so and go on.
for tool in "$profdata" "$llvmcov"; do
	if ! command -v "$tool" >/dev/null; then
		echo "fuzz: coverage of $(basename "$src"): $tool not installed (package llvm)"
		exit 0
	fi
done
rm -rf "$prof"
mkdir -p "$prof"

# The work corpus can hold thousands of files: xargs batches them; the
# verdicts themselves were checked by the fuzzer and `replay`.
find "$@" -type f -print0 2>/dev/null |
	LLVM_PROFILE_FILE="$prof/%p.profraw" xargs -0 -r "$bin" >/dev/null
"$profdata" merge -sparse -o "$prof/all.profdata" "$prof"/*.profraw || exit 1
# TOTAL line: regions, missed, %, functions, missed, %, lines, missed, %,
# branches, missed, %.
"$llvmcov" report "$bin" -instr-profile="$prof/all.profdata" "$src" |
	awk -v f="$(basename "$src")" '$1 == "TOTAL" {
		printf "fuzz: coverage of %s: lines %s, branches %s, regions %s\n",
		       f, $10, $13, $4 }'
