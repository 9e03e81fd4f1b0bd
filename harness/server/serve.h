// SPDX-License-Identifier: MIT
/*
 * serve.h - `concur serve`, the embedded HTTP/1.1 test server.
 *
 * A libev event-loop program with httpbin-like endpoints (/delay/MS,
 * /bytes/N, /status/CODE, combinable: /delay/50?bytes=1024) and fault
 * endpoints (/reset, /truncate/N, /hang, /drip/N?ms=D). It gives the
 * I/O-bound lessons latency that is known and repeatable without the
 * internet. `concur run` starts it as a child process on an ephemeral port
 * before any model runs and stops it on exit.
 *
 * Errors: functions return 0 or -1 and say why on stderr; server_main
 * returns the process exit status (2 for bad usage).
 */
#ifndef CONCUR_SERVE_H
#define CONCUR_SERVE_H

#include <stddef.h>
#include <sys/types.h>

#include "harness/server/server_opts.h"

/* The defaults `concur serve --help` documents. */
struct server_opts server_opts_default(void);

/* `concur serve [--port P] [--listen ADDR] ...`; returns an exit status. */
int server_main(int argc, char **argv);

/* Starts the server in a child process (port 0 means ephemeral), waits
 * until it accepts connections, and fills *pid and url
 * ("http://127.0.0.1:PORT"). The child dies with its parent. */
int server_spawn(const struct server_opts *o, pid_t *pid, char *url,
		 size_t url_len);

/* Stops a spawned server and reaps it. */
void server_stop(pid_t pid);

#endif
