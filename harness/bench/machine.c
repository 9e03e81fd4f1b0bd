// SPDX-License-Identifier: MIT
/*
 * machine.c - the machine a bench runs on, read from /proc and /sys under
 * a root (what and why: machine.h). Each file is opened as set_file.h
 * opens a student's file: never through a link, never a FIFO (whose open
 * or read could wait forever), never read past a cap.
 */
#include "harness/bench/machine.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "harness/base/file_replace.h"
#include "harness/report/set_file.h"

#define MACHINE_VULN_DIR "/sys/devices/system/cpu/vulnerabilities"
#define MACHINE_MAX_VULNS 64
#define MACHINE_WORD_MAX 24

/* ---- files read without trusting them ---- */

/* At most cap - 1 bytes of root + rel into buf, NUL-terminated; 0, or
 * -1 with buf "" (missing, a link, not a regular file). */
static int machine_read_file(const char *root, const char *rel, char *buf,
			     size_t cap)
{
	char path[4096], why[160];
	size_t n = 0;
	buf[0] = '\0';
	if (snprintf(path, sizeof(path), "%s%s", root, rel) >=
	    (int)sizeof(path))
		return -1;
	/* /proc's files say size 0, /sys's 4096: the cap is on the read */
	int fd = set_file_open(path, (size_t)1 << 30, 0, why, sizeof(why));
	if (fd < 0)
		return -1;
	while (n + 1 < cap) {
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	return 0;
}

/* Control bytes and DEL become spaces; spaces trimmed at both ends. */
static char *machine_clean(char *s)
{
	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		s[--n] = '\0';
	return s;
}

/* ---- CPU model, kernel, cores ---- */

static void machine_cpu_model(const char *root, char *out, size_t len)
{
	const size_t cap = 65536; /* the first CPU's lines are enough */
	char *buf = malloc(cap);
	snprintf(out, len, "unknown");
	if (!buf || machine_read_file(root, "/proc/cpuinfo", buf, cap) != 0) {
		free(buf);
		return;
	}
	for (char *line = buf; line && *line;) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *colon = strchr(line, ':');
		if (strncmp(line, "model name", 10) == 0 && colon) {
			char *v = machine_clean(colon + 1);
			if (*v)
				snprintf(out, len, "%s", v);
			break;
		}
		line = next;
	}
	free(buf);
}

static void machine_kernel(const char *root, char *out, size_t len)
{
	char buf[256];
	struct utsname u;
	machine_read_file(root, "/proc/sys/kernel/osrelease", buf, sizeof(buf));
	const char *v = machine_clean(buf);
	if (!*v && !root[0] && uname(&u) == 0)
		v = u.release;
	snprintf(out, len, "%s", *v ? v : "unknown");
}

/* The CPUs in a list such as "0-3,8,10-11"; 0 when it is not one. */
static int machine_count_cpus(const char *list)
{
	long n = 0;
	const char *p = list;
	while (*p) {
		char *end;
		long a = strtol(p, &end, 10), b = a;
		if (end == p || a < 0)
			return 0;
		if (*end == '-') {
			p = end + 1;
			b = strtol(p, &end, 10);
			if (end == p || b < a)
				return 0;
		}
		n += b - a + 1;
		if (n > 1000000 || (*end && *end != ','))
			return 0;
		p = *end ? end + 1 : end;
	}
	return (int)n;
}

static int machine_cores(const char *root)
{
	char buf[1024];
	machine_read_file(root, "/sys/devices/system/cpu/online", buf,
			  sizeof(buf));
	int n = machine_count_cpus(machine_clean(buf));
	if (n == 0 && !root[0]) {
		long online = sysconf(_SC_NPROCESSORS_ONLN);
		n = online > 0 ? (int)online : 0;
	}
	return n;
}

double bench_machine_load(const char *root)
{
	char buf[256], *end;
	if (machine_read_file(root, "/proc/loadavg", buf, sizeof(buf)) != 0)
		return NAN;
	double load = strtod(buf, &end);
	return end != buf && isfinite(load) && load >= 0 ? load : NAN;
}

/* ---- mitigations ---- */

/* A vulnerability file's name: 1-63 of [a-z0-9_] (no dots: no ".."). */
static int machine_vuln_name_ok(const char *name)
{
	size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_");
	return n > 0 && n < 64 && name[n] == '\0';
}

static int machine_name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The folder's file names, sorted (the hash must not depend on the
 * order readdir gives); how many, or -1 when there is no folder. */
static int machine_vuln_names(const char *root, char (*names)[64])
{
	char path[4096];
	snprintf(path, sizeof(path), "%s%s", root, MACHINE_VULN_DIR);
	DIR *d = opendir(path);
	struct dirent *e;
	size_t n = 0;
	if (!d)
		return -1;
	while (n < MACHINE_MAX_VULNS && (e = readdir(d)) != NULL)
		if (machine_vuln_name_ok(e->d_name)) /* under 64 bytes */
			memcpy(names[n++], e->d_name, strlen(e->d_name) + 1);
	closedir(d);
	qsort(names, n, sizeof(names[0]), machine_name_cmp);
	return (int)n;
}

