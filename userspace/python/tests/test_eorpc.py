# SPDX-License-Identifier: LGPL-2.1-or-later
"""Unit tests of eorpc.py on the host, no kernel module: address parsing
through the real libeorpc (EORPC_LIBRARY, built by make -C userspace), and
the mapping of a call's errno to exceptions through a fake library that
plays libeorpc's functions (the C library's own fake, tests/fake.c, sits
behind a seam the shared library does not export)."""
import ctypes
import errno
import os
import sys
import unittest

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, ".."))
# The tree's library unless told otherwise (make -C userspace builds it).
os.environ.setdefault("EORPC_LIBRARY", os.path.join(
    here, "..", "..", "build", "libeorpc.so.0"))
import eorpc  # noqa: E402


class AddressTest(unittest.TestCase):
    def test_ipv4(self):
        a = eorpc.parse_address("127.0.0.1:4242")
        self.assertEqual((str(a), a.port, a.is_ipv6),
                         ("127.0.0.1:4242", 4242, False))

    def test_ipv6_and_scope(self):
        a = eorpc.parse_address("[2001:db8::1]:80")
        self.assertEqual((str(a), a.port, a.is_ipv6),
                         ("[2001:db8::1]:80", 80, True))
        self.assertEqual(str(eorpc.parse_address("[fe80::1%lo]:1")),
                         "[fe80::1%lo]:1")

    def test_tuple(self):
        self.assertEqual(str(eorpc.parse_address(("::1", 7))), "[::1]:7")
        self.assertEqual(str(eorpc.parse_address(("10.0.0.1", 0))),
                         "10.0.0.1:0")

    def test_port_range(self):
        self.assertEqual(eorpc.parse_address("1.2.3.4:65535").port, 65535)
        self.assertEqual(eorpc.parse_address("1.2.3.4:0").port, 0)

    def test_equality(self):
        self.assertEqual(eorpc.parse_address("[::1]:5"),
                         eorpc.parse_address(("::1", 5)))
        self.assertNotEqual(eorpc.parse_address("[::1]:5"),
                            eorpc.parse_address("[::1]:6"))

    def test_malformed(self):
        for text in ("1.2.3.4", "1.2.3.4:", "1.2.3.4:65536", "[1.2.3.4]:5",
                     "::1:80", "[::1]80", ":80", "1.2.3.4:8x", "127.1:80",
                     ""):
            with self.subTest(text=text):
                with self.assertRaises(eorpc.AddressError) as cm:
                    eorpc.parse_address(text)
                self.assertEqual(cm.exception.errno, errno.EINVAL)
                # Both an OSError and a ValueError: either handler works.
                self.assertIsInstance(cm.exception, ValueError)
                self.assertIsInstance(cm.exception, OSError)

    def test_unknown_interface(self):
        with self.assertRaises(eorpc.AddressError) as cm:
            eorpc.parse_address("[fe80::1%nosuchif0]:1")
        self.assertEqual(cm.exception.errno, errno.ENODEV)

    def test_type(self):
        with self.assertRaises(TypeError):
            eorpc.parse_address(4242)


class ClassifyTest(unittest.TestCase):
    def test_may_have_executed(self):
        for e in (errno.ETIMEDOUT, errno.ECANCELED, errno.ECONNRESET,
                  errno.ESTALE, errno.ESHUTDOWN, errno.EPROTO,
                  errno.EMSGSIZE):
            self.assertIs(eorpc.may_have_executed(e), True, e)
        for e in (errno.ECONNREFUSED, errno.ECONNABORTED):
            self.assertIs(eorpc.may_have_executed(e), False, e)
        self.assertIsNone(eorpc.may_have_executed(errno.ENOENT))

    def test_strerror(self):
        self.assertIn("may have executed", eorpc.strerror(errno.ETIMEDOUT))
        self.assertIn("certainly did not", eorpc.strerror(errno.ECONNREFUSED))


class FakeLib:
    """libeorpc's functions as eorpc.py calls them, failing on demand."""

    def __init__(self, real):
        self.real = real
        self.outcome = None       # (return value, errno, tag set?)
        self.reply = b""
        self.waits = []
        self.closed = []

    def __getattr__(self, name):  # addresses, classification: the real ones
        return getattr(self.real, name)

    def eorpc_client_open(self, flags):
        return 99

    def eorpc_close(self, fd):
        self.closed.append(fd)
        return 0

    def eorpc_call_tagged(self, fd, sa, req, n, reply, cap, timeout, tagp):
        ret, err, sent = self.outcome
        self.timeout = timeout
        tagp._obj.value = 0x8000000000000007 if sent else 0
        if ret < 0:
            ctypes.set_errno(err)
            return -1
        ctypes.memmove(reply, self.reply, len(self.reply))
        return len(self.reply)

    def eorpc_wait(self, fd, tag, reply, cap, flags):
        self.waits.append(tag)
        ctypes.memmove(reply, self.reply, len(self.reply))
        return len(self.reply)


