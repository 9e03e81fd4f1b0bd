#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""py-asyncio - one thread, one event loop, aiohttp, at most C in flight.

The lesson: coroutines overlap waiting without threads. Each task awaits
its response; while it waits, the loop runs the others, so C fetches are in
flight at once on one thread, as in the C eventloop model. Compute runs
inline: a coroutine that computes never awaits, so it blocks the loop and
every other task with it.

Watch for: two limits must agree. The semaphore admits C tasks at a time,
and the connector must allow C connections: aiohttp's default (100) would
cap a larger C silently.

The shared workload (concur_shared.py): one thread has no data race.
Whatever --sync asks, the counter is a plain int and a shared task runs
its increments to the end without an await, so no other task can come
between a read and its write: every increment is kept, with no lock
(as in the C eventloop model). An await between the two would open the
race again: a coroutine is interrupted only where it awaits.

Run it:  build/concur run --models py-threads,py-asyncio --workloads fetch
         --workers 100   and see both overlap the waits, on one thread here.
"""
import asyncio
import socket
import time
import zlib

import aiohttp

import concur_shared
from concur_protocol import arrival_delay, compute, late_result, \
    new_result, read_batch, too_late, trace, write_done, write_result

MAX_REDIRECTS = 5  # as libcurl is told in common/fetch.c


def classify(exc):
    """Names a failed fetch the way common/fetch.c names libcurl's."""
    if isinstance(exc, aiohttp.ClientConnectorError):
        if isinstance(exc.os_error, socket.gaierror):
            return "dns"
        if isinstance(exc.os_error, TimeoutError):
            return "timeout"
        return "refused"  # libcurl's "couldn't connect"
    if isinstance(exc, asyncio.TimeoutError):
        return "timeout"
    if isinstance(exc, aiohttp.ClientPayloadError):
        return "truncated"
    if isinstance(exc, (aiohttp.ServerDisconnectedError,
                        aiohttp.ClientOSError)):
        return "reset"
    return "other"


async def fetch(session, url, result):
    try:
        async with session.get(url, max_redirects=MAX_REDIRECTS) as response:
            result["status"] = response.status
            async for chunk in response.content.iter_any():
                result["checksum"] = zlib.crc32(chunk, result["checksum"])
                result["bytes"] += len(chunk)
        if response.status >= 400:
            result["kind"] = "http_error"
            result["message"] = f"HTTP {response.status}"
        else:
            result["kind"] = "ok"
    except Exception as exc:  # every failure becomes a result kind
        result["kind"] = classify(exc)
        result["message"] = str(exc) or type(exc).__name__


async def block(task, options):
    """--block-ms: task 0 sleeps, blocking. time.sleep in a coroutine
    holds the loop (every task waits); run_in_executor (--block-in
    executor) sleeps in a pool thread while the loop goes on."""
    seconds = options.get("block_ms", 0) / 1000
    if task["index"] != 0 or seconds <= 0:
        return
    if options.get("block_in") == "executor":
        await asyncio.get_running_loop().run_in_executor(
            None, time.sleep, seconds)
    else:
        time.sleep(seconds)  # the classic mistake: nothing else runs


async def run_task(session, task, options, t0):
    result = new_result(task)
    result["start"] = time.monotonic() - t0
    trace(options, "py-asyncio", 0, result, "start")
    if task["type"] != "compute":
        await fetch(session, task["url"], result)
    await block(task, options)
    compute(task, result, options)  # no await inside: the loop is blocked
    result["end"] = time.monotonic() - t0
    trace(options, "py-asyncio", 0, result, "done")
    write_result(result)


def shared_state():
    """One counter, no lock: only this thread ever touches it."""
    box = concur_shared.Box
    return concur_shared.State("none", box(), None, None, box(), box(), [0],
                               lambda: None)


async def run_all(tasks, options, t0, shared, shared_results):
    workers = options["workers"]
    in_flight = asyncio.Semaphore(workers)  # at most C tasks at a time
    connector = aiohttp.TCPConnector(limit=workers)
    timeout = aiohttp.ClientTimeout(total=options["timeout_s"],
                                    sock_connect=options["connect_timeout_s"])
    async with aiohttp.ClientSession(connector=connector, timeout=timeout,
                                     auto_decompress=False,
                                     headers={"User-Agent": "concur/1"}
                                     ) as session:
        async def bounded(task):
            # Open loop: wait for the task's arrival before a slot, so
            # the slots go to tasks in the order they arrive.
            await asyncio.sleep(arrival_delay(task, t0))
            async with in_flight:
                if too_late(options, t0):
                    write_result(late_result(task, options))
                    return
                if task["type"] == "shared":  # reported once all are done
                    shared_results.append(concur_shared.run_shared(
                        task, shared, options, t0, "py-asyncio", 0))
                else:
                    await run_task(session, task, options, t0)

        await asyncio.gather(*(bounded(task) for task in tasks))


def main():
    tasks, options = read_batch()
    t0 = time.monotonic()
    shared, shared_results = shared_state(), []
    asyncio.run(run_all(tasks, options, t0, shared, shared_results))
    concur_shared.write_shared(shared_results, concur_shared.total(shared))
    # Slots, as the C eventloop model counts them: C, or fewer tasks.
    write_done(time.monotonic() - t0, min(options["workers"], len(tasks)))


if __name__ == "__main__":
    main()
