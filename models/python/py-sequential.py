#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""py-sequential - one task after another, in plain Python.

The lesson: this is the baseline every Python speedup is measured against.
CPython runs the compute kernel far slower than C (compare its compute time
with the C sequential model on the same --work), so Python models are
compared with this loop, not with C.

Watch for: nothing runs concurrently here, which is the point: the fetches
wait one after another on one kept-alive connection.

The shared workload (concur_shared.py): one thread has nobody to race
with, so every --sync keeps every increment; `atomic` is a plain add
(nothing can come between its read and its write), the locks are taken
and never contended, and the two locks are always taken a before b.

Run it:  build/concur run --models sequential,py-sequential --workloads fetch
         and see the same wall time in both languages: waiting costs the same.
"""
import threading
import time

import concur_shared
from concur_protocol import Fetcher, read_batch, run_task, write_done, \
    write_result


def shared_state(options):
    sync = options.get("sync", "mutex")
    return concur_shared.State(
        "none" if sync == "atomic" else sync, concur_shared.Box(),
        threading.Lock(), threading.Lock(), concur_shared.Box(),
        concur_shared.Box(), [0], lambda: None)


def main():
    tasks, options = read_batch()
    t0 = time.monotonic()  # our run starts once the batch is read
    fetcher = Fetcher(options)  # one connection, kept alive throughout
    shared, shared_results = shared_state(options), []
    for task in tasks:
        if task["type"] == "shared":  # reported once all are done
            shared_results.append(concur_shared.run_shared(
                task, shared, options, t0, "py-sequential", 0))
            continue
        write_result(run_task(task, fetcher, options, t0, "py-sequential", 0))
    concur_shared.write_shared(shared_results, concur_shared.total(shared))
    write_done(time.monotonic() - t0, 1)


if __name__ == "__main__":
    main()
