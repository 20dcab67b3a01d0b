#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Wireshark dissector on real traffic, in the guest (selftests/net/
# run_all runs it; TAP on stdout): tcpdump captures a lossy run at the
# server's end of the link, then tshark decodes the capture with
# userspace/wireshark/eorpc.lua, by its UDP heuristic alone, and the
# fields are checked against what the client sent and the server answered.
#
#   [cli] eorpc_py_peer.py client -- netem -- server :4600  [srv]  10.82.0.0/24
#                                              not-server :4601 (bound, not listening)
#                                              nothing on :4602 (ICMP)
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=selftests/net/py_peer_env.sh
. "$here/py_peer_env.sh"
calls=30
# Calls 10 and 20 carry multi-fragment requests (3 and 2 fragments).
sizes="10=3000,20=1500"
netem="loss 10% duplicate 10% delay 1ms 1ms reorder 25% 50%"
rto="net.eorpc.rto_min_ms=10 net.eorpc.rto_initial_ms=100 net.eorpc.rto_max_ms=400"
echo "# netem both ways: $netem"

for t in tshark tcpdump; do
	command -v "$t" >/dev/null || { echo "1..0 # SKIP $t not installed (selftests/install-deps)"; exit 0; }
done

link_up "eows-$$" 10.82.0 "$netem" "$rto"
result $? "wireshark: a lossy veth link between two namespaces"
srv=$LINK_SRV cli=$LINK_CLI ip=$LINK_SRV_ADDR

# -U: each packet written as it comes, so the file is whole once it exits.
# -Z root: Debian's tcpdump would drop to its own user, which may not write
# in our private directory.
ip netns exec "$srv" tcpdump -i veth0 -U -n -Z root -w "$tmp/cap.pcap" \
	'udp or icmp' 2>"$tmp/tcpdump.err" &
tcpdump_pid=$!
pids+=("$tcpdump_pid")
wait_for_line "$tmp/tcpdump.err" "tcpdump: listening on" 30
result $? "wireshark: tcpdump captures on the server's veth" "$(cat "$tmp/tcpdump.err")"

ip netns exec "$srv" python3 "$here/eorpc_py_peer.py" server "$ip:4600" \
	"$tmp/executed" --not-server "$ip:4601" >"$tmp/server.out" 2>&1 &
pids+=($!)
wait_for_line "$tmp/server.out" listening 60
result $? "wireshark: the Python server listens" "$(cat "$tmp/server.out")"

ip netns exec "$cli" python3 "$here/eorpc_py_peer.py" client "$ip:4600" \
	"$tmp/calls.json" "$calls" "$sizes" 2>"$tmp/client.err"
result $? "wireshark: $calls calls across the lossy link" "$(cat "$tmp/client.err")"
ip netns exec "$cli" python3 "$here/eorpc_py_peer.py" call "$ip:4601" x 30000 \
	>"$tmp/notserver.json" 2>&1
ip netns exec "$cli" python3 "$here/eorpc_py_peer.py" call "$ip:4602" x 30000 \
	>"$tmp/noone.json" 2>&1

# tcpdump stops at SIGINT without reading what the kernel still holds for
# it: wait until the last packet of the test, the ICMP answer to the HELLO
# for :4602, is in the file.
end=$((SECONDS + 60))
until tcpdump -r "$tmp/cap.pcap" -n icmp 2>/dev/null | grep -q unreachable ||
	((SECONDS > end)); do
	sleep 0.5
done
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid"
result $? "wireshark: tcpdump wrote the capture" "$(cat "$tmp/tcpdump.err")"
pids=("${pids[@]:1}")

TAP_N=$n python3 - "$tmp" "$calls" "$repo/selftests/wireshark" <<'EOF'
import json, os, sys
sys.path.insert(0, sys.argv[3])
import eorpc_tshark as T
from eorpc_py_peer import answer

tmp, n = sys.argv[1], int(sys.argv[2])
tap = T.Tap("wireshark")
tap.n = int(os.environ["TAP_N"])  # after the shell's results
calls = json.load(open(os.path.join(tmp, "calls.json")))
ns = json.load(open(os.path.join(tmp, "notserver.json")))
no = json.load(open(os.path.join(tmp, "noone.json")))
tap.result(all(c[2] == 0 and bytes.fromhex(c[1]) == answer(bytes.fromhex(c[0]))
               for c in calls), "every call got its reply", calls)
tap.result(ns["errno"] == 111 and ns["may_have_executed"] is False and
           no["errno"] == 111, "calls to :4601 (not listening) and :4602 "
           "(nothing) end ECONNREFUSED, not executed", (ns, no))

