/*
 * read.c - logs_read: stream a log through the prefilter and the parser.
 *
 * The file is read in large blocks. Only whole lines are handed on: the
 * tail after the last '\n' moves to the front for the next read. Between
 * candidates the reader only counts newlines (for file:line positions).
 * A line longer than LOG_MAX_LINE is cut: its first LOG_MAX_LINE bytes are
 * parsed, the rest is discarded as it streams by, with one warning that
 * names the file and line. Memory is bounded by the block size whatever
 * the input.
 */
#include "migdoctor/common.h"
#include "migdoctor/stream.h"
#include "logs_internal.h"

#define LR_BLOCK (4u << 20)

struct lr {
	struct log_scan s;
	char *buf;
	size_t len, cap;
	uint64_t base;     /* stream offset of buf[0] */
	uint64_t line;     /* number of the line starting at buf[0] */
	bool skipping;     /* inside the discarded tail of an over-long line */
};

static void lr_warn_long(struct lr *r, uint64_t line)
{
	md_warnf("%s:%llu: line is longer than %u MiB; only its first %u MiB were searched",
		 r->s.file, (unsigned long long)line, LOG_MAX_LINE >> 20, LOG_MAX_LINE >> 20);
	r->s.ev->long_lines++;
}

/*
 * Warn about over-long lines in a region the prefilter skips, without
 * looking at every line: such a line contains a whole aligned window of
 * LOG_MAX_LINE/2 bytes without '\n', so one memchr per window finds it.
 */
static void lr_long_in(struct lr *r, const char *from, const char *to)
{
	const size_t w = LOG_MAX_LINE / 2;
	const char *p = from;

	while ((size_t)(to - p) > w) {
		const char *nl = memchr(p, '\n', w), *ls, *le;

		if (nl) {
			p = nl + 1;
			continue;
		}
		ls = memrchr(from, '\n', (size_t)(p - from));
		ls = ls ? ls + 1 : from;
		le = memchr(p, '\n', (size_t)(to - p));
		le = le ? le : to;
		if ((size_t)(le - ls) > LOG_MAX_LINE)
			lr_warn_long(r, r->line + lf_count_nl(from, ls));
		p = le < to ? le + 1 : to;
	}
}

/* Parse the whole lines in [buf, end); end[-1] is '\n'. */
static void lr_lines(struct lr *r, const char *end)
{
	const char *q = r->buf;

	while (q < end) {
		const char *nl;
		size_t n;

		if (!ls_wants_next(&r->s)) {
			const char *hit = lf_find(q, end), *ls;

			if (!hit) {
				lr_long_in(r, q, end);
				r->line += lf_count_nl(q, end);
				return;
			}
			ls = memrchr(q, '\n', (size_t)(hit - q));
			ls = ls ? ls + 1 : q;
			lr_long_in(r, q, ls);
			r->line += lf_count_nl(q, ls);
			q = ls;
		}
		nl = memchr(q, '\n', (size_t)(end - q));
		n = (size_t)(nl - q);
		if (MD_UNLIKELY(r->s.ev->n >= LOG_MAX_EVENTS)) {
			if (!r->s.ev->truncated)
				md_warnf("%s:%llu: more than %u migration events; the rest of the "
					 "input is only counted", r->s.file,
					 (unsigned long long)r->line, LOG_MAX_EVENTS);
			r->s.ev->truncated = true;
			r->line += lf_count_nl(q, end);
			return;
		}
		if (n > LOG_MAX_LINE) {
			lr_warn_long(r, r->line);
			n = LOG_MAX_LINE;
		}
		r->s.line = r->line;
		r->s.offset = r->base + (uint64_t)(q - r->buf);
		ls_line(&r->s, q, n);
		r->line++;
		q = nl + 1;
	}
}

static void lr_consume(struct lr *r, size_t n)
{
	memmove(r->buf, r->buf + n, r->len - n);
	r->len -= n;
	r->base += n;
}

static int lr_run(struct lr *r, struct md_stream *st, struct md_error *err)
{
	bool eof = false;

	for (;;) {
		char *last;

		if (!eof) {
			ssize_t got = md_stream_read(st, r->buf + r->len, r->cap - r->len, err);

			if (got < 0)
				return -1;
			if (got == 0)
				eof = true;
			r->len += (size_t)got;
		}
		if (r->skipping) {
			char *nl = memchr(r->buf, '\n', r->len);

			if (!nl) {
				lr_consume(r, r->len);
				if (eof) {
					r->line++; /* the cut line was the last one */
					break;
				}
				continue;
			}
			lr_consume(r, (size_t)(nl - r->buf) + 1);
			r->line++;
			r->skipping = false;
		}
		last = r->len ? memrchr(r->buf, '\n', r->len) : NULL;
		if (last) {
			lr_lines(r, last + 1);
			lr_consume(r, (size_t)(last - r->buf) + 1);
		} else if (r->len >= LOG_MAX_LINE) {
			lr_warn_long(r, r->line);
			r->s.line = r->line;
			r->s.offset = r->base;
			ls_line(&r->s, r->buf, LOG_MAX_LINE);
			lr_consume(r, r->len);
			r->skipping = true;
			continue;
		}
		if (eof) {
			if (r->len > 0) {
				/* a last line without '\n' (an excerpt cut off) */
				r->buf[r->len++] = '\n';
				lr_lines(r, r->buf + r->len);
				lr_consume(r, r->len);
			}
			break;
		}
	}
	return 0;
}

/* size_hint: the input's length when known (memory), else 0 */
static int read_stream(struct log_events *ev, struct md_stream *st, const char *name,
		       size_t size_hint, struct md_error *err)
{
	struct lr r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.cap = LR_BLOCK + LOG_MAX_LINE;
	/* a small input needs no 5 MiB buffer (tests, fuzzing) */
	if (size_hint && size_hint + 2 < r.cap)
		r.cap = MD_MAX(size_hint + 2, (size_t)4096);
	r.buf = xmalloc(r.cap + 1);
	r.line = 1;
	ls_init(&r.s, ev, name);
	rc = lr_run(&r, st, err);
	ls_finish(&r.s);
	ev->lines_read += r.line - 1;
	ev->files_read++;
	ls_release(&r.s);
	free(r.buf);
	return rc;
}

int logs_read(struct log_events *ev, const char *path, struct md_error *err)
{
	struct md_stream *st;
	int rc;

	if (md_stream_open_auto(&st, path, err))
		return -1;
	rc = read_stream(ev, st, path, 0, err);
	md_stream_close(st);
	return rc;
}

int logs_read_mem(struct log_events *ev, const char *name, const void *data, size_t len,
		  struct md_error *err)
{
	struct md_stream *st = md_stream_open_mem(name, data, len);
	int rc = read_stream(ev, st, name, len, err);

	md_stream_close(st);
	return rc;
}
