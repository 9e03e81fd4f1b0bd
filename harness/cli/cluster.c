// SPDX-License-Identifier: MIT
/* cluster.c - checking --hosts, --hostfile and --listen (cluster.h). */
#include "harness/cli/cluster.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness/base/cli.h"

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

/* Can `name` (n bytes of it) be resolved here, as mpirun will have to?
 * Addresses and names in /etc/hosts resolve without a network. Returns 0,
 * or -1 after one line naming the option and the host. */
static int cluster_resolve(const char *flag, const char *name, size_t n)
{
	char host[256];
	if (n >= sizeof(host)) {
		cli_error("%s: host name '%.40s...' is too long", flag, name);
		return -1;
	}
	memcpy(host, name, n);
	host[n] = '\0';
	struct addrinfo hints = {.ai_family = AF_UNSPEC,
				 .ai_socktype = SOCK_STREAM};
	struct addrinfo *found = NULL;
	int rc = getaddrinfo(host, NULL, &hints, &found);
	if (rc == 0) {
		freeaddrinfo(found);
		return 0;
	}
	cli_error("%s: cannot resolve host '%s' (%s)", flag, host,
		  rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
	return -1;
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
	for (size_t i = 0; i < n; i++)
		if (cluster_resolve("--hosts", items[i],
				    strcspn(items[i], ":")) != 0)
			return -1;
	return 0;
}

/* One line of a hostfile: "# comment", blank, or "[user@]host [slots=N]
 * ..."; the host must resolve. */
static int cluster_hostfile_line(const char *line)
{
	line += strspn(line, " \t");
	size_t n = strcspn(line, " \t\r\n#");
	if (n == 0)
		return 0;
	const char *at = memchr(line, '@', n);
	if (at) {
		n -= (size_t)(at + 1 - line);
		line = at + 1;
	}
	return cluster_resolve("--hostfile", line, n);
}

int cluster_check_hostfile(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		cli_error("--hostfile: cannot read '%s'", path);
		return -1;
	}
	char line[1024];
	int rc = 0;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		rc = cluster_hostfile_line(line);
		int c = 0; /* a longer line: its first 1 KiB is enough */
		while (!strchr(line, '\n') && (c = fgetc(f)) != EOF &&
		       c != '\n')
			;
	}
	fclose(f);
	return rc;
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
