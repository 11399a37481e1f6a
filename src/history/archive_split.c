/*
 * archive_split.c - split SQL text into statements, incrementally.
 *
 * TOC defns (several statements in one ACL or TABLE entry) and --inserts
 * data blocks (INSERTs whose literals hold ';' and newlines) arrive in
 * pieces; the scanner keeps its state across pieces and waits for more
 * input whenever a token could straddle the boundary. Only statement
 * boundaries are found here: the statements themselves are parsed by
 * libpg_query downstream.
 */
#include "migdoctor/common.h"
#include "archive_int.h"

#include <ctype.h>

enum { SP_CODE, SP_QUOTE, SP_IDENT, SP_DOLLAR, SP_LINE_COMMENT, SP_BLOCK_COMMENT };

void ar_split_init(struct ar_splitter *sp, size_t max)
{
	memset(sp, 0, sizeof(*sp));
	sp->max = max;
}

void ar_split_release(struct ar_splitter *sp)
{
	free(sp->buf);
	memset(sp, 0, sizeof(*sp));
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80;
}

static int emit(struct ar_splitter *sp, size_t end, ar_stmt_fn fn, void *ctx,
		struct md_error *err)
{
	size_t a = sp->stmt_start, b = end;

	while (a < b && isspace((unsigned char)sp->buf[a]))
		a++;
	while (b > a && isspace((unsigned char)sp->buf[b - 1]))
		b--;
	sp->stmt_start = end;
	if (a == b || (b - a == 1 && sp->buf[a] == ';'))
		return 0;
	return fn(ctx, sp->buf + a, b - a, sp->start_offset + a, err);
}

/* Scan what is buffered; final: no more input will come. */
static int scan(struct ar_splitter *sp, bool final, ar_stmt_fn fn, void *ctx,
		struct md_error *err)
{
	char *p = sp->buf;
	size_t n = sp->len, i = sp->scan;

	while (i < n) {
		char c = p[i];
		bool more = i + 1 < n; /* is p[i+1] available? */

		switch (sp->state) {
		case SP_CODE:
			if (c == ';') {
				if (emit(sp, i + 1, fn, ctx, err))
					return -1;
			} else if (c == '\'') {
				sp->state = SP_QUOTE;
			} else if (c == '"') {
				sp->state = SP_IDENT;
			} else if (c == '-' || c == '/') {
				if (!more && !final)
					goto wait;
				if (more && c == '-' && p[i + 1] == '-') {
					sp->state = SP_LINE_COMMENT;
					i++;
				} else if (more && c == '/' && p[i + 1] == '*') {
					sp->state = SP_BLOCK_COMMENT;
					sp->depth = 1;
					i++;
				}
			} else if (c == '$' && (i == 0 || !ident_char(p[i - 1]) || p[i - 1] == '$')) {
				size_t j = i + 1;

				while (j < n && j - i - 1 < sizeof(sp->tag) - 1 &&
				       (isalpha((unsigned char)p[j]) || p[j] == '_' ||
					(j > i + 1 && isdigit((unsigned char)p[j]))))
					j++;
				if (j == n && !final && j - i - 1 < sizeof(sp->tag) - 1)
					goto wait;
				if (j < n && p[j] == '$') {
					sp->taglen = j - i - 1;
					memcpy(sp->tag, p + i + 1, sp->taglen);
					sp->state = SP_DOLLAR;
					i = j;
				}
			}
			break;
		case SP_QUOTE:
			if (c == '\'') {
				if (!more && !final)
					goto wait;
				if (more && p[i + 1] == '\'')
					i++;
				else
					sp->state = SP_CODE;
			}
			break;
		case SP_IDENT:
			if (c == '"')
				sp->state = SP_CODE; /* "" re-enters at once: same result */
			break;
		case SP_DOLLAR:
			if (c == '$') {
				if (i + 1 + sp->taglen >= n && !final)
					goto wait;
				if (i + 1 + sp->taglen < n && !memcmp(p + i + 1, sp->tag, sp->taglen) &&
				    p[i + 1 + sp->taglen] == '$') {
					i += sp->taglen + 1;
					sp->state = SP_CODE;
				}
			}
			break;
		case SP_LINE_COMMENT:
			if (c == '\n')
				sp->state = SP_CODE;
			break;
		case SP_BLOCK_COMMENT:
			if ((c == '*' || c == '/') && !more && !final)
				goto wait;
			if (c == '*' && more && p[i + 1] == '/') {
				i++;
				if (--sp->depth == 0)
					sp->state = SP_CODE;
			} else if (c == '/' && more && p[i + 1] == '*') {
				i++;
				sp->depth++;
			}
			break;
		}
		i++;
	}
wait:
	sp->scan = i;
	return 0;
}

/* Drop what was emitted, keeping the statement in progress. */
static void compact(struct ar_splitter *sp)
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

int ar_split_feed(struct ar_splitter *sp, const char *p, size_t n, ar_stmt_fn fn, void *ctx,
		  const char *name, struct md_error *err)
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

int ar_split_finish(struct ar_splitter *sp, ar_stmt_fn fn, void *ctx, struct md_error *err)
{
	if (scan(sp, true, fn, ctx, err))
		return -1;
	/* a last statement without ';' still counts */
	return sp->stmt_start < sp->len ? emit(sp, sp->len, fn, ctx, err) : 0;
}
