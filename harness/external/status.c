// SPDX-License-Identifier: MIT
/* status.c - how a program run through the protocol ended (status.h). */
#include "harness/external/status.h"

#include <stddef.h>

const char *external_status_name(int status)
{
	static const char *const names[] = {
		"ok",	  "unavailable", "bad_output",
		"failed", "crashed",	 "timed_out",
	};
	if (status < 0 || (size_t)status >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[status];
}

void external_status_set(struct run_stats *s, enum external_status status)
{
	if (!s)
		return;
	s->external = true;
	s->external_status = (int)status;
}
