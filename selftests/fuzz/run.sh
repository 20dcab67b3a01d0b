#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fuzz the decoder for a set time and say what happened: executions, corpus
# size, coverage (libFuzzer's cov/ft), crashes. Exit 1 on any crash.
#
#   run.sh FUZZER SEEDS_DIR OUT_DIR SECONDS
#
# New inputs go to OUT_DIR/corpus (kept across runs, so each run starts where
# the last stopped); crashes to OUT_DIR/crashes.
set -uo pipefail

fuzzer=$1 seeds=$2 out=$3 secs=$4
log=$out/run.log
mkdir -p "$out/corpus" "$out/crashes"

crashes() { find "$out/crashes" -type f \( -name 'crash-*' -o -name 'leak-*' \
	-o -name 'timeout-*' -o -name 'oom-*' \) | sort; }
before=$(crashes)

echo "fuzz: $secs s, corpus $out/corpus + $seeds, log $log"
# -max_len: the largest valid datagram is 1400 bytes; a little past it.
"$fuzzer" -max_total_time="$secs" -max_len=2048 -timeout=10 \
	-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/crashes/" \
	"$out/corpus" "$seeds" >"$log" 2>&1
rc=$?
# Progress lines at powers of two, and any report, from the log.
grep -E '^#[0-9]+[[:space:]]+(INITED|pulse|DONE)|ERROR|runtime error|property failed' \
	"$log" | tail -25

new=$(comm -13 <(echo "$before") <(crashes) | grep -c . || true)
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
last=$(grep -E '^#[0-9]+[[:space:]]' "$log" | tail -1)
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
corp=$(sed -n 's/.* corp: \([^ ]*\).*/\1/p' <<<"$last")

echo "fuzz: executions ${execs:-?} in $secs s"
files=$(find "$out/corpus" -type f | wc -l)
nseeds=$(find "$seeds" -type f | wc -l)
echo "fuzz: corpus ${corp:-?} (units/bytes in memory);" \
     "$files files in $out/corpus, $nseeds seeds"
echo "fuzz: coverage cov ${cov:-?} edges, ft ${ft:-?} features"
echo "fuzz: crashes $new new ($(crashes | wc -l) in $out/crashes)"
if [[ $rc != 0 || $new != 0 ]]; then
	echo "fuzz: FAILED (libFuzzer exit $rc): see $log; replay an input with" \
	     "$fuzzer FILE" >&2
	exit 1
fi
