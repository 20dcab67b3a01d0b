// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP errors at the client. A call to a port where nothing listens ends at
 * once with ECONNREFUSED (certainly not executed) while its session is still
 * in HELLO; an established session ignores "port unreachable" (a request of
 * it may have run), so its call runs to its deadline; a forged error that
 * does not quote this session's own HELLO changes nothing. Each test runs in
 * a fresh network namespace, over loopback: IPv4, IPv6, and IPv4 from a
 * dual-stack (IPv6) client socket, whose errors come as ICMP, not ICMPv6.
 *
 *   client socket ---- lo ----> nothing on the port      (refused)
 *                      lo ----> server, closed after WELCOME (ignored)
 *                      lo ----> a UDP socket that never answers, plus a raw
 *                               socket forging ICMP errors    (dropped)
 */
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/ip_icmp.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sched.h>
#include "kselftest_harness.h"
#include "eorpc_raw.h"

enum { MAX_STATS = 128, HELLO_LEN = EOW_HDR_LEN + EOW_COOKIE_LEN };

/* /proc/net/eorpc/stats of our namespace, as read at one moment. */
struct stats {
	int n;
	char name[MAX_STATS][48];
	long long v[MAX_STATS];
};

static int stats_read(struct stats *s)
{
	FILE *f = fopen("/proc/net/eorpc/stats", "r");

	s->n = 0;
	if (!f)
		return -1;
	while (s->n < MAX_STATS &&
	       fscanf(f, "%47s %lld", s->name[s->n], &s->v[s->n]) == 2)
		s->n++;
	fclose(f);
	return s->n ? 0 : -1;
}

static long long stats_get(const struct stats *s, const char *name)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], name))
			return s->v[i];
	return -1;
}

/* Counter @name minus its value in @before (-1000 if it does not exist). */
static long long delta(const struct stats *before, const char *name)
{
	struct stats now;

	if (stats_read(&now) || stats_get(&now, name) < 0 ||
	    stats_get(before, name) < 0)
		return -1000;
	return stats_get(&now, name) - stats_get(before, name);
}

/*
 * Poll counter @name until it is @want above @before, or @ms pass (the
 * module counts in its work item, after the packet was sent). Returns the
 * last difference seen.
 */
static long long wait_delta(const struct stats *before, const char *name,
			    long long want, int ms)
{
	uint64_t end = eo_now_ms() + ms;
	long long d;

	while ((d = delta(before, name)) < want && eo_now_ms() < end)
		poll(NULL, 0, 10);
	return d;
}

/*
 * The counters that moved from @a to @b, but for those in @expect, which
 * must have moved by exactly their value (a value < 0: by at least -value).
 * Returns how many differ; each is logged.
 */
struct expect {
	const char *name;
	long long by;
};

static int unexpected_changes(struct __test_metadata *_metadata,
			      const struct stats *a, const struct stats *b,
			      const struct expect *expect, int n_expect)
{
	int i, j, bad = 0;

	for (i = 0; i < b->n; i++) {
		long long d = b->v[i] - stats_get(a, b->name[i]);
		long long want = 0;

		for (j = 0; j < n_expect; j++)
			if (!strcmp(expect[j].name, b->name[i]))
				want = expect[j].by;
		if (stats_get(a, b->name[i]) < 0 ||
		    (want >= 0 && d != want) || (want < 0 && d < -want)) {
			TH_LOG("%s moved by %lld, expected %s%lld", b->name[i], d,
			       want < 0 ? "at least " : "", want < 0 ? -want : want);
			bad++;
		}
	}
	return bad;
}

/* Wait up to @ms for a completion on @fd and read it; -1 if none came. */
static int wait_completion(int fd, int ms, struct eo_rx *rx)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[64];

	if (poll(&p, 1, ms) != 1)
		return -1;
	return eo_recv(fd, buf, sizeof(buf), rx, MSG_DONTWAIT) < 0 ? -1 : 0;
}

/* A completion is already queued on @fd (the work item ran before). */
static int has_completion(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

/* A plain UDP socket bound to loopback, port chosen by the kernel. */
static int udp_bound(int ipv6, uint16_t *port)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int fd = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		return -1;
	if ((ipv6 ? bind(fd, (struct sockaddr *)&a6, sizeof(a6)) :
		    bind(fd, (struct sockaddr *)&a4, sizeof(a4))) ||
	    getsockname(fd, (struct sockaddr *)&ss, &len)) {
		close(fd);
		return -1;
	}
	*port = ntohs(ipv6 ? ((struct sockaddr_in6 *)&ss)->sin6_port :
			     ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

/* ---- forging ICMP errors ---- */

static uint16_t inet_csum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum);
}

