// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: each datagram is built as an skb and handed to the IP layer,
 * as UDP tunnels (WireGuard, VXLAN) do, instead of going through
 * kernel_sendmsg(): no socket-layer permission hook and no msghdr copy per
 * datagram, and nothing here sleeps, so it can run in any context. The
 * kernel UDP socket still supplies the source port and address, so replies
 * and ICMP errors find it as before. A session keeps its peer's route
 * (struct eorpc_route), as a connected socket keeps sk_dst_cache; other
 * datagrams (a COOKIE, an ERROR) look it up each time.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/udp.h>
#include "eorpc.h"
#include "xmit.h"

/**
 * eorpc_skb_add_data() - append a datagram's data to @skb
 * @skb: room for @len bytes in its head unless @ref_pages
 * @data: the data
 * @len: its length
 * @ref_pages: @data lies in pages of its own in the linear map, which
 *	the skb may hold references to (struct eorpc_msg.own_pages)
 *
 * A message body's pages are referenced, not copied: each fragment of a
 * 1 MiB message would otherwise be copied into an skb buffer that
 * init_on_alloc zeroed first, at every transmission. The references keep
 * the pages after the message is freed, as long as the skb lives; the
 * pages are marked shared, so a layer that would write into them (a
 * software checksum) copies them first.
 *
 * Return: 0, or -EMSGSIZE if @data spans more pages than an skb holds.
 */
int eorpc_skb_add_data(struct sk_buff *skb, const void *data, u32 len,
		       bool ref_pages)
{
	struct skb_shared_info *shinfo = skb_shinfo(skb);
	struct page *page;
	u32 off, chunk;

	if (!ref_pages) {
		skb_put_data(skb, data, len);
		return 0;
	}
	for (; len; len -= chunk, data += chunk) {
		if (shinfo->nr_frags >= MAX_SKB_FRAGS)
			return -EMSGSIZE;
		page = virt_to_page(data);
		off = offset_in_page(data);
		chunk = min_t(u32, len, PAGE_SIZE - off);
		get_page(page);
		skb_fill_page_desc(skb, shinfo->nr_frags, page, off, chunk);
		skb->len += chunk;
		skb->data_len += chunk;
		skb->truesize += chunk;
	}
	shinfo->flags |= SKBFL_SHARED_FRAG;
	return 0;
}

/* Header, then the data, after room for what the lower layers push;
 * allocation may not sleep.
 */
static struct sk_buff *build(const struct dst_entry *dst, int ip_hlen,
			     const void *hdr, u32 hdr_len,
			     const void *data, u32 len, bool ref_pages)
{
	int room = LL_RESERVED_SPACE(dst->dev) + dst->header_len + ip_hlen +
		   sizeof(struct udphdr);
	struct sk_buff *skb;

	skb = alloc_skb(room + hdr_len + (ref_pages ? 0 : len), GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, room);
	skb_put_data(skb, hdr, hdr_len);
	if (len && eorpc_skb_add_data(skb, data, len, ref_pages)) {
		kfree_skb(skb);
		return NULL;
	}
	return skb;
}

static void push_udp(struct sk_buff *skb, __be16 sport, __be16 dport)
{
	struct udphdr *uh;

	uh = skb_push(skb, sizeof(*uh));
	skb_reset_transport_header(skb);
	uh->source = sport;
	uh->dest = dport;
	uh->len = htons(skb->len);
	uh->check = 0;
}

/* A held route from @route, NULL if none or no longer valid. */
static struct dst_entry *route_get(struct eorpc_route *route)
{
	struct dst_entry *dst = route ? route->dst : NULL;

	if (!dst)
		return NULL;
	if (dst->obsolete && !dst->ops->check(dst, route->cookie)) {
		eorpc_route_release(route);
		return NULL;
	}
	dst_hold(dst);
	return dst;
}

/* Keep @dst (a reference of its own) for the session's next datagrams. */
static void route_set(struct eorpc_route *route, struct dst_entry *dst,
		      u32 cookie)
{
	if (!route)
		return;
	eorpc_route_release(route);
	dst_hold(dst);
	route->dst = dst;
	route->cookie = cookie;
}

void eorpc_route_release(struct eorpc_route *route)
{
	dst_release(route->dst);
	route->dst = NULL;
}

/* A negative errno, or a positive NET_XMIT_ code: congestion is not loss. */
static int xmit_result(int ret)
{
	return ret > 0 ? net_xmit_errno(ret) : ret;
}

/* The IPv4 source an IPv4 datagram of @sk leaves from; 0: the route's. */
static int ip4_source(const struct sock *sk, __be32 *saddr)
{
	if (sk->sk_family == AF_INET) {
		*saddr = inet_sk(sk)->inet_saddr;
		return 0;
	}
	if (ipv6_addr_any(&sk->sk_v6_rcv_saddr)) {
		*saddr = 0;
		return 0;
	}
	if (ipv6_addr_v4mapped(&sk->sk_v6_rcv_saddr)) {
		*saddr = sk->sk_v6_rcv_saddr.s6_addr32[3];
		return 0;
	}
	return -ENETUNREACH;	/* bound to an IPv6 address: no IPv4 source */
}

