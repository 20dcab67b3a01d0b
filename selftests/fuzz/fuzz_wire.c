// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: arbitrary bytes as one AF_EORPC datagram. */
#include "props.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_check_datagram(data, size);
	return 0;
}