/*
 * What the forged error quotes: a datagram from the client's port to
 * @dport carrying @payload (an AF_EORPC header and data), cut after
 * @quoted bytes of it, as a host that quotes little would.
 */
struct quote {
	uint16_t sport, dport;
	const uint8_t *payload;
	size_t len, quoted;
};

/*
 * Build an ICMP (IPv4) or ICMPv6 error of @type/@code quoting @q, from and
 * to loopback, in @pkt. Returns its length. The ICMPv6 checksum is the
 * kernel's (raw ICMPv6 sockets always compute it); ours for ICMP.
 */
static size_t forge(uint8_t *pkt, int ipv6, uint8_t type, uint8_t code,
		    const struct quote *q)
{
	size_t ip_len = ipv6 ? sizeof(struct ip6_hdr) : sizeof(struct iphdr);
	struct udphdr *uh = (struct udphdr *)(pkt + 8 + ip_len);
	size_t len = 8 + ip_len + sizeof(*uh) + q->quoted;

	memset(pkt, 0, len);
	pkt[0] = type;
	pkt[1] = code;
	if (ipv6) {
		struct ip6_hdr *ip6 = (struct ip6_hdr *)(pkt + 8);

		ip6->ip6_flow = htonl(6 << 28);
		ip6->ip6_plen = htons(sizeof(*uh) + q->len);
		ip6->ip6_nxt = IPPROTO_UDP;
		ip6->ip6_hlim = 64;
		ip6->ip6_src = in6addr_loopback;
		ip6->ip6_dst = in6addr_loopback;
	} else {
		struct iphdr *ip = (struct iphdr *)(pkt + 8);

		ip->version = 4;
		ip->ihl = 5;
		ip->ttl = 64;
		ip->protocol = IPPROTO_UDP;
		ip->tot_len = htons(ip_len + sizeof(*uh) + q->len);
		ip->saddr = htonl(INADDR_LOOPBACK);
		ip->daddr = htonl(INADDR_LOOPBACK);
		ip->check = inet_csum(ip, sizeof(*ip));
	}
	uh->source = htons(q->sport);
	uh->dest = htons(q->dport);
	uh->len = htons(sizeof(*uh) + q->len);
	memcpy(uh + 1, q->payload, q->quoted);
	if (!ipv6) {
		uint16_t sum = inet_csum(pkt, len);

		memcpy(pkt + 2, &sum, 2);
	}
	return len;
}

static int send_icmp(int raw, int ipv6, const uint8_t *pkt, size_t len)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	ssize_t n = ipv6 ?
		sendto(raw, pkt, len, 0, (struct sockaddr *)&a6, sizeof(a6)) :
		sendto(raw, pkt, len, 0, (struct sockaddr *)&a4, sizeof(a4));

	return n == (ssize_t)len ? 0 : -1;
}

/*
 * Put a netem qdisc that loses every packet at the root of lo, or take it
 * away, over rtnetlink as tc(8) would. Forking tc takes a second or more
 * under TCG; this takes microseconds, so the window stays small.
 */
