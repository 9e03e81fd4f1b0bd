// SPDX-License-Identifier: MIT
/* rawsock.c - blocking TCP clients that send exactly what a test says. */
#include "tests/support/rawsock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/clock.h"

int rawsock_port(const char *url)
{
	const char *colon = strrchr(url, ':');
	return colon ? atoi(colon + 1) : -1;
}

int rawsock_connect(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int rawsock_send(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t k = send(fd, s, len, MSG_NOSIGNAL);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		s += k;
		len -= (size_t)k;
	}
	return 0;
}

size_t rawsock_read(int fd, char *buf, size_t cap, double timeout_s,
		    bool *closed)
{
	size_t got = 0;
	double end = clock_now() + timeout_s;
	bool eof = false;
	while (got + 1 < cap) {
		double left = end - clock_now();
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) == 0)
			break;
		ssize_t k = recv(fd, buf + got, cap - 1 - got, 0);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) { /* 0: FIN; < 0: ECONNRESET and the like */
			eof = true;
			break;
		}
		got += (size_t)k;
	}
	buf[got] = '\0';
	if (closed)
		*closed = eof;
	return got;
}

char *rawsock_exchange(int port, const char *request, double timeout_s)
{
	size_t cap = 1 << 16;
	char *buf = calloc(1, cap);
	if (!buf)
		abort();
	int fd = rawsock_connect(port);
	if (fd < 0)
		return buf;
	if (rawsock_send(fd, request, strlen(request)) == 0)
		rawsock_read(fd, buf, cap, timeout_s, NULL);
	close(fd);
	return buf;
}

int rawsock_status(const char *buf)
{
	int status = 0;
	if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
		return 0;
	return status;
}
