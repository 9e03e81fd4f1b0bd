// SPDX-License-Identifier: MIT
/*
 * cluster.h - checking the options that take a run beyond one machine:
 * --hosts (mpirun's host:slots list), --hostfile, and --listen (where the
 * embedded server listens, so that other hosts can reach it).
 *
 * Errors: each check returns 0, or -1 after one line on stderr naming the
 * option and the value (the caller exits 2).
 */
#ifndef CONCUR_CLUSTER_H
#define CONCUR_CLUSTER_H

/* "host:slots,host,..." : names or IPv4 addresses, slots 1 to 100000;
 * every host must resolve here (getaddrinfo), as mpirun will need it to. */
int cluster_check_hosts(const char *text);

/* A readable file whose hosts ("[user@]host ..." lines, '#' comments)
 * all resolve. */
int cluster_check_hostfile(const char *path);

/* An IPv4 or IPv6 address. */
int cluster_check_listen(const char *addr);

#endif
