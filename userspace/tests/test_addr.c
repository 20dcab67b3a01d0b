// SPDX-License-Identifier: LGPL-2.1-or-later
/* Address parse/format: round trips and every kind of bad input. */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"

static int same(const struct sockaddr_eorpc *a, const struct sockaddr_eorpc *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* Parse, check fields, format, compare text, parse again, compare. */
static void round_trip(const char *in, int transport, const char *addr,
		       unsigned int port, uint32_t scope, const char *out)
{
	struct sockaddr_eorpc sa, sb;
	unsigned char want[16];
	char buf[EORPC_ADDRSTRLEN];
	int rc, ok;

	memset(&sa, 0xa5, sizeof(sa));
	rc = eorpc_addr_parse(&sa, in);
	TAP_OK(rc == 0, "addr: parse \"%s\"", in);
	if (rc)
		return;
	ok = sa.seo_transport == transport && ntohs(sa.seo_port) == port &&
	     sa.seo_reserved == 0 && sa.seo_scope_id == scope &&
	     sa.seo_family == EORPC_FAMILY_DEFAULT;
	if (transport == AF_INET) {
		inet_pton(AF_INET, addr, want);
		ok &= memcmp(&sa.seo_addr4, want, 4) == 0;
		ok &= !memcmp(sa.seo_addr6 + 4, "\0\0\0\0\0\0\0\0\0\0\0\0", 12);
	} else {
		inet_pton(AF_INET6, addr, want);
		ok &= memcmp(sa.seo_addr6, want, 16) == 0;
	}
	TAP_OK(ok, "addr: \"%s\" fields (transport, port, addr, scope, zeroed)", in);
	rc = eorpc_addr_format(&sa, buf, sizeof(buf));
	TAP_OK(rc == (int)strlen(out) && !strcmp(buf, out),
	       "addr: format \"%s\" -> \"%s\"", in, out);
	if (rc < 0)
		return;
	TAP_OK(eorpc_addr_parse(&sb, buf) == 0 && same(&sa, &sb),
	       "addr: \"%s\" parses back to the same address", buf);
}

static void good(void)
{
	char lo[IF_NAMESIZE], fmt[64];

	round_trip("1.2.3.4:80", AF_INET, "1.2.3.4", 80, 0, "1.2.3.4:80");
	round_trip("0.0.0.0:0", AF_INET, "0.0.0.0", 0, 0, "0.0.0.0:0");
	round_trip("255.255.255.255:65535", AF_INET, "255.255.255.255", 65535,
		   0, "255.255.255.255:65535");
	round_trip("10.0.0.1:00080", AF_INET, "10.0.0.1", 80, 0, "10.0.0.1:80");
	round_trip("[::1]:80", AF_INET6, "::1", 80, 0, "[::1]:80");
	round_trip("[::]:0", AF_INET6, "::", 0, 0, "[::]:0");
	round_trip("[2001:DB8:0:0::1]:443", AF_INET6, "2001:db8::1", 443, 0,
		   "[2001:db8::1]:443");
	round_trip("[::ffff:1.2.3.4]:7", AF_INET6, "::ffff:1.2.3.4", 7, 0,
		   "[::ffff:1.2.3.4]:7");
	/* Scope ids: by number, and by name (lo always exists). */
	if (if_indextoname(1, lo)) {
		snprintf(fmt, sizeof(fmt), "[fe80::1%%%s]:80", lo);
		round_trip("[fe80::1%1]:80", AF_INET6, "fe80::1", 80, 1, fmt);
		round_trip(fmt, AF_INET6, "fe80::1", 80, 1, fmt);
	}
	/* An index with no interface formats as a number. */
	round_trip("[fe80::2%4000000000]:9", AF_INET6, "fe80::2", 9, 4000000000u,
		   "[fe80::2%4000000000]:9");

	/* Host names go through getaddrinfo. */
	{
		struct sockaddr_eorpc sa;
		int rc = eorpc_addr_parse(&sa, "localhost:8080");
		int loop = rc == 0 && ntohs(sa.seo_port) == 8080 &&
			   ((sa.seo_transport == AF_INET &&
			     sa.seo_addr4 == htonl(INADDR_LOOPBACK)) ||
			    (sa.seo_transport == AF_INET6 &&
			     !memcmp(sa.seo_addr6, &in6addr_loopback, 16)));
		TAP_OK(loop, "addr: \"localhost:8080\" resolves to loopback");
	}
	CHECK_ERR(eorpc_addr_parse(&(struct sockaddr_eorpc){0},
				   "no-such-host.invalid:80"), ENOENT,
		  "addr: unresolvable host name -> ENOENT");

	/* seo_family follows the family file. */
	{
		char *path = tmpfile_with("33\n");
		struct sockaddr_eorpc sa;

		use_family_file(path);
		TAP_OK(eorpc_addr_parse(&sa, "1.2.3.4:5") == 0 &&
		       sa.seo_family == 33,
		       "addr: seo_family from the family file");
		use_family_file("/nonexistent/eorpc-family");
		errno = 1234;
		TAP_OK(eorpc_addr_parse(&sa, "1.2.3.4:5") == 0 &&
		       sa.seo_family == EORPC_FAMILY_DEFAULT && errno == 1234,
		       "addr: EORPC_FAMILY_DEFAULT without module, errno kept");
		unlink(path);
		free(path);
	}
}

static void bad(void)
{
	static const struct {
		const char *text;
		int err;
	} cases[] = {
		{ "", EINVAL },
		{ ":", EINVAL },
		{ ":80", EINVAL },
		{ "1.2.3.4", EINVAL },		/* no port */
		{ "1.2.3.4:", EINVAL },
		{ "1.2.3.4:abc", EINVAL },
		{ "1.2.3.4:65536", EINVAL },
		{ "1.2.3.4:123456", EINVAL },
		{ "1.2.3.4:-1", EINVAL },
		{ "1.2.3.4:+80", EINVAL },
		{ "1.2.3.4: 80", EINVAL },
		{ "1.2.3.4:80 ", EINVAL },
		{ "1.2.3.4:80x", EINVAL },
		{ "1.2.3.4:0x50", EINVAL },
		{ " 1.2.3.4:80", EINVAL },
		{ "1.2.3:80", EINVAL },		/* inet_aton shorthand */
		{ "127.1:80", EINVAL },
		{ "1.2.3.4.5:80", EINVAL },
		{ "256.1.1.1:80", EINVAL },
		{ "1.2.3.4%lo:80", EINVAL },	/* scope on IPv4 */
		{ "[1.2.3.4]:80", EINVAL },	/* brackets on IPv4 */
		{ "::1:80", EINVAL },		/* IPv6 needs brackets */
		{ "::1", EINVAL },
		{ "fe80::1%lo:80", EINVAL },
		{ "[::1]", EINVAL },
		{ "[::1]80", EINVAL },
		{ "[::1]:", EINVAL },
		{ "[::1]:x", EINVAL },
		{ "[::1]:65536", EINVAL },
		{ "[::1:80", EINVAL },
		{ "::1]:80", EINVAL },
		{ "[]:80", EINVAL },
		{ "[[::1]]:80", EINVAL },
		{ "[::g]:80", EINVAL },
		{ "[1:2:3:4:5:6:7:8:9]:80", EINVAL },
		{ "[fe80::1%]:80", EINVAL },		/* empty scope */
		{ "[fe80::1%4294967296]:80", EINVAL },	/* scope > u32 */
		{ "[fe80::1%99999999999]:80", EINVAL },
		{ "[fe80::1%-1]:80", ENODEV },
		{ "[fe80::1%nosuchif0]:80", ENODEV },
		{ "[fe80::1%waytoolonginterfacename]:80", EINVAL },
		{ "[zz%lo]:80", EINVAL },		/* address checked first */
		{ "host name:80", EINVAL },
		{ "-host:80", EINVAL },
		{ "host-:80", EINVAL },
		{ "a..b:80", EINVAL },
		{ ".a:80", EINVAL },
		{ "a/b:80", EINVAL },
		{ "h\xc3\xa9:80", EINVAL },
	};
	struct sockaddr_eorpc sa, keep;
	char *huge;
	size_t i;

	memset(&keep, 0x5a, sizeof(keep));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sa = keep;
		CHECK_ERR(eorpc_addr_parse(&sa, cases[i].text), cases[i].err,
			  "addr: bad \"%s\" -> %s", cases[i].text,
			  cases[i].err == EINVAL ? "EINVAL" : "ENODEV");
		TAP_OK(same(&sa, &keep), "addr: bad \"%s\" leaves sa untouched",
		       cases[i].text);
	}
	CHECK_ERR(eorpc_addr_parse(&sa, NULL), EINVAL, "addr: NULL text");
	CHECK_ERR(eorpc_addr_parse(NULL, "1.2.3.4:80"), EINVAL, "addr: NULL sa");

	huge = malloc(5000);
	memset(huge, 'a', 4990);
	strcpy(huge + 4990, ".b:80");
	CHECK_ERR(eorpc_addr_parse(&sa, huge), EINVAL, "addr: 5000-byte host");
	huge[0] = '[';
	CHECK_ERR(eorpc_addr_parse(&sa, huge), EINVAL,
		  "addr: unterminated 5000-byte bracket");
	memset(huge, 'a', 300);
	strcpy(huge + 300, ":80");	/* a 300-char label */
	CHECK_ERR(eorpc_addr_parse(&sa, huge), EINVAL, "addr: 300-char label");
	free(huge);
}

