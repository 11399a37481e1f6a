/*
 * markup.c - tables written for people to read: a Markdown table (pasted
 * in a GitHub issue, as DBeaver and others copy it), and psql's
 * \pset format html and asciidoc. Read line by line, a row at a time.
 *
 * All three print NULL and '' alike (an empty cell), so an empty logs is
 * marked ambiguous; a Markdown cell holding NULL or [NULL] (what tools
 * print for NULL when asked) is NULL. Columns are mapped by the header;
 * other columns are ignored, as in psql output.
 */
#include "migdoctor/common.h"
#include "hist_internal.h"

struct mtable {
	struct history *h;
	struct hist_colmap m;
	bool have_map;
	struct sbuf cell[HIST_MAX_COLS];
	bool null[HIST_MAX_COLS];
	size_t n;
	const char *name;
};

static void mt_init(struct mtable *t, struct history *h, const char *name)
{
	memset(t, 0, sizeof(*t));
	t->h = h;
	t->name = name;
	for (size_t i = 0; i < HIST_MAX_COLS; i++)
		sbuf_init(&t->cell[i], HIST_MAX_FIELD);
}

static void mt_release(struct mtable *t)
{
	for (size_t i = 0; i < HIST_MAX_COLS; i++)
		sbuf_release(&t->cell[i]);
}

static void mt_reset(struct mtable *t)
{
	for (size_t i = 0; i < t->n; i++) {
		sbuf_reset(&t->cell[i]);
		t->null[i] = false;
	}
	t->n = 0;
}

/* Start the next cell; NULL past HIST_MAX_COLS. */
static struct sbuf *mt_next(struct mtable *t, const struct md_pos *pos, struct md_error *err)
{
	if (t->n >= HIST_MAX_COLS) {
		md_fail_at(err, pos, "more than %d cells in a table row (HIST_MAX_COLS)",
			   HIST_MAX_COLS);
		return NULL;
	}
	sbuf_reset(&t->cell[t->n]);
	t->null[t->n] = false;
	return &t->cell[t->n++];
}

static int mt_header(struct mtable *t, const struct md_pos *pos, struct md_error *err)
{
	const char *names[HIST_MAX_COLS];
	size_t lens[HIST_MAX_COLS];

	for (size_t i = 0; i < t->n; i++) {
		names[i] = t->cell[i].buf ? t->cell[i].buf : "";
		lens[i] = t->cell[i].len;
	}
	if (hist_colmap_build(&t->m, names, lens, t->n, false, pos, err) < 0)
		return -1;
	hist_note_missing(t->h, &t->m);
	t->h->flags |= HIST_TABLE_SEEN;
	t->have_map = true;
	return 0;
}

/* A row before any header: Prisma's 8 columns in table order, or an error. */
static int mt_no_header(struct mtable *t, const char *what, const struct md_pos *pos,
			struct md_error *err)
{
	if (t->n != HC_NCOLS || !hist_is_uuidish(t->cell[0].buf ? t->cell[0].buf : "",
						 t->cell[0].len))
		return md_fail_at(err, pos, "%s without a header row has %zu columns; expected a "
				  "header naming the columns of _prisma_migrations", what, t->n);
	hist_colmap_prisma(&t->m);
	t->h->flags |= HIST_TABLE_SEEN | HIST_BY_POSITION;
	t->have_map = true;
	return 0;
}

static int mt_row(struct mtable *t, const struct md_pos *pos, struct md_error *err)
{
	struct hist_field f[HC_NCOLS];

	if (t->n != t->m.ncols)
		return md_fail_at(err, pos, "%zu cells in a table row; expected %zu (the header)",
				  t->n, t->m.ncols);
	for (int k = 0; k < HC_NCOLS; k++)
		f[k] = (struct hist_field){ "", 0, true, false };
	for (size_t i = 0; i < t->n; i++) {
		int col = t->m.map[i];
		const char *p = t->cell[i].buf ? t->cell[i].buf : "";

		if (col < 0)
			continue;
		f[col] = (struct hist_field){ p, t->cell[i].len, t->null[i],
					      !t->null[i] && t->cell[i].len == 0 };
	}
	return hist_add_row(t->h, f, pos, err);
}

