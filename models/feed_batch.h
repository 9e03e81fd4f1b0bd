// SPDX-License-Identifier: MIT
/*
 * feed_batch.h - how many transfers an event loop starts at a time.
 *
 * Started all at once, 10,000 transfers make libcurl issue 10,000
 * connects before the loop sends a single request, and every transfer's
 * state (170 MB in all) is walked twice. In batches, the first requests
 * reach the server while later connects are still being made, and a
 * batch's state is likely still in the cache when its sockets turn
 * writable. Measured at 10,000 in flight (8 alternated runs): median
 * 2.69 s all at once, 2.22 s in batches of 500; batches of 1,000 and
 * 2,500 fell in between.
 */
#ifndef CONCUR_FEED_BATCH_H
#define CONCUR_FEED_BATCH_H

/* Tasks a loop starts per iteration before it serves its sockets again. */
#define FEED_BATCH 500

#endif
