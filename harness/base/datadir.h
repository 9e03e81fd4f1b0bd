// SPDX-License-Identifier: MIT
/*
 * datadir.h - where concur finds the files it reads at run time (plots/NAME.gp,
 * models/python/NAME.py): the source tree when the program runs from it
 * (build/concur next to plots/), else the data directory compiled in
 * (CONCUR_DATADIR, $(PREFIX)/share/concur).
 */
#ifndef CONCUR_DATADIR_H
#define CONCUR_DATADIR_H

#include <stddef.h>

/* The data directory, without a trailing slash. Static storage. */
const char *concur_datadir(void);

/* Joins the data directory and a relative path into buf. Returns buf, or
 * NULL when it does not fit. */
char *concur_data_path(char *buf, size_t len, const char *relative);

#endif
