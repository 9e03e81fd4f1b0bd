// SPDX-License-Identifier: MIT
/*
 * serve.c - `concur serve` from the command line (server_main), and as a
 * child process of `concur run` (server_spawn, server_stop). The socket it
 * listens on is opened in listen.c, the loop that serves it is loop.c.
 *
 * The lesson: a child process is the simplest way to run a server next to
 * the code that measures it. The child binds port 0 (the kernel picks a
 * free one), tells the parent which through a pipe, and dies with its
 * parent (PR_SET_PDEATHSIG), so a crashed run leaves no server behind.
 *
 * Watch for: the child is a copy of the parent; it must leave through
 * _exit(), never by returning into the parent's code or running its
 * atexit handlers.
 */
#define _GNU_SOURCE /* pipe2 */
#include "harness/server/serve.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "harness/server/listen.h"
#include "harness/server/loop.h"

struct server_opts server_opts_default(void)
{
	struct server_opts o = {
		.listen_addr = "127.0.0.1",
		.port = 0,
		.header_timeout_s = 10,
		.idle_timeout_s = 30,
		/* The kernel caps the backlog at net.core.somaxconn (4096 on
		 * recent kernels), so asking for more is harmless. */
		.backlog = 65535,
		.quiet = 0,
	};
	return o;
}

static const char serve_usage[] =
	"usage: concur serve [--port P] [--listen ADDR] [--header-timeout S]\n"
	"                    [--idle-timeout S] [--backlog N] [--quiet]\n"
	"\n"
	"An HTTP/1.1 test server (one thread, one libev loop, keep-alive).\n"
	"Prints the URL it serves on; SIGTERM or Ctrl-C stops it.\n"
	"\n"
	"  --port P            TCP port, 0..65535 (default 0: any free port)\n"
	"  --listen ADDR       IPv4 or IPv6 address (default 127.0.0.1)\n"
	"  --header-timeout S  seconds a client has to send a request head\n"
	"                      (default 10); then 408 and close\n"
	"  --idle-timeout S    seconds an idle keep-alive connection, or a\n"
	"                      client that stops reading, is kept (default "
	"30)\n"
	"  --backlog N         listen() backlog (default 65535; the kernel\n"
	"                      caps it at net.core.somaxconn)\n"
	"  --quiet             no banner, no exit line\n"
	"\n"
	"Endpoints (GET or HEAD; numbers are plain decimal):\n"
	"  /delay/MS           answer 200 after MS ms (0..60000)\n"
	"  /bytes/N            200 with an N-byte body (0..67108864); byte i\n"
	"                      of an N-byte body is 'a' + (i*7 + N) % 26\n"
	"  /status/CODE        answer with status CODE (200..599)\n"
	"  Each combines with ?delay=MS, ?bytes=N, ?status=CODE, joined by &:\n"
	"  /delay/50?bytes=1024, /status/503?delay=10, /bytes/10?status=201\n"
	"  (other parameters are ignored, as httpbin does)\n"
	"Faults:\n"
	"  /reset              the request is read, then the connection is\n"
	"                      reset (RST, SO_LINGER 0): no answer\n"
	"  /truncate/N         headers promise N bytes (N >= 1), N/2 are\n"
	"                      sent, then the connection closes\n"
	"  /hang               the request is read and never answered\n"
	"  /drip/N?ms=D        N body bytes sent one at a time, D ms apart\n"
	"                      (default 100): a slow server; N x D at\n"
	"                      most 60 s in all, as a delay\n"
	"  /stall/MS           the whole server stalls for MS ms (a GC\n"
	"                      pause): every answer waits until it ends\n"
	"Anything else is 404. Limits: a delay over 60 s or a body over\n"
	"64 MiB is 400 with a message; a request head over 8192 bytes is\n"
	"431, a target over 256 bytes 414, a request body over 64 KiB 413,\n"
	"other methods 405; Content-Length with Transfer-Encoding, two\n"
	"Content-Lengths or anything unparsable is 400. After a 400, 408,\n"
	"413, 414 or 431 the connection closes.\n";

/* "--name VALUE" or "--name=VALUE"; returns the value or NULL. */
static const char *serve_value(int argc, char **argv, int *i, const char *name)
{
	size_t len = strlen(name);
	if (!argv[*i] || strncmp(argv[*i], name, len) != 0)
		return NULL;
	if (argv[*i][len] == '=')
		return argv[*i] + len + 1;
	if (argv[*i][len] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		fprintf(stderr, "concur serve: %s needs a value\n", name);
		exit(2);
	}
	return argv[++*i];
}

