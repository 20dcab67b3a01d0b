// SPDX-License-Identifier: GPL-2.0
/*
 * Header encode, decode and validation. Everything a datagram claims is
 * checked here before any other code looks at it.
 */
#include "wire_env.h"
#include "wire.h"

static bool type_has_message(u8 type)
{
	return type == EORPC_PKT_REQUEST || type == EORPC_PKT_REPLY;
}

static bool type_is_need(u8 type)
{
	return type == EORPC_PKT_NEED_REQUEST || type == EORPC_PKT_NEED_REPLY;
}

/* Exact data length of control packets. */
static u32 control_data_len(u8 type)
{
	switch (type) {
	case EORPC_PKT_WELCOME:
		return sizeof(struct eorpc_wire_welcome);
	case EORPC_PKT_HELLO:
	case EORPC_PKT_COOKIE:
		return sizeof(struct eorpc_wire_cookie);
	default:
		return 0;
	}
}

static bool ids_valid(const struct eorpc_pkt *pkt)
{
	if (!pkt->client_epoch)
		return false;
	switch (pkt->type) {
	case EORPC_PKT_HELLO:
		return !pkt->server_epoch && !pkt->session_id &&
		       !pkt->request_id && !pkt->ack;
	case EORPC_PKT_COOKIE:
		return pkt->server_epoch && !pkt->session_id &&
		       !pkt->request_id && !pkt->ack;
	case EORPC_PKT_WELCOME:
		return pkt->server_epoch && pkt->session_id && !pkt->request_id;
	case EORPC_PKT_ACK:
		return pkt->server_epoch && pkt->session_id && !pkt->request_id;
	case EORPC_PKT_ERROR:
		/* An ERROR may answer a HELLO (no session yet). */
		return pkt->server_epoch;
	default:
		/* REQUEST, REPLY, BUSY, NEED name a request of a session. */
		return pkt->server_epoch && pkt->session_id && pkt->request_id &&
		       pkt->ack < pkt->request_id;
	}
}

/**
 * eorpc_wire_decode() - validate a datagram and decode its header
 * @buf: the UDP payload
 * @len: its length
 * @pkt: filled in on success
 *
 * Return: EORPC_WIRE_OK, or why the datagram must be dropped.
 */
enum eorpc_wire_verdict eorpc_wire_decode(const void *buf, u32 len,
					  struct eorpc_pkt *pkt)
{
	struct eorpc_wire_hdr hdr;
	u32 data_len;

	if (len < EORPC_WIRE_HDR_LEN)
		return EORPC_WIRE_SHORT;
	memcpy(&hdr, buf, sizeof(hdr));
	if (hdr.version != EORPC_WIRE_VERSION)
		return EORPC_WIRE_VERSION_BAD;
	if (hdr.type < EORPC_PKT_HELLO || hdr.type > EORPC_PKT_TYPE_MAX)
		return EORPC_WIRE_TYPE_BAD;

	pkt->type = hdr.type;
	pkt->flags = hdr.flags;
	pkt->code = hdr.code;
	pkt->frag = be16_to_cpu(hdr.frag);
	pkt->msg_len = be32_to_cpu(hdr.msg_len);
	pkt->client_epoch = be64_to_cpu(hdr.client_epoch);
	pkt->server_epoch = be64_to_cpu(hdr.server_epoch);
	pkt->session_id = be64_to_cpu(hdr.session_id);
	pkt->request_id = be64_to_cpu(hdr.request_id);
	pkt->ack = be64_to_cpu(hdr.ack);
	pkt->data_off = EORPC_WIRE_HDR_LEN;
	data_len = len - EORPC_WIRE_HDR_LEN;
	pkt->data_len = data_len;

	if (hdr.reserved || hdr.reserved2 || (pkt->flags & ~EORPC_F_ALL))
		return EORPC_WIRE_FIELD_BAD;
	if (pkt->type == EORPC_PKT_ERROR ?
	    pkt->code < 1 || pkt->code > EORPC_WERR_MAX : pkt->code != 0)
		return EORPC_WIRE_FIELD_BAD;
	if ((pkt->flags & EORPC_F_CLOSE) && pkt->type != EORPC_PKT_ACK)
		return EORPC_WIRE_FIELD_BAD;
	if ((pkt->flags & EORPC_F_ACK_NOW) && !type_has_message(pkt->type))
		return EORPC_WIRE_FIELD_BAD;
	if (!ids_valid(pkt))
		return EORPC_WIRE_FIELD_BAD;

	/* Only a message of several fragments is ever partial. */
	if (type_is_need(pkt->type)) {
		if (pkt->frag || pkt->msg_len <= EORPC_FRAG_DATA ||
		    pkt->msg_len > EORPC_WIRE_MAX_MSG ||
		    data_len != eorpc_need_len(pkt->msg_len))
			return EORPC_WIRE_LEN_BAD;
		return EORPC_WIRE_OK;
	}
	if (!type_has_message(pkt->type)) {
		if (pkt->frag || pkt->msg_len ||
		    data_len != control_data_len(pkt->type))
			return EORPC_WIRE_LEN_BAD;
		return EORPC_WIRE_OK;
	}
	if (pkt->msg_len > EORPC_WIRE_MAX_MSG ||
	    pkt->frag >= eorpc_nfrags(pkt->msg_len) ||
	    data_len != eorpc_frag_len(pkt->msg_len, pkt->frag))
		return EORPC_WIRE_LEN_BAD;
	return EORPC_WIRE_OK;
}

/**
 * eorpc_wire_encode() - write the header for @pkt
 * @pkt: the fields (data_off and data_len are ignored)
 * @hdr: where to write the 56 bytes
 */
void eorpc_wire_encode(const struct eorpc_pkt *pkt, struct eorpc_wire_hdr *hdr)
{
	memset(hdr, 0, sizeof(*hdr));
	hdr->version = EORPC_WIRE_VERSION;
	hdr->type = pkt->type;
	hdr->flags = pkt->flags;
	hdr->code = pkt->code;
	hdr->frag = cpu_to_be16(pkt->frag);
	hdr->msg_len = cpu_to_be32(pkt->msg_len);
	hdr->client_epoch = cpu_to_be64(pkt->client_epoch);
	hdr->server_epoch = cpu_to_be64(pkt->server_epoch);
	hdr->session_id = cpu_to_be64(pkt->session_id);
	hdr->request_id = cpu_to_be64(pkt->request_id);
	hdr->ack = cpu_to_be64(pkt->ack);
}