static bool starts(const char *p, size_t n, const char *w)
{
	size_t k = strlen(w);

	return n >= k && !memcmp(p, w, k);
}

/*
 * A CR before the '\n' is the line end only in a file whose first line
 * ends so (CRLF throughout): these formats print a CR in a value raw.
 */
static void strip_cr(struct md_reader *r, int *crlf, const char *l, size_t *n)
{
	bool cr = *n && l[*n - 1] == '\r';

	if (*crlf < 0)
		*crlf = cr && r->line == 2;
	if (cr && *crlf)
		(*n)--;
}

#define TOO_LONG "value longer than %zu MiB (HIST_MAX_FIELD)"

/* --- Markdown --- */

/* Split a table line into cells: outer pipes optional, \| is a pipe, <br> a newline. */
static int md_split(struct mtable *t, const char *l, size_t n, const struct md_pos *pos,
		    struct md_error *err)
{
	const char *p = l, *end = l + n;

	mt_reset(t);
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (p < end && *p == '|')
		p++;
	if (end > p && end[-1] == '|' && !(end - 1 > p && end[-2] == '\\'))
		end--;
	for (;;) {
		struct sbuf *c = mt_next(t, pos, err);

		if (!c)
			return -1;
		while (p < end && *p != '|') {
			size_t k = 0;

			if (*p == '\\' && p + 1 < end && p[1] == '|') {
				k = 2;
				if (sbuf_addch(c, '|') < 0)
					goto long_cell;
			} else if (starts(p, (size_t)(end - p), "<br>") ||
				   starts(p, (size_t)(end - p), "<br/>") ||
				   starts(p, (size_t)(end - p), "<br />")) {
				k = p[3] == '>' ? 4 : p[3] == '/' ? 5 : 6;
				if (sbuf_addch(c, '\n') < 0)
					goto long_cell;
			} else {
				k = 1;
				if (sbuf_addch(c, *p) < 0)
					goto long_cell;
			}
			p += k;
		}
		/* cells are padded: trim */
		{
			size_t a = 0, b = c->len;

			while (a < b && c->buf[a] == ' ')
				a++;
			while (b > a && c->buf[b - 1] == ' ')
				b--;
			if (a)
				memmove(c->buf, c->buf + a, b - a);
			sbuf_setlen(c, b - a);
		}
		if ((c->len == 4 && !memcmp(c->buf, "NULL", 4)) ||
		    (c->len == 6 && !memcmp(c->buf, "[NULL]", 6))) {
			t->null[t->n - 1] = true;
			sbuf_setlen(c, 0);
		}
		if (p >= end)
			return 0;
		p++; /* the '|' */
	}
long_cell:
	return md_fail_at(err, pos, TOO_LONG, HIST_MAX_FIELD >> 20);
}

/* The line under a Markdown header: |---|:--:|---| */
static bool md_delim_row(const char *l, size_t n)
{
	size_t dashes = 0, bars = 0;

	for (size_t i = 0; i < n; i++) {
		char ch = l[i];

		if (ch == '-')
			dashes++;
		else if (ch == '|')
			bars++;
		else if (ch != ':' && ch != ' ' && ch != '\t' && ch != '\r')
			return false;
	}
	return dashes >= 3 && bars >= 1;
}

int hist_read_markdown(struct history *h, struct md_stream *s, const struct history_opts *opts,
		       struct md_error *err)
{
	struct md_reader r;
	struct mtable *t = xcalloc(1, sizeof(*t));
	struct sbuf prev = SBUF_INIT;
	struct md_pos pos, prev_pos = { 0 };
	const char *l;
	size_t n;
	int got, rc = -1, crlf = -1;
	bool in_table = false;

