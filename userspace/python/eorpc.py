# SPDX-License-Identifier: LGPL-2.1-or-later
"""Exactly-once RPC (AF_EORPC) from Python, over libeorpc.

Python's socket module refuses addresses of a family it does not know, so
this module drives libeorpc through ctypes (no compiled extension): the
library finds the family number the kernel module registered, builds the
control messages and waits for a call's own outcome.

Client::

    import eorpc
    with eorpc.Client("127.0.0.1:4242") as c:
        try:
            print(c.call(b"world", timeout_ms=5000))
        except eorpc.NotExecutedError as e:     # certainly did not run
            print("refused:", e.strerror)
        except eorpc.MayHaveExecutedError as e:  # may have run: check first
            print("unknown outcome:", e.strerror)

Server (each request reaches serve()'s handler exactly once, however often
the network repeats it; the kernel answers repeats from its history)::

    with eorpc.Server("0.0.0.0:4242") as s:
        s.serve(lambda request: b"hello, " + request)

Errors: a call that ends without a reply raises CallError, an OSError whose
errno is the call's outcome (see eorpc(7)) and whose may_have_executed says
whether the server application may have received the request:
NotExecutedError (ECONNREFUSED, ECONNABORTED, or the request never left)
or MayHaveExecutedError (ETIMEDOUT, ECANCELED, ECONNRESET, ESTALE,
ESHUTDOWN, EPROTO, or a system error once the request was handed to the
kernel). Addresses that do not parse raise AddressError (an OSError and a
ValueError). Other failures (no module loaded: EAFNOSUPPORT) raise OSError.

The library is libeorpc.so.0, found by the dynamic linker, or the file the
environment variable EORPC_LIBRARY names.
"""
import ctypes
import errno as _errno
import os

__all__ = ["Client", "Server", "Request", "Address", "parse_address",
           "Error", "AddressError", "CallError", "NotExecutedError",
           "MayHaveExecutedError", "may_have_executed", "strerror",
           "MAX_PAYLOAD", "MAX_MSG_LEN"]

# uapi/linux/eorpc.h: every kernel takes MAX_PAYLOAD; none more than
# MAX_MSG_LEN (the limit in force is net.eorpc.max_msg_bytes).
MAX_PAYLOAD = 65536
MAX_MSG_LEN = 1 << 20
ADDRSTRLEN = 70  # EORPC_ADDRSTRLEN, with the NUL


class _Sockaddr(ctypes.Structure):
    """struct sockaddr_eorpc (28 bytes); only libeorpc reads its fields."""
    _fields_ = [("seo_family", ctypes.c_ushort),
                ("seo_transport", ctypes.c_uint16),
                ("seo_port", ctypes.c_uint16),
                ("seo_reserved", ctypes.c_uint16),
                ("seo_scope_id", ctypes.c_uint32),
                ("seo_addr", ctypes.c_uint8 * 16)]


_SIGNATURES = {
    # name: (restype, argtypes)
    "eorpc_family": (ctypes.c_int, []),
    "eorpc_socket": (ctypes.c_int, [ctypes.c_int]),
    "eorpc_addr_parse": (ctypes.c_int, [ctypes.POINTER(_Sockaddr),
                                        ctypes.c_char_p]),
    "eorpc_addr_format": (ctypes.c_int, [ctypes.POINTER(_Sockaddr),
                                         ctypes.c_char_p, ctypes.c_size_t]),
    "eorpc_server_open": (ctypes.c_int, [ctypes.POINTER(_Sockaddr),
                                         ctypes.c_int]),
    "eorpc_client_open": (ctypes.c_int, [ctypes.c_int]),
    "eorpc_close": (ctypes.c_int, [ctypes.c_int]),
    "eorpc_call_tagged": (ctypes.c_ssize_t, [
        ctypes.c_int, ctypes.POINTER(_Sockaddr), ctypes.c_char_p,
        ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int,
        ctypes.POINTER(ctypes.c_uint64)]),
    "eorpc_wait": (ctypes.c_ssize_t, [ctypes.c_int, ctypes.c_uint64,
                                      ctypes.c_char_p, ctypes.c_size_t,
                                      ctypes.c_int]),
    "eorpc_recv_request": (ctypes.c_ssize_t, [
        ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t,
        ctypes.POINTER(ctypes.c_uint64), ctypes.POINTER(_Sockaddr),
        ctypes.c_int]),
    "eorpc_reply": (ctypes.c_int, [ctypes.c_int, ctypes.c_uint64,
                                   ctypes.c_char_p, ctypes.c_size_t,
                                   ctypes.c_int]),
    "eorpc_may_have_executed": (ctypes.c_int, [ctypes.c_int]),
    "eorpc_strerror": (ctypes.c_char_p, [ctypes.c_int]),
}

