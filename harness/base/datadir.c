// SPDX-License-Identifier: MIT
/*
 * datadir.c - where the data is: the source tree when run from it, else
 * PREFIX/share/concur found from the program's own place (PREFIX/bin), so
 * an install works whatever PREFIX the program was built with; the
 * built-in CONCUR_DATADIR last.
 */
#include "harness/base/datadir.h"

#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef CONCUR_DATADIR
#define CONCUR_DATADIR "/usr/local/share/concur"
#endif

/* Is dir a source tree (it has plots/ and models/python/)? */
static int datadir_is_tree(const char *dir)
{
	char probe[4096];
	snprintf(probe, sizeof(probe), "%s/models/python", dir);
	if (access(probe, R_OK) != 0)
		return 0;
	snprintf(probe, sizeof(probe), "%s/plots", dir);
	return access(probe, R_OK) == 0;
}

const char *concur_datadir(void)
{
	static char dir[4096];
	if (dir[0])
		return dir;
	char exe[4096];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		exe[len] = '\0';
		/* build/concur (or build/asan/concur): look upwards. */
		char *d = dirname(exe);
		char bin_parent[4096];
		snprintf(bin_parent, sizeof(bin_parent), "%s", d);
		for (int up = 0; up < 3 && strcmp(d, "/") != 0; up++) {
			d = dirname(d);
			if (datadir_is_tree(d)) {
				snprintf(dir, sizeof(dir), "%s", d);
				return dir;
			}
		}
		/* PREFIX/bin/concur: PREFIX/share/concur. */
		char *prefix = dirname(bin_parent);
		char installed[4096];
		int n = snprintf(installed, sizeof(installed),
				 "%s/share/concur", prefix);
		if (n > 0 && (size_t)n < sizeof(installed) &&
		    datadir_is_tree(installed)) {
			snprintf(dir, sizeof(dir), "%s", installed);
			return dir;
		}
	}
	snprintf(dir, sizeof(dir), "%s", CONCUR_DATADIR);
	return dir;
}

char *concur_data_path(char *buf, size_t len, const char *relative)
{
	int n = snprintf(buf, len, "%s/%s", concur_datadir(), relative);
	return (n < 0 || (size_t)n >= len) ? NULL : buf;
}