	(void)opts;
	mt_init(t, h, s->name);
	sbuf_init(&prev, HIST_MAX_LINE);
	md_reader_init(&r, s, HIST_MAX_LINE);
	for (;;) {
		md_reader_pos(&r, &pos);
		got = md_reader_line(&r, &l, &n, err);
		if (got < 0)
			goto out;
		if (got == 0)
			break;
		strip_cr(&r, &crlf, l, &n);
		if (!in_table) {
			if (md_delim_row(l, n) && prev.len && memchr(prev.buf, '|', prev.len)) {
				if (md_split(t, prev.buf, prev.len, &prev_pos, err) < 0 ||
				    mt_header(t, &prev_pos, err) < 0)
					goto out;
				in_table = true;
				continue;
			}
			sbuf_reset(&prev);
			if (sbuf_add(&prev, l, n) < 0) {
				md_fail_at(err, &pos, TOO_LONG, HIST_MAX_FIELD >> 20);
				goto out;
			}
			prev_pos = pos;
			continue;
		}
		if (!memchr(l, '|', n))
			break; /* the table ends at the first line that is not a row */
		if (md_split(t, l, n, &pos, err) < 0 || mt_row(t, &pos, err) < 0)
			goto out;
	}
	if (!in_table) {
		md_fail(err, "%s: no Markdown table; expected a header row '| id | checksum | ... |' "
			"over a '|---|---|' line", s->name);
		goto out;
	}
	h->format = "Markdown table";
	rc = 0;
out:
	md_reader_release(&r);
	sbuf_release(&prev);
	mt_release(t);
	free(t);
	return rc;
}

/* --- psql \pset format html --- */

/* Decode psql's html_escaped_print: &amp; &lt; &gt; &quot; &nbsp; and "<br />\n". */
static int html_cell(struct sbuf *c, const char *p, size_t n)
{
	static const struct { const char *ent; char ch; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' },
		{ "&nbsp;", ' ' }, { "&#39;", '\'' }, { "&apos;", '\'' },
	};
	const char *end = p + n;

	/* psql prints an empty (or NULL) value as "&nbsp; " */
	if (n == 7 && !memcmp(p, "&nbsp; ", 7))
		return 0;
	while (p < end) {
		size_t k = 1;
		int ch = (unsigned char)*p;

		if (*p == '&') {
			for (size_t i = 0; i < MD_ARRAY_LEN(ents); i++) {
				if (starts(p, (size_t)(end - p), ents[i].ent)) {
					k = strlen(ents[i].ent);
					ch = ents[i].ch;
					break;
				}
			}
		} else if (starts(p, (size_t)(end - p), "<br />")) {
			k = 6;
			ch = -1; /* the newline that follows it is the data */
			if (p + 6 >= end || p[6] != '\n')
				ch = '\n';
		}
		if (ch >= 0 && sbuf_addch(c, (char)ch) < 0)
			return -1;
		p += k;
	}
	return 0;
}

/* One <tr>...</tr>: its <th> or <td> cells into t. Returns the number of th cells. */
static int html_row(struct mtable *t, const char *p, size_t n, size_t *nth,
		    const struct md_pos *pos, struct md_error *err)
{
	const char *end = p + n;

	mt_reset(t);
	*nth = 0;
	for (;;) {
		const char *o = memmem(p, (size_t)(end - p), "<t", 2), *gt, *close;
		bool th;
		struct sbuf *c;

		/* <th> or <td ...>, not <thead>, <tr>, <table> */
		while (o && o + 3 < end && !((o[2] == 'h' || o[2] == 'd') && (o[3] == '>' || o[3] == ' ')))
			o = memmem(o + 2, (size_t)(end - o - 2), "<t", 2);
		if (!o || o + 3 >= end)
			return 0;
		th = o[2] == 'h';
		gt = memchr(o, '>', (size_t)(end - o));
		if (!gt)
			return md_fail_at(err, pos, "HTML cell tag without its '>'");
		close = memmem(gt + 1, (size_t)(end - gt - 1), th ? "</th>" : "</td>", 5);
		if (!close)
			return md_fail_at(err, pos, "HTML cell without its closing tag; expected "
					  "psql's \\pset format html output");
		if (!(c = mt_next(t, pos, err)))
			return -1;
		if (html_cell(c, gt + 1, (size_t)(close - gt - 1)) < 0)
			return md_fail_at(err, pos, TOO_LONG, HIST_MAX_FIELD >> 20);
		*nth += th;
		p = close + 5;
	}
}

