# SPDX-License-Identifier: LGPL-2.1-or-later
"""userspace/bench/latency-table (make latency's report): which task is
the short client, where its calls start and end, each call's milestones
and who held the CPU meanwhile, on an ftrace text written here."""
import io
import unittest

import bench_script

lt = bench_script.load("latency-table")


def line(comm, pid, ts, event, rest):
    return "%16s-%-5d [000] ..... %12.6f: %s: %s" % (comm, pid, ts, event,
                                                     rest)


def pkt(kind, rid, length, flags="0x0"):
    return ("peer=10.78.0.1:4300 type=%s flags=%s code=0 session=0 id=%d "
            "ack=0 frag=0 len=%d" % (kind, flags, rid, length))


def switch(prev, prev_pid, nxt, nxt_pid):
    return ("prev_comm=%s prev_pid=%d prev_prio=120 prev_state=S ==> "
            "next_comm=%s next_pid=%d next_prio=120" % (prev, prev_pid, nxt,
                                                         nxt_pid))


# Short client pid 20, server thread 30, a kworker 40. Call 1 is quick;
# call 2 waits 5 ms for a work item before the server runs; call 3 only
# starts, so it is no call (no end). A 1 MiB request of pid 50 (another
# id space) and a retransmission of call 2 do not count.
TRACE = "\n".join([
    "# tracer: nop",
    line("eorpc", 20, 1.000000, "eorpc_tx", pkt("REQUEST", 1, 64)),
    line("eorpc", 20, 1.000010, "eorpc_rx", pkt("REQUEST", 1, 64)),
    line("eorpc", 20, 1.000020, "sched_switch", switch("eorpc", 20, "eorpc", 30)),
    line("eorpc", 30, 1.000050, "eorpc_tx", pkt("REPLY", 1, 64)),
    line("eorpc", 30, 1.000060, "eorpc_rx", pkt("REPLY", 1, 64)),
    line("eorpc", 30, 1.000070, "sched_wakeup", "comm=eorpc pid=20 prio=120 target_cpu=000"),
    line("eorpc", 30, 1.000080, "sched_switch", switch("eorpc", 30, "eorpc", 20)),
    line("eorpc", 20, 1.000100, "eorpc_tx", pkt("REQUEST", 2, 64)),
    line("eorpc", 20, 1.000110, "eorpc_rx", pkt("REQUEST", 2, 64)),
    line("eorpc", 50, 1.000115, "eorpc_tx", pkt("REQUEST", 2, 1048576)),
    line("eorpc", 20, 1.000120, "sched_switch", switch("eorpc", 20, "kworker/0:1", 40)),
    line("kworker/0:1", 40, 1.000130, "workqueue_execute_start",
         "work struct 00000000aa: function eorpc_work [eorpc]"),
    line("kworker/0:1", 40, 1.003000, "eorpc_tx", pkt("REQUEST", 2, 64, "0x1")),
    line("kworker/0:1", 40, 1.005130, "workqueue_execute_end",
         "work struct 00000000aa: function eorpc_work [eorpc]"),
    line("kworker/0:1", 40, 1.005140, "sched_switch", switch("kworker/0:1", 40, "eorpc", 30)),
    line("eorpc", 30, 1.005200, "eorpc_tx", pkt("REPLY", 2, 64)),
    line("eorpc", 30, 1.005210, "eorpc_rx", pkt("REPLY", 2, 64)),
    line("eorpc", 30, 1.005220, "sched_wakeup", "comm=eorpc pid=20 prio=120 target_cpu=000"),
    line("eorpc", 30, 1.005300, "sched_switch", switch("eorpc", 30, "eorpc", 20)),
    line("eorpc", 20, 1.005400, "eorpc_tx", pkt("REQUEST", 3, 64)),
]).splitlines()


class LatencyTable(unittest.TestCase):
    def setUp(self):
        self.events = lt.parse(TRACE)

    def test_short_client_and_its_calls(self):
        self.assertEqual(lt.short_client(self.events, 64), 20)
        calls = lt.calls(self.events, 64, 20)
        self.assertEqual([rid for _, _, rid in calls], ["1", "2"])
        spans = [round(self.events[b].t - self.events[a].t)
                 for a, b, _ in calls]
        self.assertEqual(spans, [100, 5300])

    def test_milestones_of_the_slow_call(self):
        a, b, rid = lt.calls(self.events, 64, 20)[1]
        m = lt.milestones(self.events, a, b, 64, 20, rid)
        self.assertEqual({k: round(v) for k, v in m.items()}, {
            "request at server": 10, "reply sent": 5100,
            "reply at client": 5110, "client woken": 5120,
            "client running": 5200})

    def test_who_held_the_cpu(self):
        a, b, _ = lt.calls(self.events, 64, 20)[1]
        held = lt.holders(self.events, a, b)
        self.assertEqual(round(held["work eorpc_work"]), 5000)
        self.assertEqual(round(held["eorpc-30"]), 160)
        self.assertEqual(round(held["eorpc-20"]), 120)
        self.assertEqual(round(held["kworker/0:1-40"]), 20)
        self.assertAlmostEqual(sum(held.values()), 5300, places=3)

    def test_report_orders_slowest_first(self):
        out = io.StringIO()
        self.assertEqual(lt.report(self.events, 64, 1, out), 0)
        text = out.getvalue()
        self.assertIn("2 calls of 64 B, P50 5300 us, P99 5300 us, "
                      "max 5300 us", text)
        self.assertIn("call id 2: 5300 us", text)
        self.assertNotIn("call id 1:", text)

    def test_no_short_request(self):
        out = io.StringIO()
        self.assertEqual(lt.report(self.events, 1000, 1, out), 1)


if __name__ == "__main__":
    unittest.main()