static void format_errors(void)
{
	struct sockaddr_eorpc sa;
	char buf[EORPC_ADDRSTRLEN];
	static const char longest[] =
		"[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255%4294967295]:65535";
	int n;

	eorpc_addr_parse(&sa, "1.2.3.4:80");
	TAP_OK(eorpc_addr_format(&sa, buf, 11) == 10 && !strcmp(buf, "1.2.3.4:80"),
	       "format: exact-size buffer");
	memset(buf, 'x', sizeof(buf));
	CHECK_ERR(eorpc_addr_format(&sa, buf, 10), ENOSPC,
		  "format: one byte short -> ENOSPC");
	TAP_OK(buf[9] == '\0', "format: truncated text is NUL-terminated");
	CHECK_ERR(eorpc_addr_format(&sa, buf, 0), ENOSPC, "format: len 0");
	CHECK_ERR(eorpc_addr_format(NULL, buf, sizeof(buf)), EINVAL,
		  "format: NULL sa");
	CHECK_ERR(eorpc_addr_format(&sa, NULL, 10), EINVAL, "format: NULL buf");
	sa.seo_transport = 1;	/* AF_UNIX */
	CHECK_ERR(eorpc_addr_format(&sa, buf, sizeof(buf)), EAFNOSUPPORT,
		  "format: unknown transport -> EAFNOSUPPORT");

	/* The longest possible text fits EORPC_ADDRSTRLEN. */
	memset(&sa, 0, sizeof(sa));
	sa.seo_transport = AF_INET6;
	memset(sa.seo_addr6, 0xff, 16);
	sa.seo_addr6[10] = sa.seo_addr6[11] = 0xff;
	sa.seo_scope_id = 4294967295u;
	sa.seo_port = htons(65535);
	n = eorpc_addr_format(&sa, buf, sizeof(buf));
	TAP_OK(n > 0 && n < EORPC_ADDRSTRLEN,
	       "format: worst case (%d chars) fits EORPC_ADDRSTRLEN", n);
	TAP_OK(EORPC_ADDRSTRLEN >= 1 + (INET6_ADDRSTRLEN - 1) + 1 +
	       (IF_NAMESIZE - 1) + 2 + 5 + 1 &&
	       sizeof(longest) <= EORPC_ADDRSTRLEN,
	       "format: EORPC_ADDRSTRLEN covers address, interface name, port");
}

void suite_addr(void)
{
	use_family_file("/nonexistent/eorpc-family");
	good();
	bad();
	format_errors();
}