int hist_read_html(struct history *h, struct md_stream *s, const struct history_opts *opts,
		   struct md_error *err)
{
	struct md_reader r;
	struct mtable *t = xcalloc(1, sizeof(*t));
	struct sbuf tr = SBUF_INIT;
	struct md_pos pos, trpos = { 0 };
	const char *l;
	size_t n;
	int got, rc = -1, crlf = -1;
	bool in_tr = false;

	(void)opts;
	mt_init(t, h, s->name);
	sbuf_init(&tr, HIST_MAX_LINE);
	md_reader_init(&r, s, HIST_MAX_LINE);
	for (;;) {
		const char *at;

		md_reader_pos(&r, &pos);
		got = md_reader_line(&r, &l, &n, err);
		if (got < 0)
			goto out;
		if (got == 0)
			break;
		strip_cr(&r, &crlf, l, &n);
		if (!in_tr) {
			at = memmem(l, n, "<tr", 3);
			if (!at)
				continue;
			in_tr = true;
			trpos = pos;
			sbuf_reset(&tr);
			n -= (size_t)(at - l);
			l = at;
		}
		if (sbuf_add(&tr, l, n) < 0 || sbuf_addch(&tr, '\n') < 0) {
			md_fail_at(err, &trpos, "table row longer than %zu MiB (HIST_MAX_LINE)",
				   HIST_MAX_LINE >> 20);
			goto out;
		}
		if (memmem(l, n, "</tr>", 5)) {
			size_t nth;

			in_tr = false;
			if (html_row(t, tr.buf, tr.len, &nth, &trpos, err) < 0)
				goto out;
			if (t->n == 0)
				continue;
			if (nth && nth < t->n) {
				md_fail_at(err, &trpos, "psql html output of expanded records (\\x); "
					   "expected a table (print it with \\x off)");
				goto out;
			}
			if (nth) {
				if (!t->have_map && mt_header(t, &trpos, err) < 0)
					goto out;
				continue;
			}
			if (!t->have_map && mt_no_header(t, "psql html table", &trpos, err) < 0)
				goto out;
			if (mt_row(t, &trpos, err) < 0)
				goto out;
		}
	}
	if (in_tr) {
		md_fail_at(err, &trpos, "HTML table row never closed (no '</tr>'); the paste looks "
			   "truncated");
		goto out;
	}
	if (!t->have_map) {
		md_fail(err, "%s: no HTML table rows; expected psql's \\pset format html output",
			s->name);
		goto out;
	}
	h->format = "psql html";
	rc = 0;
out:
	md_reader_release(&r);
	sbuf_release(&tr);
	mt_release(t);
	free(t);
	return rc;
}

/* --- psql \pset format asciidoc --- */

/*
 * A row is "|v1 |v2 ... |vN": a cell is '|', the value with '|' escaped as
 * "\|", and one space unless it is the last; an empty value prints as one
 * space. A row starts on a line that starts with '|' (a '|' in data is
 * escaped), so a logs value spans the lines up to the next row.
 */
static int adoc_row(struct mtable *t, const char *p, size_t n, const struct md_pos *pos,
		    struct md_error *err)
{
	const char *end = p + n;

	mt_reset(t);
	if (p < end && *p == '|')
		p++;
	for (;;) {
		const char *q = p;
		struct sbuf *c;
		size_t len;
		bool blank = true;

		while (q < end && !(*q == '|' && (q == p || q[-1] != '\\')))
			q++;
		if (!(c = mt_next(t, pos, err)))
			return -1;
		len = (size_t)(q - p);
		if (q < end && len && p[len - 1] == ' ')
			len--; /* the space before the next '|' */
		for (size_t i = 0; i < len && blank; i++)
			blank = p[i] == ' ' || p[i] == '\t';
		for (size_t i = 0; i < len && !blank; i++) {
			if (p[i] == '\\' && i + 1 < len && p[i + 1] == '|')
				i++;
			if (sbuf_addch(c, p[i]) < 0)
				return md_fail_at(err, pos, TOO_LONG, HIST_MAX_FIELD >> 20);
		}
		if (q >= end)
			return 0;
		p = q + 1;
	}
}