_lib = None
_libc = None


def _load():
    """libeorpc, loaded on first use (so importing needs no library)."""
    global _lib
    if _lib is None:
        name = os.environ.get("EORPC_LIBRARY") or "libeorpc.so.0"
        lib = ctypes.CDLL(name, use_errno=True)
        for fn, (res, args) in _SIGNATURES.items():
            f = getattr(lib, fn)
            f.restype, f.argtypes = res, args
        _lib = lib
    return _lib


def _set_library(lib):
    """Replace the library (tests: an object with the same functions that
    reports errors through ctypes.set_errno). Returns the previous one."""
    global _lib
    old, _lib = _lib, lib
    return old


def _c():
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
        _libc.bind.argtypes = [ctypes.c_int, ctypes.POINTER(_Sockaddr),
                               ctypes.c_uint32]
        _libc.getsockname.argtypes = [ctypes.c_int,
                                      ctypes.POINTER(_Sockaddr),
                                      ctypes.POINTER(ctypes.c_uint32)]
        _libc.close.argtypes = [ctypes.c_int]
    return _libc


# ---- errors ----

class Error(OSError):
    """Base of this module's errors: an OSError with .errno set."""


class AddressError(Error, ValueError):
    """An address that does not parse (EINVAL), whose interface does not
    exist (ENODEV) or whose host name does not resolve (ENOENT; EAGAIN and
    ENOMEM for transient resolver failures)."""


class CallError(Error):
    """A call that ended without a reply.

    .errno: the outcome (ETIMEDOUT, ECONNREFUSED, ... see eorpc(7)).
    .may_have_executed: True if the server application may have received
    the request (retrying could run it twice: check its effect first),
    False if it certainly did not (a retry is safe).
    """

    may_have_executed = None

    def __init__(self, err, message=None):
        super().__init__(err, message or strerror(err))


class NotExecutedError(CallError):
    """The request certainly did not run: ECONNREFUSED (not a server, at
    capacity, nothing listening), ECONNABORTED (ended before it was sent),
    or an error before the request reached the kernel."""

    may_have_executed = False


class MayHaveExecutedError(CallError):
    """The request may have run: ETIMEDOUT (deadline), ECANCELED,
    ECONNRESET (server restarted or closed), ESTALE (server forgot the
    session), ESHUTDOWN, EPROTO, or a system error once the request was
    handed to the kernel."""

    may_have_executed = True


def may_have_executed(err):
    """eorpc_may_have_executed(): True, False, or None if @err is no call
    outcome."""
    v = _load().eorpc_may_have_executed(err)
    return None if v < 0 else bool(v)


def strerror(err):
    """eorpc_strerror(): what a call's errno means, and whether the request
    may have run."""
    s = _load().eorpc_strerror(err)
    return s.decode() if isinstance(s, bytes) else str(s)


