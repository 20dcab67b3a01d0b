# SPDX-License-Identifier: GPL-2.0
# Sourced by the guest scripts that drive eorpc_py_peer.py (python.sh,
# wireshark.sh) after they set $here and $repo: the demo's link helpers,
# TAP, a scratch directory and the processes to stop on exit, and the
# Python module and library of this tree.
# shellcheck shell=bash
. "$repo/userspace/demo/lib.sh"
. "$here/../lib/tap.sh"
tmp=$(mktemp -d /tmp/eorpc-peer.XXXXXX)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	link_down
	rm -rf "$tmp"
}
trap cleanup EXIT

export PYTHONPATH=$repo/userspace/python:$here
export EORPC_LIBRARY=$repo/userspace/build/libeorpc.so.0
