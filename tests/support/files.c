// SPDX-License-Identifier: MIT
/* files.c - reading files whole, and scratch directories, for the tests. */
#include "tests/support/files.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

char *files_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - n - 1, f);
		if (n < cap - 1)
			break;
		cap *= 2;
		char *grown = realloc(buf, cap);
		if (!grown)
			free(buf);
		buf = grown;
	}
	fclose(f);
	if (!buf)
		return NULL;
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

void files_read_into(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, cap - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
}

void files_tmp_dir(char *dir, size_t len, const char *name)
{
	snprintf(dir, len, "/tmp/concur-%s-XXXXXX", name);
	ck_assert_msg(mkdtemp(dir) != NULL, "cannot make %s", dir);
}

void files_rm_dir(const char *dir)
{
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
