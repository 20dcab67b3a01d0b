-- SPDX-License-Identifier: GPL-2.0
--
-- Wireshark dissector for AF_EORPC (exactly-once RPC over UDP).
--
-- The wire format is kmod/wire.h; the validation below mirrors
-- eorpc_wire_decode() in kmod/wire.c verdict for verdict, so a datagram the
-- kernel would drop is shown as malformed (expert info, group Malformed,
-- severity Error) and never decoded as if it were good.
--
-- Found two ways: a heuristic on UDP (version 1, a known type, a length
-- between the header and the largest datagram), and the UDP port in the
-- preference "eorpc.udp_port" (or Decode As... EORPC), which also shows the
-- datagrams the heuristic turns away (too short, another version).
--
-- Install: copy to the global Lua plugin folder (`tshark -G folders`,
-- /usr/lib/x86_64-linux-gnu/wireshark/plugins on Debian; `make install` does
-- it) or the personal one, or load it once: tshark -X lua_script:eorpc.lua

-- Wireshark 4.0 builds on Lua 5.2 (bit32); older ones had LuaBitOp (bit).
local bit = bit32 or bit

local HDR_LEN = 56
local FRAG_DATA = 1344
local MAX_MSG = 1048576
local VERSION = 1
local COOKIE_LEN = 16
local WELCOME_LEN = 8

-- enum eorpc_pkt_type
local HELLO, WELCOME, REQUEST, REPLY, BUSY, ACK, ERROR, COOKIE = 1, 2, 3, 4, 5, 6, 7, 8
local NEED_REQUEST, NEED_REPLY = 9, 10
local TYPE_MAX = NEED_REPLY
local type_names = {
	[HELLO] = "HELLO", [WELCOME] = "WELCOME", [REQUEST] = "REQUEST",
	[REPLY] = "REPLY", [BUSY] = "BUSY", [ACK] = "ACK", [ERROR] = "ERROR",
	[COOKIE] = "COOKIE", [NEED_REQUEST] = "NEED_REQUEST", [NEED_REPLY] = "NEED_REPLY",
}

-- enum eorpc_pkt_flags
local F_RETRANS, F_CLOSE, F_ACK_NOW = 0x01, 0x02, 0x04
local F_ALL = 0x07

-- enum eorpc_wire_error, named as the client's errno would say them
local WERR_MAX = 7
local error_names = {
	[0] = "none", [1] = "SERVER_RESTARTED", [2] = "SESSION_UNKNOWN", [3] = "SERVER_CLOSED",
	[4] = "NOT_SERVER", [5] = "WINDOW", [6] = "REFUSED", [7] = "TOO_BIG",
}

-- enum eorpc_wire_verdict
local V_OK, V_SHORT, V_VERSION, V_TYPE, V_FIELD, V_LEN = 0, 1, 2, 3, 4, 5
local verdict_names = {
	[V_OK] = "OK", [V_SHORT] = "SHORT", [V_VERSION] = "VERSION_BAD",
	[V_TYPE] = "TYPE_BAD", [V_FIELD] = "FIELD_BAD", [V_LEN] = "LEN_BAD",
}

-- A copy already loaded (the installed plugin, and this file again with
-- -X lua_script:) would make Proto() fail: the first one loaded serves.
for _, name in ipairs(Dissector.list()) do
	if name == "eorpc" then
		return
	end
end

local eorpc = Proto("eorpc", "AF_EORPC exactly-once RPC")

