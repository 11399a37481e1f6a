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
		/* the last newline of the window: the lines before it are shorter than w */
		const char *nl = memrchr(p, '\n', w), *ls, *le;

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

/*
 * The lines [q, ls) hold no literal and were skipped; the line at ls is a
 * candidate. A line without a record of its own (a Prisma CLI line in a
 * JSON log) belongs to the last record before it, which may be among the
 * skipped lines: the last record start among the last LR_LOOKBACK of
 * them, and the lines after it, go through the parser (they give no
 * event: they hold no literal), as they would without the prefilter.
 */
#define LR_LOOKBACK 16

static void lr_record_context(struct lr *r, const char *q, const char *ls)
{
	const char *l = ls;

	for (int k = 0; k < LR_LOOKBACK && l > q; k++) {
		const char *b = l - 1 > q ? memrchr(q, '\n', (size_t)(l - 1 - q)) : NULL;

		b = b ? b + 1 : q;
		if (ls_starts_record(&r->s, b, MD_MIN((size_t)(l - 1 - b), (size_t)LOG_MAX_LINE))) {
			uint64_t line = r->line + lf_count_nl(q, b);

			for (const char *x = b; x < ls; line++) {
				const char *nl = memchr(x, '\n', (size_t)(ls - x));

				r->s.line = line;
				r->s.offset = r->base + (uint64_t)(x - r->buf);
				ls_line(&r->s, x, MD_MIN((size_t)(nl - x), (size_t)LOG_MAX_LINE));
				x = nl + 1;
			}
			return;
		}
		l = b;
	}
}

/* Parse the whole lines in [buf, end); end[-1] is '\n'. */
static void lr_lines(struct lr *r, const char *end)
{
	const char *q = r->buf;

	while (q < end) {
		const char *nl;
		size_t n;

		if (!ls_wants_next(&r->s) && !logs_exhaustive) {
			const char *hit = lf_find(q, end), *ls;

			if (!hit) {
				lr_long_in(r, q, end);
				r->line += lf_count_nl(q, end);
				return;
			}
			ls = memrchr(q, '\n', (size_t)(hit - q));
			ls = ls ? ls + 1 : q;
			lr_long_in(r, q, ls);
			if (ls > q)
				lr_record_context(r, q, ls);
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

/* Bytes of a valid UTF-8 sequence at s (n bytes left), 0 when not valid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t k;

	if (c >= 0xC2 && c <= 0xDF)
		k = 1;
	else if (c >= 0xE0 && c <= 0xEF)
		k = 2;
	else if (c >= 0xF0 && c <= 0xF4)
		k = 3;
	else
		return 0;
	if (k >= n)
		return k + 1; /* cut by the end of the probe: not the file's fault */
	for (size_t j = 1; j <= k; j++)
		if ((s[j] & 0xC0) != 0x80)
			return 0;
	return k + 1;
}

/* What a binary file is, from its first bytes, for the message. */
static const char *binary_kind(const unsigned char *b, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *what;
	} kinds[] = {
		{ "\x7f" "ELF", 4, "an ELF executable" },
		{ "\xfd" "7zXZ\0", 6, "xz-compressed data (decompress it first: xz -d)" },
		{ "BZh", 3, "bzip2-compressed data (decompress it first: bzip2 -d)" },
		{ "PK\x03\x04", 4, "a zip archive (extract the log first)" },
		{ "\x89PNG", 4, "a PNG image" },
		{ "%PDF", 4, "a PDF document" },
		{ "\xff\xfe", 2, "UTF-16 text, as PowerShell's '>' writes it (convert it: iconv -f UTF-16 -t UTF-8)" },
		{ "\xfe\xff", 2, "UTF-16 text (convert it: iconv -f UTF-16 -t UTF-8)" },
	};
	size_t odd = 0, even = 0;

	for (size_t i = 0; i < MD_ARRAY_LEN(kinds); i++)
		if (n >= kinds[i].len && !memcmp(b, kinds[i].magic, kinds[i].len))
			return kinds[i].what;
	/* UTF-16 without a BOM: ASCII text with a NUL in every other byte */
	for (size_t i = 0; i + 1 < n; i += 2) {
		even += !b[i];
		odd += !b[i + 1];
	}
	if (n >= 16 && (odd > n * 2 / 5 || even > n * 2 / 5) && MD_MIN(odd, even) < n / 40)
		return "UTF-16 text (convert it: iconv -f UTF-16 -t UTF-8)";
	return NULL;
}

/*
 * Refuse what is not a text log (logs.h, LOG_TEXT_PROBE): otherwise the
 * strings of an executable become findings.
 */
static int text_check(const char *buf, size_t n, const char *file, const char *stream,
		      struct md_error *err)
{
	const unsigned char *b = (const unsigned char *)buf;
	size_t bad = 0, first = SIZE_MAX, nul = SIZE_MAX;
	const char *kind;

	for (size_t i = 0; i < n;) {
		unsigned c = b[i];
		size_t k = 1;

		if (c >= 0x80) {
			k = utf8_len(b + i, n - i);
			if (!k) {
				k = 1;
				goto binary;
			}
		} else if (!c || (c < 0x20 && !strchr("\t\n\v\f\r\x1b", (int)c)) || c == 0x7f) {
			goto binary;
		}
		i += k;
		continue;
binary:
		bad++;
		if (first == SIZE_MAX)
			first = i;
		if (!c && nul == SIZE_MAX)
			nul = i;
		i++;
	}
	if (!n || bad * 100 <= n * LOG_BINARY_PERCENT)
		return 0;
	kind = binary_kind(b, n);
	return md_fail(err, "%s: not a text log (%s at offset %zu%s; %zu%% of the first %zu bytes are NUL, "
		       "control or not UTF-8)%s%s; expected the text output of the proxy or of prisma (plain, "
		       "or compressed with gzip, zstd or lz4)", file, nul != SIZE_MAX ? "NUL byte" :
		       b[first] < 0x80 ? "control byte" : "byte that is not UTF-8",
		       nul != SIZE_MAX ? nul : first, strcmp(stream, file) ? " once decompressed" : "",
		       bad * 100 / n, n, kind ? "; it looks like " : "", kind ? kind : "");
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
	if (md_stream_read_upto(st, r.buf, MD_MIN(r.cap, (size_t)LOG_TEXT_PROBE), &r.len, err) ||
	    text_check(r.buf, r.len, name, st->name, err)) {
		free(r.buf);
		return -1;
	}
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
