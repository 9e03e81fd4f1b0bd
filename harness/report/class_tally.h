// SPDX-License-Identifier: MIT
/*
 * class_tally.h - what opens each lesson's section of the class page, so
 * that 40 students read at a glance: how many predictions were close,
 * the right order and off (and not graded, or not given); the most common
 * wrong answer; what the machines should give (the lessons' expected
 * values, which vary with each machine's cores and speed); and how many
 * runs could not show the lesson's claim, so were graded against that
 * expected value instead.
 *
 * Errors: none (write errors show when the page is committed).
 */
#ifndef CONCUR_CLASS_TALLY_H
#define CONCUR_CLASS_TALLY_H

#include <stdio.h>

#include "harness/report/class_sets.h"

/* The tally of lesson `number` over the class's lesson.json files (unit:
 * the lesson's unit, "" for none). */
void class_tally(FILE *f, const struct class_sets *c, int number,
		 const char *unit);

#endif