local f = {
	version = ProtoField.uint8("eorpc.version", "Version", base.DEC),
	type = ProtoField.uint8("eorpc.type", "Type", base.DEC, type_names),
	flags = ProtoField.uint8("eorpc.flags", "Flags", base.HEX),
	flag_retrans = ProtoField.bool("eorpc.flags.retrans", "Retransmission", 8,
		nil, F_RETRANS),
	flag_close = ProtoField.bool("eorpc.flags.close", "Close (session over)",
		8, nil, F_CLOSE),
	flag_ack_now = ProtoField.bool("eorpc.flags.ack_now",
		"Ack now (the end of a round: report with a NEED)", 8, nil, F_ACK_NOW),
	flag_unknown = ProtoField.uint8("eorpc.flags.unknown", "Unknown flags",
		base.HEX, nil, 0xff - F_ALL),
	code = ProtoField.uint8("eorpc.code", "Error code", base.DEC, error_names),
	frag = ProtoField.uint16("eorpc.frag", "Fragment index", base.DEC),
	reserved = ProtoField.uint16("eorpc.reserved", "Reserved", base.HEX),
	msg_len = ProtoField.uint32("eorpc.msg_len", "Message length", base.DEC),
	reserved2 = ProtoField.uint32("eorpc.reserved2", "Reserved 2", base.HEX),
	client_epoch = ProtoField.uint64("eorpc.client_epoch", "Client epoch",
		base.HEX),
	server_epoch = ProtoField.uint64("eorpc.server_epoch", "Server epoch",
		base.HEX),
	session_id = ProtoField.uint64("eorpc.session_id", "Session id", base.HEX),
	request_id = ProtoField.uint64("eorpc.request_id", "Request id", base.DEC),
	ack = ProtoField.uint64("eorpc.ack", "Ack (every id <= this is finished)",
		base.DEC),
	window = ProtoField.uint32("eorpc.welcome.window", "Window", base.DEC),
	timeout = ProtoField.uint32("eorpc.welcome.session_timeout_ms",
		"Session timeout (ms)", base.DEC),
	cookie = ProtoField.bytes("eorpc.cookie", "Cookie"),
	data = ProtoField.bytes("eorpc.data", "Data"),
	-- Generated: what the header implies.
	verdict = ProtoField.uint8("eorpc.verdict", "Validation", base.DEC,
		verdict_names),
	nfrags = ProtoField.uint16("eorpc.frag_count", "Fragments in message",
		base.DEC),
	frag_offset = ProtoField.uint32("eorpc.frag_offset",
		"Offset in message", base.DEC),
	reassembled_in = ProtoField.framenum("eorpc.reassembled_in",
		"Reassembled in", base.NONE),
	reassembled = ProtoField.bytes("eorpc.reassembled.data",
		"Reassembled message"),
	reassembled_len = ProtoField.uint32("eorpc.reassembled.length",
		"Reassembled length", base.DEC),
}
eorpc.fields = {
	f.version, f.type, f.flags, f.flag_retrans, f.flag_close, f.flag_ack_now,
	f.flag_unknown, f.code, f.frag, f.reserved, f.msg_len, f.reserved2,
	f.client_epoch, f.server_epoch, f.session_id, f.request_id, f.ack,
	f.window, f.timeout, f.cookie, f.data, f.verdict, f.nfrags,
	f.frag_offset, f.reassembled_in, f.reassembled, f.reassembled_len,
}

-- One expert item per verdict of eorpc_wire_decode(), and one for the
-- fragment notes.
local function malformed(abbr, text)
	return ProtoExpert.new(abbr, text, expert.group.MALFORMED,
		expert.severity.ERROR)
end
local ex = {
	[V_SHORT] = malformed("eorpc.short", "Shorter than the 56-byte header"),
	[V_VERSION] = malformed("eorpc.version_bad", "Unknown version"),
	[V_TYPE] = malformed("eorpc.type_bad", "Unknown packet type"),
	[V_FIELD] = malformed("eorpc.field_bad", "Invalid header field"),
	[V_LEN] = malformed("eorpc.len_bad", "Length does not match the header"),
	frag = ProtoExpert.new("eorpc.fragment", "Fragment of a message",
		expert.group.REASSEMBLE, expert.severity.NOTE),
}
eorpc.experts = { ex[V_SHORT], ex[V_VERSION], ex[V_TYPE], ex[V_FIELD],
	ex[V_LEN], ex.frag }

eorpc.prefs.udp_port = Pref.uint("UDP port", 0,
	"Decode this UDP port as EORPC (0: none; the heuristic finds the rest)")
eorpc.prefs.reassemble = Pref.bool("Reassemble messages", true,
	"Put the fragments of a REQUEST or REPLY back together")

local function nfrags(msg_len)
	if msg_len == 0 then
		return 1
	end
	return math.floor((msg_len + FRAG_DATA - 1) / FRAG_DATA)
end

-- Data bytes that fragment @frag of a @msg_len-byte message carries.
local function frag_len(msg_len, frag)
	local off = frag * FRAG_DATA
	if off >= msg_len then
		return 0
	end
	return math.min(msg_len - off, FRAG_DATA)
end

local zero = UInt64(0)

