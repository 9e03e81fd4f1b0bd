#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""py-sequential - one task after another, in plain Python.

The lesson: this is the baseline every Python speedup is measured against.
CPython runs the compute kernel far slower than C (compare its compute time
with the C sequential model on the same --work), so Python models are
compared with this loop, not with C.

Watch for: nothing runs concurrently here, which is the point: the fetches
wait one after another on one kept-alive connection.

Run it:  build/concur run --models sequential,py-sequential --workloads fetch
         and see the same wall time in both languages: waiting costs the same.
"""
import time

from concur_protocol import Fetcher, read_batch, run_task, write_done, \
    write_result


def main():
    tasks, options = read_batch()
    t0 = time.monotonic()  # our run starts once the batch is read
    fetcher = Fetcher(options)  # one connection, kept alive throughout
    for task in tasks:
        write_result(run_task(task, fetcher, options, t0, "py-sequential", 0))
    write_done(time.monotonic() - t0, 1)


if __name__ == "__main__":
    main()
