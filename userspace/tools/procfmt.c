// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * /proc/net/eorpc text in, aligned tables and JSON out (procfmt.h).
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "procfmt.h"

/* Split @line (modified) on blanks; returns the count, -1 on ENOMEM. */
static int split(char *line, char ***out)
{
	char **v = NULL, **nv, *save = NULL, *tok;
	int n = 0;

	for (tok = strtok_r(line, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv)
			goto nomem;
		v = nv;
		v[n] = strdup(tok);
		if (!v[n])
			goto nomem;
		n++;
	}
	*out = v;
	return n;
nomem:
	while (n--)
		free(v[n]);
	free(v);
	errno = ENOMEM;
	return -1;
}

static void free_strv(char **v, size_t n)
{
	while (n--)
		free(v[n]);
	free(v);
}

/* Each line of @text in turn, as a modifiable copy. */
static char *next_line(const char **p)
{
	const char *s = *p, *e;
	char *line;

	if (!*s)
		return NULL;
	e = strchr(s, '\n');
	if (!e)
		e = s + strlen(s);
	line = strndup(s, e - s);
	*p = *e ? e + 1 : e;
	return line;
}

/* A row with more fields than the header gets columns named "col<N>". */
static int widen(struct ptable *t, size_t ncols)
{
	char **cols;
	size_t i, j;

	cols = realloc(t->cols, ncols * sizeof(*cols));
	if (!cols)
		return -1;
	t->cols = cols;
	for (j = t->ncols; j < ncols; j++) {
		if (asprintf(&cols[j], "col%zu", j + 1) < 0)
			return -1;
		t->ncols = j + 1;
		for (i = 0; i < t->nrows; i++) {
			char **r = realloc(t->rows[i], (j + 1) * sizeof(*r));

			if (!r)
				return -1;
			t->rows[i] = r;
			r[j] = strdup("");
			if (!r[j])
				return -1;
		}
	}
	return 0;
}

static int add_row(struct ptable *t, char **f, size_t n)
{
	char ***rows, **row;
	size_t j;

	if (n > t->ncols && widen(t, n))
		return -1;
	row = calloc(t->ncols, sizeof(*row));
	rows = realloc(t->rows, (t->nrows + 1) * sizeof(*rows));
	if (!row || !rows) {
		free(row);
		if (rows)
			t->rows = rows;
		return -1;
	}
	t->rows = rows;
	for (j = 0; j < t->ncols; j++) {
		row[j] = j < n ? f[j] : strdup("");
		if (j < n)
			f[j] = NULL;
		if (!row[j]) {
			free_strv(row, j);
			return -1;
		}
	}
	t->rows[t->nrows++] = row;
	return 0;
}

int ptable_parse(struct ptable *t, const char *text)
{
	const char *p = text;
	char *line, **f;
	int n;

	memset(t, 0, sizeof(*t));
	while ((line = next_line(&p))) {
		n = split(line, &f);
		free(line);
		if (n < 0)
			goto fail;
		if (!n) {
			free(f);
			continue;
		}
		if (!t->cols) {
			t->cols = f;
			t->ncols = n;
			continue;
		}
		if (add_row(t, f, n)) {
			free_strv(f, n);
			goto fail;
		}
		free_strv(f, n);
	}
	if (!t->cols) {
		errno = EINVAL;
		return -1;
	}
	return 0;
fail:
	ptable_free(t);
	errno = ENOMEM;
	return -1;
}

void ptable_free(struct ptable *t)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		free_strv(t->rows[i], t->ncols);
	free(t->rows);
	free_strv(t->cols, t->ncols);
	memset(t, 0, sizeof(*t));
}

/* "Name value"; a line of another shape is kept whole as a name. */
int pcounters_parse(struct pcounters *c, const char *text)
{
	const char *p = text;
	struct pcounter *v;
	char *line, **f;
	int n;

	memset(c, 0, sizeof(*c));
	while ((line = next_line(&p))) {
		n = split(line, &f);
		free(line);
		if (n < 0)
			goto fail;
		if (!n) {
			free(f);
			continue;
		}
		v = realloc(c->v, (c->n + 1) * sizeof(*v));
		if (!v) {
			free_strv(f, n);
			goto fail;
		}
		c->v = v;
		v[c->n].name = f[0];
		v[c->n].value = n > 1 ? f[1] : strdup("");
		c->n++;
		while (n > 2)
			free(f[--n]);
		free(f);
		if (!v[c->n - 1].value)
			goto fail;
	}
	return 0;
fail:
	pcounters_free(c);
	errno = ENOMEM;
	return -1;
}