-- ids_valid() of wire.c.
local function ids_valid(h)
	if h.client_epoch == zero then
		return false, "client_epoch is 0"
	end
	local t = h.type
	local se, sid, rid, ack = h.server_epoch ~= zero, h.session_id ~= zero,
		h.request_id ~= zero, h.ack ~= zero
	if t == HELLO then
		if se or sid or rid or ack then
			return false, "HELLO carries a server epoch, session, request id or ack"
		end
	elseif t == COOKIE then
		if not se or sid or rid or ack then
			return false, "COOKIE needs a server epoch and no session, request id or ack"
		end
	elseif t == WELCOME or t == ACK then
		if not se or not sid or rid then
			return false, type_names[t] .. " needs a server epoch and session, no request id"
		end
	elseif t == ERROR then
		if not se then
			return false, "ERROR without a server epoch"
		end
	else
		if not se or not sid or not rid then
			return false, type_names[t] .. " needs a server epoch, session and request id"
		end
		if not (h.ack < h.request_id) then
			return false, "ack not below the request id"
		end
	end
	return true
end

-- eorpc_wire_decode() of wire.c: the verdict and, if not OK, why.
local function validate(h, len)
	if len < HDR_LEN then
		return V_SHORT, len .. " bytes"
	end
	if h.version ~= VERSION then
		return V_VERSION, "version " .. h.version
	end
	if h.type < HELLO or h.type > TYPE_MAX then
		return V_TYPE, "type " .. h.type
	end
	if h.reserved ~= 0 or h.reserved2 ~= 0 then
		return V_FIELD, "reserved field not zero"
	end
	if bit.band(h.flags, bit.bnot(F_ALL)) ~= 0 then
		return V_FIELD, string.format("unknown flags 0x%02x", h.flags)
	end
	if h.type == ERROR then
		if h.code < 1 or h.code > WERR_MAX then
			return V_FIELD, "ERROR code " .. h.code .. " unknown"
		end
	elseif h.code ~= 0 then
		return V_FIELD, "code " .. h.code .. " outside an ERROR"
	end
	if bit.band(h.flags, F_CLOSE) ~= 0 and h.type ~= ACK then
		return V_FIELD, "CLOSE flag outside an ACK"
	end
	if bit.band(h.flags, F_ACK_NOW) ~= 0 and h.type ~= REQUEST and h.type ~= REPLY then
		return V_FIELD, "ACK_NOW flag outside a REQUEST or REPLY"
	end
	local ok, why = ids_valid(h)
	if not ok then
		return V_FIELD, why
	end
	local data_len = len - HDR_LEN
	-- A NEED: one bit a fragment of a message of two fragments or more.
	if h.type == NEED_REQUEST or h.type == NEED_REPLY then
		if h.frag ~= 0 or h.msg_len <= FRAG_DATA or h.msg_len > MAX_MSG then
			return V_LEN, "NEED about no message of several fragments"
		end
		local want = math.floor((nfrags(h.msg_len) + 7) / 8)
		if data_len ~= want then
			return V_LEN, string.format("NEED carries %d bitmap bytes, not %d",
				data_len, want)
		end
		return V_OK
	end
	if h.type ~= REQUEST and h.type ~= REPLY then
		local want = 0
		if h.type == WELCOME then
			want = WELCOME_LEN
		elseif h.type == HELLO or h.type == COOKIE then
			want = COOKIE_LEN
		end
		if h.frag ~= 0 or h.msg_len ~= 0 then
			return V_LEN, "frag or msg_len in a control packet"
		end
		if data_len ~= want then
			return V_LEN, string.format("%s carries %d data bytes, not %d",
				type_names[h.type], data_len, want)
		end
		return V_OK
	end
	if h.msg_len > MAX_MSG then
		return V_LEN, "msg_len " .. h.msg_len .. " over " .. MAX_MSG
	end
	if h.frag >= nfrags(h.msg_len) then
		return V_LEN, string.format("fragment %d of a %d-fragment message",
			h.frag, nfrags(h.msg_len))
	end
	local want = frag_len(h.msg_len, h.frag)
	if data_len ~= want then
		return V_LEN, string.format("fragment carries %d data bytes, not %d",
			data_len, want)
	end
	return V_OK
end

