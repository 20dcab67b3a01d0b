// SPDX-License-Identifier: LGPL-2.1-or-later
/* Number and size parsing: strict, with the limits enforced. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "tap.h"

void suite_util(void)
{
	uint64_t v = 0;
	double d = 0;
	char *buf;
	size_t len;
	int p[2];

	TAP_OK(parse_u64("42", 0, 100, &v) == 0 && v == 42, "util: a number in range");
	TAP_OK(parse_u64("101", 0, 100, &v) == -1 && parse_u64("", 0, 9, &v) == -1 &&
	       parse_u64("-1", 0, 9, &v) == -1 && parse_u64("+1", 0, 9, &v) == -1 &&
	       parse_u64("1x", 0, 9, &v) == -1 && parse_u64(" 1", 0, 9, &v) == -1 &&
	       parse_u64("99999999999999999999999", 0, UINT64_MAX, &v) == -1,
	       "util: out of range, empty, signed, junk, overflow refused");
	TAP_OK(parse_size("16K", 65536, &v) == 0 && v == 16384 &&
	       parse_size("1KiB", 65536, &v) == 0 && v == 1024 &&
	       parse_size("64k", 65536, &v) == 0 && v == 65536 &&
	       parse_size("1M", 1 << 20, &v) == 0 && v == 1 << 20,
	       "util: sizes with K, KiB, M suffixes");
	TAP_OK(parse_size("65K", 65536, &v) == -1 && parse_size("K", 65536, &v) == -1 &&
	       parse_size("1G", UINT64_MAX, &v) == -1,
	       "util: sizes over the limit, without digits, or unknown suffix refused");
	TAP_OK(parse_seconds("0.25", &d) == 0 && d == 0.25 &&
	       parse_seconds("0", &d) == -1 && parse_seconds("inf", &d) == -1 &&
	       parse_seconds("1s", &d) == -1,
	       "util: seconds: positive and finite only");

	if (pipe(p) == 0) {
		int r;

		r = write(p[1], "hello", 5);
		close(p[1]);
		r = r == 5 ? read_all(p[0], &buf, &len, 4) : 0;
		TAP_OK(r == -1 && errno == EMSGSIZE,
		       "util: read_all refuses more than the limit with EMSGSIZE");
		close(p[0]);
	}
	if (pipe(p) == 0) {
		TAP_OK(write(p[1], "abc", 3) == 3, "util: pipe write");
		close(p[1]);
		TAP_OK(read_all(p[0], &buf, &len, 3) == 0 && len == 3 &&
		       !strcmp(buf, "abc"),
		       "util: read_all reads exactly the limit, NUL-terminated");
		free(buf);
		close(p[0]);
	}
}
