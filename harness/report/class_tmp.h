// SPDX-License-Identifier: MIT
/*
 * class_tmp.h - the private temporary folder where `concur class` unpacks
 * the archives handed in, and the promise that nothing of it outlives the
 * command: it is removed on every way out, and a SIGINT, SIGTERM or
 * SIGHUP (Ctrl-C, a kill, a closed terminal) removes it, and the page's
 * half-written temporary file, before the signal ends the process as it
 * would have. Removal never follows a link: it unlinks what is there.
 *
 * Errors: class_tmp_make returns 0 or -1 (errno set); the rest cannot
 * fail in a way the caller could act on (what cannot be removed stays).
 */
#ifndef CONCUR_CLASS_TMP_H
#define CONCUR_CLASS_TMP_H

#include <stddef.h>

/* Installs the signal handlers (saving the ones they replace). */
void class_tmp_arm(void);
/* Puts the saved handlers back. */
void class_tmp_disarm(void);

/* Makes a fresh folder, mode 0700, in $TMPDIR (else /tmp) and writes its
 * name into dir; a signal removes it from then on. */
int class_tmp_make(char *dir, size_t len);

/* A file a signal also removes (the page being written); NULL: none. */
void class_tmp_watch_file(const char *path);

/* Removes dir and everything under it, links as links; a signal no longer
 * looks at it. */
void class_tmp_remove(const char *dir);

#endif