-- Reassembly state, rebuilt on every new capture file. Fragments are kept
-- by message (both addresses, type, client epoch, session, request id) on
-- the first pass; later passes (the GUI's) read what the first one found.
local messages, done_in

eorpc.init = function()
	messages = {}
	done_in = {}
end

local function message_key(pinfo, h)
	return table.concat({ tostring(pinfo.src), pinfo.src_port,
		tostring(pinfo.dst), pinfo.dst_port, h.type, h.client_epoch:tohex(),
		h.session_id:tohex(), h.request_id:tohex() }, "|")
end

-- Adds this fragment to its message (first pass only). Returns the message.
local function reassemble(tvb, pinfo, h)
	local key = message_key(pinfo, h)
	local m = messages[key]
	if not m or m.msg_len ~= h.msg_len then
		m = { msg_len = h.msg_len, n = nfrags(h.msg_len), parts = {}, have = 0 }
		messages[key] = m
	end
	if not pinfo.visited and not m.complete_in then
		if not m.parts[h.frag] then
			m.have = m.have + 1
		end
		-- A copy (retransmission) carries the same bytes: keep the last.
		m.parts[h.frag] = tvb:bytes(HDR_LEN, tvb:len() - HDR_LEN)
		if m.have == m.n then
			local all = ByteArray.new()
			for i = 0, m.n - 1 do
				all:append(m.parts[i])
			end
			m.complete_in = pinfo.number
			m.parts = nil
			done_in[pinfo.number] = all
		end
	end
	return m
end

local function read_header(tvb)
	local len = tvb:len()
	local h = {}
	if len >= 1 then h.version = tvb(0, 1):uint() end
	if len >= 2 then h.type = tvb(1, 1):uint() end
	if len < HDR_LEN then
		return h
	end
	h.flags = tvb(2, 1):uint()
	h.code = tvb(3, 1):uint()
	h.frag = tvb(4, 2):uint()
	h.reserved = tvb(6, 2):uint()
	h.msg_len = tvb(8, 4):uint()
	h.reserved2 = tvb(12, 4):uint()
	h.client_epoch = tvb(16, 8):uint64()
	h.server_epoch = tvb(24, 8):uint64()
	h.session_id = tvb(32, 8):uint64()
	h.request_id = tvb(40, 8):uint64()
	h.ack = tvb(48, 8):uint64()
	return h
end

local function add_header(tree, tvb, h)
	tree:add(f.version, tvb(0, 1))
	tree:add(f.type, tvb(1, 1))
	local fl = tree:add(f.flags, tvb(2, 1))
	fl:add(f.flag_retrans, tvb(2, 1))
	fl:add(f.flag_close, tvb(2, 1))
	fl:add(f.flag_ack_now, tvb(2, 1))
	if bit.band(h.flags, bit.bnot(F_ALL)) ~= 0 then
		fl:add(f.flag_unknown, tvb(2, 1))
	end
	tree:add(f.code, tvb(3, 1))
	tree:add(f.frag, tvb(4, 2))
	tree:add(f.reserved, tvb(6, 2))
	tree:add(f.msg_len, tvb(8, 4))
	tree:add(f.reserved2, tvb(12, 4))
	tree:add(f.client_epoch, tvb(16, 8))
	tree:add(f.server_epoch, tvb(24, 8))
	tree:add(f.session_id, tvb(32, 8))
	tree:add(f.request_id, tvb(40, 8))
	tree:add(f.ack, tvb(48, 8))
end

local function dissect(tvb, pinfo, tree)
	-- The length the datagram had: an ICMP error quotes only its start.
	local len = tvb:reported_len()
	local caplen = tvb:len()
	pinfo.cols.protocol = "EORPC"
	local h = read_header(tvb)
	local verdict, why = validate(h, len)
	local root = tree:add(eorpc, tvb(), "AF_EORPC")
	local vi = root:add(f.verdict, verdict)
	vi:set_generated()

	if verdict == V_SHORT or verdict == V_VERSION or verdict == V_TYPE then
		-- What eorpc_wire_decode() never reads past: show the bytes only.
		if caplen >= 1 then root:add(f.version, tvb(0, 1)) end
		if caplen >= 2 then root:add(f.type, tvb(1, 1)) end
		if caplen > 0 then root:add(f.data, tvb()) end
		root:add_proto_expert_info(ex[verdict],
			"Malformed: " .. verdict_names[verdict] .. " (" .. why .. ")")
		pinfo.cols.info = "EORPC [Malformed: " .. verdict_names[verdict] ..
			", " .. why .. "]"
		root:append_text(", malformed (" .. verdict_names[verdict] .. ")")
		return caplen
	end

	local tname = type_names[h.type]
	root:append_text(", " .. tname)
	add_header(root, tvb, h)
	local info = tname
	local has_msg = h.type == REQUEST or h.type == REPLY
	if h.type == ERROR and error_names[h.code] then
		info = info .. " " .. error_names[h.code]
	end
	if h.session_id ~= zero then
		info = info .. " session=0x" .. h.session_id:tohex()
	end
	if h.request_id ~= zero then
		info = info .. " id=" .. tostring(h.request_id)
	end
	if h.type ~= HELLO and h.type ~= COOKIE and h.ack ~= zero then
		info = info .. " ack=" .. tostring(h.ack)
	end
	if bit.band(h.flags, F_RETRANS) ~= 0 then info = info .. " [RETRANS]" end
	if bit.band(h.flags, F_CLOSE) ~= 0 then info = info .. " [CLOSE]" end
	if bit.band(h.flags, F_ACK_NOW) ~= 0 then info = info .. " [ACK_NOW]" end

	if verdict ~= V_OK then
		if caplen > HDR_LEN then
			root:add(f.data, tvb(HDR_LEN))
		end
		root:add_proto_expert_info(ex[verdict],
			"Malformed: " .. verdict_names[verdict] .. " (" .. why .. ")")
		pinfo.cols.info = info .. " [Malformed: " .. verdict_names[verdict] ..
			", " .. why .. "]"
		root:append_text(", malformed (" .. verdict_names[verdict] .. ")")
		return caplen
	end

	local dlen = caplen - HDR_LEN
	if h.type == WELCOME and caplen >= HDR_LEN + WELCOME_LEN then
		root:add(f.window, tvb(HDR_LEN, 4))
		root:add(f.timeout, tvb(HDR_LEN + 4, 4))
		info = info .. string.format(" window=%d timeout=%dms",
			tvb(HDR_LEN, 4):uint(), tvb(HDR_LEN + 4, 4):uint())
	elseif (h.type == HELLO or h.type == COOKIE) and
	       caplen >= HDR_LEN + COOKIE_LEN then
		root:add(f.cookie, tvb(HDR_LEN, COOKIE_LEN))
	elseif (h.type == NEED_REQUEST or h.type == NEED_REPLY) and caplen == len then
		local n, have = nfrags(h.msg_len), 0
		for i = 0, n - 1 do
			if bit.band(tvb(HDR_LEN + math.floor(i / 8), 1):uint(),
				    bit.lshift(1, i % 8)) ~= 0 then
				have = have + 1
			end
		end
		root:add(f.data, tvb(HDR_LEN, dlen))
		info = info .. string.format(" len=%d has %d of %d fragments",
			h.msg_len, have, n)
	elseif has_msg then
		local n = nfrags(h.msg_len)
		root:add(f.nfrags, n):set_generated()
		root:add(f.frag_offset, h.frag * FRAG_DATA):set_generated()
		if dlen > 0 then
			root:add(f.data, tvb(HDR_LEN, dlen))
		end
		info = info .. " len=" .. h.msg_len
		if n > 1 then
			root:add_proto_expert_info(ex.frag,
				string.format("Fragment %d of %d", h.frag + 1, n))
			info = info .. string.format(" fragment %d of %d", h.frag + 1, n)
			-- Reassemble only whole datagrams (not an ICMP quote).
			if eorpc.prefs.reassemble and caplen == len then
				local m = reassemble(tvb, pinfo, h)
				local all = done_in[pinfo.number]
				if all then
					local rtvb = all:tvb("Reassembled EORPC message")
					root:add(f.reassembled_len, rtvb:len()):set_generated()
					root:add(f.reassembled, rtvb())
					info = info .. " [reassembled]"
				elseif m.complete_in then
					root:add(f.reassembled_in, m.complete_in):set_generated()
				end
			end
		end
	end
	pinfo.cols.info = info
	return caplen
end

function eorpc.dissector(tvb, pinfo, tree)
	return dissect(tvb, pinfo, tree)
end

-- The heuristic takes what can only be EORPC: version 1, a known type, and
-- a length from the header to the largest datagram (56 + 1344 bytes).
local function heuristic(tvb, pinfo, tree)
	local len = tvb:reported_len()
	if tvb:len() < 2 or len < HDR_LEN or len > HDR_LEN + FRAG_DATA then
		return false
	end
	local t = tvb(1, 1):uint()
	if tvb(0, 1):uint() ~= VERSION or t < HELLO or t > TYPE_MAX then
		return false
	end
	dissect(tvb, pinfo, tree)
	return true
end

local udp_table = DissectorTable.get("udp.port")
udp_table:add_for_decode_as(eorpc)
eorpc:register_heuristic("udp", heuristic)

local current_port = 0
function eorpc.prefs_changed()
	if current_port ~= 0 then
		udp_table:remove(current_port, eorpc)
	end
	current_port = eorpc.prefs.udp_port
	if current_port ~= 0 then
		udp_table:add(current_port, eorpc)
	end
end
