/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The wire rules of kmod/PROTOCOL.md and the kernel-doc of kmod/wire.h,
 * written a second time, independently of kmod/wire.c, so the fuzzer can
 * tell when the decoder accepts what the documentation forbids or refuses
 * what it allows.
 */
#ifndef _EORPC_FUZZ_SPEC_H
#define _EORPC_FUZZ_SPEC_H

#include <stddef.h>
#include <stdint.h>

/*
 * Which verdicts of enum eorpc_wire_verdict a datagram deserves: bit v is
 * set when a rule of that verdict's kind is broken. 0 means "valid".
 */
unsigned int spec_reasons(const uint8_t *buf, size_t len);

/* A type the decoder knows (1..EORPC_PKT_TYPE_MAX) that the rules here do
 * not: the harness is out of date, not the kernel. */
int spec_type_unknown_to_harness(uint8_t type);

#endif /* _EORPC_FUZZ_SPEC_H */
