/*
 * copytext.c - COPY text format (what pg_dump and COPY ... TO STDOUT write).
 *
 * Fields are split on unescaped TABs; a field is NULL iff its raw text is
 * exactly \N (so \\N is the string "\N"); escapes follow
 * CopyReadAttributesText: \b \f \n \r \t \v, 1-3 octal digits, \x and 1-2
 * hex digits, any other character stands for itself.
 */
#include "migdoctor/common.h"
#include "hist_internal.h"

#include <ctype.h>

int hist_copy_unescape(const char *p, size_t len, struct sbuf *out)
{
	const char *end = p + len;

	sbuf_reset(out);
	while (p < end) {
		const char *bs = memchr(p, '\\', (size_t)(end - p));
		int c;

		if (!bs)
			return sbuf_add(out, p, (size_t)(end - p));
		if (sbuf_add(out, p, (size_t)(bs - p)) < 0)
			return -1;
		p = bs + 1;
		if (p >= end) /* a lone trailing backslash: keep it */
			return sbuf_addch(out, '\\');
		c = (unsigned char)*p++;
		switch (c) {
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'v': c = '\v'; break;
		case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
			int v = c - '0';

			for (int i = 0; i < 2 && p < end && *p >= '0' && *p <= '7'; i++)
				v = v * 8 + (*p++ - '0');
			c = v & 0xff;
			break;
		}
		case 'x':
			if (p < end && md_hexval((unsigned char)*p) >= 0) {
				int v = md_hexval((unsigned char)*p++);

				if (p < end && md_hexval((unsigned char)*p) >= 0)
					v = v * 16 + md_hexval((unsigned char)*p++);
				c = v;
			}
			break;
		default:
			break; /* the character itself: \\ \. \N inside a longer field */
		}
		if (sbuf_addch(out, c) < 0)
			return -1;
	}
	return 0;
}

/* Does the line end in an odd number of backslashes (an escaped newline)? */
static bool escaped_eol(const char *l, size_t n)
{
	size_t k = 0;

	while (k < n && l[n - 1 - k] == '\\')
		k++;
	return k % 2 == 1;
}

struct copy_state {
	struct sbuf vals[HIST_MAX_COLS];
	struct sbuf joined;
	const char *raw[HIST_MAX_COLS];
	size_t rawlen[HIST_MAX_COLS];
};

static void copy_state_init(struct copy_state *cs)
{
	for (size_t i = 0; i < HIST_MAX_COLS; i++)
		sbuf_init(&cs->vals[i], HIST_MAX_FIELD);
	sbuf_init(&cs->joined, HIST_MAX_LINE);
}

static void copy_state_release(struct copy_state *cs)
{
	for (size_t i = 0; i < HIST_MAX_COLS; i++)
		sbuf_release(&cs->vals[i]);
	sbuf_release(&cs->joined);
}

static int copy_row(struct history *h, struct copy_state *cs, const struct hist_colmap *m,
		    const char *line, size_t len, const struct md_pos *pos, struct md_error *err)
{
	struct hist_field f[HC_NCOLS];
	const char *p = line, *end = line + len;
	size_t nf = 0;

	/* split on TABs; a TAB in data is always written as \t, never raw */
	for (;;) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));
		const char *fe = tab ? tab : end;

		if (nf >= m->ncols) {
			nf++;
			break;
		}
		cs->raw[nf] = p;
		cs->rawlen[nf] = (size_t)(fe - p);
		nf++;
		if (!tab)
			break;
		p = tab + 1;
	}
	if (nf != m->ncols) {
		if (nf > m->ncols)
			while (p < end && (p = memchr(p, '\t', (size_t)(end - p))) != NULL) {
				nf++;
				p++;
			}
		return md_fail_at(err, pos, "%zu fields in a COPY row; expected %zu (the COPY "
				  "column list)", nf, m->ncols);
	}
	for (int c = 0; c < HC_NCOLS; c++)
		f[c] = (struct hist_field){ "", 0, true, false };
	for (size_t i = 0; i < nf; i++) {
		int c = m->map[i];

		if (c < 0)
			continue;
		if (cs->rawlen[i] == 2 && cs->raw[i][0] == '\\' && cs->raw[i][1] == 'N')
			continue; /* NULL: the raw text decides, before de-escaping */
		if (hist_copy_unescape(cs->raw[i], cs->rawlen[i], &cs->vals[i]) < 0)
			return md_fail_at(err, pos, "value of column '%s' is longer than %zu MiB "
					  "(HIST_MAX_FIELD)", hist_col_names[c], HIST_MAX_FIELD >> 20);
		f[c] = (struct hist_field){ cs->vals[i].buf, cs->vals[i].len, false, false };
	}
	return hist_add_row(h, f, pos, err);
}

