/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading and printing the files of /proc/net/eorpc. Only the shapes are assumed (a
 * header line of column names, then rows; "Name value" counter lines), never
 * the names, so counters and columns added by later modules show up as they
 * are.
 */
#ifndef EORPC_PROCFMT_H
#define EORPC_PROCFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct ptable {
	char **cols;		/* header names */
	size_t ncols;
	char ***rows;		/* rows[i][j], j < ncols; "" when missing */
	size_t nrows;
};

struct pcounter {
	char *name;
	char *value;		/* as the kernel wrote it */
};

struct pcounters {
	struct pcounter *v;
	size_t n;
};

/* 0, or -1 with errno (ENOMEM; EINVAL for text without a header line). */
int ptable_parse(struct ptable *t, const char *text);
void ptable_free(struct ptable *t);
int pcounters_parse(struct pcounters *c, const char *text);
void pcounters_free(struct pcounters *c);

/* A counter is zero when its value is the number 0. */
bool pcounter_is_zero(const struct pcounter *c);

/*
 * Which counters to show: zeros only if @zeros; with patterns (shell
 * globs, case-insensitive), only names matching one of them.
 */
struct pfilter {
	bool zeros;
	char **patterns;
	size_t npatterns;
};
bool pfilter_match(const struct pfilter *f, const struct pcounter *c);

/* Human output: aligned columns, like ss(8) and nstat(8). */
void ptable_print(FILE *f, const char *title, const struct ptable *t);
size_t pcounters_print(FILE *f, const struct pcounters *c,
		       const struct pfilter *flt);

/* JSON output: numbers stay numbers, everything else is a string. */
void json_string(FILE *f, const char *s);
void ptable_json(FILE *f, const struct ptable *t);
void pcounters_json(FILE *f, const struct pcounters *c,
		    const struct pfilter *flt);

#endif
