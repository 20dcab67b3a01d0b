// SPDX-License-Identifier: GPL-2.0
/*
 * Run datagram files through the same checks as the fuzzer, without
 * libFuzzer (so gcc's ASan and UBSan can do it when clang is missing).
 *
 *   replay FILE...   prints "NAME: VERDICT" per file; a file named
 *                    "<verdict>-..." (as the seed generator names them,
 *                    e.g. len_bad-frag-past-end) must get that verdict.
 * Exit: 0 all as expected, 1 a verdict was not the expected one, 2 usage or
 * I/O error; a broken property aborts.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "props.h"

/* The whole file in a buffer of exactly its size (ASan sees overreads). */
static uint8_t *slurp(const char *path, size_t *len)
{
	uint8_t *buf = NULL, *bigger;
	size_t cap = 0, n = 0, got;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			bigger = realloc(buf, cap);
			if (!bigger)
				goto err;
			buf = bigger;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
		goto err;
	fclose(f);
	/* Shrink to size; a zero-length file still gets a valid pointer. */
	bigger = malloc(n ? n : 1);
	if (!bigger) {
		free(buf);
		return NULL;
	}
	memcpy(bigger, buf, n);
	free(buf);
	*len = n;
	return bigger;
err:
	free(buf);
	fclose(f);
	return NULL;
}

/* The verdict a file's name "<verdict>-<case>" asks for, or -1. */
static int expected(const char *name)
{
	const char *dash = strchr(name, '-');
	char prefix[32];

	if (!dash || (size_t)(dash - name) >= sizeof(prefix))
		return -1;
	memcpy(prefix, name, dash - name);
	prefix[dash - name] = '\0';
	return fuzz_verdict_from_name(prefix);
}

int main(int argc, char **argv)
{
	int i, status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		char *path = strdup(argv[i]);
		const char *name;
		int got, want;
		uint8_t *buf;
		size_t len;

		if (!path)
			return 2;
		name = basename(path);
		buf = slurp(argv[i], &len);
		if (!buf) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			free(path);
			return 2;
		}
		got = fuzz_check_datagram(buf, len);
		want = expected(name);
		if (want >= 0 && want != got) {
			printf("%s: %s, expected %s\n", name, fuzz_verdict_name(got),
			       fuzz_verdict_name(want));
			status = 1;
		} else {
			printf("%s: %s\n", name, fuzz_verdict_name(got));
		}
		free(buf);
		free(path);
	}
	return status;
}
