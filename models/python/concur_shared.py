# SPDX-License-Identifier: MIT
"""concur_shared - the shared workload in Python: one counter every task
adds to, and the ways (--sync, the batch's options["sync"]) its workers
keep it right, or fail to. The Python counterpart of common/shared.c.

A shared task makes task["work"] increments. After every shared task is
done, each one reports the counter's final value as its checksum, and the
harness compares it with the sequential reference's: lost updates show as
a wrong result, like any other.

The loops below only need objects with a .value (the counter) and locks
that work as `with lock:` and lock.acquire(False). Where those live is the
model's lesson: plain objects that threads share (py-threads), or
multiprocessing's shared memory and semaphores (py-processes), where
anything else would be copied into each process and never agree.

What CPython 3.11 does (measured on the machine this was written on, 2
cores): a plain `counter += 1` in a loop of 4 threads lost none of
4,000,000 increments, even under sys.setswitchinterval(1e-6), because the
interpreter switches threads only at a backward jump or a call, never
inside that statement: an accident of the implementation, not a promise
(a free-threaded Python loses them). `counter = inc(counter)`, a call
inside the read-add-write, lost 1,717,959 of 4,000,000. So `none` below
reads, pauses (gives the GIL or the core away) every YIELD_EVERY
increments, and writes, as common/shared.c does: the race shows on any
machine.
"""
import sys
import threading
import time

from concur_protocol import new_result, trace, write_result

# As common/shared.h: a yield point every YIELD_EVERY increments; the
# sloppy counter moves its count every THRESHOLD; a spinner gives the
# core away every SPINS_BEFORE_YIELD failed tries.
YIELD_EVERY = 1024
THRESHOLD = 1024
SPINS_BEFORE_YIELD = 1000


class Box:
    """A counter threads share: one Python int behind an attribute."""

    def __init__(self):
        self.value = 0


class State:
    """The counter, its locks and the per-worker slots, as a model made
    them. pause() is a yield point: another worker may run there. stride
    1 puts slots side by side (packed), 8 a cache line apart (padded)."""

    def __init__(self, sync, counter, lock, lock_b, a, b, slots, pause,
                 stride=1):
        self.sync, self.counter, self.lock, self.lock_b = (sync, counter,
                                                          lock, lock_b)
        self.a, self.b, self.slots, self.pause = a, b, slots, pause
        self.stride = stride
        self.waits = None  # {worker: "holds lock a, waits for lock b"}


# --- The strategies -------------------------------------------------------

def add_none(s, n, worker):
    """The race: a read and a write with room between them."""
    for k in range(1, n + 1):
        v = s.counter.value  # read
        if k % YIELD_EVERY == 0:
            s.pause()  # others add meanwhile...
        s.counter.value = v + 1  # write: ...and what they added is lost


def add_mutex(s, n, worker):
    for k in range(1, n + 1):
        with s.lock:
            s.counter.value += 1
        if k % YIELD_EVERY == 0:
            s.pause()


def spin_acquire(s, lock):
    """A spin lock on a lock's try-acquire: Python has no test-and-set of
    its own. Under a GIL the spinner burns its whole turn (5 ms) while
    the holder waits for the GIL: a spin lock needs a core per spinner."""
    tries = 0
    while not lock.acquire(False):
        tries += 1
        if tries % SPINS_BEFORE_YIELD == 0:
            s.pause()


def add_spin(s, n, worker):
    for k in range(1, n + 1):
        spin_acquire(s, s.lock)
        s.counter.value += 1
        s.lock.release()
        if k % YIELD_EVERY == 0:
            s.pause()


def add_sloppy(s, n, worker):
    """OSTEP's sloppy counter: count alone, move the count into the
    shared one under the lock every THRESHOLD."""
    i = worker * s.stride
    for k in range(1, n + 1):
        s.slots[i] += 1
        if s.slots[i] >= THRESHOLD:
            with s.lock:
                s.counter.value += s.slots[i]
            s.slots[i] = 0
        if k % YIELD_EVERY == 0:
            s.pause()


def add_slot(s, n, worker):
    """sharded-packed and sharded-padded: count alone, sum at the end."""
    i = worker * s.stride
    for k in range(1, n + 1):
        s.slots[i] += 1
        if k % YIELD_EVERY == 0:
            s.pause()


def add_two_locks(s, n, worker):
    """Two counters, two locks. deadlock: odd workers take b first, so
    worker 0 can hold a waiting for b while worker 1 holds b waiting for
    a, for ever (the harness's time limit ends the program). ordered:
    everybody takes a, then b."""
    b_first = s.sync == "deadlock" and worker % 2 == 1
    first, second = (s.lock_b, s.lock) if b_first else (s.lock, s.lock_b)
    one, two = ("b", "a") if b_first else ("a", "b")
    waits = s.waits if s.waits is not None else {}
    for k in range(1, n + 1):
        waits[worker] = f"waits for lock {one}"
        with first:
            if k % YIELD_EVERY == 0:
                s.pause()  # holding the first lock
            waits[worker] = f"holds lock {one}, waits for lock {two}"
            with second:
                s.a.value += 1
                s.b.value += 1
    waits.pop(worker, None)


def watch_waits(s, model, every_s=1.0):
    """For threads that share s.waits: a daemon thread that, when no
    increment was made for every_s, says on stderr which worker waits
    for which lock (the harness's time limit then ends the program; the
    C models say it in their results, which a killed program cannot)."""
    s.waits = {}

    def watch():
        last = None
        while True:
            time.sleep(every_s)
            now = (s.a.value, s.b.value)
            if now == last and s.waits:
                said = "; ".join(f"worker {w} {what}" for w, what in
                                 sorted(dict(s.waits).items()))
                print(f"{model}: no increment for {every_s:g} s: {said}",
                      file=sys.stderr, flush=True)
                return
            last = now

    threading.Thread(target=watch, daemon=True).start()


STRATEGIES = {"none": add_none, "mutex": add_mutex, "spin": add_spin,
              "sharded": add_sloppy, "sharded-packed": add_slot,
              "sharded-padded": add_slot, "deadlock": add_two_locks,
              "ordered": add_two_locks}


def total(s):
    """The counter's value, read after every worker is done."""
    if s.sync in ("deadlock", "ordered"):
        return min(s.a.value, s.b.value)
    if s.sync in ("sharded", "sharded-packed", "sharded-padded"):
        return s.counter.value + sum(s.slots)
    return s.counter.value


# --- One shared task, and the results after the run -------------------------

def run_shared(task, state, options, t0, model, worker, cannot=None):
    """Runs one shared task on this worker by state.sync. cannot: {sync:
    why} for the strategies the model cannot express, which end `other`
    saying why."""
    result = new_result(task)
    result["worker"] = worker
    result["start"] = time.monotonic() - t0
    trace(options, model, worker, result, "start")
    sync = state.sync
    if cannot and sync in cannot:
        result["message"] = f"{model} cannot express --sync {sync}: " \
            + cannot[sync]
    elif sync not in STRATEGIES:
        result["message"] = f"{model}: unknown --sync {sync}"
    else:
        STRATEGIES[sync](state, task["work"], worker)
        result["kind"] = "ok"
    result["end"] = time.monotonic() - t0
    trace(options, model, worker, result, "done")
    return result


def write_shared(results, counter_total):
    """After every shared task is done: each one that ended ok reports
    the counter's final value, the number the harness verifies."""
    for result in sorted(results, key=lambda r: r["index"]):
        if result["kind"] == "ok":
            result["checksum"] = counter_total
        write_result(result)
