// SPDX-License-Identifier: LGPL-2.1-or-later
/* Unit tests of the eorpc tool's parts that need no kernel. */
#include "tap.h"

int main(void)
{
	suite_status();
	suite_args();
	suite_procfmt();
	suite_samples();
	suite_util();
	printf("1..%d\n", tap_count());
	return tap_failures() ? 1 : 0;
}
