/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Big-endian field access for the example protocols. The messages are read
 * straight out of the datagram buffer, which has no alignment promise, so
 * every access goes byte by byte.
 */
#ifndef EXAMPLES_WIRE_H
#define EXAMPLES_WIRE_H

#include <stdint.h>

static inline void put_u16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static inline void put_u32(unsigned char *p, uint32_t v)
{
	put_u16(p, (uint16_t)(v >> 16));
	put_u16(p + 2, (uint16_t)v);
}

static inline void put_u64(unsigned char *p, uint64_t v)
{
	put_u32(p, (uint32_t)(v >> 32));
	put_u32(p + 4, (uint32_t)v);
}

static inline uint16_t get_u16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)get_u16(p) << 16 | get_u16(p + 2);
}

static inline uint64_t get_u64(const unsigned char *p)
{
	return (uint64_t)get_u32(p) << 32 | get_u32(p + 4);
}

#endif
