# SPDX-License-Identifier: GPL-2.0
"""Helpers for the dissector tests: write a pcap of UDP datagrams, decode a
pcap with tshark and the tree's userspace/wireshark/eorpc.lua, and TAP.

tshark's PDML output is parsed rather than -T fields: it keeps each field's
value, its value-string name (showname) and its raw bytes, per packet and
per protocol layer, in one run.
"""
import os
import struct
import subprocess
import xml.etree.ElementTree as ET

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LUA = os.path.join(REPO, "userspace", "wireshark", "eorpc.lua")

# epan/proto.h: PI_ERROR, PI_MALFORMED
SEVERITY_ERROR = 0x00800000
GROUP_MALFORMED = 0x07000000


def _csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def udp4_frame(src, sport, dst, dport, payload):
    """An Ethernet/IPv4/UDP frame (UDP checksum 0: none, valid for IPv4)."""
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64,
                     17, 0, bytes(map(int, src.split("."))),
                     bytes(map(int, dst.split("."))))
    ip = ip[:10] + struct.pack("!H", _csum(ip)) + ip[12:]
    eth = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00"
    return eth + ip + udp


def write_pcap(path, frames):
    """frames: Ethernet frames, written one per second from time 0."""
    with open(path, "wb") as f:
        f.write(struct.pack("=IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("=IIII", i, 0, len(fr), len(fr)))
            f.write(fr)


class Field:
    def __init__(self, el):
        self.name = el.get("name")
        self.show = el.get("show")
        self.showname = el.get("showname") or ""
        self.value = el.get("value") or ""


class Packet:
    """One decoded frame: its fields by name (in order), expert items, and
    the protocols tshark saw in it."""

    def __init__(self, el):
        self.protos = [p.get("name") for p in el.findall("proto")]
        self.fields = {}
        for fe in el.iter("field"):
            self.fields.setdefault(fe.get("name"), []).append(Field(fe))
        # Expert items sit on a field named _ws.expert (all protocols).
        self.experts = []
        for ex in el.iter("field"):
            if ex.get("name") != "_ws.expert":
                continue
            kids = {c.get("name"): c.get("show") for c in ex.findall("field")}
            self.experts.append((int(kids.get("_ws.expert.severity", "0")),
                                 int(kids.get("_ws.expert.group", "0")),
                                 kids.get("_ws.expert.message", "")))
        self.malformed = "_ws.malformed" in self.fields or "malformed" in self.protos

    def all(self, name):
        return [f.show for f in self.fields.get(name, [])]

    def get(self, name):
        v = self.all(name)
        return v[0] if v else None

    def showname(self, name):
        v = self.fields.get(name)
        return v[0].showname if v else None

    def raw(self, name):
        """The bytes of a bytes field, from PDML's hex value."""
        v = self.fields.get(name)
        return bytes.fromhex(v[0].value) if v else None

    def errors(self):
        return [e for e in self.experts if e[0] >= SEVERITY_ERROR]

    def malformed_errors(self):
        return [e for e in self.experts
                if e[0] >= SEVERITY_ERROR and e[1] == GROUP_MALFORMED]


def decode(pcap, prefs=(), extra=()):
    """Decode @pcap with the tree's dissector; returns [Packet]. Two passes
    (-2), as the GUI does, so reassembly is shown as it will be there."""
    cmd = ["tshark", "-n", "-2", "-X", "lua_script:" + LUA, "-r", pcap,
           "-T", "pdml"]
    for p in prefs:
        cmd += ["-o", p]
    cmd += list(extra)
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE).stdout
    return [Packet(el) for el in ET.fromstring(out).findall("packet")]


def info_column(pcap, prefs=()):
    """The Info column of every frame, as tshark prints it."""
    cmd = ["tshark", "-n", "-2", "-X", "lua_script:" + LUA, "-r", pcap,
           "-T", "fields", "-e", "_ws.col.Info"]
    for p in prefs:
        cmd += ["-o", p]
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL,
                          text=True).stdout.splitlines()


def installed_copy_differs():
    """The path of an installed eorpc.lua other than the tree's, or None: the
    first copy loaded serves, so the tests would decode with it."""
    try:
        out = subprocess.run(["tshark", "-G", "folders"], check=True,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    mine = open(LUA, "rb").read()
    for line in out.splitlines():
        if "Lua Plugins:" not in line:
            continue
        path = os.path.join(line.split(":", 1)[1].strip(), "eorpc.lua")
        if os.path.exists(path) and open(path, "rb").read() != mine:
            return path
    return None


class Tap:
    """TAP lines on stdout; the plan comes last (selftests/check counts the
    result lines)."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.n = 0
        self.failed = 0

    def result(self, ok, name, diag=None):
        self.n += 1
        if ok:
            print("ok %d %s: %s" % (self.n, self.prefix, name))
        else:
            self.failed += 1
            print("not ok %d %s: %s" % (self.n, self.prefix, name))
            if diag:
                for line in str(diag).splitlines()[:20]:
                    print("# " + line)
        return ok

    def done(self):
        print("1..%d" % self.n)
        return 1 if self.failed else 0
