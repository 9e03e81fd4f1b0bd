// SPDX-License-Identifier: MIT
/* cluster.c - checking --hosts, --hostfile and --listen (cluster.h). */
#include "harness/cli/cluster.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/cli/cli.h"

#define CLUSTER_MAX_HOSTS 256

/* One "name[:slots]". */
static int cluster_host(const char *item)
{
	size_t name = strspn(item, "abcdefghijklmnopqrstuvwxyz"
				   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_");
	if (name == 0 || (item[name] != '\0' && item[name] != ':'))
		return -1;
	if (item[name] == '\0')
		return 0;
	long slots;
	char *end;
	slots = strtol(item + name + 1, &end, 10);
	return (item[name + 1] >= '0' && item[name + 1] <= '9' && !*end &&
		slots >= 1 && slots <= 100000)
		       ? 0
		       : -1;
}

int cluster_check_hosts(const char *text)
{
	char copy[4096];
	const char *items[CLUSTER_MAX_HOSTS];
	size_t n;
	if (cli_split("--hosts", text, copy, sizeof(copy), items,
		      CLUSTER_MAX_HOSTS, &n) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (cluster_host(items[i]) != 0) {
			cli_error("--hosts: '%s' is not host or host:slots "
				  "(slots 1 to 100000)",
				  items[i]);
			return -1;
		}
	return 0;
}

int cluster_check_hostfile(const char *path)
{
	if (access(path, R_OK) == 0)
		return 0;
	cli_error("--hostfile: cannot read '%s'", path);
	return -1;
}

int cluster_check_listen(const char *addr)
{
	unsigned char buf[16];
	if (inet_pton(AF_INET, addr, buf) == 1 ||
	    inet_pton(AF_INET6, addr, buf) == 1)
		return 0;
	cli_error("--listen: '%s' is not an IPv4 or IPv6 address", addr);
	return -1;
}

int cluster_is_wildcard(const char *addr)
{
	return strcmp(addr, "0.0.0.0") == 0 || strcmp(addr, "::") == 0;
}
