// SPDX-License-Identifier: MIT
/*
 * pollers.h - lesson 4's last section, "Under the loop: select -> poll ->
 * epoll -> io_uring": the four ways a thread asks the kernel about many
 * sockets, each measured on this machine (pollers.c).
 *
 * Errors: none reported; a part that cannot run here (too few descriptors
 * allowed, io_uring refused by the kernel or a seccomp profile) says so in
 * one line and its numbers are NAN.
 */
#ifndef CONCUR_LESSON_POLLERS_H
#define CONCUR_LESSON_POLLERS_H

#include <stdbool.h>

/* The section: select's FD_SETSIZE wall, the cost of one wait call with
 * 100 / 1,000 / 10,000 idle descriptors and one ready (4,000 at most when
 * quick), and io_uring's batching as system calls per transfer. */
void pollers_section(bool quick);

#endif