static int xmit4(struct sock *sk, struct eorpc_route *route,
		 const struct sockaddr_eorpc *to,
		 const void *hdr, u32 hdr_len, const void *data, u32 len,
		 bool ref_pages)
{
	struct net *net = sock_net(sk);
	struct flowi4 fl4 = {};
	struct sk_buff *skb;
	struct iphdr *iph;
	struct rtable *rt;
	int err;

	err = ip4_source(sk, &fl4.saddr);
	if (err)
		return err;
	fl4.daddr = to->seo_addr4;
	fl4.flowi4_proto = IPPROTO_UDP;
	fl4.flowi4_oif = sk->sk_bound_dev_if;
	fl4.flowi4_mark = sk->sk_mark;
	fl4.fl4_sport = inet_sk(sk)->inet_sport;
	fl4.fl4_dport = to->seo_port;
	rt = (struct rtable *)route_get(route);
	if (rt) {
		fl4.saddr = route->saddr4;
	} else {
		rt = ip_route_output_key(net, &fl4);
		if (IS_ERR(rt))
			return PTR_ERR(rt);
		route_set(route, &rt->dst, 0);
		if (route)
			route->saddr4 = fl4.saddr;
	}
	skb = build(&rt->dst, sizeof(*iph), hdr, hdr_len, data, len, ref_pages);
	if (!skb) {
		ip_rt_put(rt);
		return -ENOMEM;
	}
	push_udp(skb, fl4.fl4_sport, fl4.fl4_dport);
	udp_set_csum(false, skb, fl4.saddr, fl4.daddr, skb->len);

	iph = skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) >> 2;
	iph->tos = 0;
	iph->frag_off = ip_dont_fragment(sk, &rt->dst) ? htons(IP_DF) : 0;
	iph->ttl = ip4_dst_hoplimit(&rt->dst);
	iph->protocol = IPPROTO_UDP;
	iph->saddr = fl4.saddr;
	iph->daddr = fl4.daddr;
	skb->protocol = htons(ETH_P_IP);
	skb->mark = sk->sk_mark;
	skb->priority = sk->sk_priority;
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	skb_dst_set(skb, &rt->dst);
	ip_select_ident_segs(net, skb, sk, 1);
	/* __ip_local_out() sets tot_len and the header checksum. */
	err = xmit_result(ip_local_out(net, sk, skb));
	if (!err)
		SNMP_INC_STATS(net->mib.udp_statistics, UDP_MIB_OUTDATAGRAMS);
	return err;
}

#if IS_ENABLED(CONFIG_IPV6)
static int xmit6(struct sock *sk, struct eorpc_route *route,
		 const struct sockaddr_eorpc *to,
		 const void *hdr, u32 hdr_len, const void *data, u32 len,
		 bool ref_pages)
{
	struct net *net = sock_net(sk);
	struct flowi6 fl6 = {};
	struct dst_entry *dst;
	struct ipv6hdr *ip6h;
	struct sk_buff *skb;
	int err;

	memcpy(&fl6.daddr, to->seo_addr6, sizeof(fl6.daddr));
	fl6.saddr = sk->sk_v6_rcv_saddr;
	fl6.flowi6_proto = IPPROTO_UDP;
	fl6.flowi6_oif = to->seo_scope_id ? to->seo_scope_id :
					    sk->sk_bound_dev_if;
	fl6.flowi6_mark = sk->sk_mark;
	fl6.fl6_sport = inet_sk(sk)->inet_sport;
	fl6.fl6_dport = to->seo_port;
	dst = route_get(route);
	if (dst) {
		fl6.saddr = route->saddr6;
	} else {
		dst = ip6_dst_lookup_flow(net, sk, &fl6, NULL);
		if (IS_ERR(dst))
			return PTR_ERR(dst);
		route_set(route, dst, rt6_get_cookie((struct rt6_info *)dst));
		if (route)
			route->saddr6 = fl6.saddr;
	}
	skb = build(dst, sizeof(*ip6h), hdr, hdr_len, data, len, ref_pages);
	if (!skb) {
		dst_release(dst);
		return -ENOMEM;
	}
	push_udp(skb, fl6.fl6_sport, fl6.fl6_dport);
	udp6_set_csum(false, skb, &fl6.saddr, &fl6.daddr, skb->len);

	ip6h = skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6h, 0, ip6_make_flowlabel(net, skb, 0, true, &fl6));
	ip6h->nexthdr = IPPROTO_UDP;
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	ip6h->saddr = fl6.saddr;
	ip6h->daddr = fl6.daddr;
	skb->protocol = htons(ETH_P_IPV6);
	skb->mark = sk->sk_mark;
	skb->priority = sk->sk_priority;
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
	skb_dst_set(skb, dst);
	/* __ip6_local_out() sets payload_len. */
	err = xmit_result(ip6_local_out(net, sk, skb));
	if (!err)
		SNMP_INC_STATS(net->mib.udp_stats_in6, UDP_MIB_OUTDATAGRAMS);
	return err;
}
#endif

/**
 * eorpc_xmit() - send one datagram from a bound kernel UDP socket
 * @udp: the socket: its source port, address and options
 * @route: the route to @to kept by its session, or NULL for none
 * @to: destination (an IPv4 one leaves as IPv4, also from an IPv6 socket)
 * @hdr: the encoded AF_EORPC header
 * @hdr_len: its length
 * @data: what follows it
 * @len: its length
 * @ref_pages: @data lies in pages the datagram may reference
 *	(eorpc_skb_add_data())
 *
 * Return: 0 once the IP layer took it, or a negative errno (no route,
 * -ENOMEM, -ENOBUFS from a full queue, -EAFNOSUPPORT for an IPv6
 * destination from an IPv4 socket).
 */
int eorpc_xmit(struct socket *udp, struct eorpc_route *route,
	       const struct sockaddr_eorpc *to,
	       const void *hdr, u32 hdr_len, const void *data, u32 len,
	       bool ref_pages)
{
	struct sock *sk = udp->sk;

	if (to->seo_transport == AF_INET)
		return xmit4(sk, route, to, hdr, hdr_len, data, len,
			     ref_pages);
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6)
		return xmit6(sk, route, to, hdr, hdr_len, data, len,
			     ref_pages);
#endif
	return -EAFNOSUPPORT;
}
