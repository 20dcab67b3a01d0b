// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * struct sockaddr_eorpc <-> text.
 *
 * Literals are parsed strictly with inet_pton(3) (no "127.1" shorthands);
 * only text that looks like a host name reaches getaddrinfo(3), so bad input
 * never costs a DNS lookup.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Longest host part we look at (NI_MAXHOST less the NUL). */
#define HOST_MAX	1024

static int all_digits(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Decimal port, 0-65535, nothing else. */
static int parse_port(const char *s, uint16_t *port)
{
	size_t n = strlen(s);
	unsigned long v = 0;
	size_t i;

	if (n == 0 || n > 5 || !all_digits(s, n))
		return -1;
	for (i = 0; i < n; i++)
		v = v * 10 + (unsigned long)(s[i] - '0');
	if (v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/*
 * RFC 1123 host name: dot-separated labels of letters, digits, '-' and '_'
 * (seen in the wild), each 1-63 long, not starting or ending with '-';
 * a trailing dot is allowed. Names made of digits and dots only are
 * malformed IPv4 literals, not names.
 */
static int valid_hostname(const char *s)
{
	size_t label = 0, i, n = strlen(s);
	int alpha = 0;

	if (n == 0 || n > 253 + 1)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (c >= '0' && c <= '9') {
			/* digits only: not a letter */
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   c == '_') {
			alpha = 1;
		} else if (c == '-') {
			if (label == 0)
				return 0;
			alpha = 1;
		} else {
			return 0;
		}
		if (++label > 63)
			return 0;
	}
	if (label && s[n - 1] == '-')
		return 0;
	return alpha;
}

static int parse_scope(const char *s, uint32_t *scope)
{
	size_t n = strlen(s);
	unsigned long long v = 0;
	size_t i;

	if (n == 0 || n >= IF_NAMESIZE + 10) {
		errno = EINVAL;
		return -1;
	}
	if (all_digits(s, n)) {
		if (n > 10) {
			errno = EINVAL;
			return -1;
		}
		for (i = 0; i < n; i++)
			v = v * 10 + (unsigned long long)(s[i] - '0');
		if (v > UINT32_MAX) {
			errno = EINVAL;
			return -1;
		}
		*scope = (uint32_t)v;
		return 0;
	}
	if (n >= IF_NAMESIZE) {
		errno = EINVAL;
		return -1;
	}
	*scope = if_nametoindex(s);
	if (*scope == 0) {
		errno = ENODEV;
		return -1;
	}
	return 0;
}

static int resolve(struct sockaddr_eorpc *sa, const char *host)
{
	struct addrinfo hints, *res, *ai;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0) {
		switch (rc) {
		case EAI_AGAIN:
			errno = EAGAIN;
			break;
		case EAI_MEMORY:
			errno = ENOMEM;
			break;
		case EAI_SYSTEM:
			if (errno == 0)
				errno = ENOENT;
			break;
		default:
			errno = ENOENT;
			break;
		}
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET &&
		    ai->ai_addrlen >= sizeof(struct sockaddr_in)) {
			const struct sockaddr_in *in = (const void *)ai->ai_addr;

			sa->seo_transport = AF_INET;
			sa->seo_addr4 = in->sin_addr.s_addr;
			break;
		}
		if (ai->ai_family == AF_INET6 &&
		    ai->ai_addrlen >= sizeof(struct sockaddr_in6)) {
			const struct sockaddr_in6 *in6 = (const void *)ai->ai_addr;

			sa->seo_transport = AF_INET6;
			memcpy(sa->seo_addr6, &in6->sin6_addr, 16);
			sa->seo_scope_id = in6->sin6_scope_id;
			break;
		}
	}
	freeaddrinfo(res);
	if (!ai) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

int eorpc_addr_parse(struct sockaddr_eorpc *sa, const char *text)
{
	struct sockaddr_eorpc out;
	char host[HOST_MAX + 1];
	const char *h, *port, *end;
	size_t hlen;
	int bracketed = 0, saved, family;

	if (!sa || !text)
		goto inval;
	if (text[0] == '[') {
		end = strrchr(text, ']');
		if (!end || end[1] != ':')
			goto inval;
		h = text + 1;
		hlen = (size_t)(end - h);
		port = end + 2;
		bracketed = 1;
	} else {
		end = strrchr(text, ':');
		if (!end)
			goto inval;
		h = text;
		hlen = (size_t)(end - h);
		port = end + 1;
		if (memchr(h, ':', hlen))	/* IPv6 needs brackets */
			goto inval;
	}
	if (hlen == 0 || hlen > HOST_MAX)
		goto inval;
	memcpy(host, h, hlen);
	host[hlen] = '\0';

	memset(&out, 0, sizeof(out));
	if (parse_port(port, &out.seo_port) < 0)
		goto inval;
	out.seo_port = htons(out.seo_port);

	if (bracketed) {
		char *pct = strchr(host, '%');

		if (pct)
			*pct = '\0';
		if (inet_pton(AF_INET6, host, out.seo_addr6) != 1)
			goto inval;
		if (pct && parse_scope(pct + 1, &out.seo_scope_id) < 0)
			return -1;
		out.seo_transport = AF_INET6;
	} else if (inet_pton(AF_INET, host, &out.seo_addr4) == 1) {
		out.seo_transport = AF_INET;
	} else {
		if (!valid_hostname(host))
			goto inval;
		if (resolve(&out, host) < 0)
			return -1;
	}

	saved = errno;
	family = eorpc_family();
	errno = saved;
	out.seo_family = family > 0 ? (__kernel_sa_family_t)family
				    : EORPC_FAMILY_DEFAULT;
	*sa = out;
	return 0;
inval:
	errno = EINVAL;
	return -1;
}

int eorpc_addr_format(const struct sockaddr_eorpc *sa, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];
	char scope[IF_NAMESIZE > 11 ? IF_NAMESIZE : 11];
	unsigned int port;
	int n;

	if (!sa || !buf) {
		errno = EINVAL;
		return -1;
	}
	port = ntohs(sa->seo_port);
	switch (sa->seo_transport) {
	case AF_INET:
		if (!inet_ntop(AF_INET, &sa->seo_addr4, host, sizeof(host)))
			return -1;
		n = snprintf(buf, len, "%s:%u", host, port);
		break;
	case AF_INET6:
		if (!inet_ntop(AF_INET6, sa->seo_addr6, host, sizeof(host)))
			return -1;
		if (sa->seo_scope_id == 0) {
			n = snprintf(buf, len, "[%s]:%u", host, port);
			break;
		}
		if (!if_indextoname(sa->seo_scope_id, scope))
			snprintf(scope, sizeof(scope), "%u", sa->seo_scope_id);
		n = snprintf(buf, len, "[%s%%%s]:%u", host, scope, port);
		break;
	default:
		errno = EAFNOSUPPORT;
		return -1;
	}
	if (n < 0)
		return -1;
	if ((size_t)n >= len) {
		errno = ENOSPC;
		return -1;
	}
	return n;
}
