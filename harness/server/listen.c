// SPDX-License-Identifier: MIT
/*
 * listen.c - the listening socket of `concur serve`: an IPv4 or IPv6
 * address, port 0 for one the kernel picks, non-blocking for the loop.
 *
 * Watch for: with port 0 the real port is known only after bind();
 * getsockname() reads it back, and server_spawn reports it to the parent.
 */
#include "harness/server/listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The address as a sockaddr; -1 when it is neither IPv4 nor IPv6. */
static int listen_addr(const char *text, int port, struct sockaddr_storage *ss,
		       socklen_t *len)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, text, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		*len = sizeof(*a4);
		return 0;
	}
	if (inet_pton(AF_INET6, text, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*a6);
		return 0;
	}
	return -1;
}

int server_listen(const struct server_opts *o, int *port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	if (listen_addr(o->listen_addr, o->port, &ss, &len) != 0) {
		fprintf(stderr,
			"concur serve: --listen '%s' is not an IPv4 or "
			"IPv6 address\n",
			o->listen_addr);
		return -1;
	}
	int fd = socket(ss.ss_family,
			SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("concur serve: socket");
		return -1;
	}
	int one = 1; /* restart at once on a port left in TIME_WAIT */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) != 0) {
		fprintf(stderr,
			"concur serve: cannot listen on %s port %d: "
			"%s\n",
			o->listen_addr, o->port,
			errno == EADDRINUSE ? "the port is taken"
					    : strerror(errno));
		close(fd);
		return -1;
	}
	/* The backlog holds connections the kernel completed but we have
	 * not accepted yet; Linux silently caps it at net.core.somaxconn. */
	if (listen(fd, o->backlog) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
		perror("concur serve: listen");
		close(fd);
		return -1;
	}
	*port = ntohs(ss.ss_family == AF_INET
			      ? ((struct sockaddr_in *)&ss)->sin_port
			      : ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

int listen_is_wildcard(const char *addr)
{
	return strcmp(addr, "0.0.0.0") == 0 || strcmp(addr, "::") == 0;
}
