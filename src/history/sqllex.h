/*
 * sqllex.h - statement splitting for pg_dump's SQL text (see sqllex.c): the
 * one splitter of src/history, line by line (plain dumps) or over text
 * that arrives in pieces (TOC defns, --inserts data blocks of archives).
 */
#ifndef MIGDOCTOR_SQLLEX_H
#define MIGDOCTOR_SQLLEX_H

#include "migdoctor/common.h"
#include "migdoctor/diag.h"
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

/*
 * Statements of text fed in pieces of any size: fn gets each one, trimmed,
 * with its offset in the text. As in a dump, a statement ends with a line
 * whose last token is ';'; the last one may lack it. A statement longer
 * than max is an error naming the input.
 */
typedef int (*sqllex_stmt_fn)(void *ctx, const char *sql, size_t len, uint64_t offset,
			      struct md_error *err);
struct sqllex_split {
	struct sqllex lx;
	char *buf;
	size_t len, cap, max;
	size_t scan, stmt_start; /* the next line to lex; the statement in progress */
	uint64_t start_offset;   /* offset of buf[0] in the input */
};
void sqllex_split_init(struct sqllex_split *sp, size_t max);
void sqllex_split_release(struct sqllex_split *sp);
int sqllex_split_feed(struct sqllex_split *sp, const char *p, size_t n, sqllex_stmt_fn fn,
		      void *ctx, const char *name, struct md_error *err);
int sqllex_split_finish(struct sqllex_split *sp, sqllex_stmt_fn fn, void *ctx,
			struct md_error *err);

#endif
