#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""py-threads - a ThreadPoolExecutor of C threads.

The lesson: threads overlap waiting. While one thread waits for the network
it has released the GIL, so C fetches are in flight at once and the wall
time drops about C times, as in the C threads model. Compute is different:
only the thread holding the GIL runs Python code, so C threads computing
take about as long as one (compare with the C gil model).

Watch for: a http.client connection is not thread-safe, so each thread owns
its own (threading.local), as each C thread owns its CURL handle.

Run it:  build/concur run --models py-sequential,py-threads --workloads compute
         --work 2 --workers 2   and see a speedup near 1, not 2.
"""
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

from concur_protocol import Fetcher, read_batch, run_task, write_done, \
    write_result


def main():
    tasks, options = read_batch()
    t0 = time.monotonic()
    mine = threading.local()  # each thread's own number and connection
    started = [0]  # threads started so far, guarded by started_lock
    started_lock = threading.Lock()

    def start_thread():
        with started_lock:  # two threads may start at once
            mine.worker = started[0]
            started[0] += 1
        mine.fetcher = Fetcher(options)  # kept alive for all its tasks

    def run(task):
        return run_task(task, mine.fetcher, options, t0, "py-threads",
                        mine.worker)

    with ThreadPoolExecutor(max_workers=options["workers"],
                            initializer=start_thread) as pool:
        futures = [pool.submit(run, task) for task in tasks]
        # Only this thread writes to stdout: results as they complete.
        for future in as_completed(futures):
            write_result(future.result())
    write_done(time.monotonic() - t0, started[0])


if __name__ == "__main__":
    main()
