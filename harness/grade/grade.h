// SPDX-License-Identifier: MIT
/*
 * grade.h - `concur grade MODEL`, what `make check-model MODEL=...` runs
 * (as build/concur-grade, the grader's build, which holds no student
 * code): the conformance scenarios against one model, each run in a
 * contained host process and judged by the grader alone, a hint when one
 * fails, the model's speed as a ratio to the built-in threads model on
 * the same batch, and a grade file in the layout of Gradescope's
 * results.json, written after every process of the student's is gone:
 *
 *     {"score": 9.5, "execution_time": 12.3, "output": "hints...",
 *      "tests": [{"name": ..., "score": 1, "max_score": 1,
 *                 "status": "passed", "output": ...}, ...]}
 *
 * The grade file also says whose work it graded and where, in Gradescope's
 * "extra_data": the student (--student, else $STUDENT, else $USER), the
 * machine and its cores, and the FNV-1a hash of the model's source file
 * (--source, else models/exercises/MODEL.c when there is one).
 *
 * Errors: bad usage (no model, an unknown one) is one line and exit 2; a
 * model that fails a check exits 1; the speed score never fails it.
 */
#ifndef CONCUR_GRADE_H
#define CONCUR_GRADE_H

/* `concur grade MODEL [--out FILE] [--host BIN] [--sanitize S]
 * [--student NAME] [--source FILE] [--quick]`: what `make check-model`
 * runs; returns the exit status. In a build with student code (concur),
 * it hands over to concur-grade beside it. */
int grade_main(int argc, char **argv);

#endif
