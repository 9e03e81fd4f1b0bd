// SPDX-License-Identifier: MIT
/*
 * class_lessons.h - the class page's lesson section: for every set that
 * holds a lesson.json (`concur lesson` writes one into the first result
 * set it explains), the student's prediction beside what this machine
 * should give and what it measured, and the verdict, grouped by lesson.
 *
 * Errors: class_lesson_load returns 0 or -1 (the hand-in is refused);
 * class_lessons cannot fail.
 */
#ifndef CONCUR_CLASS_LESSONS_H
#define CONCUR_CLASS_LESSONS_H

#include <stdio.h>

#include "harness/report/class_sets.h"

/* Lessons are numbered 1 to CLASS_LESSONS_MAX - 1 (lesson.json is
 * refused otherwise). */
#define CLASS_LESSONS_MAX 64

/* Reads dir/lesson.json into s->lesson when the set holds one, checked
 * field by field as a student's file: 0 (none is fine), or -1 with why
 * naming the field ("lesson.json: \"question\" is not text"). */
int class_lesson_load(struct set *s, size_t max_bytes, char *why, size_t len);

/* Writes the section (nothing when no set holds a lesson.json). Returns
 * how many predictions it showed. */
size_t class_lessons(FILE *f, const struct class_sets *c);

#endif
