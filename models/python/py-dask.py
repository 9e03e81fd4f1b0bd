#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""py-dask - the batch run by a Dask distributed scheduler and its workers.

The lesson: what a central scheduler costs (TUTORIAL.md). Every task is
a future: the client sends it to the scheduler, the scheduler picks a
worker, the worker runs it and tells the scheduler, which tells the
client. Each hop is a message: about a millisecond a task, which a
task of a second never notices and a task of a millisecond doubles.

C is the number of worker PROCESSES, each with one thread (nthreads=1):
for CPU work each has its own interpreter and GIL, as in py-processes.
On this machine they are started by forkserver unless --py-start says
otherwise (spawn is Dask's default, and twice as slow to start).

Where the workers run:
  - on this machine (the default): a LocalCluster of C worker processes,
    each watched by a nanny that starts it again if it dies;
  - across hosts (--hosts / --hostfile, options.hosts and
    options.hostfile): a `dask-scheduler` on the first host and C
    `dask-worker` processes on the others, started by the remote-start
    agent: `ssh -o BatchMode=yes` unless CONCUR_DASK_RSH names another
    (called as AGENT HOST COMMAND..., as ssh is). Hosts are checked
    against a strict pattern before they are used; nothing goes through
    a shell here.

A worker that dies: the scheduler gives its tasks to another worker;
after the scheduler's allowed failures (3) a task is reported crashed,
never lost. Starting the cluster is timed apart (cluster_start_s), as
MPI's launch is; run_s starts when it is ready. Dask's dashboard stays
off (no web server), and a local cluster listens on 127.0.0.1 only.

Run it:  build/concur run --models py-sequential,py-dask
         --workloads compute --work 2 --workers 2   and see a speedup near 2
         with a start of seconds in the figures column of runs.csv.
"""
import contextlib
import json
import logging
import os
import re
import shlex
import subprocess
import sys
import tempfile
import threading
import time

import dask
from distributed import Client, LocalCluster, as_completed, get_worker
from distributed.scheduler import KilledWorker

import concur_protocol
import concur_work
from concur_protocol import Fetcher, new_result, read_batch, run_task, \
    write_done, write_result

MODEL = "py-dask"
HOST = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$")
USER = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,31}$")
ADDRESS = re.compile(r"Scheduler at:\s+"
                     r"(tcp://[A-Za-z0-9._-]{1,253}:[0-9]{1,5})\s*$")
START_TIMEOUT_S = 120  # a remote cluster: the scheduler, then every worker


# --- On a worker ----------------------------------------------------------

def on_worker(task, options, t0):
    """One task on whichever worker the scheduler chose. The worker
    keeps its Fetcher (its kept-alive connections) between tasks."""
    worker = get_worker()
    fetcher = getattr(worker, "concur_fetcher", None)
    if fetcher is None:
        fetcher = worker.concur_fetcher = Fetcher(options)
    result = run_task(task, fetcher, options, t0, MODEL, int(worker.name))
    result["took"] = result["end"] - result["start"]
    return result


# --- The hosts ------------------------------------------------------------

def parse_hosts(text):
    """"host[:slots],..." (concur's --hosts) -> [(host, slots)]."""
    hosts = []
    for item in text.split(","):
        name, _, slots = item.strip().partition(":")
        hosts.append((name, int(slots) if slots else 1))
    return hosts


def read_hostfile(path):
    """Open MPI's hostfile: "[user@]host [slots=N]", "#" comments."""
    hosts = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            slots = 1
            for word in words[1:]:
                if word.startswith("slots=") and word[6:].isdigit():
                    slots = int(word[6:])
            hosts.append((words[0], slots))
    return hosts


def checked(hosts):
    """Every host must be [user@]name with a sane slot count; raises
    ValueError naming the first that is not."""
    for target, slots in hosts:
        user, _, name = target.rpartition("@")
        if not HOST.match(name) or (user and not USER.match(user)) \
                or not 0 < slots <= 100000:
            raise ValueError(f"bad host {target[:40]!r}")
    return hosts


def place(workers, hosts):
    """Worker k's host: the slots of each host filled in order (as
    mpirun's default), then round again if C is more than the slots."""
    order = [target for target, slots in hosts for _ in range(slots)]
    return [order[k % len(order)] for k in range(workers)]


# --- Starting a cluster ---------------------------------------------------

def local_cluster(workers, directory):
    """C worker processes of one thread each, on 127.0.0.1, no dashboard."""
    return LocalCluster(n_workers=workers, threads_per_worker=1,
                        processes=True, host="127.0.0.1",
                        dashboard_address=None,
                        # The scheduler's small HTTP server (health,
                        # metrics) listens even without the dashboard,
                        # on 8787 unless told: any free port instead.
                        scheduler_kwargs={"dashboard": False,
                                          "dashboard_address":
                                              "127.0.0.1:0"},
                        silence_logs=logging.ERROR,
                        local_directory=directory)


class RemoteCluster:
    """A dask-scheduler on the first host and dask-worker processes on
    the others, each started by the agent as its own child of ours (so
    in our process group: the harness's kill ends them all here, and a
    worker whose scheduler is gone ends itself there)."""

    def __init__(self, workers, hosts, trace):
        self.agent = shlex.split(os.environ.get("CONCUR_DASK_RSH",
                                                "ssh -o BatchMode=yes"))
        self.trace = trace
        self.children = []
        first = hosts[0][0]
        self.address = self._scheduler(first)
        for k, target in enumerate(place(workers, hosts[1:] or hosts)):
            self._worker(k, target)

    def _start(self, target, command, stderr):
        argv = self.agent + [target, "env", "DASK_LOGGING__DISTRIBUTED="
                             + ("info" if stderr == subprocess.PIPE
                                else "error"),
                             "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED="
                             "False"] + command
        child = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=stderr)
        self.children.append(child)
        return child

    def _scheduler(self, target):
        """Starts it on any free port and reads its address from its
        log ("Scheduler at: tcp://HOST:PORT")."""
        name = target.rpartition("@")[2]
        child = self._start(target, ["dask-scheduler", "--host", name,
                                     "--port", "0", "--no-dashboard",
                                     "--dashboard-address", name + ":0",
                                     "--no-show"], subprocess.PIPE)
        for raw in child.stderr:
            line = raw.decode("utf-8", "replace")
            if self.trace:
                sys.stderr.write(line)
            # What another host wrote: taken only if it is an address.
            found = ADDRESS.search(line)
            if found:
                threading.Thread(target=self._drain, args=(child.stderr,),
                                 daemon=True).start()
                return found.group(1)
        raise RuntimeError(f"the scheduler on {name} did not start")

    def _drain(self, stream):
        for raw in stream:
            if self.trace:
                sys.stderr.write(raw.decode("utf-8", "replace"))

    def _worker(self, k, target):
        name = target.rpartition("@")[2]
        self._start(target, ["dask-worker", self.address, "--name", str(k),
                             "--nthreads", "1", "--nworkers", "1",
                             "--host", name, "--no-dashboard",
                             "--death-timeout", "30"],
                    None if self.trace else subprocess.DEVNULL)

    def close(self):
        for child in self.children:
            child.terminate()
        for child in self.children:
            try:
                child.wait(timeout=5)
            except subprocess.TimeoutExpired:
                child.kill()


def hosts_of(options):
    if options.get("hosts"):
        return checked(parse_hosts(options["hosts"]))
    if options.get("hostfile"):
        return checked(read_hostfile(options["hostfile"]))
    return None


def start_cluster(options, directory):
    """(cluster, client): local, or across the hosts; every worker up."""
    workers = options["workers"]
    hosts = hosts_of(options)
    if hosts is None:
        cluster = local_cluster(workers, directory)
        client = Client(cluster)
    else:
        cluster = RemoteCluster(workers, hosts, options.get("trace"))
        client = Client(cluster.address, timeout=START_TIMEOUT_S)
        client.wait_for_workers(workers, timeout=START_TIMEOUT_S)
        # The workers there import the protocol from this copy, and the
        # module it imports first (concur_work: what a unit of compute is).
        client.upload_file(concur_work.__file__)
        client.upload_file(concur_protocol.__file__)
    return cluster, client


# --- The run --------------------------------------------------------------

def gathered(futures, tasks, remote, t0):
    """Each result as it completes; a task whose workers kept dying
    (KilledWorker) is crashed, one that raised is other."""
    for future in as_completed(futures):
        task = tasks[futures[future]]
        try:
            result = future.result()
        except KilledWorker:
            result = new_result(task)
            result["kind"] = "crashed"
            result["message"] = "its worker died, again and again"
        except Exception as exc:  # the task itself failed
            result = new_result(task)
            result["message"] = f"{type(exc).__name__}: {exc}"[:200]
        took = result.pop("took", 0.0)
        if remote:  # another host's clock: place it on ours, ending now
            result["end"] = time.monotonic() - t0
            result["start"] = max(result["end"] - took, 0.0)
        yield result


def handed_out(n):
    """Tasks 0..n-1 have left us (the protocol's "handed_out"): if we
    die now, the others were never run (not_run), not crashed."""
    sys.stdout.write(json.dumps({"handed_out": n}) + "\n")
    sys.stdout.flush()


def main():
    tasks, options = read_batch()
    # The scheduler's and workers' INFO lines are not our output.
    # How the nannies start their workers (--py-start, as py-processes):
    # forkserver unless asked, which forks each from a server that has
    # imported Dask once (Dask's own default, spawn, starts a fresh
    # interpreter each: about twice as long); fork is quickest but forks
    # a process whose event-loop threads run.
    # A worker's statistical profiler takes the GIL from the task every
    # 10 ms to look at its stack: off, as the other models have none.
    dask.config.set({"logging.distributed": "error",
                     "distributed.worker.profile.enabled": False,
                     "distributed.worker.multiprocessing-method":
                         options.get("start_method") or "forkserver"})
    remote = bool(options.get("hosts") or options.get("hostfile"))
    handed_out(0)  # a cluster that cannot start has run nothing
    # The workers' files: in the harness's directory for this run (which
    # it removes, even after a kill), else one of our own.
    given = os.environ.get("CONCUR_DASK_DIR")
    with (contextlib.nullcontext(given) if given else
          tempfile.TemporaryDirectory(prefix="concur-dask-")) as directory:
        t_start = time.monotonic()
        try:
            cluster, client = start_cluster(options, directory)
        except (OSError, RuntimeError, ValueError, TimeoutError) as exc:
            print(f"py-dask: the cluster did not start: {exc}"[:300],
                  file=sys.stderr, flush=True)
            sys.exit(1)
        t0 = time.monotonic()
        futures = {client.submit(on_worker, task, options, t0,
                                 pure=False): i
                   for i, task in enumerate(tasks)}
        handed_out(len(tasks))
        for result in gathered(futures, tasks, remote, t0):
            write_result(result)
        run_s = time.monotonic() - t0
        workers = len(client.scheduler_info()["workers"])
        write_done(run_s, min(workers, options["workers"]),
                   {"cluster_start_s": t0 - t_start})
        client.close()
        cluster.close()


if __name__ == "__main__":
    main()
