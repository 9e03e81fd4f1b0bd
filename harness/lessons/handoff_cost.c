// SPDX-License-Identifier: MIT
/*
 * handoff_cost.c - one message between two threads, and between two
 * processes through pipes, timed as a ping-pong (handoff_cost.h).
 */
#include "harness/lessons/handoff_cost.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"

/* ---- two threads: a baton under a mutex ---- */

struct baton {
	pthread_mutex_t lock;
	pthread_cond_t moved;
	int holder; /* 0 or 1: whose turn; guarded by lock */
	int rounds; /* read-only once the thread runs */
};

/* Waits for the baton to be `me`'s, then hands it to the other side. */
static void baton_pass(struct baton *b, int me)
{
	pthread_mutex_lock(&b->lock);
	while (b->holder != me)
		pthread_cond_wait(&b->moved, &b->lock);
	b->holder = !me;
	pthread_cond_signal(&b->moved);
	pthread_mutex_unlock(&b->lock);
}

static void *baton_partner(void *arg)
{
	struct baton *b = arg;
	for (int i = 0; i < b->rounds; i++)
		baton_pass(b, 1);
	return NULL;
}

/* Seconds for n round trips between this thread and a partner. */
static double handoff_threads(int n)
{
	struct baton b = {.holder = 0, .rounds = n};
	pthread_t t;
	pthread_mutex_init(&b.lock, NULL);
	pthread_cond_init(&b.moved, NULL);
	int rc = pthread_create(&t, NULL, baton_partner, &b);
	if (rc != 0) {
		fprintf(stderr, "concur: pthread_create: %s\n", strerror(rc));
		return -1;
	}
	double t0 = clock_now();
	for (int i = 0; i < n; i++)
		baton_pass(&b, 0);
	double s = clock_now() - t0;
	pthread_join(t, NULL);
	pthread_mutex_destroy(&b.lock);
	pthread_cond_destroy(&b.moved);
	return s;
}

/* ---- two processes: 8 bytes through a pipe each way ---- */

/* The child: echoes 8 bytes back until end of file. */
static void pipe_echo(int in, int out)
{
	char msg[8];
	while (read(in, msg, sizeof(msg)) == (ssize_t)sizeof(msg))
		if (write(out, msg, sizeof(msg)) != (ssize_t)sizeof(msg))
			break;
	_exit(0);
}

/* Seconds for n round trips to a forked child, or -1. */
static double handoff_pipes(int n)
{
	int to[2], from[2];
	if (pipe(to) != 0 || pipe(from) != 0) {
		perror("concur: pipe");
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(to[1]);
		close(from[0]);
		pipe_echo(to[0], from[1]);
	}
	close(to[0]);
	close(from[1]);
	double s = -1;
	if (pid > 0) {
		char msg[8] = "ping";
		double t0 = clock_now();
		int i = 0;
		for (; i < n; i++)
			if (write(to[1], msg, 8) != 8 ||
			    read(from[0], msg, 8) != 8)
				break;
		s = i == n ? clock_now() - t0 : -1;
	} else {
		perror("concur: fork");
	}
	close(to[1]); /* the child sees end of file and exits */
	close(from[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return s;
}

int handoff_cost_measure(int rounds, struct handoff_cost *out)
{
	int n = rounds > 0 ? rounds : 1;
	memset(out, 0, sizeof(*out));
	out->rounds = n;
	/* Warm up both (first faults, first wake-ups), then time them. */
	if (handoff_threads(n / 10 + 1) < 0 || handoff_pipes(n / 10 + 1) < 0)
		return -1;
	double t = handoff_threads(n), p = handoff_pipes(n);
	if (t < 0 || p < 0)
		return -1;
	out->thread_us = t / (2.0 * n) * 1e6;
	out->pipe_us = p / (2.0 * n) * 1e6;
	return 0;
}
