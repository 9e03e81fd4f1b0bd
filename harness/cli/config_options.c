// SPDX-License-Identifier: MIT
/*
 * config_options.c - what `concur run` accepts: the --help text and the
 * long-option table. Keep the two in step; config_values.c checks and
 * stores each option's value.
 */
#include "harness/cli/config_options.h"

#include <stdio.h>

const struct option config_options[] = {
	{"models", required_argument, 0, OPT_MODELS},
	{"workloads", required_argument, 0, OPT_WORKLOADS},
	{"workers", required_argument, 0, OPT_WORKERS},
	{"tasks", required_argument, 0, OPT_TASKS},
	{"delay", required_argument, 0, OPT_DELAY},
	{"bytes", required_argument, 0, OPT_BYTES},
	{"work", required_argument, 0, OPT_WORK},
	{"py-work", required_argument, 0, OPT_PY_WORK},
	{"timeout", required_argument, 0, OPT_TIMEOUT},
	{"connect-timeout", required_argument, 0, OPT_CONNECT_TIMEOUT},
	{"cpu-workers", required_argument, 0, OPT_CPU_WORKERS},
	{"switch-interval", required_argument, 0, OPT_SWITCH},
	{"switch", required_argument, 0, OPT_CORO_SWITCH},
	{"stack-kib", required_argument, 0, OPT_STACK_KIB},
	{"block-ms", required_argument, 0, OPT_BLOCK_MS},
	{"block-in", required_argument, 0, OPT_BLOCK_IN},
	{"sync", required_argument, 0, OPT_SYNC},
	{"backend", required_argument, 0, OPT_BACKEND},
	{"url-file", required_argument, 0, OPT_URL_FILE},
	{"server", required_argument, 0, OPT_SERVER},
	{"repeat", required_argument, 0, OPT_REPEAT},
	{"warmup", required_argument, 0, OPT_WARMUP},
	{"out", required_argument, 0, OPT_OUT},
	{"label", required_argument, 0, OPT_LABEL},
	{"no-plot", no_argument, 0, OPT_NO_PLOT},
	{"no-report", no_argument, 0, OPT_NO_REPORT},
	{"plot", no_argument, 0, OPT_PLOT},
	{"python", required_argument, 0, OPT_PYTHON},
	{"py-start", required_argument, 0, OPT_PY_START},
	{"model-timeout", required_argument, 0, OPT_MODEL_TIMEOUT},
	{"baseline", required_argument, 0, OPT_BASELINE},
	{"trace", no_argument, 0, OPT_TRACE},
	{"quiet", no_argument, 0, OPT_QUIET},
	{"hosts", required_argument, 0, OPT_HOSTS},
	{"hostfile", required_argument, 0, OPT_HOSTFILE},
	{"listen", required_argument, 0, OPT_LISTEN},
	{"skew", optional_argument, 0, OPT_SKEW},
	{"arrival", required_argument, 0, OPT_ARRIVAL},
	{"rate", required_argument, 0, OPT_RATE},
	{"arrival-dist", required_argument, 0, OPT_ARRIVAL_DIST},
	{"seed", required_argument, 0, OPT_SEED},
	{"help", no_argument, 0, OPT_HELP},
	{0, 0, 0, 0},
};

