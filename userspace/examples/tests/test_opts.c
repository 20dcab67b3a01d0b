// SPDX-License-Identifier: LGPL-2.1-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>

#include "../common/opts.h"
#include "tap.h"

static int parses(const char *text, uint64_t min, uint64_t max, uint64_t want)
{
	uint64_t v = ~want;

	return !parse_u64(text, min, max, &v) && v == want;
}

static int fails(const char *text, uint64_t min, uint64_t max, int err)
{
	uint64_t v = 7;

	errno = 0;
	return parse_u64(text, min, max, &v) == -1 && errno == err && v == 7;
}

void suite_opts(void)
{
	struct client_opts o;

	printf("# suite opts\n");
	TAP_OK(parses("0", 0, 10, 0), "parse_u64: 0");
	TAP_OK(parses("10", 0, 10, 10), "parse_u64: the maximum itself");
	TAP_OK(parses("18446744073709551615", 0, UINT64_MAX, UINT64_MAX),
	       "parse_u64: UINT64_MAX");
	TAP_OK(fails("", 0, 10, EINVAL), "parse_u64: empty is EINVAL");
	TAP_OK(fails(NULL, 0, 10, EINVAL), "parse_u64: NULL is EINVAL");
	TAP_OK(fails("-1", 0, 10, EINVAL), "parse_u64: a minus sign is EINVAL");
	TAP_OK(fails("+1", 0, 10, EINVAL), "parse_u64: a plus sign is EINVAL");
	TAP_OK(fails(" 1", 0, 10, EINVAL), "parse_u64: a leading space is EINVAL");
	TAP_OK(fails("1x", 0, 10, EINVAL), "parse_u64: trailing text is EINVAL");
	TAP_OK(fails("0x10", 0, 100, EINVAL), "parse_u64: hex is EINVAL");
	TAP_OK(fails("11", 0, 10, ERANGE), "parse_u64: above max is ERANGE");
	TAP_OK(fails("0", 1, 10, ERANGE), "parse_u64: below min is ERANGE");
	TAP_OK(fails("18446744073709551616", 0, UINT64_MAX, ERANGE),
	       "parse_u64: past 64 bits is ERANGE");

	client_opts_init(&o);
	TAP_OK(client_opt(&o, "t", 'w', "0") == -1, "--inflight 0 is refused");
	TAP_OK(client_opt(&o, "t", 'w', "65") == -1, "--inflight 65 is refused");
	TAP_OK(client_opt(&o, "t", 'w', "64") == 0 && o.inflight == 64,
	       "--inflight 64 is taken");
	TAP_OK(client_opt(&o, "t", 'i', "1000") == -1, "--id 1000 is refused");
	TAP_OK(client_opt(&o, "t", 'n', "abc") == -1, "--calls abc is refused");
	TAP_OK(client_opt(&o, "t", 'k', "3") == 1,
	       "an option that is not a client option is left to the caller");
	o.server_text = "10.0.0.1:99999";
	TAP_OK(client_opts_finish(&o, "t") == -1, "a port above 65535 is refused");
	o.server_text = "10.0.0.1:4242";
	TAP_OK(client_opts_finish(&o, "t") == 0 &&
	       o.server.seo_port == htons(4242), "a good address is taken");
}
