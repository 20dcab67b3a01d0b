/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What wire.c needs from its environment: the kernel, or userspace (the
 * fuzzer, whose build defines __packed).
 */
#ifndef _EORPC_WIRE_ENV_H
#define _EORPC_WIRE_ENV_H

#ifdef __KERNEL__
#include <linux/string.h>
#include <asm/byteorder.h>
#else
#include <stdbool.h>
#include <string.h>
#include <endian.h>
#include <linux/types.h>
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
#define be16_to_cpu(x) be16toh(x)
#define be32_to_cpu(x) be32toh(x)
#define be64_to_cpu(x) be64toh(x)
#define cpu_to_be16(x) htobe16(x)
#define cpu_to_be32(x) htobe32(x)
#define cpu_to_be64(x) htobe64(x)
#endif

#endif /* _EORPC_WIRE_ENV_H */
