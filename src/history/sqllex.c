/*
 * sqllex.c - the light lexer that splits pg_dump's SQL into statements.
 *
 * pg_dump ends every statement with ';' at the end of a line; the lexer
 * only has to know whether that ';' is outside quotes: '...' (with ''),
 * E'...' and, under standard_conforming_strings = off, '...' with
 * backslash escapes, "..." identifiers, $tag$...$tag$ bodies, -- comments
 * and nested block comments. The meaning of a statement is left to
 * libpg_query.
 */
#include "migdoctor/common.h"
#include "sqllex.h"

#include <ctype.h>

void sqllex_reset(struct sqllex *lx)
{
	bool scs = lx->scs;

	memset(lx, 0, sizeof(*lx));
	lx->scs = scs;
}

static bool ident_char(int c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* At p: "$tag$"? Returns its length, or 0. */
static size_t dollar_tag(const char *p, const char *end)
{
	const char *q = p + 1;

	if (q < end && (isdigit((unsigned char)*q)))
		return 0;
	while (q < end && (isalnum((unsigned char)*q) || *q == '_' || (unsigned char)*q >= 0x80))
		q++;
	if (q < end && *q == '$' && (size_t)(q + 1 - p) <= sizeof(((struct sqllex *)0)->tag))
		return (size_t)(q + 1 - p);
	return 0;
}

/* Characters the NORMAL state must look at (all others only end a ';' run). */
static const bool special[256] = {
	['\''] = true, ['"'] = true, ['$'] = true, ['-'] = true, ['/'] = true, [';'] = true,
};

bool sqllex_line(struct sqllex *lx, const char *l, size_t n, struct sbuf *out)
{
	const char *p = l, *end = l + n;

	lx->ended = false;
	while (p < end) {
		switch (lx->state) {
		case LX_NORMAL: {
			char c;

			if (!out) {
				/* skipping: run over ordinary characters without a copy */
				while (p < end && !special[(unsigned char)*p]) {
					lx->ended &= *p == ' ' || *p == '\t' || *p == '\r';
					p++;
				}
				if (p >= end)
					break;
			}
			c = *p;

			if (c == '\'') {
				bool e = p > l && (p[-1] == 'E' || p[-1] == 'e') &&
					 !(p - 1 > l && ident_char((unsigned char)p[-2]));

				lx->state = LX_SQUOTE;
				lx->bs_escapes = e || !lx->scs;
				if (out && !lx->scs && !e)
					sb_putc(out, 'E'); /* make libpg_query read it as written */
				lx->ended = false;
			} else if (c == '"') {
				lx->state = LX_DQUOTE;
				lx->ended = false;
			} else if (c == '$' && !(p > l && ident_char((unsigned char)p[-1]))) {
				size_t t = dollar_tag(p, end);

				if (t) {
					memcpy(lx->tag, p, t);
					lx->taglen = t;
					lx->state = LX_DOLLAR;
					if (out)
						sb_putn(out, p, t);
					p += t;
					lx->ended = false;
					continue;
				}
				lx->ended = false;
			} else if (c == '-' && p + 1 < end && p[1] == '-') {
				if (out)
					sb_putn(out, p, (size_t)(end - p));
				return lx->ended;
			} else if (c == '/' && p + 1 < end && p[1] == '*') {
				lx->state = LX_COMMENT;
				lx->depth = 1;
				if (out)
					sb_putn(out, p, 2);
				p += 2;
				continue;
			} else if (c == ';') {
				lx->ended = true;
			} else if (c != ' ' && c != '\t' && c != '\r') {
				lx->ended = false;
			}
			if (out)
				sb_putc(out, c);
			p++;
			break;
		}
		case LX_SQUOTE: {
			const char *q = p;

			if (lx->bs_escapes) {
				while (q < end && *q != '\'' && *q != '\\')
					q++;
			} else {
				q = memchr(p, '\'', (size_t)(end - p));
				if (!q)
					q = end;
			}
			if (out)
				sb_putn(out, p, (size_t)(q - p));
			p = q;
			if (p >= end)
				break;
			if (*p == '\\') {
				size_t k = p + 1 < end ? 2 : 1;

				if (out)
					sb_putn(out, p, k);
				p += k;
				break;
			}
			/* a quote: doubled, or the end of the literal */
			if (p + 1 < end && p[1] == '\'') {
				if (out)
					sb_putn(out, p, 2);
				p += 2;
				break;
			}
			if (out)
				sb_putc(out, '\'');
			p++;
			lx->state = LX_NORMAL;
			break;
		}
		case LX_DQUOTE: {
			const char *q = memchr(p, '"', (size_t)(end - p));

			if (!q) {
				if (out)
					sb_putn(out, p, (size_t)(end - p));
				p = end;
				break;
			}
			if (out)
				sb_putn(out, p, (size_t)(q + 1 - p));
			p = q + 1;
			if (p < end && *p == '"') {
				if (out)
					sb_putc(out, '"');
				p++;
				break;
			}
			lx->state = LX_NORMAL;
			break;
		}
		case LX_DOLLAR: {
			const char *q = memmem(p, (size_t)(end - p), lx->tag, lx->taglen);

			if (!q) {
				if (out)
					sb_putn(out, p, (size_t)(end - p));
				p = end;
				break;
			}
			if (out)
				sb_putn(out, p, (size_t)(q - p) + lx->taglen);
			p = q + lx->taglen;
			lx->state = LX_NORMAL;
			break;
		}
		case LX_COMMENT:
			if (*p == '*' && p + 1 < end && p[1] == '/') {
				lx->depth--;
				if (out)
					sb_putn(out, p, 2);
				p += 2;
				if (lx->depth == 0)
					lx->state = LX_NORMAL;
				break;
			}
			if (*p == '/' && p + 1 < end && p[1] == '*') {
				lx->depth++;
				if (out)
					sb_putn(out, p, 2);
				p += 2;
				break;
			}
			if (out)
				sb_putc(out, *p);
			p++;
			break;
		}
	}
	return lx->state == LX_NORMAL && lx->ended;
}
