/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The properties every datagram must satisfy when it goes through
 * eorpc_wire_decode(); shared by the libFuzzer target and the replayer.
 */
#ifndef _EORPC_FUZZ_PROPS_H
#define _EORPC_FUZZ_PROPS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decode @buf (exactly @len bytes: a read past it is an ASan report) and
 * check every property; a broken one prints what and why on stderr and
 * aborts, which libFuzzer records as a crash. Returns the verdict.
 */
int fuzz_check_datagram(const uint8_t *buf, size_t len);

/* "OK", "SHORT", ... as in enum eorpc_wire_verdict; seed names use them. */
const char *fuzz_verdict_name(int verdict);
/* The verdict so named, in any case ("len_bad"), or -1. */
int fuzz_verdict_from_name(const char *name);

#endif /* _EORPC_FUZZ_PROPS_H */
