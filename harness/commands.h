// SPDX-License-Identifier: MIT
/* commands.h - the entry points of the smaller commands. Each returns the
 * process exit status (0, 1, or 2 for bad usage). */
#ifndef CONCUR_COMMANDS_H
#define CONCUR_COMMANDS_H

/* `concur compare DIR DIR` (harness/report/compare.c). */
int compare_main(int argc, char **argv);

/* `concur lesson [N]` (harness/lessons/lesson.c). */
int lesson_main(int argc, char **argv);

/* `concur grade MODEL [--out FILE] [--conformance BIN] [--sanitize S]
 * [--quick]`: what `make check-model` runs (harness/grade/grade.c). */
int grade_main(int argc, char **argv);

#endif