/* One file's state in a word: "" for "Not affected", "vulnerable", or
 * the mitigation's first phrase ("Mitigation: PTI" -> "pti"). */
static void machine_vuln_word(const char *text, char *word)
{
	size_t n = 0;
	word[0] = '\0';
	if (strncmp(text, "Not affected", 12) == 0)
		return;
	if (strncmp(text, "Vulnerable", 10) == 0) {
		snprintf(word, MACHINE_WORD_MAX + 1, "vulnerable");
		return;
	}
	if (strncmp(text, "Mitigation: ", 12) == 0)
		text += 12;
	for (; *text && !strchr(";,(", *text) && n < MACHINE_WORD_MAX; text++) {
		int c = tolower((unsigned char)*text);
		word[n++] = isalnum(c) || strchr("/_.+", c) ? (char)c : '-';
	}
	while (n && word[n - 1] == '-')
		n--;
	word[n] = '\0';
	if (!n)
		snprintf(word, MACHINE_WORD_MAX + 1, "other");
}

/* Appends "name=word" to the summary, or ";..." once it is full. */
static void machine_summary_add(char *sum, size_t cap, const char *name,
				const char *word)
{
	size_t used = strlen(sum);
	if (used >= 3 && strcmp(sum + used - 3, "...") == 0)
		return;
	size_t need = (used ? 1 : 0) + strlen(name) + 1 + strlen(word);
	if (used + need + 4 < cap)
		snprintf(sum + used, cap - used, "%s%s=%s", used ? ";" : "",
			 name, word);
	else
		snprintf(sum + used, cap - used, "%s...", used ? ";" : "");
}

/* FNV-1a, 64 bits: small, stable, and enough to tell two texts apart. */
static void machine_hash(const char *text, char *out, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	snprintf(out, len, "%016llx", (unsigned long long)h);
}

static void machine_mitigations(const char *root, struct bench_machine *m,
				char *full)
{
	char(*names)[64] = calloc(MACHINE_MAX_VULNS, 64);
	char text[1024], path[160], word[MACHINE_WORD_MAX + 1];
	int n = names ? machine_vuln_names(root, names) : -1;
	size_t used = 0;
	full[0] = m->mitigations[0] = '\0';
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", MACHINE_VULN_DIR,
			 names[i]);
		int ok = machine_read_file(root, path, text, sizeof(text)) == 0;
		const char *v = ok ? machine_clean(text) : "(unreadable)";
		machine_vuln_word(v, word);
		if (!ok)
			snprintf(word, sizeof(word), "unreadable");
		if (word[0])
			machine_summary_add(m->mitigations,
					    sizeof(m->mitigations), names[i],
					    word);
		int w = snprintf(full + used, BENCH_MACHINE_FULL_MAX - used,
				 "%s: %s\n", names[i], v);
		used += w > 0 && (size_t)w < BENCH_MACHINE_FULL_MAX - used
				? (size_t)w
				: 0;
	}
	free(names);
	if (n < 0) {
		snprintf(m->mitigations, sizeof(m->mitigations), "unknown");
		snprintf(m->mitigations_hash, sizeof(m->mitigations_hash),
			 "unknown");
		return;
	}
	if (!m->mitigations[0])
		snprintf(m->mitigations, sizeof(m->mitigations), "none");
	machine_hash(full, m->mitigations_hash, sizeof(m->mitigations_hash));
}

/* ---- the whole machine ---- */

void bench_machine_read(const char *root, struct bench_machine *m, char *full)
{
	memset(m, 0, sizeof(*m));
	machine_cpu_model(root, m->cpu_model, sizeof(m->cpu_model));
	machine_kernel(root, m->kernel, sizeof(m->kernel));
	machine_mitigations(root, m, full);
	m->cores = machine_cores(root);
}

int bench_machine_save(const char *dir, const struct bench_machine *m,
		       const char *full, char *path, size_t len)
{
	struct file_replace out = {0};
	path[0] = '\0';
	if (strcmp(m->mitigations_hash, "unknown") == 0)
		return 0; /* nothing was read: nothing to keep */
	if (snprintf(path, len, "%s/bench-mitigations-%s.txt", dir,
		     m->mitigations_hash) >= (int)len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (file_replace_open(&out, path) != 0)
		return -1;
	fprintf(out.f,
		"# %s: the files of %s on this machine (CPU %s, kernel %s), "
		"one per line; the bench files' mitigations_hash is the "
		"hash of the lines below.\n",
		m->mitigations_hash, MACHINE_VULN_DIR, m->cpu_model, m->kernel);
	fputs(full, out.f);
	return file_replace_commit(&out);
}
