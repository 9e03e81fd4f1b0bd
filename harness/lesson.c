// SPDX-License-Identifier: MIT
/*
 * lesson.c - `concur lesson [N]`: the lessons, step by step. Each lesson
 * asks for a prediction, runs a small experiment sized for this machine,
 * and explains what happened with the run's own numbers.
 */
#include <stdio.h>

#include "harness/cli.h"
#include "harness/commands.h"

int lesson_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("lesson: the lessons are not written yet");
	return EXIT_USAGE;
}
