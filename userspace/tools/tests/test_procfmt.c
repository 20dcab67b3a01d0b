// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * eorpc stat's formatting, from /proc/net/eorpc text of the shape the
 * module writes, including columns and counters this tool has never heard
 * of (a newer module's).
 */
#include <stdlib.h>
#include <string.h>

#include "procfmt.h"
#include "tap.h"

static const char sockets_text[] =
	"local role rmem wmem inode uid calls_out server_sessions\n"
	"127.0.0.1:4242 server 0 0 400 0 0 1\n"
	"0.0.0.0:60906 client 212992 198816 304 0 25 0\n";

/* A newer module: one more column in the header, and a row with an extra. */
static const char sessions_text[] =
	"local peer role state session last_id ack rto_us|live future_col\n"
	"127.0.0.1:4242 127.0.0.1:60906 server up 0ead55c2910103d8 - 11 15 7\n"
	"0.0.0.0:60906 127.0.0.1:4242 client up 0ead55c2910103d8 26 11 141251 9 extra\n"
	"\n";

static const char stats_text[] =
	"Calls 104\n"
	"CallsCompleted 56\n"
	"Retransmits 0\n"
	"BrandNewCounter 7\n"
	"ZeroFuture 0\n"
	"Weird\n";

/* Column @col's starting offset in every non-title line of @out. */
static int aligned(const char *out, const char *word_in_header)
{
	const char *line = strchr(out, '\n') + 1, *hdr = strstr(line, word_in_header);
	size_t off = hdr - line, i;
	char prev;

	/* Every later line has a blank before @off and text at @off. */
	for (line = strchr(line, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		const char *l = line + 1;
		size_t len = strcspn(l, "\n");

		if (len <= off)
			return 0;
		prev = l[off - 1];
		if (prev != ' ' || l[off] == ' ')
			return 0;
		for (i = 0; i < off; i++)
			if (l[i] == '\n')
				return 0;
	}
	return 1;
}

static void tables(void)
{
	struct capture cap;
	struct ptable t;
	char *out;

	TAP_OK(ptable_parse(&t, sockets_text) == 0 && t.ncols == 8 && t.nrows == 2,
	       "procfmt: sockets: 8 columns, 2 rows");
	TAP_OK(!strcmp(t.cols[6], "calls_out") && !strcmp(t.rows[1][6], "25"),
	       "procfmt: cells are where the header says");
	capture_start(&cap);
	ptable_print(cap.f, "Sockets", &t);
	out = capture_end(&cap);
	TAP_OK(!strncmp(out, "Sockets (2)\n", 12), "procfmt: title with the row count");
	TAP_OK(aligned(out, "rmem") && aligned(out, "server_sessions"),
	       "procfmt: columns aligned in every row");
	free(out);
	capture_start(&cap);
	ptable_json(cap.f, &t);
	out = capture_end(&cap);
	TAP_OK(strstr(out, "\"local\":\"127.0.0.1:4242\"") &&
	       strstr(out, "\"rmem\":212992") && strstr(out, "\"role\":\"client\"") &&
	       out[0] == '[' && out[strlen(out) - 1] == ']',
	       "procfmt: JSON rows: numbers as numbers, text as strings");
	free(out);
	ptable_free(&t);

	TAP_OK(ptable_parse(&t, sessions_text) == 0 && t.nrows == 2 && t.ncols == 10,
	       "procfmt: an unknown column and an extra field are kept (10 columns)");
	TAP_OK(!strcmp(t.cols[8], "future_col") && !strcmp(t.cols[9], "col10") &&
	       !strcmp(t.rows[0][9], "") && !strcmp(t.rows[1][9], "extra"),
	       "procfmt: the extra field gets a generic name, short rows blanks");
	capture_start(&cap);
	ptable_json(cap.f, &t);
	out = capture_end(&cap);
	TAP_OK(strstr(out, "\"session\":\"0ead55c2910103d8\"") &&
	       strstr(out, "\"last_id\":\"-\"") && strstr(out, "\"future_col\":7"),
	       "procfmt: hex ids and '-' stay strings in JSON");
	free(out);
	ptable_free(&t);

	TAP_OK(ptable_parse(&t, "") == -1, "procfmt: empty text has no header: error");
	TAP_OK(ptable_parse(&t, "a b\n") == 0 && t.nrows == 0,
	       "procfmt: a header alone is an empty table");
	ptable_free(&t);
}

static void counters(void)
{
	struct pfilter all = { .zeros = true }, nz = { 0 };
	char *pat[] = { "retrans*", "brand*" };
	struct pfilter glob = { .zeros = true, .patterns = pat, .npatterns = 2 };
	struct pcounters c;
	struct capture cap;
	char *out;
	size_t shown;

	TAP_OK(pcounters_parse(&c, stats_text) == 0 && c.n == 6,
	       "procfmt: stats: every line is a counter, unknown names included");
	capture_start(&cap);
	shown = pcounters_print(cap.f, &c, &nz);
	out = capture_end(&cap);
	TAP_OK(shown == 4 && strstr(out, "BrandNewCounter") && strstr(out, "Weird") &&
	       !strstr(out, "Retransmits") && !strstr(out, "ZeroFuture"),
	       "procfmt: default: zeros hidden, new and odd counters shown");
	free(out);
	capture_start(&cap);
	shown = pcounters_print(cap.f, &c, &all);
	out = capture_end(&cap);
	TAP_OK(shown == 6 && strstr(out, "Retransmits") && strstr(out, "ZeroFuture"),
	       "procfmt: -z: zeros shown");
	TAP_OK(strstr(out, "Calls") && strchr(strstr(out, "CallsCompleted"), '\n') -
	       strstr(out, "CallsCompleted") == strchr(strstr(out, "Retransmits"), '\n') -
	       strstr(out, "Retransmits"),
	       "procfmt: counter values right-aligned in one column");
	free(out);
	capture_start(&cap);
	shown = pcounters_print(cap.f, &c, &glob);
	out = capture_end(&cap);
	TAP_OK(shown == 2 && strstr(out, "Retransmits") && strstr(out, "BrandNew") &&
	       !strstr(out, "CallsCompleted"),
	       "procfmt: patterns are case-insensitive globs");
	free(out);
	capture_start(&cap);
	pcounters_json(cap.f, &c, &nz);
	out = capture_end(&cap);
	TAP_OK(!strcmp(out, "{\"Calls\":104,\"CallsCompleted\":56,\"BrandNewCounter\":7,\"Weird\":\"\"}"),
	       "procfmt: counters as one JSON object");
	free(out);
	pcounters_free(&c);
}

static void json_escaping(void)
{
	struct capture cap;
	char *out;

	capture_start(&cap);
	json_string(cap.f, "a\"b\\c\n\x01");
	out = capture_end(&cap);
	TAP_OK(!strcmp(out, "\"a\\\"b\\\\c\\u000a\\u0001\""),
	       "procfmt: JSON strings escape quotes, backslashes, control bytes");
	free(out);
}

void suite_procfmt(void)
{
	tables();
	counters();
	json_escaping();
}
