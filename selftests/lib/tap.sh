# SPDX-License-Identifier: GPL-2.0
#
# TAP for the shell test scripts, sourced (not run):
#   . "$(dirname "$0")/../lib/tap.sh"
#
#   ok NAME                       a passed test
#   not_ok NAME [DIAGNOSTIC]      a failed one, with a "# " line after it
#   result STATUS NAME [DIAG]     passed if STATUS is 0 (e.g. result $? NAME)
#   check NAME CMD...             passed if CMD succeeds
#   bail REASON                   fails REASON and every test left in
#                                 $planned, then exits 1
#   diag                          a filter: its input as "# " lines
#
# $n counts the tests so far, $failed the failed ones; a script ends with
# `exit $((failed > 0))`. The plan line ("1..N") is the script's own.
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n $*"; }
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n $1"
	[[ -n ${2:-} ]] && echo "# $2"
	return 0
}
result() { if [[ $1 == 0 ]]; then ok "$2"; else not_ok "$2" "${3:-}"; fi; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
bail() {
	not_ok "$1"
	while ((n < ${planned:-0})); do not_ok "not reached"; done
	exit 1
}
diag() { sed 's/^/# /'; }