void pcounters_free(struct pcounters *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].name);
		free(c->v[i].value);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static bool is_number(const char *s)
{
	if (*s == '-')
		s++;
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

bool pcounter_is_zero(const struct pcounter *c)
{
	const char *s = c->value;

	if (!is_number(s))
		return false;
	if (*s == '-')
		s++;
	return strspn(s, "0") == strlen(s);
}

bool pfilter_match(const struct pfilter *f, const struct pcounter *c)
{
	size_t i;

	if (!f->zeros && pcounter_is_zero(c))
		return false;
	if (!f->npatterns)
		return true;
	for (i = 0; i < f->npatterns; i++)
		if (!fnmatch(f->patterns[i], c->name, FNM_CASEFOLD))
			return true;
	return false;
}

void ptable_print(FILE *f, const char *title, const struct ptable *t)
{
	size_t i, j, *w = calloc(t->ncols ? t->ncols : 1, sizeof(*w));

	if (!w)
		return;
	for (j = 0; j < t->ncols; j++) {
		w[j] = strlen(t->cols[j]);
		for (i = 0; i < t->nrows; i++)
			if (strlen(t->rows[i][j]) > w[j])
				w[j] = strlen(t->rows[i][j]);
	}
	fprintf(f, "%s (%zu)\n", title, t->nrows);
	for (j = 0; j < t->ncols; j++)
		fprintf(f, "%-*s%s", j + 1 < t->ncols ? (int)w[j] : 0,
			t->cols[j], j + 1 < t->ncols ? "  " : "\n");
	for (i = 0; i < t->nrows; i++)
		for (j = 0; j < t->ncols; j++)
			fprintf(f, "%-*s%s", j + 1 < t->ncols ? (int)w[j] : 0,
				t->rows[i][j], j + 1 < t->ncols ? "  " : "\n");
	free(w);
}

size_t pcounters_print(FILE *f, const struct pcounters *c,
		       const struct pfilter *flt)
{
	size_t i, w = 0, shown = 0;

	for (i = 0; i < c->n; i++)
		if (pfilter_match(flt, &c->v[i]) && strlen(c->v[i].name) > w)
			w = strlen(c->v[i].name);
	for (i = 0; i < c->n; i++) {
		if (!pfilter_match(flt, &c->v[i]))
			continue;
		fprintf(f, "%-*s  %20s\n", (int)w, c->v[i].name, c->v[i].value);
		shown++;
	}
	return shown;
}

void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void json_value(FILE *f, const char *s)
{
	/* Numbers with leading zeros are not JSON numbers: keep them text. */
	if (is_number(s) && (s[0] != '0' || !s[1]) &&
	    !(s[0] == '-' && (s[1] == '0' || !s[1])))
		fputs(s, f);
	else
		json_string(f, s);
}

void ptable_json(FILE *f, const struct ptable *t)
{
	size_t i, j;

	fputc('[', f);
	for (i = 0; i < t->nrows; i++) {
		fputs(i ? ",{" : "{", f);
		for (j = 0; j < t->ncols; j++) {
			if (j)
				fputc(',', f);
			json_string(f, t->cols[j]);
			fputc(':', f);
			json_value(f, t->rows[i][j]);
		}
		fputc('}', f);
	}
	fputc(']', f);
}

void pcounters_json(FILE *f, const struct pcounters *c,
		    const struct pfilter *flt)
{
	size_t i, n = 0;

	fputc('{', f);
	for (i = 0; i < c->n; i++) {
		if (!pfilter_match(flt, &c->v[i]))
			continue;
		if (n++)
			fputc(',', f);
		json_string(f, c->v[i].name);
		fputc(':', f);
		json_value(f, c->v[i].value);
	}
	fputc('}', f);
}