class CallErrorTest(unittest.TestCase):
    def setUp(self):
        self.fake = FakeLib(eorpc._load())
        self.old = eorpc._set_library(self.fake)
        self.client = eorpc.Client("127.0.0.1:4242")

    def tearDown(self):
        self.client.close()
        eorpc._set_library(self.old)

    def fail_with(self, err, sent=True):
        self.fake.outcome = (-1, err, sent)
        with self.assertRaises(eorpc.CallError) as cm:
            self.client.call(b"x")
        return cm.exception

    def test_reply(self):
        self.fake.outcome = (0, 0, True)
        self.fake.reply = b"\x00bytes\xff"
        self.assertEqual(self.client.call(b"req", timeout_ms=1234),
                         b"\x00bytes\xff")
        self.assertEqual(self.fake.timeout, 1234)

    def test_default_deadline(self):
        self.fake.outcome = (0, 0, True)
        self.client.call(b"", timeout_ms=None)
        self.assertEqual(self.fake.timeout, -1)

    def test_may_have_run(self):
        for err in (errno.ETIMEDOUT, errno.ECANCELED, errno.ECONNRESET,
                    errno.ESTALE, errno.ESHUTDOWN, errno.EPROTO,
                    errno.EMSGSIZE):
            with self.subTest(err=errno.errorcode[err]):
                e = self.fail_with(err)
                self.assertIsInstance(e, eorpc.MayHaveExecutedError)
                self.assertIsInstance(e, OSError)
                self.assertIs(e.may_have_executed, True)
                self.assertEqual(e.errno, err)
                self.assertIn("may have executed", e.strerror)

    def test_did_not_run(self):
        for err in (errno.ECONNREFUSED, errno.ECONNABORTED):
            with self.subTest(err=errno.errorcode[err]):
                e = self.fail_with(err)
                self.assertIsInstance(e, eorpc.NotExecutedError)
                self.assertIs(e.may_have_executed, False)
                self.assertEqual(e.errno, err)

    def test_system_error_before_send(self):
        # sendmsg failed: the request never reached the kernel.
        e = self.fail_with(errno.ENOBUFS, sent=False)
        self.assertIsInstance(e, eorpc.NotExecutedError)
        self.assertEqual(e.errno, errno.ENOBUFS)

    def test_refused_before_send(self):
        # sendmsg refused it (over net.eorpc.max_msg_bytes): nothing ran,
        # although a completion with EMSGSIZE means it may have.
        e = self.fail_with(errno.EMSGSIZE, sent=False)
        self.assertIsInstance(e, eorpc.NotExecutedError)
        self.assertEqual(e.errno, errno.EMSGSIZE)

    def test_system_error_after_send(self):
        # The request was handed over, then waiting failed: it may run.
        e = self.fail_with(errno.EBADF, sent=True)
        self.assertIsInstance(e, eorpc.MayHaveExecutedError)

    def test_eintr_waits_for_the_call(self):
        self.fake.outcome = (-1, errno.EINTR, True)
        self.fake.reply = b"late"
        self.assertEqual(self.client.call(b"x"), b"late")
        self.assertEqual(self.fake.waits, [0x8000000000000007])

    def test_too_long(self):
        with self.assertRaises(eorpc.NotExecutedError) as cm:
            self.client.call(bytes(eorpc.MAX_MSG_LEN + 1))
        self.assertEqual(cm.exception.errno, errno.EMSGSIZE)

    def test_close(self):
        self.client.close()
        self.client.close()
        self.assertEqual(self.fake.closed, [99])


class NoModuleTest(unittest.TestCase):
    def test_client_without_module(self):
        # No AF_EORPC on this host (or EORPC_FAMILY_FILE naming a missing
        # file): the library's EAFNOSUPPORT, as an OSError.
        os.environ["EORPC_FAMILY_FILE"] = "/nonexistent/eorpc-family"
        try:
            with self.assertRaises(OSError) as cm:
                eorpc.Client("127.0.0.1:1")
        finally:
            del os.environ["EORPC_FAMILY_FILE"]
        self.assertEqual(cm.exception.errno, errno.EAFNOSUPPORT)
        self.assertNotIsInstance(cm.exception, eorpc.CallError)


if __name__ == "__main__":
    unittest.main()
