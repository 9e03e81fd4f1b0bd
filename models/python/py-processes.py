#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""py-processes - a ProcessPoolExecutor of C worker processes.

The lesson: each process has its own interpreter and its own GIL, so C
processes compute in parallel and CPU-bound work speeds up with the cores,
as in the C processes model. The price: starting the workers, and every
task and result is pickled through a pipe.

How the workers start is the start method (the batch's
options.start_method, from `concur run --py-start`): "fork" copies this
process as it is (Linux's default up to Python 3.13; cheap, but unsafe
once threads run), "spawn" starts a fresh interpreter that imports this
file again (the default on macOS and Windows; the slowest), "forkserver"
forks each worker from a small server started once (Linux's default from
Python 3.14). We report how long the pool took to have all its workers
ready (pool_start_s) and what pickling one task and its result costs
(pickle_us_per_task, pickle_bytes_per_task), measured by pickling each
once more here.

Watch for: nothing is shared unless you ask. Each worker gets its number
from a counter in shared memory (multiprocessing.Value), under its lock;
a plain global would be copied into each process and never agree.

The shared workload (concur_shared.py) makes the same point: the
counter, its locks and the slots are multiprocessing's shared memory
(a Value made with lock=False, a RawArray) and semaphores (Lock), handed
to each worker when it starts. `none` takes no lock, and two processes
running at once on two cores lose updates; `mutex` takes the Lock;
the padded slots are a real 64 bytes apart in the shared array, though
the interpreter's own cost hides what false sharing costs. `atomic`
cannot be written: Python has no atomic operation on shared memory.

Run it:  build/concur run --models py-sequential,py-processes
         --workloads compute --work 2 --workers 2   and see a speedup near 2;
         add --py-start spawn and compare the figures column of runs.csv.
"""
import multiprocessing
import os
import pickle
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

import concur_shared
from concur_protocol import Fetcher, new_result, read_batch, run_task, \
    write_done, write_result

# One worker process's own state, set by start_worker in that process.
worker = None
fetcher = None
shared = None  # concur_shared.State over the memory all processes share

CANNOT = {"atomic": "Python has no atomic shared integer; use mutex"}


def shared_parts(context, options):
    """The shared workload's counter, locks and slots, made before the
    pool so every worker inherits them: (counter, lock, lock_b, a, b,
    slots)."""
    def raw():
        return context.Value("q", 0, lock=False)  # shared, unguarded
    return (raw(), context.Lock(), context.Lock(), raw(), raw(),
            context.RawArray("q", options["workers"] * slot_stride(options)))


def slot_stride(options):
    """A padded slot is 8 slots (64 bytes, a cache line) from the next;
    packed ones are side by side."""
    padded = options.get("sync") in ("sharded", "sharded-padded")
    return 8 if padded else 1


def shared_state(options, parts):
    return concur_shared.State(options.get("sync", "mutex"), *parts,
                               os.sched_yield, slot_stride(options))


def start_worker(counter, ready, options, parts):
    global worker, fetcher, shared
    fetcher = Fetcher(options)  # this process's connection, kept alive
    shared = shared_state(options, parts)
    with counter.get_lock():  # the processes take numbers one at a time
        worker = counter.value
        counter.value += 1
        ready.value = max(ready.value, time.monotonic())


def run(task, options, t0):
    # time.monotonic() is the system's monotonic clock: t0 taken in the
    # parent means the same instant here.
    if task["type"] == "shared":
        return concur_shared.run_shared(task, shared, options, t0,
                                        "py-processes", worker, CANNOT)
    return run_task(task, fetcher, options, t0, "py-processes", worker)


def pickle_cost(obj):
    """Seconds and bytes to pickle obj and unpickle it: what the pool
    does to every task on its way out and every result on its way back."""
    t = time.perf_counter()
    data = pickle.dumps(obj)
    pickle.loads(data)
    return time.perf_counter() - t, len(data)


def main():
    tasks, options = read_batch()
    t0 = time.monotonic()
    # None: this Python's default start method.
    context = multiprocessing.get_context(options.get("start_method"))
    counter = context.Value("i", 0)
    ready = context.Value("d", 0.0)  # when the last worker was ready
    finished = []  # (task, result): pickled again after the run
    parts = shared_parts(context, options)
    shared_results = []  # reported once they are all done
    with ProcessPoolExecutor(max_workers=options["workers"],
                             mp_context=context,
                             initializer=start_worker,
                             initargs=(counter, ready, options,
                                       parts)) as pool:
        futures = {pool.submit(run, task, options, t0): task
                   for task in tasks}
        for future in as_completed(futures):
            try:
                result = future.result()
            except BrokenProcessPool:
                # A worker died: its task, and every one still queued,
                # is reported crashed rather than lost.
                result = new_result(futures[future])
                result["kind"] = "crashed"
                result["message"] = "a worker process died"
            if futures[future]["type"] == "shared":
                shared_results.append(result)
            else:
                write_result(result)
            finished.append((futures[future], result))
    concur_shared.write_shared(
        shared_results, concur_shared.total(shared_state(options, parts)))
    run_s = time.monotonic() - t0
    # Outside the timed run: what pickling cost, measured once more.
    pickled_s, pickled_bytes = 0.0, 0
    for task, result in finished:
        for obj in ((task, options, t0), result):
            s, n = pickle_cost(obj)
            pickled_s, pickled_bytes = pickled_s + s, pickled_bytes + n
    count = max(len(finished), 1)
    figures = {"pool_start_s": max(ready.value - t0, 0.0),
               "pickle_us_per_task": pickled_s / count * 1e6,
               "pickle_bytes_per_task": pickled_bytes / count}
    write_done(run_s, counter.value, figures)


if __name__ == "__main__":
    main()
