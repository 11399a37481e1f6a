/*
 * sqllex.h - statement splitting for pg_dump's SQL text (see sqllex.c).
 */
#ifndef MIGDOCTOR_SQLLEX_H
#define MIGDOCTOR_SQLLEX_H

#include "migdoctor/common.h"
#include "migdoctor/sbuf.h"

enum sqllex_state { LX_NORMAL, LX_SQUOTE, LX_DQUOTE, LX_DOLLAR, LX_COMMENT };

struct sqllex {
	enum sqllex_state state;
	bool scs;          /* standard_conforming_strings (set by the caller) */
	bool bs_escapes;   /* inside E'...' or a '...' under scs off */
	bool ended;        /* the last significant character was ';' */
	int depth;         /* block comment nesting */
	char tag[64];
	size_t taglen;
};

/* Forget the statement in progress (scs is kept). */
void sqllex_reset(struct sqllex *lx);
/*
 * Feed one line (without its '\n'). Returns true when the statement ends
 * at this line's end. With out, the line is appended to it, with an 'E'
 * put before each plain '...' literal when scs is off, so libpg_query
 * (always scs on) reads backslashes as the dump meant them.
 */
bool sqllex_line(struct sqllex *lx, const char *l, size_t n, struct sbuf *out);

#endif
