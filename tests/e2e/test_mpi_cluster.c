// SPDX-License-Identifier: MIT
/*
 * test_mpi_cluster.c - mpi and mpi-static across a simulated cluster: three
 * "hosts" made of Linux network namespaces, joined by a bridge, talking
 * TCP. The run must verify, as on one machine.
 *
 * The cluster, made here and removed after (even when a test fails):
 *
 *     hub namespace:  bridge br0
 *                        |- veth -- node 0 (198.18.0.11): concur run, its
 *                        |          server (--listen), mpirun
 *                        |- veth -- node 1 (198.18.0.12): 2 slots
 *                        '- veth -- node 2 (198.18.0.13): 2 slots
 *
 * Addresses come from 198.18.0.0/15 (set aside for benchmarking) and live
 * only inside the namespaces: nothing is added to the root namespace's
 * interfaces, addresses or routes (the veths are made inside the hub).
 * mpirun starts its daemons with tests/e2e/mpi-netns-agent.sh, which plays
 * ssh: it runs the daemon inside the host's namespace (ip netns exec).
 *
 * Without the privilege to make namespaces, or without Open MPI, the test
 * passes with the reason printed; under CI=true (as root) it must run.
 */
#include <check.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/external/external.h"
#include "models/model.h"

#include "tests/support/runner.h"

#define NODES 3

static char ns_hub[32], ns_node[NODES][32];
static char skip_reason[600]; /* set when the cluster cannot be made */
static char session_tmp[64];  /* the nodes' Open MPI session directories */

/* ---- Helpers ------------------------------------------------------------ */

/* Runs a shell command made from fmt; returns its exit status. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int rc = system(cmd);
	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

/* Deleting a namespace deletes the veth ends inside it, and so the pairs. */
static void cluster_down(void)
{
	if (session_tmp[0])
		sh("rm -rf %s", session_tmp);
	for (int k = 0; k < NODES; k++)
		sh("ip netns del %s 2>/dev/null", ns_node[k]);
	sh("ip netns del %s 2>/dev/null", ns_hub);
}

/* Node k: a namespace, a veth pair from the hub's bridge to its eth0,
 * 198.18.0.1(k+1)/24, and loopback up. */
static int cluster_node(int k)
{
	return sh("ip netns add %s", ns_node[k]) ||
	       sh("ip -n %s link add ch%d type veth peer name eth0 netns %s",
		  ns_hub, k, ns_node[k]) ||
	       sh("ip -n %s link set ch%d master br0", ns_hub, k) ||
	       sh("ip -n %s link set ch%d up", ns_hub, k) ||
	       sh("ip -n %s addr add 198.18.0.1%d/24 dev eth0", ns_node[k],
		  k + 1) ||
	       sh("ip -n %s link set eth0 up", ns_node[k]) ||
	       sh("ip -n %s link set lo up", ns_node[k]);
}

static void cluster_up(void)
{
	int pid = (int)getpid();
	snprintf(ns_hub, sizeof(ns_hub), "concur-hub-%d", pid);
	for (int k = 0; k < NODES; k++)
		snprintf(ns_node[k], sizeof(ns_node[k]), "concur-n%d-%d", k,
			 pid);
	char why[512];
	if (!external_available(model_find("mpi"), NULL, why, sizeof(why))) {
		snprintf(skip_reason, sizeof(skip_reason), "%s", why);
		return;
	}
	snprintf(session_tmp, sizeof(session_tmp), "/tmp/concur-netns-XXXXXX");
	if (!mkdtemp(session_tmp)) {
		session_tmp[0] = '\0';
		snprintf(skip_reason, sizeof(skip_reason), "no temp directory");
		return;
	}
	if (sh("ip netns add %s 2>/dev/null", ns_hub) != 0) {
		snprintf(skip_reason, sizeof(skip_reason),
			 "cannot make a network namespace (needs root or "
			 "CAP_SYS_ADMIN, and iproute2)");
		return;
	}
	if (sh("ip -n %s link add br0 type bridge", ns_hub) ||
	    sh("ip -n %s link set br0 up", ns_hub)) {
		snprintf(skip_reason, sizeof(skip_reason),
			 "cannot make a bridge in a namespace");
		cluster_down();
		return;
	}
	for (int k = 0; k < NODES; k++)
		if (cluster_node(k) != 0) {
			snprintf(skip_reason, sizeof(skip_reason),
				 "cannot make node %d's namespace and veth", k);
			cluster_down();
			return;
		}
}

/* Is the cluster there? Fails under CI=true when it is not. */
static int have_cluster(void)
{
	if (!skip_reason[0])
		return 1;
	const char *ci = getenv("CI");
	ck_assert_msg(!(ci && strcmp(ci, "true") == 0),
		      "CI must run the cluster test: %s", skip_reason);
	fprintf(stderr, "test_mpi_cluster: skipped: %s\n", skip_reason);
	return 0;
}