static int lo_lose_everything(int on)
{
	struct {
		struct nlmsghdr n;
		struct tcmsg t;
		char attrs[64];
	} req;
	struct tc_netem_qopt opt = { .limit = 1000, .loss = ~0U };
	struct {
		struct nlmsghdr n;
		struct nlmsgerr e;
	} ack;
	struct rtattr *a;
	int fd, err = -1;

	memset(&req, 0, sizeof(req));
	req.n.nlmsg_len = NLMSG_LENGTH(sizeof(req.t));
	req.n.nlmsg_type = on ? RTM_NEWQDISC : RTM_DELQDISC;
	req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
			    (on ? NLM_F_CREATE | NLM_F_EXCL : 0);
	req.t.tcm_family = AF_UNSPEC;
	req.t.tcm_ifindex = if_nametoindex("lo");
	req.t.tcm_parent = TC_H_ROOT;
	if (on) {
		a = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.n.nlmsg_len));
		a->rta_type = TCA_KIND;
		a->rta_len = RTA_LENGTH(sizeof("netem"));
		memcpy(RTA_DATA(a), "netem", sizeof("netem"));
		req.n.nlmsg_len = NLMSG_ALIGN(req.n.nlmsg_len) + RTA_ALIGN(a->rta_len);
		/* netem's options: struct tc_netem_qopt, no nested attributes. */
		a = (struct rtattr *)((char *)&req + req.n.nlmsg_len);
		a->rta_type = TCA_OPTIONS;
		a->rta_len = RTA_LENGTH(sizeof(opt));
		memcpy(RTA_DATA(a), &opt, sizeof(opt));
		req.n.nlmsg_len += RTA_ALIGN(a->rta_len);
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -1;
	if (send(fd, &req, req.n.nlmsg_len, 0) == (ssize_t)req.n.nlmsg_len &&
	    recv(fd, &ack, sizeof(ack), 0) >= (ssize_t)sizeof(ack) &&
	    ack.n.nlmsg_type == NLMSG_ERROR)
		err = ack.e.error;
	close(fd);
	return err;
}

/* ---- the tests ---- */

FIXTURE(icmp) {
	struct sockaddr_eorpc lo;	/* loopback, port to be set */
	int netem;			/* a netem qdisc is on lo */
};

FIXTURE_VARIANT(icmp) {
	int ipv6;	/* the peer is ::1, else 127.0.0.1 */
	int dual;	/* the client is bound to [::]:0: IPv4 goes v4-mapped */
};

FIXTURE_VARIANT_ADD(icmp, ipv4) {
	.ipv6 = 0,
};

FIXTURE_VARIANT_ADD(icmp, ipv6) {
	.ipv6 = 1,
};

/* ICMP (not ICMPv6) errors reach the hook of an IPv6 UDP socket. */
FIXTURE_VARIANT_ADD(icmp, ipv4_from_ipv6_socket) {
	.ipv6 = 0,
	.dual = 1,
};

/* The client socket of a test: autobound by its first call, or dual stack. */
static int client_socket(const FIXTURE_VARIANT(icmp) *variant)
{
	struct sockaddr_eorpc any6 = eo_addr6("::", 0);
	int fd = eo_socket();

	if (fd >= 0 && variant->dual &&
	    bind(fd, (struct sockaddr *)&any6, sizeof(any6))) {
		close(fd);
		return -1;
	}
	return fd;
}

FIXTURE_SETUP(icmp)
{
	/* Each test is a forked child: the namespace is its own. */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, eo_lo_up());
	self->lo = variant->ipv6 ? eo_addr6("::1", 0) : eo_addr4("127.0.0.1", 0);
	self->netem = 0;
}

FIXTURE_TEARDOWN(icmp)
{
	if (self->netem)
		lo_lose_everything(0);
}

TEST_F_TIMEOUT(icmp, nothing_listening_is_refused_at_once, 60)
{
	struct expect expect[] = {
		{ "Calls", 1 }, { "CallsFailed", 1 }, { "CallErrRefused", 1 },
		{ "IcmpRefused", 1 }, { "HellosSent", -1 },
	};
	struct sockaddr_eorpc dst = self->lo;
	struct stats before, after;
	uint64_t t0, took;
	struct eo_rx rx;
	uint16_t port;
	int fd, cli;

	/* A port that was just free: bind it, learn it, let it go. */
	fd = udp_bound(variant->ipv6, &port);
	ASSERT_LE(0, fd);
	close(fd);
	dst.seo_port = htons(port);
	cli = client_socket(variant);
	ASSERT_LE(0, cli);
	ASSERT_EQ(0, stats_read(&before));

	t0 = eo_now_ms();
	/* No deadline: without ICMP this call would retry forever. */
	ASSERT_EQ(1, eo_send(cli, &dst, "x", 1, 7, -1, 0));
	ASSERT_EQ(0, wait_completion(cli, 10000, &rx));
	took = eo_now_ms() - t0;
	TH_LOG("refused after %llu ms; IcmpRefused +%lld, HellosSent +%lld",
	       (unsigned long long)took, delta(&before, "IcmpRefused"),
	       delta(&before, "HellosSent"));
	EXPECT_EQ(ECONNREFUSED, rx.error);
	EXPECT_EQ(7, rx.tag);
	EXPECT_GT(3000, took);

	ASSERT_EQ(0, stats_read(&after));
	EXPECT_EQ(0, unexpected_changes(_metadata, &before, &after, expect,
					sizeof(expect) / sizeof(expect[0])));
	close(cli);
}

