// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * eorpc stat: /proc/net/eorpc/{sockets,sessions,stats} (and the net.eorpc
 * sysctls) for a person, like ss(8) and nstat(8), or as JSON.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "procfmt.h"

enum { SEC_SOCKETS = 1, SEC_SESSIONS = 2, SEC_COUNTERS = 4, SEC_SYSCTL = 8 };

struct stat_opts {
	const char *proc_dir, *sysctl_dir;
	unsigned int sections;
	bool json;
	struct pfilter filter;
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: eorpc stat [OPTIONS] [SECTION...] [PATTERN...]\n"
"\n"
"Show AF_EORPC sockets, sessions and counters of this network namespace.\n"
"SECTION is sockets, sessions, counters or sysctl (default: the first three);\n"
"a PATTERN (shell glob, any case, e.g. 'Retrans*') shows only the counters\n"
"it matches. Counters that are zero are hidden unless -z or -a.\n"
"\n"
"Options:\n"
"  -z, --zeros         also show counters that are zero\n"
"  -a, --all           every section and every counter, zeros included\n"
"  -j, --json          one JSON object instead of tables\n"
"      --proc DIR      read DIR instead of /proc/net/eorpc\n"
"      --sysctl DIR    read DIR instead of /proc/sys/net/eorpc\n"
"  -h, --help          this text\n"
"\n"
"Columns and counter names are the kernel's, shown as they are: those added\n"
"by newer modules appear without a new eorpc. See eorpc(1), eorpc(7).\n");
}

static unsigned int section_of(const char *s)
{
	if (!strcmp(s, "sockets"))
		return SEC_SOCKETS;
	if (!strcmp(s, "sessions"))
		return SEC_SESSIONS;
	if (!strcmp(s, "counters") || !strcmp(s, "stats"))
		return SEC_COUNTERS;
	if (!strcmp(s, "sysctl") || !strcmp(s, "sysctls"))
		return SEC_SYSCTL;
	return 0;
}

static int parse_args(int argc, char **argv, struct stat_opts *o)
{
	static const struct option longopts[] = {
		{ "zeros", no_argument, NULL, 'z' },
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "proc", required_argument, NULL, 'P' },
		{ "sysctl", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool all = false;
	unsigned int sec;
	int c;

	memset(o, 0, sizeof(*o));
	o->proc_dir = "/proc/net/eorpc";
	o->sysctl_dir = "/proc/sys/net/eorpc";
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "zajh", longopts, NULL)) != -1) {
		switch (c) {
		case 'z':
			o->filter.zeros = true;
			break;
		case 'a':
			all = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'P':
			o->proc_dir = optarg;
			break;
		case 'S':
			o->sysctl_dir = optarg;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			cli_usage_err("unknown option or missing argument '%s'",
				      argv[optind - 1]);
			return -1;
		}
	}
	for (; optind < argc; optind++) {
		sec = section_of(argv[optind]);
		if (sec) {
			o->sections |= sec;
			continue;
		}
		o->filter.patterns = argv + optind;
		o->filter.npatterns = argc - optind;
		break;
	}
	if (o->filter.npatterns)
		o->sections |= SEC_COUNTERS;
	if (all) {
		o->filter.zeros = true;
		if (!o->sections)
			o->sections = SEC_SOCKETS | SEC_SESSIONS | SEC_COUNTERS |
				      SEC_SYSCTL;
	}
	if (!o->sections)
		o->sections = SEC_SOCKETS | SEC_SESSIONS | SEC_COUNTERS;
	return 0;
}

/* The file's text; on failure a message and the exit status (negated). */
static int load(const char *dir, const char *name, char **text)
{
	char path[4096];
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!read_file(path, text, 64 << 20))
		return 0;
	err = errno;
	cli_err(err, "reading %s%s", path,
		err == ENOENT ? " (is the eorpc module loaded?)" : "");
	return -(err == ENOENT ? ST_NOMODULE : ST_FAIL);
}