/* The agent that plays ssh, and concur, as absolute paths. */
static void cluster_paths(char *agent, char *bin)
{
	const char *b = getenv("CONCUR_BIN");
	ck_assert_ptr_nonnull(realpath("tests/e2e/mpi-netns-agent.sh", agent));
	ck_assert_ptr_nonnull(realpath(b ? b : "build/concur", bin));
}

/* Runs cmd (a concur run in node 0); it must exit 0, print a row of
 * model and no WRONG, else the test fails with its whole output. */
static void cluster_run_verifies(const char *cmd, const char *model)
{
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	static char out[65536];
	size_t got = fread(out, 1, sizeof(out) - 1, p);
	out[got] = '\0';
	int rc = pclose(p);
	int ok = WIFEXITED(rc) && WEXITSTATUS(rc) == 0 && strstr(out, model) &&
		 !strstr(out, "WRONG");
	if (!ok) /* the whole story, where Check's message cannot hold it */
		fprintf(stderr, "%s\n", out);
	ck_assert_msg(ok, "%s across the namespaces failed (exit %d)", model,
		      WIFEXITED(rc) ? WEXITSTATUS(rc) : -1);
}

/* ---- The test ----------------------------------------------------------- */

/* concur run inside node 0, its server on node 0's address, the ranks on
 * nodes 1 and 2 over TCP only; every workload must verify (exit 0). */
START_TEST(mpi_models_verify_across_namespaces)
{
	if (!have_cluster())
		return;
	char agent[PATH_MAX], bin[PATH_MAX];
	cluster_paths(agent, bin);
	static char cmd[3 * PATH_MAX];
	snprintf(cmd, sizeof(cmd),
		 "ip netns exec %s env OMPI_MCA_plm_rsh_agent=%s "
		 "CONCUR_NETNS_TMP=%s "
		 "OMPI_MCA_btl=tcp,self "
		 "OMPI_MCA_oob_tcp_if_include=198.18.0.0/24 "
		 "OMPI_MCA_btl_tcp_if_include=198.18.0.0/24 "
		 "CONCUR_NETNS_MAP='198.18.0.11=%s 198.18.0.12=%s "
		 "198.18.0.13=%s' "
		 "%s run --models mpi,mpi-static "
		 "--hosts 198.18.0.12:2,198.18.0.13:2 --listen 198.18.0.11 "
		 "--workloads fetch,compute,mixed --workers 3 --tasks 12 "
		 "--work 2 --delay 20 --repeat 1 --no-plot --quiet "
		 "--out \"${TMPDIR:-/tmp}/concur-test-cluster\" 2>&1",
		 ns_node[0], agent, session_tmp, ns_node[0], ns_node[1],
		 ns_node[2], bin);
	cluster_run_verifies(cmd, "mpi-static");
}
END_TEST

/* py-dask across the same namespaces: its scheduler in node 0, beside
 * concur, and three dask-worker processes on nodes 1 and 2, started by
 * the same agent (CONCUR_DASK_RSH plays ssh as plm_rsh_agent does); every
 * workload must verify. Without Dask it passes with the reason. */
START_TEST(py_dask_verifies_across_namespaces)
{
	if (!have_cluster())
		return;
	char why[512];
	if (!external_available(model_find("py-dask"), NULL, why,
				sizeof(why))) {
		fprintf(stderr, "test_mpi_cluster: py-dask skipped: %s\n", why);
		return;
	}
	char agent[PATH_MAX], bin[PATH_MAX];
	cluster_paths(agent, bin);
	static char cmd[3 * PATH_MAX];
	snprintf(cmd, sizeof(cmd),
		 "ip netns exec %s env CONCUR_DASK_RSH=%s "
		 "CONCUR_NETNS_TMP=%s "
		 "CONCUR_NETNS_MAP='198.18.0.11=%s 198.18.0.12=%s "
		 "198.18.0.13=%s' "
		 "%s run --models py-dask "
		 "--hosts 198.18.0.11,198.18.0.12:2,198.18.0.13:2 "
		 "--listen 198.18.0.11 --workloads fetch,compute,mixed "
		 "--workers 3 --tasks 9 --work 1 --delay 20 --repeat 1 "
		 "--no-plot --quiet "
		 "--out \"${TMPDIR:-/tmp}/concur-test-cluster\" 2>&1",
		 ns_node[0], agent, session_tmp, ns_node[0], ns_node[1],
		 ns_node[2], bin);
	cluster_run_verifies(cmd, "py-dask");
}
END_TEST

/* After the suite, nothing of the cluster may be left. */
static void cluster_down_checked(void)
{
	cluster_down();
}

Suite *test_suite(void)
{
	Suite *s = suite_create("mpi_cluster");
	TCase *tc = runner_tcase(s, "namespaces", 240);
	tcase_add_unchecked_fixture(tc, cluster_up, cluster_down_checked);
	tcase_add_test(tc, mpi_models_verify_across_namespaces);
	tcase_add_test(tc, py_dask_verifies_across_namespaces);
	return s;
}
