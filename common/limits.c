// SPDX-License-Identifier: MIT
/*
 * limits.c - the size of a pool; naming the limit that stopped a thread or
 * a fork.
 *
 * Each check compares what is in use now with a limit; "near" allows a few
 * tasks of slack, since other programs start and stop threads too.
 */
#include "common/limits.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define LIMITS_SLACK 16
#define LIMITS_RESERVED_PIDS 300 /* RESERVED_PIDS in kernel/pid.c */

/* Reads the first number of a file; -1 when absent or not a number
 * (cgroup files say "max" when there is no limit). */
static long limits_read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static int limits_near(long used, long limit)
{
	return limit > 0 && used >= 0 && used + LIMITS_SLACK >= limit;
}

/* Threads on the whole machine: the "running/total" field of loadavg. */
static long limits_system_tasks(void)
{
	FILE *f = fopen("/proc/loadavg", "r");
	long running = 0, total = -1;
	if (!f)
		return -1;
	if (fscanf(f, "%*s %*s %*s %ld/%ld", &running, &total) != 2)
		total = -1;
	fclose(f);
	return total;
}

/* The pids controller of our cgroup (v2 "0::/path" or v1 "N:pids:/path"):
 * fills *max and *cur, or leaves them -1. */
static void limits_cgroup_pids(long *max, long *cur)
{
	char line[512], path[768];
	FILE *f = fopen("/proc/self/cgroup", "r");
	*max = *cur = -1;
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char *ctrl = strchr(line, ':');
		char *where = ctrl ? strchr(ctrl + 1, ':') : NULL;
		if (!where)
			continue;
		*where++ = '\0';
		ctrl++;
		const char *base = NULL;
		if (ctrl[0] == '\0')
			base = "/sys/fs/cgroup"; /* v2: one unified tree */
		else if (strstr(ctrl, "pids"))
			base = "/sys/fs/cgroup/pids";
		if (!base)
			continue;
		snprintf(path, sizeof(path), "%s%s/pids.max", base, where);
		long m = limits_read_long(path);
		snprintf(path, sizeof(path), "%s%s/pids.current", base, where);
		if (m > 0) {
			*max = m;
			*cur = limits_read_long(path);
			break;
		}
	}
	if (f)
		fclose(f);
}

/* Threads of a process whose real uid is uid, from /proc/PID/status. */
static long limits_tasks_of(const char *pid, uid_t uid)
{
	char path[300], line[256];
	long uid_seen = -1, threads = 0;
	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "Uid:", 4) == 0)
			uid_seen = strtol(line + 4, NULL, 10);
		else if (strncmp(line, "Threads:", 8) == 0)
			threads = strtol(line + 8, NULL, 10);
	}
	if (f)
		fclose(f);
	return uid_seen == (long)uid ? threads : 0;
}

/* Threads the user owns on the machine: what RLIMIT_NPROC counts. */
static long limits_user_tasks(uid_t uid)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	long n = 0;
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (isdigit((unsigned char)e->d_name[0]))
			n += limits_tasks_of(e->d_name, uid);
	closedir(d);
	return n;
}

/* Mappings of this process: each thread stack adds two (stack, guard). */
static long limits_own_mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	long n = 0;
	int c;
	if (!f)
		return -1;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* The per-user limit; root (uid 0) is exempt from it. */
static int limits_nproc_hit(long *limit)
{
	struct rlimit rl;
	if (getuid() == 0 || getrlimit(RLIMIT_NPROC, &rl) != 0 ||
	    rl.rlim_cur == RLIM_INFINITY)
		return 0;
	*limit = (long)rl.rlim_cur;
	return limits_near(limits_user_tasks(getuid()), *limit);
}

/* Appends one limit's name to buf, comma-separated. */
static void limits_add(char *buf, size_t len, const char *name, long value)
{
	size_t used = strlen(buf);
	if (used < len)
		snprintf(buf + used, len - used, "%s%s (%ld)", used ? ", " : "",
			 name, value);
}

void limits_explain(int err, char *buf, size_t len)
{
	long tasks = limits_system_tasks(), cg_max, cg_cur, v;
	buf[0] = '\0';
	if (err == ENOMEM) {
		snprintf(buf, len, "memory");
		return;
	}
	/* Several limits can be reached at once (30,000 threads use both
	 * their pids and their mappings): name every one that is. */
	v = limits_read_long("/proc/sys/kernel/threads-max");
	if (limits_near(tasks, v))
		limits_add(buf, len, "kernel.threads-max", v);
	/* After the first wrap, the kernel hands out pids from 300 up. */
	v = limits_read_long("/proc/sys/kernel/pid_max");
	if (tasks >= 0 && limits_near(tasks + LIMITS_RESERVED_PIDS, v))
		limits_add(buf, len, "kernel.pid_max", v);
	limits_cgroup_pids(&cg_max, &cg_cur);
	if (limits_near(cg_cur, cg_max))
		limits_add(buf, len, "cgroup pids.max", cg_max);
	if (limits_nproc_hit(&v))
		limits_add(buf, len, "RLIMIT_NPROC", v);
	v = limits_read_long("/proc/sys/vm/max_map_count");
	if (limits_near(limits_own_mappings(), v))
		limits_add(buf, len, "vm.max_map_count", v);
	if (buf[0] == '\0')
		snprintf(buf, len, "memory");
}

void limits_report(const char *model, const char *call, int err, int started,
		   int wanted, struct run_stats *stats)
{
	char which[96];
	char note[256];
	limits_explain(err, which, sizeof(which));
	snprintf(note, sizeof(note),
		 "%s failed after %d of %d workers (%s): limit %s; "
		 "running with %d",
		 call, started, wanted, strerror(err), which, started);
	fprintf(stderr, "%s: %s\n", model, note);
	if (stats) { /* as much of it as fits */
		size_t n = strlen(note);
		if (n >= sizeof(stats->note))
			n = sizeof(stats->note) - 1;
		memcpy(stats->note, note, n);
		stats->note[n] = '\0';
	}
}

int limits_pool_size(int workers, size_t n)
{
	if (n == 0)
		return 0;
	if (workers < 1)
		workers = 1;
	return (size_t)workers > n ? (int)n : workers;
}
