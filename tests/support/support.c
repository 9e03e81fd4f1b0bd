// SPDX-License-Identifier: MIT
/* support.c - the server, the binary and the reference, for the tests. */
#include "tests/support/support.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/fetch.h"
#include "harness/server/serve.h"
#include "harness/external/dispatch.h"
#include "models/model.h"

char support_server_url[256];
static pid_t support_server_pid;

void support_server_up(void)
{
	fetch_global_init();
	struct server_opts o = server_opts_default();
	o.quiet = 1;
	if (server_spawn(&o, &support_server_pid, support_server_url,
			 sizeof(support_server_url)) != 0) {
		fprintf(stderr, "tests: the embedded server did not start\n");
		exit(1);
	}
}

void support_server_down(void)
{
	if (support_server_pid > 0)
		server_stop(support_server_pid);
	support_server_pid = 0;
}

/* Reads a whole file into buf (NUL-terminated, truncated). */
static void support_slurp(const char *path, char *buf, size_t len)
{
	if (!buf)
		return;
	buf[0] = '\0';
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	size_t n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

int support_concur(const char *args, char *out, size_t out_len, char *err,
		   size_t err_len)
{
	const char *bin = getenv("CONCUR_BIN");
	char o_path[] = "/tmp/concur-test-out-XXXXXX";
	char e_path[] = "/tmp/concur-test-err-XXXXXX";
	int ofd = mkstemp(o_path), efd = mkstemp(e_path);
	if (ofd < 0 || efd < 0)
		return -1;
	close(ofd);
	close(efd);
	char cmd[8192];
	snprintf(cmd, sizeof(cmd), "%s %s </dev/null >%s 2>%s",
		 bin ? bin : "build/concur", args, o_path, e_path);
	int status = system(cmd);
	support_slurp(o_path, out, out_len);
	support_slurp(e_path, err, err_len);
	unlink(o_path);
	unlink(e_path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void support_verify(const struct batch *b, long timeout_ms,
		    struct verify_report *rep)
{
	struct batch *ref = verify_reference_batch(b, timeout_ms);
	struct run_opts o = run_opts_default();
	o.workers = 1;
	o.fetch.timeout_ms = timeout_ms;
	memset(rep, 0, sizeof(*rep));
	if (!ref || model_run(model_find("sequential"), ref, &o) != 0) {
		rep->wrong = b->n + 1;
		batch_free(ref);
		return;
	}
	verify_results(ref, b, rep);
	batch_free(ref);
}

int support_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}