static int show_table(const struct stat_opts *o, const char *name,
		      const char *title, bool *first)
{
	struct ptable t;
	char *text;
	int rc = load(o->proc_dir, name, &text);

	if (rc)
		return rc;
	rc = ptable_parse(&t, text);
	free(text);
	if (rc) {
		cli_err(errno, "parsing %s/%s", o->proc_dir, name);
		return -ST_FAIL;
	}
	if (o->json) {
		printf("%s", *first ? "" : ",");
		json_string(stdout, name);
		putchar(':');
		ptable_json(stdout, &t);
	} else {
		printf("%s", *first ? "" : "\n");
		ptable_print(stdout, title, &t);
	}
	*first = false;
	ptable_free(&t);
	return 0;
}

static int show_counters(const struct stat_opts *o, struct pcounters *c,
			 const char *key, const char *title, bool *first)
{
	if (o->json) {
		printf("%s", *first ? "" : ",");
		json_string(stdout, key);
		putchar(':');
		pcounters_json(stdout, c, &o->filter);
	} else {
		printf("%s%s%s\n", *first ? "" : "\n", title,
		       o->filter.zeros ? "" : " (non-zero; -z for all)");
		if (!pcounters_print(stdout, c, &o->filter))
			printf("(none)\n");
	}
	*first = false;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sysctl directory as "name value" text, names sorted. */
static int sysctl_text(const char *dir, char **out)
{
	char path[4096], *val, **names = NULL, **nn;
	size_t n = 0, len = 0, i;
	struct dirent *de;
	FILE *f;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		nn = realloc(names, (n + 1) * sizeof(*names));
		if (!nn || !(nn[n] = strdup(de->d_name))) {
			names = nn ? nn : names;
			break;
		}
		names = nn;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	f = open_memstream(out, &len);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (f && !read_file(path, &val, 4096)) {
			val[strcspn(val, "\n")] = 0;
			fprintf(f, "%s %s\n", names[i], val);
			free(val);
		}
		free(names[i]);
	}
	free(names);
	if (!f || fclose(f))
		return -1;
	return 0;
}

int cmd_stat(int argc, char **argv)
{
	struct stat_opts o;
	struct pcounters c;
	bool first = true;
	char *text;
	int rc;

	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc > 0 ? ST_OK : ST_USAGE;
	if (o.json)
		putchar('{');
	if (!rc && (o.sections & SEC_SOCKETS))
		rc = show_table(&o, "sockets", "Sockets", &first);
	if (!rc && (o.sections & SEC_SESSIONS))
		rc = show_table(&o, "sessions", "Sessions", &first);
	if (!rc && (o.sections & SEC_COUNTERS)) {
		rc = load(o.proc_dir, "stats", &text);
		if (!rc && pcounters_parse(&c, text)) {
			free(text);
			cli_err(errno, "parsing %s/stats", o.proc_dir);
			rc = -ST_FAIL;
		} else if (!rc) {
			free(text);
			show_counters(&o, &c, "counters", "Counters", &first);
			pcounters_free(&c);
		}
	}
	if (!rc && (o.sections & SEC_SYSCTL)) {
		if (sysctl_text(o.sysctl_dir, &text)) {
			cli_err(errno, "reading %s", o.sysctl_dir);
			rc = -(errno == ENOENT ? ST_NOMODULE : ST_FAIL);
		} else if (pcounters_parse(&c, text)) {
			free(text);
			cli_err(errno, "parsing %s", o.sysctl_dir);
			rc = -ST_FAIL;
		} else {
			struct stat_opts so = o;

			free(text);
			/* A tunable at 0 is a setting, not an idle counter. */
			so.filter = (struct pfilter){ .zeros = true };
			show_counters(&so, &c, "sysctl", "Tunables (net.eorpc.*)",
				      &first);
			pcounters_free(&c);
		}
	}
	if (o.json && !rc)
		puts("}");
	if (fflush(stdout)) {
		cli_err(errno, "writing to standard output");
		return ST_FAIL;
	}
	return -rc;
}
