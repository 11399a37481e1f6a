/*
 * bundle_keep.c - the lines of a log a bundle keeps: those its migration
 * events come from, with context around them, streamed (a log can be
 * many GB; only kept lines are held, each cut at LOG_MAX_LINE).
 */
#include "migdoctor/common.h"
#include "migdoctor/bundle.h"
#include "migdoctor/logs.h"
#include "migdoctor/redact.h"
#include "migdoctor/stream.h"
#include "logs_internal.h"
#include "migdoctor/strutil.h"

/* Lines kept after a failure: a P3018 block (message, SQL, "Database error:") spans many. */
#define KEEP_AFTER_FAILURE 40

struct span {
	uint64_t lo, hi; /* inclusive line numbers */
};

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static bool spans_failure(enum log_event_kind k)
{
	return k == LOG_EV_FAILED || k == LOG_EV_REFUSED || k == LOG_EV_PRISMA_ERROR ||
	       k == LOG_EV_NOT_BASELINED || k == LOG_EV_LITELLM_PERMISSION ||
	       k == LOG_EV_LITELLM_UNCLASSIFIED || k == LOG_EV_APPLIED || k == LOG_EV_STATUS_FAILED ||
	       k == LOG_EV_STATUS_PENDING;
}

static void add_range(struct bundle_range **r, size_t *n, size_t *cap, uint64_t out_line,
		      uint64_t orig)
{
	if (*n && (*r)[*n - 1].orig + (*r)[*n - 1].count == orig) {
		(*r)[*n - 1].count++;
		return;
	}
	MD_GROW(*r, *n, *cap);
	(*r)[*n] = (struct bundle_range){ out_line, orig, 1 };
	(*n)++;
}

long logs_keep_lines(struct sbuf *out, struct bundle_range **ranges, size_t *nranges,
		     const char *path, const struct log_events *ev, size_t from, size_t to,
		     uint64_t ctx, struct md_error *err)
{
	struct span *sp = NULL;
	size_t nsp = 0, cap = 0, rcap = 0, cur = 0;
	struct md_stream *s;
	struct sbuf line = SBUF_INIT;
	char *buf;
	uint64_t lineno = 1, out_lines = 0;
	long nred = 0;
	bool cut = false;

	*ranges = NULL;
	*nranges = 0;
	for (size_t i = from; i < to; i++) {
		uint64_t l = ev->items[i].pos.line, after = ctx;

		if (spans_failure(ev->items[i].kind))
			after = ctx > UINT64_MAX / 2 ? ctx : ctx + KEEP_AFTER_FAILURE;
		MD_GROW(sp, nsp, cap);
		sp[nsp++] = (struct span){ l > ctx ? l - ctx : 1,
					   l > UINT64_MAX - after ? UINT64_MAX : l + after };
	}
	if (nsp)
		qsort(sp, nsp, sizeof(*sp), cmp_span);
	/* merge */
	{
		size_t k = 0;

		for (size_t i = 0; i < nsp; i++) {
			if (k && sp[i].lo <= sp[k - 1].hi + 1) {
				if (sp[i].hi > sp[k - 1].hi)
					sp[k - 1].hi = sp[i].hi;
			} else {
				sp[k++] = sp[i];
			}
		}
		nsp = k;
	}
	if (!nsp)
		return 0;
	if (md_stream_open_auto(&s, path, err)) {
		free(sp);
		return -1;
	}
	buf = xmalloc(MD_READER_BUFSIZE);
	for (;;) {
		ssize_t got = md_stream_read(s, buf, MD_READER_BUFSIZE, err);
		const char *p = buf, *end;

		if (got < 0) {
			nred = -1;
			break;
		}
		end = buf + got;
		if (got == 0) {
			/* a last line without '\n' */
			if (line.len || cut) {
				add_range(ranges, nranges, &rcap, ++out_lines, lineno);
				nred += (long)redact_append(out, line.buf, line.len);
				sb_putc(out, '\n');
			}
			break;
		}
		while (p < end && cur < nsp) {
			const char *nl;

			if (lineno < sp[cur].lo) {
				/* not kept: count lines up to the span, or to the end of the buffer */
				nl = memchr(p, '\n', (size_t)(end - p));
				if (!nl) {
					p = end;
					break;
				}
				p = nl + 1;
				lineno++;
				continue;
			}
			nl = memchr(p, '\n', (size_t)(end - p));
			{
				size_t n = (size_t)((nl ? nl : end) - p), room = LOG_MAX_LINE - line.len;

				if (n > room) {
					n = room;
					cut = true;
				}
				sb_putn(&line, p, n);
			}
			if (!nl) {
				p = end;
				break;
			}
			add_range(ranges, nranges, &rcap, ++out_lines, lineno);
			nred += (long)redact_append(out, line.buf, line.len);
			sb_putc(out, '\n');
			sbuf_reset(&line);
			cut = false;
			p = nl + 1;
			if (lineno++ >= sp[cur].hi)
				cur++;
		}
		if (cur >= nsp)
			break;
	}
	free(buf);
	free(sp);
	sbuf_release(&line);
	md_stream_close(s);
	if (nred < 0) {
		free(*ranges);
		*ranges = NULL;
		*nranges = 0;
	}
	return nred;
}

bool logs_events_same(const struct log_events *a, size_t afrom, size_t ato,
		      const struct log_events *b, size_t bfrom, size_t bto)
{
	if (ato - afrom != bto - bfrom)
		return false;
	for (size_t i = 0; i < ato - afrom; i++) {
		const struct log_event *x = &a->items[afrom + i], *y = &b->items[bfrom + i];

		if (x->kind != y->kind || x->pos.line != y->pos.line || !md_same(x->migration, y->migration) ||
		    !md_same(x->code, y->code) || !md_same(x->sqlstate, y->sqlstate) ||
		    !md_same(x->relation, y->relation) || !md_same(x->column, y->column) ||
		    x->count != y->count || x->attempt != y->attempt)
			return false;
	}
	return true;
}