pkts = T.decode(os.path.join(tmp, "cap.pcap"))
ports = {"4600", "4601", "4602"}
udp = [p for p in pkts if "icmp" not in p.protos and "udp" in p.protos and
       ports & set(p.all("udp.port"))]
icmp = [p for p in pkts if "icmp" in p.protos]
print("# %d frames: %d UDP of the test's ports, %d ICMP" %
      (len(pkts), len(udp), len(icmp)))
missed = [p.get("frame.number") for p in udp if "eorpc" not in p.protos]
tap.result(len(udp) > 2 * n and not missed, "every UDP datagram of the "
           "test's ports decoded as eorpc by the heuristic", missed)
bad = [(p.get("frame.number"), p.errors()) for p in pkts
       if p.errors() or p.malformed]
tap.result(not bad, "no malformed packet, no expert error", bad)

def eo(p, f):
    return p.get("eorpc." + f)

def typ(p):
    return (p.showname("eorpc.type") or "").split(": ")[-1].split(" ")[0]

to_srv = [p for p in udp if p.get("udp.dstport") == "4600"]
from_srv = [p for p in udp if p.get("udp.srcport") == "4600"]
reqs = [p for p in to_srv if typ(p) == "REQUEST"]
ids = sorted({int(eo(p, "request_id")) for p in reqs})
tap.result(ids == list(range(1, n + 1)), "the REQUESTs' ids are the "
           "client's, 1..%d" % n, ids)
sess = {(eo(p, "client_epoch"), eo(p, "session_id")) for p in reqs}
tap.result(len(sess) == 1, "one session: one client epoch and session id",
           sess)
retrans = [p for p in to_srv if eo(p, "flags.retrans") == "1"]
print("# %d retransmitted datagrams from the client" % len(retrans))
tap.result(len(retrans) > 0, "the loss shows: retransmissions flagged")

wrong, seen = [], set()
for p in from_srv:
    if typ(p) != "REPLY":
        continue
    k = int(eo(p, "request_id"))
    want = answer(bytes.fromhex(calls[k - 1][0]))
    seen.add(k)
    if p.raw("eorpc.data") != want or int(eo(p, "msg_len")) != len(want):
        wrong.append((k, p.raw("eorpc.data"), want))
tap.result(seen and not wrong, "each REPLY's payload is the reply to the "
           "request of its id (%d ids seen)" % len(seen), wrong)

for k, size, nf in ((10, 3000, 3), (20, 1500, 2)):
    frags = [p for p in reqs if eo(p, "request_id") == str(k)]
    body = bytes.fromhex(calls[k - 1][0])
    whole = [p.raw("eorpc.reassembled.data") for p in frags
             if p.raw("eorpc.reassembled.data")]
    tap.result(frags and all(eo(p, "msg_len") == str(size) and
                             eo(p, "frag_count") == str(nf) for p in frags) and
               {eo(p, "frag") for p in frags} == {str(i) for i in range(nf)},
               "request %d: msg_len %d, %d fragments, each seen" % (k, size, nf),
               [(eo(p, "frag"), eo(p, "msg_len")) for p in frags])
    tap.result(len(whole) >= 1 and all(w == body for w in whole),
               "request %d reassembled to the %d bytes sent" % (k, size),
               [len(w) for w in whole])

wel = [p for p in from_srv if typ(p) == "WELCOME"]
tap.result(wel and all(eo(p, "welcome.window") == "32" and
                       eo(p, "welcome.session_timeout_ms") == "120000"
                       for p in wel),
           "WELCOME: window 32, session timeout 120000 ms (the sysctls)",
           [(eo(p, "welcome.window"), eo(p, "welcome.session_timeout_ms"))
            for p in wel])
errs = [p for p in udp if p.get("udp.srcport") == "4601" and typ(p) == "ERROR"]
tap.result(errs and all("NOT_SERVER" in (p.showname("eorpc.code") or "")
                        for p in errs),
           "the bound, non-listening socket's ERROR decodes as NOT_SERVER",
           [p.showname("eorpc.code") for p in errs])
quoted = [p for p in icmp if "eorpc" in p.protos and typ(p) == "HELLO" and
          "4602" in p.all("udp.dstport")]
tap.result(len(quoted) > 0, "ICMP port unreachable quoting a HELLO to "
           ":4602, the quote decoded as eorpc")
sys.exit(tap.done())
EOF
py=$?
# The Python part printed its own TAP lines and plan, numbered after ours.
exit $(((failed > 0) || (py != 0)))
