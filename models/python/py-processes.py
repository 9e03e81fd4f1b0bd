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
Python 3.14). The pool is started, and every worker made ready, before
the run's clock starts: like MPI's launch, the start is reported apart
(pool_start_s in all, pool_ms_per_worker per interpreter), and
the harness counts it in the start-up (runs.csv's startup_s), not in the
run. We also report what pickling one task and its result costs
(pickle_us_per_task, pickle_bytes_per_task), measured by pickling each
once more here.

Where the time goes (1,000 x 100 ms fetches at C = 100, 2 cores): with
the start inside the run, the first task began only ~0.9 s in, when the
executor had forked its 100 interpreters one after another (~9 ms each
under load: the fork, the Process object, its pipes); the run itself
then costs each task ~1-2 ms of hand-out (the executor's queue thread,
pickling both ways) on top of its 100 ms.

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
from concurrent.futures import ProcessPoolExecutor, as_completed, wait
from concurrent.futures.process import BrokenProcessPool

import concur_shared
from concur_protocol import Fetcher, new_result, read_batch, run_task, \
    write_done, write_result

# One worker process's own state, set by start_worker in that process.
worker = None
fetcher = None
shared = None  # concur_shared.State over the memory all processes share
pool_ready = None  # a shared Event: every worker ran start_worker

CANNOT = {"atomic": "Python has no atomic shared integer; use mutex"}

# A warm-up task waits at most this long for the other workers to start.
POOL_START_LIMIT_S = 60.0


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


def start_worker(counter, all_started, workers, options, parts):
    global worker, fetcher, shared, pool_ready
    fetcher = Fetcher(options)  # this process's connection, kept alive
    shared = shared_state(options, parts)
    pool_ready = all_started
    with counter.get_lock():  # the processes take numbers one at a time
        worker = counter.value
        counter.value += 1
        if counter.value == workers:  # the last one in says so
            all_started.set()


def wait_for_pool(limit_s):
    """A warm-up task: returns once every worker has run start_worker
    (or after limit_s). While it waits, its worker is busy, so each
    warm-up lands on a worker of its own, and the executor, which starts
    a new worker only when none is idle, starts them all."""
    pool_ready.wait(limit_s)
    return worker


def start_pool(pool, workers):
    """Starts every worker before the run: C warm-up tasks, one each."""
    wait([pool.submit(wait_for_pool, POOL_START_LIMIT_S)
          for _ in range(workers)])


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
    pool_t0 = time.monotonic()
    # None: this Python's default start method.
    context = multiprocessing.get_context(options.get("start_method"))
    counter = context.Value("i", 0)
    all_started = context.Event()
    finished = []  # (task, result): pickled again after the run
    parts = shared_parts(context, options)
    shared_results = []  # reported once they are all done
    workers = max(min(options["workers"], len(tasks)), 1)
    with ProcessPoolExecutor(max_workers=workers,
                             mp_context=context,
                             initializer=start_worker,
                             initargs=(counter, all_started, workers,
                                       options, parts)) as pool:
        start_pool(pool, workers)
        t0 = time.monotonic()  # the run starts with the pool ready
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
    pool_start_s = t0 - pool_t0
    figures = {"pool_start_s": pool_start_s,
               "pool_ms_per_worker": pool_start_s / workers * 1e3,
               "pickle_us_per_task": pickled_s / count * 1e6,
               "pickle_bytes_per_task": pickled_bytes / count}
    write_done(run_s, counter.value, figures)


if __name__ == "__main__":
    main()