def _call_error(err, sent):
    """The exception for a call that failed with @err; @sent: the request
    was handed to the kernel (the library set the call's tag)."""
    ran = may_have_executed(err)
    if not sent:
        # Refused before sendmsg took the request (EMSGSIZE over the
        # namespace's limit, say): nothing can have run.
        ran = False
    elif ran is None:
        # A system error after sendmsg took the request: the library lost
        # track of a call that may have run.
        ran = True
    return (MayHaveExecutedError if ran else NotExecutedError)(err)


def _check(ret, what):
    if ret < 0:
        err = ctypes.get_errno()
        raise OSError(err, "%s: %s" % (what, os.strerror(err)))
    return ret


# ---- addresses ----

class Address:
    """A parsed AF_EORPC address ("1.2.3.4:80", "[2001:db8::1]:80",
    "[fe80::1%eth0]:80", "host.example:80"); str() gives the text form."""

    def __init__(self, text):
        if isinstance(text, Address):
            self._sa = _Sockaddr.from_buffer_copy(text._sa)
            return
        if isinstance(text, tuple):
            host, port = text
            text = "[%s]:%d" % (host, port) if ":" in host else \
                "%s:%d" % (host, port)
        if not isinstance(text, str):
            raise TypeError("address must be 'host:port' or (host, port)")
        self._sa = _Sockaddr()
        if _load().eorpc_addr_parse(ctypes.byref(self._sa),
                                    text.encode()) < 0:
            err = ctypes.get_errno()
            raise AddressError(err, "%r: %s" % (text, os.strerror(err)))

    @classmethod
    def _from_sockaddr(cls, sa):
        a = cls.__new__(cls)
        a._sa = sa
        return a

    @property
    def port(self):
        p = self._sa.seo_port
        return ((p & 0xFF) << 8) | (p >> 8)  # network to host order

    @property
    def is_ipv6(self):
        return self._sa.seo_transport == 10  # AF_INET6

    def __str__(self):
        buf = ctypes.create_string_buffer(ADDRSTRLEN)
        n = _load().eorpc_addr_format(ctypes.byref(self._sa), buf, ADDRSTRLEN)
        if n < 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err))
        return buf.value.decode()

    def __repr__(self):
        return "Address(%r)" % str(self)

    def __eq__(self, other):
        return isinstance(other, Address) and \
            bytes(self._sa)[2:] == bytes(other._sa)[2:]

    def __hash__(self):
        return hash(bytes(self._sa)[2:])


def parse_address(text):
    """Parse "host:port" (IPv6 literals in brackets) or (host, port).
    Raises AddressError."""
    return Address(text)


