// SPDX-License-Identifier: GPL-2.0
/* struct sockaddr_eorpc: checks, comparison, conversion to and from UDP. */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/siphash.h>
#include <net/ipv6.h>
#include "eorpc.h"

/**
 * eorpc_addr_check() - validate an address from userspace
 * @uaddr: the address
 * @len: its length as the user gave it
 *
 * Return: 0, -EINVAL (short, reserved bits), -EAFNOSUPPORT (family or
 * transport).
 */
int eorpc_addr_check(const void *uaddr, int len)
{
	const struct sockaddr_eorpc *a = uaddr;

	if (len < (int)sizeof(*a))
		return -EINVAL;
	if (a->seo_family != eorpc_family)
		return -EAFNOSUPPORT;
	if (a->seo_transport != AF_INET && a->seo_transport != AF_INET6)
		return -EAFNOSUPPORT;
	if (a->seo_reserved)
		return -EINVAL;
	if (a->seo_transport == AF_INET && a->seo_scope_id)
		return -EINVAL;
	return 0;
}

bool eorpc_addr_equal(const struct sockaddr_eorpc *a,
		      const struct sockaddr_eorpc *b)
{
	if (a->seo_transport != b->seo_transport || a->seo_port != b->seo_port)
		return false;
	if (a->seo_transport == AF_INET)
		return a->seo_addr4 == b->seo_addr4;
	return !memcmp(a->seo_addr6, b->seo_addr6, 16) &&
	       a->seo_scope_id == b->seo_scope_id;
}

bool eorpc_addr_is_any(const struct sockaddr_eorpc *a)
{
	if (a->seo_transport == AF_INET)
		return a->seo_addr4 == htonl(INADDR_ANY);
	return ipv6_addr_any((const struct in6_addr *)a->seo_addr6);
}

u32 eorpc_addr_hash(const struct sockaddr_eorpc *a, u64 salt)
{
	siphash_key_t key = { .key = { salt, 0 } };
	u8 buf[20];

	memcpy(buf, a->seo_addr6, 16);
	memcpy(buf + 16, &a->seo_port, 2);
	memcpy(buf + 18, &a->seo_transport, 2);
	return (u32)siphash(buf, sizeof(buf), &key);
}

/**
 * eorpc_addr_to_udp() - the sockaddr to give the kernel UDP socket
 * @a: an AF_EORPC address
 * @udp_family: family of the UDP socket (an IPv6 socket reaches IPv4
 *	addresses as v4-mapped)
 * @ss: filled in
 *
 * Return: the address length, or -EAFNOSUPPORT (IPv6 peer, IPv4 socket).
 */
int eorpc_addr_to_udp(const struct sockaddr_eorpc *a, int udp_family,
		      union eorpc_udp_addr *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (udp_family == AF_INET) {
		struct sockaddr_in *sin = &ss->v4;

		if (a->seo_transport != AF_INET)
			return -EAFNOSUPPORT;
		sin->sin_family = AF_INET;
		sin->sin_port = a->seo_port;
		sin->sin_addr.s_addr = a->seo_addr4;
		return sizeof(*sin);
	}
	{
		struct sockaddr_in6 *sin6 = &ss->v6;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = a->seo_port;
		if (a->seo_transport == AF_INET) {
			ipv6_addr_set_v4mapped(a->seo_addr4, &sin6->sin6_addr);
		} else {
			memcpy(&sin6->sin6_addr, a->seo_addr6, 16);
			sin6->sin6_scope_id = a->seo_scope_id;
		}
		return sizeof(*sin6);
	}
}

/**
 * eorpc_addr_from_skb() - the sender of a received datagram
 * @skb: the datagram, network and transport headers set
 * @a: filled in; v4-mapped IPv6 is reported as IPv4
 *
 * Return: 0, or -EINVAL for a protocol we do not carry.
 */
int eorpc_addr_from_skb(const struct sk_buff *skb, struct sockaddr_eorpc *a)
{
	const struct udphdr *uh = udp_hdr(skb);

	if (skb->protocol == htons(ETH_P_IP)) {
		eorpc_addr_from_ip4(a, ip_hdr(skb)->saddr, uh->source);
		return 0;
	}
	if (skb->protocol == htons(ETH_P_IPV6)) {
		eorpc_addr_from_ip6(a, &ipv6_hdr(skb)->saddr, uh->source, skb);
		return 0;
	}
	return -EINVAL;
}

void eorpc_addr_from_ip4(struct sockaddr_eorpc *a, __be32 ip, __be16 port)
{
	memset(a, 0, sizeof(*a));
	a->seo_family = eorpc_family;
	a->seo_transport = AF_INET;
	a->seo_port = port;
	a->seo_addr4 = ip;
}

/*
 * An address as a datagram from @skb's interface names it: v4-mapped is
 * IPv4, and a link-local address is scoped to the interface.
 */
void eorpc_addr_from_ip6(struct sockaddr_eorpc *a, const struct in6_addr *ip,
			 __be16 port, const struct sk_buff *skb)
{
	if (ipv6_addr_v4mapped(ip)) {
		eorpc_addr_from_ip4(a, ip->s6_addr32[3], port);
		return;
	}
	memset(a, 0, sizeof(*a));
	a->seo_family = eorpc_family;
	a->seo_transport = AF_INET6;
	a->seo_port = port;
	memcpy(a->seo_addr6, ip, sizeof(a->seo_addr6));
	if (ipv6_addr_type(ip) & IPV6_ADDR_LINKLOCAL)
		a->seo_scope_id = inet6_iif(skb);
}

/* A canonical copy: family set, unused bytes zero, so hashing is stable. */
void eorpc_addr_normalize(struct sockaddr_eorpc *dst,
			  const struct sockaddr_eorpc *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->seo_family = eorpc_family;
	dst->seo_transport = src->seo_transport;
	dst->seo_port = src->seo_port;
	if (src->seo_transport == AF_INET) {
		dst->seo_addr4 = src->seo_addr4;
	} else {
		memcpy(dst->seo_addr6, src->seo_addr6, 16);
		dst->seo_scope_id = src->seo_scope_id;
	}
}