TEST_F_TIMEOUT(icmp, established_session_ignores_port_unreachable, 60)
{
	int deadline = 2000;
	struct sockaddr_eorpc dst = self->lo;
	struct pollfd p = { .events = POLLIN };
	struct stats before;
	uint64_t t0, took;
	struct eo_rx rx;
	int srv, cli, err;
	char buf[8];

	/* netem is a module on the stock kernel (as in run_all). */
	eo_sh("modprobe -q sch_netem 2>/dev/null");
	/* Retransmit often even after "still working": probes every 100 ms. */
	ASSERT_EQ(0, eo_sh("sysctl -qw net.eorpc.rto_min_ms=20 "
			   "net.eorpc.rto_max_ms=100"));
	srv = eo_server(&dst);
	ASSERT_LE(0, srv);
	dst.seo_port = htons(eo_port(srv));
	cli = client_socket(variant);
	ASSERT_LE(0, cli);

	t0 = eo_now_ms();
	ASSERT_EQ(1, eo_send(cli, &dst, "x", 1, 9, deadline, 0));
	/* The server application takes the request and holds it. */
	p.fd = srv;
	ASSERT_EQ(1, poll(&p, 1, 5000));
	ASSERT_EQ(1, eo_recv(srv, buf, sizeof(buf), &rx, MSG_DONTWAIT));
	ASSERT_EQ(0, stats_read(&before));
	/*
	 * The server socket closes; its ERROR(SERVER_CLOSED) is lost (netem
	 * drops everything on lo for that moment), so the client learns
	 * nothing from the server and its retransmissions meet a closed port.
	 */
	err = lo_lose_everything(1);
	if (err)
		SKIP(return, "no netem qdisc on lo: %s", strerror(-err));
	self->netem = 1;
	close(srv);
	ASSERT_EQ(0, lo_lose_everything(0));
	self->netem = 0;
	TH_LOG("server closed, lo lossless again %llu ms into the %d ms call",
	       (unsigned long long)(eo_now_ms() - t0), deadline);

	/* Its next retransmission meets the closed port: ICMP, ignored. */
	EXPECT_LE(1, wait_delta(&before, "IcmpIgnored", 1, deadline));
	ASSERT_EQ(0, wait_completion(cli, deadline + 5000, &rx));
	took = eo_now_ms() - t0;
	TH_LOG("call ended after %llu ms with errno %d", (unsigned long long)took,
	       rx.error);
	/* The request ran: "refused, not executed" would be a lie (G4). */
	EXPECT_NE(ECONNREFUSED, rx.error);
	EXPECT_EQ(ETIMEDOUT, rx.error);
	EXPECT_LE(deadline - 100, took);
	TH_LOG("IcmpIgnored +%lld, Retransmits +%lld", delta(&before, "IcmpIgnored"),
	       delta(&before, "Retransmits"));
	EXPECT_EQ(0, delta(&before, "IcmpRefused"));
	EXPECT_EQ(0, delta(&before, "IcmpDropped"));
	EXPECT_EQ(0, delta(&before, "CallErrRefused"));
	EXPECT_EQ(1, delta(&before, "CallErrTimedout"));
	EXPECT_EQ(1, stats_get(&before, "RequestsDelivered"));
	close(cli);
}

