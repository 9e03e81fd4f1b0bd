// SPDX-License-Identifier: MIT
/* mpi_said.c - what a program says on its stderr (see mpi_said.h). */
#include "harness/external/mpi_said.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness/base/term.h"

/* A line of the ranks' own: --trace's "[mpi w3] ..." or "[mpi-static w0]
 * ...", and concur-mpi's own errors. */
static int mpi_line_is_ours(const char *line, size_t n)
{
	return (n >= 4 && memcmp(line, "[mpi", 4) == 0) ||
	       (n >= 11 && memcmp(line, "concur-mpi:", 11) == 0);
}

static void mpi_said_line(struct mpi_said *s)
{
	if (s->pass_all || mpi_line_is_ours(s->line, s->line_len)) {
		term_write_line(stderr, s->line, s->line_len); /* shown */
		return;
	}
	size_t room = sizeof(s->held) - 1 - s->held_len;
	size_t n = s->line_len + 1 < room ? s->line_len + 1 : room;
	memcpy(s->held + s->held_len, s->line, n ? n - 1 : 0);
	if (n) {
		s->held[s->held_len + n - 1] = '\n';
		s->held_len += n;
	}
	s->held[s->held_len] = '\0';
}

void mpi_said_bytes(struct mpi_said *s, const char *buf, size_t n)
{
	if (!buf) { /* end of file: a last line without its newline */
		if (s->line_len > 0)
			mpi_said_line(s);
		s->line_len = 0;
		return;
	}
	for (size_t k = 0; k < n; k++) {
		if (buf[k] == '\n') {
			mpi_said_line(s);
			s->line_len = 0;
			continue;
		}
		if (s->line_len == sizeof(s->line) && s->pass_all) {
			mpi_said_line(s); /* a long line passes on in pieces */
			s->line_len = 0;
		}
		if (s->line_len < sizeof(s->line))
			s->line[s->line_len++] = buf[k];
	}
}

void mpi_said_read(struct mpi_said *s, int *fd)
{
	char buf[4096];
	ssize_t n;
	while ((n = read(*fd, buf, sizeof(buf))) > 0 ||
	       (n < 0 && errno == EINTR))
		if (n > 0)
			mpi_said_bytes(s, buf, (size_t)n);
	if (n == 0 || (n < 0 && errno != EAGAIN)) {
		mpi_said_bytes(s, NULL, 0);
		close(*fd);
		*fd = -1;
	}
}

/* Appends the text from p up to the end of its paragraph (a blank line or
 * a line of dashes) to out as one line, spaces collapsed. */
static void mpi_paragraph(const char *p, char *out, size_t len)
{
	size_t used = 0;
	for (; *p && used + 1 < len; p++) {
		if (*p == '\n' && (p[1] == '\n' || p[1] == '-' || !p[1]))
			break;
		char c = *p == '\n' || *p == '\t' ? ' ' : *p;
		if (c == ' ' && (used == 0 || out[used - 1] == ' '))
			continue;
		out[used++] = c;
	}
	while (used > 0 && out[used - 1] == ' ')
		used--;
	out[used] = '\0';
}

int mpi_said_rank_died(const struct mpi_said *s)
{
	return strstr(s->held, " noticed that process") != NULL;
}

int mpi_said_summary(const struct mpi_said *s, char *out, size_t len)
{
	/* A rank that died is named in one line; anything else, Open MPI
	 * explains in its first paragraph. */
	const char *p = strstr(s->held, " noticed that process");
	while (p && p > s->held && p[-1] != '\n') /* "mpirun noticed ..." */
		p--;
	if (!p) {
		p = s->held;
		while (*p == '-' || *p == '\n' || *p == ' ') {
			const char *eol = strchr(p, '\n');
			p = eol ? eol + 1 : p + strlen(p);
		}
	}
	mpi_paragraph(p, out, len);
	/* Open MPI's messages name a rank only once ranks have run. */
	return strstr(s->held, "rank ") != NULL;
}