/* A number within [lo, hi], else one line and exit 2. */
static double serve_number(const char *name, const char *text, double lo,
			   double hi, int integer)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (errno || end == text || *end || v < lo || v > hi ||
	    (integer && v != (double)(long)v)) {
		fprintf(stderr,
			"concur serve: %s must be %s %.10g..%.10g, not '%s'\n",
			name, integer ? "an integer" : "a number", lo, hi,
			text);
		exit(2);
	}
	return v;
}

/* Fills *o from argv; returns 1 for --help, 0 to serve. Exits 2 on a
 * bad flag. */
static int serve_parse(int argc, char **argv, struct server_opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *v;
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)
			return 1;
		if (strcmp(argv[i], "--quiet") == 0)
			o->quiet = 1;
		else if ((v = serve_value(argc, argv, &i, "--port")))
			o->port = (int)serve_number("--port", v, 0, 65535, 1);
		else if ((v = serve_value(argc, argv, &i, "--listen")))
			o->listen_addr = v;
		else if ((v = serve_value(argc, argv, &i, "--header-timeout")))
			o->header_timeout_s = serve_number("--header-timeout",
							   v, 0.01, 3600, 0);
		else if ((v = serve_value(argc, argv, &i, "--idle-timeout")))
			o->idle_timeout_s = serve_number("--idle-timeout", v,
							 0.01, 3600, 0);
		else if ((v = serve_value(argc, argv, &i, "--backlog")))
			o->backlog = (int)serve_number("--backlog", v, 1,
						       1 << 20, 1);
		else {
			fprintf(stderr,
				"concur serve: unknown option '%s' "
				"(see concur serve --help)\n",
				argv[i]);
			exit(2);
		}
	}
	return 0;
}

/* "http://127.0.0.1:8080" or "http://[::1]:8080". */
static void serve_url(char *url, size_t len, const char *addr, int port)
{
	const char *fmt = strchr(addr, ':') ? "http://[%s]:%d" : "http://%s:%d";
	snprintf(url, len, fmt, addr, port);
}

int server_main(int argc, char **argv)
{
	struct server_opts o = server_opts_default();
	if (serve_parse(argc, argv, &o)) {
		fputs(serve_usage, stdout);
		return 0;
	}
	int port;
	int fd = server_listen(&o, &port);
	if (fd < 0)
		return 2;
	server_block_signals(); /* a SIGTERM after the banner is clean */
	if (!o.quiet) {
		char url[128];
		serve_url(url, sizeof(url), o.listen_addr, port);
		printf("concur serve: serving on %s\n", url);
		fflush(stdout);
	}
	return server_serve(fd, &o) == 0 ? 0 : 1;
}

/* The child: listen, report the port (or -1) through the pipe, serve. */
static void serve_child(const struct server_opts *o, int report_fd,
			pid_t parent)
{
	/* SIGTERM when the parent (the thread that forked) dies. Checked
	 * after, in case the parent died before prctl ran. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(1);
	int port = -1;
	int fd = server_listen(o, &port);
	if (fd < 0)
		port = -1;
	server_block_signals(); /* server_stop may come at once */
	ssize_t w = write(report_fd, &port, sizeof(port));
	close(report_fd);
	if (fd < 0 || w != (ssize_t)sizeof(port))
		_exit(2);
	_exit(server_serve(fd, o) == 0 ? 0 : 1);
}

int server_spawn(const struct server_opts *o, pid_t *pid, char *url,
		 size_t url_len)
{
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) != 0) {
		perror("concur: pipe");
		return -1;
	}
	pid_t parent = getpid();
	fflush(NULL); /* or the child would print the parent's buffers */
	pid_t child = fork();
	if (child < 0) {
		perror("concur: fork");
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (child == 0) {
		close(pfd[0]);
		serve_child(o, pfd[1], parent);
	}
	close(pfd[1]);
	int port = -1;
	ssize_t r;
	do /* returns once the child listens: connects queue from then on */
		r = read(pfd[0], &port, sizeof(port));
	while (r < 0 && errno == EINTR);
	close(pfd[0]);
	if (r != (ssize_t)sizeof(port) || port < 0) {
		server_stop(child);
		return -1;
	}
	*pid = child;
	serve_url(url, url_len, o->listen_addr, port);
	return 0;
}

void server_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	/* A server that ignores SIGTERM for 5 s gets SIGKILL. */
	double give_up = clock_now() + 5;
	for (;;) {
		pid_t r = waitpid(pid, NULL, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			return;
		if (clock_now() > give_up) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return;
		}
		struct timespec ts = {0, 10L * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}
