// SPDX-License-Identifier: MIT
/* run_cmd.h - `concur run`, the command; see run_cmd.c. */
#ifndef CONCUR_RUN_CMD_H
#define CONCUR_RUN_CMD_H

/* `concur run ...` (argv[0] is "run"); returns the exit status. */
int run_main(int argc, char **argv);

#endif