void config_usage(void)
{
	printf("usage: concur run [options]\n"
	       "Runs the same batch under each model, verifies every result\n"
	       "against a sequential reference, and reports the measurements.\n"
	       "\n"
	       "What to run:\n"
	       "  --models all|LIST     models to compare (default all; see "
	       "`concur models`)\n"
	       "  --workloads LIST      fetch, compute, mixed, shared "
	       "(default fetch,compute)\n"
	       "  --workers LIST        concurrency C: 1,2,4 or 1-64x2 "
	       "(default "
	       "1,4,16)\n"
	       "  --tasks N             tasks per batch (default 40)\n"
	       "  --delay MS            server delay of every fetch (default "
	       "50)\n"
	       "  --bytes N             body size of every fetch (default "
	       "1024)\n"
	       "  --work UNITS          kernel units per compute task, ~1 ms "
	       "each "
	       "(default 10);\n"
	       "                        shared: 10,000 increments each\n"
	       "  --py-work UNITS       units for the py-* models (default: "
	       "--work)\n"
	       "  --timeout MS          whole-transfer timeout (default "
	       "10000)\n"
	       "  --connect-timeout MS  connect timeout (default 5000)\n"
	       "  --cpu-workers N       hybrid's compute pool (default: "
	       "cores)\n"
	       "  --switch-interval MS  gil's switch interval (default 5)\n"
	       "  --backend HOW         how eventloop and hybrid wait: epoll, "
	       "poll, select\n"
	       "                        (C <= 1000) or io_uring (falls back "
	       "to epoll when\n"
	       "                        refused); default libev's choice, "
	       "epoll on Linux\n"
	       "  --switch HOW          coroutines' context switch: asm "
	       "(x86-64, the default)\n"
	       "                        or ucontext (glibc's swapcontext)\n"
	       "  --stack-kib N         each coroutine's stack (default 64)\n"
	       "  --block-ms N          task 0 blocks N ms after its fetch "
	       "(eventloop,\n"
	       "                        coroutines, py-asyncio: on the loop; "
	       "hybrid: in\n"
	       "                        its pool); 0..10000, default 0\n"
	       "  --block-in WHERE      py-asyncio: loop (time.sleep, the "
	       "default) or\n"
	       "                        executor (await "
	       "loop.run_in_executor)\n"
	       "  --sync HOW            how shared tasks keep their counter "
	       "right: mutex\n"
	       "                        (default), none (the race), spin, "
	       "atomic, sharded,\n"
	       "                        sharded-packed, sharded-padded, "
	       "deadlock, ordered\n"
	       "  --skew[=SEED]         uneven task costs: work and delays "
	       "drawn from a Pareto\n"
	       "                        (shape 1.5, seed 1), the same total\n"
	       "  --arrival closed|open closed (default): C workers each take "
	       "the next task;\n"
	       "                        open: tasks arrive at --rate, latency "
	       "counts from\n"
	       "                        the arrival; late ones (2 s after the "
	       "last) not_run\n"
	       "  --rate R              open loop: tasks per second\n"
	       "  --arrival-dist D      poisson (default) or fixed gaps\n"
	       "  --seed S              the arrivals' seed (default 1)\n"
	       "Beyond one machine (the MPI models):\n"
	       "  --hosts H:S,...       hosts and their slots, for mpirun "
	       "--host\n"
	       "  --hostfile FILE       or mpirun's hostfile\n"
	       "  --listen ADDR         the embedded server's address "
	       "(default 127.0.0.1);\n"
	       "                        one every host can reach\n"
	       "Where the URLs come from (default: the embedded server):\n"
	       "  --url-file FILE       one URL a line, # comments\n"
	       "  --server URL          a concur server already running\n"
	       "How to measure and report:\n"
	       "  --repeat R            measured runs per case (default 3)\n"
	       "  --warmup W            unmeasured runs first (default 0)\n"
	       "  --out DIR             where result sets go (default "
	       "results)\n"
	       "  --label NAME          name of the result set (default: the "
	       "workloads)\n"
	       "  --no-plot             do not draw the plots (nor "
	       "report.html)\n"
	       "  --no-report           do not write report.html\n"
	       "  --baseline HOW        how the sequential baseline is timed: "
	       "full, sample\n"
	       "                        (the first tasks, scaled), none, or "
	       "auto (default: full\n"
	       "                        when asked for in --models or under "
	       "5 s, else sample)\n"
	       "  --python PATH         the Python for the py-* models\n"
	       "  --py-start METHOD     how py-processes starts its workers: "
	       "fork, spawn or\n"
	       "                        forkserver (default: this Python's "
	       "own default;\n"
	       "                        py-dask's local workers: "
	       "forkserver)\n"
	       "  --model-timeout S     a run's time limit, every model "
	       "(default: 10x its ideal\n"
	       "                        + a fetch timeout + 10 s; 30 s for "
	       "py-*); past it the\n"
	       "                        watchdog kills the run, the sweep "
	       "goes on, exit 1\n"
	       "  --trace               one line per task event on stderr\n"
	       "  --quiet               no progress\n"
	       "Exit status: 0 done, 1 a result differs from the reference or "
	       "a "
	       "worker crashed, 2 bad usage.\n");
}
