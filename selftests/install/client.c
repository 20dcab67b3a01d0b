// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A program a user of the installed libeorpc would write, built by
 * selftests/install/check with nothing but pkg-config's flags: it proves the
 * installed headers (<libeorpc.h> and the <linux/eorpc.h> it includes) and
 * the library (static or shared) work together. It needs no module: it uses
 * the parts of the library that run without one.
 *
 * Usage: client FAMILY_FILE. Prints one line per fact it checked; exits 1 on
 * the first wrong one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libeorpc.h>

static int fail(const char *what)
{
	fprintf(stderr, "client: %s\n", what);
	return 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_eorpc sa;
	char text[EORPC_ADDRSTRLEN];

	if (argc != 2)
		return fail("usage: client FAMILY_FILE");

	/* The family number comes from the file, as from sysfs. */
	if (setenv("EORPC_FAMILY_FILE", argv[1], 1))
		return fail("setenv");
	if (eorpc_family() != 27)
		return fail("eorpc_family() did not read 27 from the file");
	printf("family %d\n", eorpc_family());

	/* Text to address and back, through the UAPI struct's fields. */
	if (eorpc_addr_parse(&sa, "[2001:db8::1]:4242"))
		return fail("eorpc_addr_parse failed");
	if (sa.seo_family != 27 || sa.seo_transport != 10 /* AF_INET6 */)
		return fail("parsed address has the wrong family or transport");
	if (eorpc_addr_format(&sa, text, sizeof(text)) < 0 ||
	    strcmp(text, "[2001:db8::1]:4242"))
		return fail("eorpc_addr_format did not give the text back");
	printf("address %s\n", text);

	/* Bad input gets an errno, not a crash. */
	errno = 0;
	if (eorpc_addr_parse(&sa, "1.2.3.4") != -1 || errno != EINVAL)
		return fail("a port-less address was not EINVAL");

	/* The UAPI's error classes, as the library reads them. */
	if (!eorpc_may_have_executed(ETIMEDOUT) ||
	    eorpc_may_have_executed(ECONNREFUSED))
		return fail("eorpc_may_have_executed is wrong");
	printf("limit %d, level %d\n", EORPC_MAX_PAYLOAD, SOL_EORPC);
	return 0;
}