class _Socket:
    """An AF_EORPC descriptor: fileno(), close(), a context manager."""

    _fd = -1

    def fileno(self):
        return self._fd

    def close(self):
        """Close the socket (eorpc_close(): the library's state too)."""
        if self._fd >= 0:
            fd, self._fd = self._fd, -1
            _load().eorpc_close(fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    @property
    def local_address(self):
        """The address the socket is bound to (after bind or a first call)."""
        sa = _Sockaddr()
        n = ctypes.c_uint32(ctypes.sizeof(sa))
        _check(_c().getsockname(self._fd, ctypes.byref(sa), ctypes.byref(n)),
               "getsockname")
        return Address._from_sockaddr(sa)


# ---- client ----

class Client(_Socket):
    """A client socket talking to one server.

    Client(server_addr, bind_addr=None): @server_addr as parse_address()
    takes it; @bind_addr binds the socket first (else the kernel picks a
    port on the first call). Calls may come from several threads.
    """

    def __init__(self, server_addr, bind_addr=None):
        self.server = Address(server_addr)
        lib = _load()
        if bind_addr is None:
            self._fd = _check(lib.eorpc_client_open(0), "socket")
            return
        local = Address(bind_addr)
        self._fd = _check(lib.eorpc_socket(0), "socket")
        local._sa.seo_family = self.server._sa.seo_family = lib.eorpc_family()
        if _c().bind(self._fd, ctypes.byref(local._sa),
                     ctypes.sizeof(_Sockaddr)) < 0:
            err = ctypes.get_errno()
            self.close()
            raise OSError(err, "bind %s: %s" % (local, os.strerror(err)))

    def call(self, data, timeout_ms=5000):
        """Send @data (bytes, at most MAX_MSG_LEN) and return the reply.

        @timeout_ms: the call's deadline; 0 waits until the socket closes,
        None applies the socket's default (EORPC_DEFAULT_DEADLINE_MS).
        The kernel retransmits until then; the server runs the request at
        most once. Raises NotExecutedError or MayHaveExecutedError.
        """
        data = bytes(data)
        if len(data) > MAX_MSG_LEN:
            raise NotExecutedError(_errno.EMSGSIZE,
                                   "request longer than %d bytes" % MAX_MSG_LEN)
        lib = _load()
        reply = ctypes.create_string_buffer(MAX_MSG_LEN)
        tag = ctypes.c_uint64(0)
        deadline = -1 if timeout_ms is None else int(timeout_ms)
        n = lib.eorpc_call_tagged(self._fd, ctypes.byref(self.server._sa),
                                  data, len(data), reply, MAX_MSG_LEN,
                                  deadline, ctypes.byref(tag))
        # A signal (EINTR) leaves the call in flight: Python's handler runs
        # between these waits, and may raise to abandon it.
        while n < 0 and ctypes.get_errno() == _errno.EINTR and tag.value:
            n = lib.eorpc_wait(self._fd, tag.value, reply, MAX_MSG_LEN, 0)
        if n < 0:
            raise _call_error(ctypes.get_errno(), bool(tag.value))
        return reply.raw[:n]


# ---- server ----

class Request:
    """A request delivered to a server: .data (bytes), .call_id (answer it
    with Server.reply()), .client (Address)."""

    __slots__ = ("data", "call_id", "client")

    def __init__(self, data, call_id, client):
        self.data, self.call_id, self.client = data, call_id, client

    def __repr__(self):
        return "Request(call_id=%d, client=%s, %d bytes)" % (
            self.call_id, self.client, len(self.data))


class Server(_Socket):
    """A listening server socket: Server(bind_addr), e.g. "0.0.0.0:4242"
    (port 0: the kernel picks one, see local_address)."""

    def __init__(self, bind_addr):
        self.address = Address(bind_addr)
        self._fd = _check(_load().eorpc_server_open(
            ctypes.byref(self.address._sa), 0), "server socket")

    def recv_request(self):
        """Wait for the next request; returns a Request. Every request is
        delivered once and must be answered with reply(). Raises OSError
        (ESHUTDOWN once the socket is shut down for reading)."""
        buf = ctypes.create_string_buffer(MAX_MSG_LEN)
        call_id = ctypes.c_uint64(0)
        client = _Sockaddr()
        while True:
            n = _load().eorpc_recv_request(self._fd, buf, MAX_MSG_LEN,
                                           ctypes.byref(call_id),
                                           ctypes.byref(client), 0)
            # EINTR: nothing was delivered; Python's handler runs, then wait
            # again (PEP 475's rule for system calls).
            if n >= 0 or ctypes.get_errno() != _errno.EINTR:
                break
        _check(n, "recv_request")
        return Request(buf.raw[:n], call_id.value,
                       Address._from_sockaddr(client))

    def reply(self, call_id, data):
        """Answer the request @call_id with @data (at most MAX_MSG_LEN
        bytes). Raises OSError (ENOENT: unknown or already answered)."""
        data = bytes(data)
        _check(_load().eorpc_reply(self._fd, call_id, data, len(data), 0),
               "reply")

    def serve(self, handler, count=None):
        """Answer requests with handler(data) -> bytes, forever or for
        @count requests. An exception from the handler stops serve() and
        leaves that request unanswered (its client ends with ETIMEDOUT, a
        "may have executed" outcome, which is then true)."""
        done = 0
        while count is None or done < count:
            req = self.recv_request()
            self.reply(req.call_id, handler(req.data))
            done += 1
