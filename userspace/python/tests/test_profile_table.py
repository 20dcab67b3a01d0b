# SPDX-License-Identifier: LGPL-2.1-or-later
"""userspace/bench/profile-table (make profile's report): which layer a
call chain's samples count in, and the per-call arithmetic, on folded
chains written here."""
import contextlib
import io
import os
import tempfile
import unittest
import unittest.mock

import bench_script

pt = bench_script.load("profile-table")

# Two transports; 10 and 20 calls; chains root first, as the guest folds.
FOLDED = """=== run eorpc
  calls 10 (5/s, 0.00 MiB/s each way), lost 0, failed 0
=== folded eorpc
      4 eorpc;__libc_sendmsg;entry_SYSCALL_64_after_hwframe;do_syscall_64;__sys_sendmsg;eorpc_sendmsg;eorpc_xmit;do_softirq.part.0;net_rx_action;eorpc_receive;eorpc_server_input
      2 eorpc;__libc_sendmsg;entry_SYSCALL_64_after_hwframe;do_syscall_64;__sys_sendmsg;eorpc_sendmsg;eorpc_xmit
      1 eorpc;__libc_sendmsg;entry_SYSCALL_64_after_hwframe;do_syscall_64;__sys_sendmsg;eorpc_sendmsg;eorpc_xmit;do_softirq.part.0;net_rx_action;ip_rcv
      3 swapper;secondary_startup_64_no_verify;do_idle;native_safe_halt
      1 eorpc;main;bench_loop
=== run udp
  calls 20 (10/s, 0.00 MiB/s each way), lost 0, failed 0
=== folded udp
      2 eorpc;__libc_sendto;do_syscall_64;__sys_sendto;udp_sendmsg
      2 kworker/0:1;ret_from_fork;process_one_work;some_work
"""


class ProfileTable(unittest.TestCase):
    def setUp(self):
        fd, self.folded = tempfile.mkstemp()
        with os.fdopen(fd, "w") as f:
            f.write(FOLDED)
        fd, self.syms = tempfile.mkstemp()
        with os.fdopen(fd, "w") as f:
            f.write("eorpc_sendmsg\neorpc_xmit\neorpc_receive\n"
                    "eorpc_server_input.isra.0\n")

    def tearDown(self):
        os.unlink(self.folded)
        os.unlink(self.syms)

    def test_the_innermost_layer_counts(self):
        table = pt.per_call(pt.load(self.folded))
        e = table["eorpc"]["layers"]
        # 500 us per sample over 10 calls: 50 us per call and sample.
        self.assertEqual(e["network receive, transport"], 200)
        self.assertEqual(e["network receive, IP and device"], 50)
        self.assertEqual(e["send system calls"], 100)
        self.assertEqual(e["idle"], 150)
        self.assertEqual(e["user space"], 50)
        self.assertEqual(table["eorpc"]["total"], 550)

    def test_calls_divide_each_transport_alone(self):
        table = pt.per_call(pt.load(self.folded))
        u = table["udp"]["layers"]
        self.assertEqual(table["udp"]["calls"], 20)
        self.assertEqual(u["send system calls"], 50)
        self.assertEqual(u["work items"], 50)
        # Callees included: the frames of every chain below the function.
        self.assertEqual(table["eorpc"]["funcs"]["eorpc_xmit"], 350)

    def test_report_lists_the_module_functions_only(self):
        out = io.StringIO()
        argv = ["profile-table", "--top", "5", "--module-syms", self.syms,
                self.folded]
        with contextlib.redirect_stdout(out), \
                unittest.mock.patch("sys.argv", argv):
            self.assertEqual(pt.main(), 0)
        text = out.getvalue()
        mod = text.split("The module's functions")[1].split("\n\n")[0]
        self.assertIn("eorpc_xmit", mod)
        self.assertIn("eorpc_server_input", mod)
        self.assertNotIn("net_rx_action", mod)
        self.assertIn("total (busy and idle)", text)


if __name__ == "__main__":
    unittest.main()
