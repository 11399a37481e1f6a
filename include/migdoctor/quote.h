/*
 * quote.h - the one place where text from inputs becomes SQL.
 *
 * Every value that comes from a file a customer sent (migration names,
 * ids, checksums, log text, object names) reaches SQL output only through
 * these functions. They are written so that the result is inert whatever
 * the session settings and whoever reads it:
 *   - a literal made only of plain printable ASCII (no quote, no
 *     backslash) is written 'as is'; anything else is written as
 *     convert_from(decode('<hex>', 'hex'), 'UTF8'), whose literal holds
 *     only hex digits: no quote, backslash, dollar or newline can reach
 *     psql or the server's lexer, with standard_conforming_strings on or
 *     off;
 *   - an identifier is double-quoted with '"' doubled; one holding a
 *     control character is refused (no Prisma or PostgreSQL tool makes
 *     such names);
 *   - a migration's own SQL, which is SQL by nature and must arrive byte
 *     for byte, is dollar-quoted with a tag it does not hold;
 *   - comment text has control characters and comment delimiters
 *     replaced, so a line comment cannot end early.
 */
#ifndef MIGDOCTOR_QUOTE_H
#define MIGDOCTOR_QUOTE_H

#include "migdoctor/common.h"
#include "migdoctor/sbuf.h"

/* Append s (len bytes) as an SQL literal expression of type text. */
void sql_quote_literal(struct sbuf *out, const char *s, size_t len);
void sql_quote_literal_str(struct sbuf *out, const char *s);
/* Append an identifier, quoted only when PostgreSQL would need it (quote_ident). */
int sql_quote_ident(struct sbuf *out, const char *s);
/* Always double-quoted (as Prisma writes names). -1 if s holds a control character. */
int sql_quote_ident_always(struct sbuf *out, const char *s);
/*
 * Append s, byte for byte, as a dollar-quoted literal: $base$...$base$,
 * or $baseN$ with the first N whose tag neither occurs in s nor could be
 * completed by s's last bytes. Inside a dollar quote neither psql (no
 * backslash command, no :variable) nor the server's lexer (no escape)
 * interprets anything: for a migration's SQL, which must reach the server
 * exactly as Prisma sends it. base: letters and '_' only. -1 if s holds a
 * NUL byte (no SQL text does).
 */
int sql_quote_dollar(struct sbuf *out, const char *s, size_t len, const char *base);
/* Append text for the inside of a "-- " comment: one line, printable. */
void sql_comment_text(struct sbuf *out, const char *s, size_t len);
/* Does this identifier need quotes (upper case, punctuation, keyword-ish)? */
bool sql_ident_needs_quotes(const char *s);

#endif
