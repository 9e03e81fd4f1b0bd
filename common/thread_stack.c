// SPDX-License-Identifier: MIT
/* thread_stack.c - a pthread_attr_t with the small stack of a pool thread. */
#include "common/thread_stack.h"

#include <limits.h>

int thread_stack_attr_init(pthread_attr_t *attr)
{
	size_t stack = THREAD_STACK_SIZE;
	int rc = pthread_attr_init(attr);
	if (rc != 0)
		return rc;
	if (stack < (size_t)PTHREAD_STACK_MIN)
		stack = PTHREAD_STACK_MIN;
	pthread_attr_setstacksize(attr, stack);
	return 0;
}
