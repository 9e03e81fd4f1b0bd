#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""py-threads - a ThreadPoolExecutor of C threads.

The lesson: threads overlap waiting. While one thread waits for the network
it has released the GIL, so C fetches are in flight at once and the wall
time drops about C times, as in the C threads model. Compute is different:
only the thread holding the GIL runs Python code, so C threads computing
take about as long as one (compare with the C gil model).

Unless the C it calls lets go of the GIL: hashlib, zlib and a C function
called through ctypes.CDLL do, so 2 threads hashing, compressing or
spinning in C use 2 cores (lesson 18, "Python threads in parallel"; the
harness chooses the kind of work: concur_work.py). The last line reports
the switch interval and whether this Python has a GIL at all.

Watch for: a http.client connection is not thread-safe, so each thread owns
its own (threading.local), as each C thread owns its CURL handle.

The shared workload (concur_shared.py): the threads share one Python
int behind an attribute. `none` loses updates because a thread gives the
GIL away between its read and its write (a plain `counter += 1` happened
not to, on CPython 3.11: see concur_shared.py); `mutex` is a
threading.Lock; `spin` spins on the lock's try-acquire; the sharded ones
keep a list slot per thread (padding means nothing here: a list holds
pointers to int objects, wherever they are); `deadlock` takes two locks
in opposite orders and hangs until the harness's time limit. `atomic`
cannot be written: Python has no atomic integer.

Run it:  build/concur run --models py-sequential,py-threads --workloads compute
         --work 2 --workers 2   and see a speedup near 1, not 2.
"""
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

import concur_shared
import concur_work
from concur_protocol import Fetcher, read_batch, run_task, write_done, \
    write_result

# The GIL promises no read-add-write in one step, and there is no atomic
# integer to ask for one.
CANNOT = {"atomic": "Python has no atomic integer; use mutex"}


def shared_state(options):
    """The counter, locks and slots every thread sees: plain objects."""
    box = concur_shared.Box
    return concur_shared.State(
        options.get("sync", "mutex"), box(), threading.Lock(),
        threading.Lock(), box(), box(), [0] * options["workers"],
        lambda: time.sleep(0))  # gives the GIL to a waiting thread


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

    shared, shared_results = shared_state(options), []
    if shared.sync == "deadlock":  # says who waits for which lock
        concur_shared.watch_waits(shared, "py-threads")

    def run(task):
        if task["type"] == "shared":
            return concur_shared.run_shared(task, shared, options, t0,
                                            "py-threads", mine.worker,
                                            CANNOT)
        return run_task(task, mine.fetcher, options, t0, "py-threads",
                        mine.worker)

    with ThreadPoolExecutor(max_workers=options["workers"],
                            initializer=start_thread) as pool:
        futures = {pool.submit(run, task): task for task in tasks}
        # Only this thread writes to stdout: results as they complete,
        # the shared ones once they are all done.
        for future in as_completed(futures):
            if futures[future]["type"] == "shared":
                shared_results.append(future.result())
            else:
                write_result(future.result())
    concur_shared.write_shared(shared_results, concur_shared.total(shared))
    # The switch interval and whether there is a GIL: lesson 18 reads them.
    write_done(time.monotonic() - t0, started[0],
               concur_work.interpreter_figures())


if __name__ == "__main__":
    main()
