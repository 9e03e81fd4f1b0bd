// SPDX-License-Identifier: MIT
/*
 * lesson_run.c - a lesson run as a student runs it, read back (see
 * lesson_run.h).
 */
#include "tests/support/lesson_run.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/files.h"

int lesson_run_piped(const char *input, const char *args, const char *dir,
		     struct lesson_output *o)
{
	const char *bin = getenv("CONCUR_BIN");
	char cmd[2048], path[256];
	snprintf(cmd, sizeof(cmd), "printf '%s' | %s %s >%s/stdout 2>%s/stderr",
		 input, bin ? bin : "build/concur", args, dir, dir);
	int status = system(cmd);
	snprintf(path, sizeof(path), "%s/stdout", dir);
	files_read_into(path, o->out, sizeof(o->out));
	snprintf(path, sizeof(path), "%s/stderr", dir);
	files_read_into(path, o->err, sizeof(o->err));
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

json_t *lesson_run_saved_json(const char *output)
{
	char path[4096] = "";
	for (const char *p = strstr(output, "  saved: "); p;
	     p = strstr(p + 1, "  saved: ")) {
		p += strlen("  saved: ");
		int len = (int)strcspn(p, "\n");
		if (len > 11 && strncmp(p + len - 11, "lesson.json", 11) == 0)
			snprintf(path, sizeof(path), "%.*s", len, p);
	}
	if (!path[0])
		return NULL;
	json_error_t e;
	return json_load_file(path, 0, &e);
}

void lesson_run_verdict(const char *output, char *buf, size_t len)
{
	const char *p = strstr(output, "  verdict: ");
	buf[0] = '\0';
	if (p) {
		p += strlen("  verdict: ");
		snprintf(buf, len, "%.*s", (int)strcspn(p, "\n"), p);
	}
}

pid_t lesson_hog_start(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		volatile unsigned long x = 0;
		for (;;)
			x++;
	}
	ck_assert_int_gt(pid, 0);
	return pid;
}

void lesson_hog_stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}
