// SPDX-License-Identifier: MIT
/*
 * class_lessons.h - the class page's lesson section: for every set that
 * holds a lesson.json (`concur lesson` writes one into the first result
 * set it explains), the student's prediction beside what this machine
 * should give and what it measured, and the verdict, grouped by lesson.
 */
#ifndef CONCUR_CLASS_LESSONS_H
#define CONCUR_CLASS_LESSONS_H

#include <stdio.h>

#include "harness/report/class_gather.h"

/* Writes the section (nothing when no set holds a lesson.json). Returns
 * how many predictions it showed. */
size_t class_lessons(FILE *f, const struct class_sets *c);

#endif
