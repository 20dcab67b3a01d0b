// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * eorpc(1): call, serve, inspect and benchmark AF_EORPC from the shell.
 * This file only picks the subcommand.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *what;
} cmds[] = {
	{ "call", cmd_call, "make one call and print the reply" },
	{ "serve", cmd_serve, "answer calls: echo, or run a command per request" },
	{ "stat", cmd_stat, "sockets, sessions and counters of this namespace" },
	{ "bench", cmd_bench, "latency, throughput, close rate: AF_EORPC, UDP, TCP" },
};

static void usage(FILE *f)
{
	size_t i;
	int s;

	fprintf(f, "Usage: eorpc COMMAND [OPTIONS] [ARGS]\n\nCommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-6s %s\n", cmds[i].name, cmds[i].what);
	fprintf(f, "\n'eorpc COMMAND --help' describes each.\n\nExit status:\n");
	for (s = 0; s < 30; s++)
		if (strcmp(status_name(s), "unknown"))
			fprintf(f, "  %2d  %s\n", s, status_name(s));
	fprintf(f, "\nSee eorpc(1).\n");
}

int main(int argc, char **argv)
{
	static char prog[32];
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return ST_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return ST_OK;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[1], cmds[i].name))
			continue;
		/* Messages then say "eorpc call: ...". */
		snprintf(prog, sizeof(prog), "eorpc %s", cmds[i].name);
		cli_prog = prog;
		return cmds[i].run(argc - 1, argv + 1);
	}
	cli_usage_err("unknown command '%s'", argv[1]);
	return ST_USAGE;
}
