// SPDX-License-Identifier: MIT
/*
 * python.h - finding the Python that runs the py-* models, and the
 * launcher (launcher.h) of every model that is a command of the data
 * directory: a .py one run by that Python, any other run as it is.
 *
 * Python is found, never required: `--python PATH` if given, else
 * /usr/bin/python3, else the first python3 on PATH; the first of them that
 * can `import aiohttp` wins. Without one, the py-* models are unavailable
 * and every C model works as before.
 *
 * Errors: python_find returns NULL and says why in the caller's buffer
 * (one line, naming what was tried and what to install). Not thread-safe:
 * it caches its answer; call it from the main thread.
 */
#ifndef CONCUR_PYTHON_H
#define CONCUR_PYTHON_H

#include <stddef.h>

#include "harness/external/launcher.h"

/* What to install when no suitable Python is found. */
#define PYTHON_INSTALL_HINT "apt-get install python3 python3-aiohttp"

/* The interpreter to use: explicit_path (from --python) when it is an
 * executable that imports aiohttp, or, when explicit_path is NULL, the
 * first suitable candidate. NULL with the reason in why otherwise. The
 * string returned is explicit_path itself or static storage. */
const char *python_find(const char *explicit_path, char *why, size_t len);

/* Does this interpreter run and import aiohttp? Returns 1 or 0. */
int python_has_aiohttp(const char *path);

/* Does `path -c probe` exit with status 42 (PYTHON_PROBE_STATUS) within
 * 20 s? The probe's way of saying "yes" (an import that worked); a
 * program that exits 0 whatever it is given is not taken for one.
 * Returns 1 or 0. */
int python_runs_probe(const char *path, const char *probe);

/* The path of lesson 18's C loop (models/python/spin.c) into buf:
 * libspin.so beside the running program or one folder up (build/concur,
 * build/tests/test_NAME), else under the data directory's models/python/
 * (make install). Returns buf, or NULL when it does not fit. */
char *python_spin_library(char *buf, size_t len);

/* The launcher of a model with a command (model.h): the command's path
 * is absolute or under the data directory; a .py runs under --python or
 * python_find's choice. Its stderr passes through, line by line. */
extern const struct launcher python_launcher;

#endif
