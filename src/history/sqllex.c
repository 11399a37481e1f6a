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

/* --- statements from text that arrives in pieces --- */

void sqllex_split_init(struct sqllex_split *sp, size_t max)
{
	memset(sp, 0, sizeof(*sp));
	sp->max = max;
	sp->lx.scs = true; /* pg_dump writes E'' wherever a backslash is an escape */
}

void sqllex_split_release(struct sqllex_split *sp)
{
	free(sp->buf);
	memset(sp, 0, sizeof(*sp));
}

static int emit(struct sqllex_split *sp, size_t end, sqllex_stmt_fn fn, void *ctx,
		struct md_error *err)
{
	size_t a = sp->stmt_start, b = end;

	while (a < b && isspace((unsigned char)sp->buf[a]))
		a++;
	while (b > a && isspace((unsigned char)sp->buf[b - 1]))
		b--;
	sp->stmt_start = end;
	sqllex_reset(&sp->lx);
	if (a == b || (b - a == 1 && sp->buf[a] == ';'))
		return 0;
	return fn(ctx, sp->buf + a, b - a, sp->start_offset + a, err);
}

/* Lex the complete lines buffered (and, when final, the last one). */
static int scan(struct sqllex_split *sp, bool final, sqllex_stmt_fn fn, void *ctx,
		struct md_error *err)
{
	while (sp->scan < sp->len) {
		const char *l = sp->buf + sp->scan;
		const char *nl = memchr(l, '\n', sp->len - sp->scan);
		size_t n = nl ? (size_t)(nl - l) : sp->len - sp->scan;

		if (!nl && !final)
			break;
		sp->scan += n + (nl != NULL);
		if (sqllex_line(&sp->lx, l, n, NULL) && emit(sp, sp->scan, fn, ctx, err))
			return -1;
	}
	return 0;
}

/* Drop what was emitted, keeping the statement in progress. */
static void compact(struct sqllex_split *sp)
{
	size_t k = sp->stmt_start;

	if (k == 0)
		return;
	memmove(sp->buf, sp->buf + k, sp->len - k);
	sp->len -= k;
	sp->scan -= k;
	sp->stmt_start = 0;
	sp->start_offset += k;
}

int sqllex_split_feed(struct sqllex_split *sp, const char *p, size_t n, sqllex_stmt_fn fn,
		      void *ctx, const char *name, struct md_error *err)
{
	compact(sp);
	if (sp->len + n > sp->max)
		return md_fail(err, "%s: byte %llu: SQL statement longer than %zu MiB", name,
			       (unsigned long long)sp->start_offset, sp->max >> 20);
	if (sp->len + n > sp->cap) {
		sp->cap = MD_MIN(MD_MAX(sp->cap * 2, sp->len + n), sp->max);
		sp->buf = xrealloc(sp->buf, sp->cap + 1);
	}
	memcpy(sp->buf + sp->len, p, n);
	sp->len += n;
	return scan(sp, false, fn, ctx, err);
}

int sqllex_split_finish(struct sqllex_split *sp, sqllex_stmt_fn fn, void *ctx,
			struct md_error *err)
{
	if (scan(sp, true, fn, ctx, err))
		return -1;
	/* a last statement without ';' still counts */
	return sp->stmt_start < sp->len ? emit(sp, sp->len, fn, ctx, err) : 0;
}