int hist_copy_rows(struct history *h, struct md_reader *r, const struct hist_colmap *m,
		   bool need_terminator, struct md_error *err)
{
	struct copy_state *cs = xcalloc(1, sizeof(*cs));
	uint64_t first = r->line;
	int rc = -1;

	copy_state_init(cs);
	hist_note_missing(h, m);
	for (;;) {
		struct md_pos pos;
		const char *line;
		size_t len;
		int got;

		md_reader_pos(r, &pos);
		got = md_reader_line(r, &line, &len, err);
		if (got < 0)
			goto out;
		if (got == 0) {
			if (need_terminator) {
				md_fail_at(err, &pos, "the file ends inside the COPY data of "
					   "_prisma_migrations (started at line %llu); expected a "
					   "'\\.' line: the dump is truncated",
					   (unsigned long long)first);
				goto out;
			}
			break;
		}
		if (len && line[len - 1] == '\r')
			len--; /* a raw CR in data is always escaped: this is a CRLF artefact */
		if (len == 2 && line[0] == '\\' && line[1] == '.')
			break;
		if (escaped_eol(line, len)) {
			/* backslash + raw newline: the newline is data (hand-made files) */
			sbuf_reset(&cs->joined);
			for (;;) {
				if (sbuf_add(&cs->joined, line, len) < 0 ||
				    sbuf_addch(&cs->joined, '\n') < 0) {
					md_fail_at(err, &pos, "COPY row longer than %zu MiB (HIST_MAX_LINE)",
						   HIST_MAX_LINE >> 20);
					goto out;
				}
				got = md_reader_line(r, &line, &len, err);
				if (got < 0)
					goto out;
				if (got == 0)
					break;
				if (!escaped_eol(line, len)) {
					if (sbuf_add(&cs->joined, line, len) < 0) {
						md_fail_at(err, &pos, "COPY row longer than %zu MiB "
							   "(HIST_MAX_LINE)", HIST_MAX_LINE >> 20);
						goto out;
					}
					break;
				}
			}
			line = cs->joined.buf;
			len = cs->joined.len;
		}
		if (copy_row(h, cs, m, line, len, &pos, err) < 0)
			goto out;
	}
	rc = 0;
out:
	copy_state_release(cs);
	free(cs);
	return rc;
}

int history_read_copy_text(struct history *h, struct md_stream *in, const char *const *cols,
			   size_t ncols, uint64_t first_line, struct md_error *err)
{
	struct hist_colmap m;
	struct md_reader r;
	struct md_pos pos = { in->name, first_line, 0, in->offset };
	size_t lens[HIST_MAX_COLS];
	int rc;

	if (ncols > HIST_MAX_COLS)
		return md_fail_at(err, &pos, "%zu columns in the COPY list; expected at most %d "
				  "(HIST_MAX_COLS)", ncols, HIST_MAX_COLS);
	for (size_t i = 0; i < ncols; i++)
		lens[i] = strlen(cols[i]);
	if (hist_colmap_build(&m, cols, lens, ncols, false, &pos, err) < 0)
		return -1;
	md_reader_init(&r, in, HIST_MAX_LINE);
	r.line = first_line ? first_line : 1;
	h->flags |= HIST_TABLE_SEEN;
	rc = hist_copy_rows(h, &r, &m, false, err);
	md_reader_release(&r);
	return rc;
}

/* A file holding what COPY ... TO STDOUT printed: with a header or not. */
int hist_read_copy_export(struct history *h, struct md_stream *s,
			  const struct history_opts *opts, struct md_error *err)
{
	struct hist_colmap m;
	struct md_reader r;
	struct md_pos pos;
	const char *line;
	size_t len;
	ssize_t avail;
	int rc = -1;

	(void)opts;
	md_reader_init(&r, s, HIST_MAX_LINE);
	md_reader_pos(&r, &pos);
	avail = md_reader_fill(&r, 4096, err);
	if (avail < 0)
		goto out;
	line = r.buf + r.start;
	{
		const char *nl = memchr(line, '\n', (size_t)avail);
		const char *names[HIST_MAX_COLS];
		size_t lens[HIST_MAX_COLS], n = 0;
		const char *p = line, *end;
		bool header = true;

		len = nl ? (size_t)(nl - line) : (size_t)avail;
		if (len && line[len - 1] == '\r')
			len--;
		end = line + len;
		while (n < HIST_MAX_COLS) {
			const char *t = memchr(p, '\t', (size_t)(end - p));

			names[n] = p;
			lens[n] = (size_t)((t ? t : end) - p);
			if (hist_col_lookup(names[n], lens[n]) < 0)
				header = false;
			n++;
			if (!t)
				break;
			p = t + 1;
		}
		if (header) {
			if (hist_colmap_build(&m, names, lens, n, true, &pos, err) < 0)
				goto out;
			if (md_reader_line(&r, &line, &len, err) < 0)
				goto out;
		} else if (n == HC_NCOLS && hist_is_uuidish(names[0], lens[0])) {
			hist_colmap_prisma(&m);
			h->flags |= HIST_BY_POSITION;
		} else {
			md_fail_at(err, &pos, "COPY text without a header has %zu fields and does not "
				   "start with a migration id; expected the 8 columns of "
				   "_prisma_migrations in table order, or a header line", n);
			goto out;
		}
	}
	h->format = "COPY text";
	h->flags |= HIST_TABLE_SEEN;
	rc = hist_copy_rows(h, &r, &m, false, err);
out:
	md_reader_release(&r);
	return rc;
}
