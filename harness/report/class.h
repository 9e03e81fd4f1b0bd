// SPDX-License-Identifier: MIT
/*
 * class.h - `concur class PATH...`: many students' result sets on one
 * page (class.html) to project: the machines (cores, CPU, versions, the
 * options that differ from the rest of the class), and per workload,
 * model and C the spread across machines of the speedup each machine
 * measured over its own baseline, as box and strip plots drawn here in
 * SVG, with the outliers named. The sets are gathered by class_gather.h.
 *
 * Errors: class_main returns the exit status: 0 with at least one set
 * read (refused ones are said on stderr), 2 when none could be.
 */
#ifndef CONCUR_CLASS_H
#define CONCUR_CLASS_H

/* `concur class [--out FILE] [--title TEXT] PATH...` */
int class_main(int argc, char **argv);

#endif