TEST_F_TIMEOUT(icmp, forged_port_unreachable_needs_the_hello, 60)
{
	uint8_t hello[HELLO_LEN], bad[HELLO_LEN], pkt[512];
	int ipv6 = variant->ipv6, i, silent, cli, raw;
	struct sockaddr_eorpc dst = self->lo;
	struct sockaddr_storage from;
	socklen_t from_len = sizeof(from);
	struct pollfd p = { .events = POLLIN };
	uint8_t port_unreach = ipv6 ? ICMP6_DST_UNREACH_NOPORT : ICMP_PORT_UNREACH;
	uint8_t unreach = ipv6 ? ICMP6_DST_UNREACH : ICMP_DEST_UNREACH;
	uint8_t host_unreach = ipv6 ? ICMP6_DST_UNREACH_ADDR : ICMP_HOST_UNREACH;
	struct stats before;
	struct eow_hdr h;
	struct quote q;
	uint16_t port, cport;
	struct eo_rx rx;
	ssize_t n;

	raw = ipv6 ? socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6) :
		     socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	ASSERT_LE(0, raw);
	/* The server that never answers: a UDP socket nobody reads from. */
	silent = udp_bound(ipv6, &port);
	ASSERT_LE(0, silent);
	dst.seo_port = htons(port);
	cli = client_socket(variant);
	ASSERT_LE(0, cli);
	ASSERT_EQ(1, eo_send(cli, &dst, "x", 1, 3, -1, 0));

	/* What a sniffer on the path sees: the HELLO, its epoch, its port. */
	p.fd = silent;
	ASSERT_EQ(1, poll(&p, 1, 5000));
	n = recvfrom(silent, hello, sizeof(hello), 0, (struct sockaddr *)&from,
		     &from_len);
	ASSERT_EQ(HELLO_LEN, n);
	ASSERT_EQ(0, eow_get(hello, n, &h));
	ASSERT_EQ(EOW_HELLO, h.type);
	cport = ntohs(ipv6 ? ((struct sockaddr_in6 *)&from)->sin6_port :
			     ((struct sockaddr_in *)&from)->sin_port);
	TH_LOG("client port %u, epoch %016llx", cport,
	       (unsigned long long)h.client_epoch);
	ASSERT_EQ(0, stats_read(&before));

	for (i = 0; i < 4; i++) {
		static const char *const what[] = {
			"another epoch", "another peer port",
			"a quote of 8 bytes", "a REQUEST of this epoch",
		};
		struct eow_hdr f = h;

		q = (struct quote){ .sport = cport, .dport = port,
				    .payload = bad, .len = HELLO_LEN,
				    .quoted = HELLO_LEN };
		memcpy(bad, hello, HELLO_LEN);
		if (i == 0)
			f.client_epoch ^= 0x8000000000000001ULL;
		if (i == 1)
			q.dport = port + 1;
		if (i == 2)
			q.quoted = 8;
		if (i == 3) {
			f.type = EOW_REQUEST;
			f.request_id = 1;
		}
		eow_put(bad, &f);
		ASSERT_EQ(0, send_icmp(raw, ipv6, pkt,
				       forge(pkt, ipv6, unreach, port_unreach, &q)));
		EXPECT_EQ(i + 1, wait_delta(&before, "IcmpDropped", i + 1, 5000))
			TH_LOG("port unreachable quoting %s: not dropped", what[i]);
		EXPECT_FALSE(has_completion(cli))
			TH_LOG("port unreachable quoting %s ended the call", what[i]);
	}

	/* The right quote, but "host unreachable": transient, ignored. */
	q = (struct quote){ .sport = cport, .dport = port, .payload = hello,
			    .len = HELLO_LEN, .quoted = HELLO_LEN };
	ASSERT_EQ(0, send_icmp(raw, ipv6, pkt,
			       forge(pkt, ipv6, unreach, host_unreach, &q)));
	EXPECT_EQ(1, wait_delta(&before, "IcmpIgnored", 1, 5000));
	EXPECT_FALSE(has_completion(cli));
	EXPECT_EQ(0, delta(&before, "IcmpRefused"));
	EXPECT_EQ(0, delta(&before, "CallsFailed"));

	/*
	 * Control: the same forged error quoting the HELLO as sent refuses
	 * the call, so the drops above were the quote checks at work.
	 */
	ASSERT_EQ(0, send_icmp(raw, ipv6, pkt,
			       forge(pkt, ipv6, unreach, port_unreach, &q)));
	ASSERT_EQ(0, wait_completion(cli, 5000, &rx));
	EXPECT_EQ(ECONNREFUSED, rx.error);
	EXPECT_EQ(3, rx.tag);
	EXPECT_EQ(1, delta(&before, "IcmpRefused"));
	EXPECT_EQ(4, delta(&before, "IcmpDropped"));
	EXPECT_EQ(1, delta(&before, "IcmpIgnored"));
	EXPECT_EQ(1, delta(&before, "CallErrRefused"));
	TH_LOG("IcmpDropped +%lld, IcmpIgnored +%lld, IcmpRefused +%lld",
	       delta(&before, "IcmpDropped"), delta(&before, "IcmpIgnored"),
	       delta(&before, "IcmpRefused"));
	close(cli);
	close(silent);
	close(raw);
}

TEST_HARNESS_MAIN
