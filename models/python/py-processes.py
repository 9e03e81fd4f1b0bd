#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""py-processes - a ProcessPoolExecutor of C worker processes.

The lesson: each process has its own interpreter and its own GIL, so C
processes compute in parallel and CPU-bound work speeds up with the cores,
as in the C processes model. The price: starting the interpreters, and
every task and result is pickled through a pipe.

Watch for: nothing is shared unless you ask. Each worker gets its number
from a counter in shared memory (multiprocessing.Value), under its lock;
a plain global would be copied into each process and never agree.

Run it:  build/concur run --models py-sequential,py-processes
         --workloads compute --work 2 --workers 2   and see a speedup near 2.
"""
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from concur_protocol import Fetcher, new_result, read_batch, run_task, \
    write_done, write_result

# One worker process's own state, set by start_worker in that process.
worker = None
fetcher = None


def start_worker(counter, options):
    global worker, fetcher
    with counter.get_lock():  # the processes take numbers one at a time
        worker = counter.value
        counter.value += 1
    fetcher = Fetcher(options)  # this process's connection, kept alive


def run(task, options, t0):
    # time.monotonic() is the system's monotonic clock: t0 taken in the
    # parent means the same instant here.
    return run_task(task, fetcher, options, t0, "py-processes", worker)


def main():
    tasks, options = read_batch()
    t0 = time.monotonic()
    counter = multiprocessing.Value("i", 0)
    with ProcessPoolExecutor(max_workers=options["workers"],
                             initializer=start_worker,
                             initargs=(counter, options)) as pool:
        futures = {pool.submit(run, task, options, t0): task
                   for task in tasks}
        for future in as_completed(futures):
            try:
                write_result(future.result())
            except BrokenProcessPool:
                # A worker died: its task, and every one still queued,
                # is reported crashed rather than lost.
                result = new_result(futures[future])
                result["kind"] = "crashed"
                result["message"] = "a worker process died"
                write_result(result)
    write_done(time.monotonic() - t0, counter.value)


if __name__ == "__main__":
    main()
