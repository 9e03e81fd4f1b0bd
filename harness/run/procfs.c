// SPDX-License-Identifier: MIT
/* procfs.c - memory, CPU time and parent of a process, read from /proc. */
#include "harness/run/procfs.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

long proc_status_kib(pid_t pid, const char *field)
{
	char path[64], line[256];
	long kib = -1;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	size_t len = strlen(field);
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, field, len) == 0 && line[len] == ':')
			kib = atol(line + len + 1);
	if (f)
		fclose(f);
	return kib;
}

double proc_cpu_seconds(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t got = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[got] = '\0';
	/* Fields 14 and 15 (utime, stime) follow the ")" that ends the
	 * command name, which may itself contain spaces. */
	const char *p = strrchr(buf, ')');
	unsigned long ut, st;
	if (!p || sscanf(p + 2,
			 "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u "
			 "%*u %lu %lu",
			 &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* Reads /proc/PID/NAME into buf (NUL-terminated); its length, or -1. One
 * open and one read: the sampler calls this for every process every few
 * milliseconds. */
static ssize_t proc_read(pid_t pid, const char *name, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t got = read(fd, buf, len - 1);
	close(fd);
	if (got <= 0)
		return -1;
	buf[got] = '\0';
	return got;
}

/* The KiB value of "Field:" in a smaps_rollup text, or 0. */
static long proc_field_kib(const char *text, const char *field)
{
	size_t len = strlen(field);
	for (const char *p = text; p && *p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, field, len) == 0 && p[len] == ':')
			return atol(p + len + 1);
	}
	return 0;
}

int proc_memory_read(pid_t pid, struct proc_memory *m)
{
	char buf[2048];
	/* A zombie's rollup is empty: nothing left to count. */
	if (proc_read(pid, "smaps_rollup", buf, sizeof(buf)) < 0 ||
	    !strstr(buf, "Pss:"))
		return -1;
	m->rss_kib = proc_field_kib(buf, "Rss");
	m->pss_kib = proc_field_kib(buf, "Pss");
	m->uss_kib = proc_field_kib(buf, "Private_Clean") +
		     proc_field_kib(buf, "Private_Dirty");
	return 0;
}

long proc_rss_kib(pid_t pid)
{
	char buf[256];
	long size, rss;
	if (proc_read(pid, "statm", buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%ld %ld", &size, &rss) != 2)
		return -1;
	return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

int proc_parent(pid_t pid, pid_t *ppid, pid_t *pgid)
{
	char buf[1024];
	if (proc_read(pid, "stat", buf, sizeof(buf)) < 0)
		return -1;
	/* Fields 4 and 5 follow the state, after the ")" that ends the
	 * command name. */
	const char *p = strrchr(buf, ')');
	int pp, pg;
	if (!p || sscanf(p + 2, "%*c %d %d", &pp, &pg) != 2)
		return -1;
	*ppid = (pid_t)pp;
	*pgid = (pid_t)pg;
	return 0;
}
