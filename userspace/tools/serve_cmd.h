/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef EORPC_SERVE_CMD_H
#define EORPC_SERVE_CMD_H

#include <stddef.h>
#include <stdint.h>

/*
 * Run @argv with @in on its stdin; its stdout (at most @cap bytes, the rest
 * is dropped with a warning) lands in @out. Returns the reply length.
 */
size_t serve_run_cmd(char **argv, const void *in, size_t in_len, char *out,
		     size_t cap, const char *peer, uint64_t call_id);

#endif