static int adoc_flush(struct mtable *t, struct sbuf *row, const struct md_pos *pos,
		      struct md_error *err)
{
	if (!row->len)
		return 0;
	if (adoc_row(t, row->buf, row->len, pos, err) < 0)
		return -1;
	sbuf_reset(row);
	if (!t->have_map && mt_no_header(t, "psql asciidoc table", pos, err) < 0)
		return -1;
	return mt_row(t, pos, err);
}

int hist_read_asciidoc(struct history *h, struct md_stream *s, const struct history_opts *opts,
		       struct md_error *err)
{
	struct md_reader r;
	struct mtable *t = xcalloc(1, sizeof(*t));
	struct sbuf row = SBUF_INIT;
	struct md_pos pos, rowpos = { 0 };
	const char *l;
	size_t n;
	int got, rc = -1, crlf = -1;
	bool in_table = false, done = false;

	(void)opts;
	mt_init(t, h, s->name);
	sbuf_init(&row, HIST_MAX_LINE);
	md_reader_init(&r, s, HIST_MAX_LINE);
	while (!done) {
		md_reader_pos(&r, &pos);
		got = md_reader_line(&r, &l, &n, err);
		if (got < 0)
			goto out;
		if (got == 0)
			break;
		strip_cr(&r, &crlf, l, &n);
		if (!in_table) {
			in_table = n == 5 && !memcmp(l, "|====", 5);
			continue;
		}
		if (n == 5 && !memcmp(l, "|====", 5)) {
			done = true;
			break;
		}
		if (starts(l, n, "^l|") || starts(l, n, "^|")) {
			/* the header: ^l|id ^l|checksum ... */
			const char *p = (const char *)memchr(l, '|', n) + 1, *end = l + n;

			mt_reset(t);
			for (;;) {
				const char *b = memchr(p, '|', (size_t)(end - p));
				const char *e = b ? b : end;
				struct sbuf *c = mt_next(t, &pos, err);

				if (!c)
					goto out;
				if (b) /* " ^l" before the next '|' */
					while (e > p && e[-1] != ' ')
						e--;
				while (e > p && e[-1] == ' ')
					e--;
				if (sbuf_add(c, p, (size_t)(e - p)) < 0) {
					md_fail_at(err, &pos, TOO_LONG, HIST_MAX_FIELD >> 20);
					goto out;
				}
				if (!b)
					break;
				p = b + 1;
			}
			if (mt_header(t, &pos, err) < 0)
				goto out;
			continue;
		}
		if (n && l[0] == '|') {
			if (adoc_flush(t, &row, &rowpos, err) < 0)
				goto out;
			rowpos = pos;
		} else if (!row.len) {
			md_fail_at(err, &pos, "asciidoc table line does not start a row (expected "
				   "'|value |value ...')");
			goto out;
		} else if (sbuf_addch(&row, '\n') < 0) {
			goto row_long;
		}
		if (sbuf_add(&row, l, n) < 0)
			goto row_long;
	}
	if (!done) {
		md_fail(err, "%s: asciidoc table without its closing '|===='; the paste looks "
			"truncated", s->name);
		goto out;
	}
	if (adoc_flush(t, &row, &rowpos, err) < 0)
		goto out;
	if (!t->have_map) {
		md_fail(err, "%s: an asciidoc table without rows; expected psql's \\pset format "
			"asciidoc output", s->name);
		goto out;
	}
	h->format = "psql asciidoc";
	rc = 0;
	goto out;
row_long:
	md_fail_at(err, &rowpos, "table row longer than %zu MiB (HIST_MAX_LINE)", HIST_MAX_LINE >> 20);
out:
	md_reader_release(&r);
	sbuf_release(&row);
	mt_release(t);
	free(t);
	return rc;
}
