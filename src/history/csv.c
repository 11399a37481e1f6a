/*
 * csv.c - CSV as COPY (FORMAT csv), \copy ... csv and psql --csv write it.
 *
 * RFC 4180 with PostgreSQL's conventions: an unquoted empty field is NULL,
 * a quoted empty field "" is the empty string, quoted fields may span
 * lines (CR and LF inside are data), "" inside quotes is one quote, and a
 * backslash is nothing special. Columns are mapped by the header; unknown
 * header names are an error naming them. psql --csv writes NULL and '' the
 * same way, and the two cannot be told apart by content; a file with no
 * quoted empty field anywhere is treated as possibly from psql --csv, so
 * an empty logs there is reported as ambiguous. Unless every non-empty
 * value is quoted: that is COPY ... (FORMAT csv, FORCE_QUOTE *), which
 * quotes every non-NULL value, so an unquoted empty field is NULL for sure.
 */
#include "migdoctor/common.h"
#include "hist_internal.h"

#include <ctype.h>

struct csv_rec {
	struct sbuf f[HIST_MAX_COLS];
	bool quoted[HIST_MAX_COLS];
	size_t n;
};

struct csv {
	struct md_reader r;
	char delim;
	bool saw_quoted_empty;
	struct csv_rec rec;
};

/*
 * Read one record. Returns 1, 0 at the end, -1 on error. Blank lines
 * between records are skipped.
 */
static int csv_record(struct csv *c, struct md_pos *start, struct md_error *err)
{
	struct csv_rec *rec = &c->rec;
	bool in_q = false, was_q = false;
	const char *line;
	size_t len;

	for (size_t i = 0; i < HIST_MAX_COLS; i++) {
		sbuf_reset(&rec->f[i]);
		rec->quoted[i] = false;
	}
	rec->n = 0;
	for (;;) {
		bool cr = false;
		int got;

		if (!in_q)
			md_reader_pos(&c->r, start);
		got = md_reader_line(&c->r, &line, &len, err);
		if (got < 0)
			return -1;
		if (got == 0) {
			if (in_q)
				return md_fail_at(err, start, "unterminated quoted field (a '\"' opened "
						  "here is never closed); expected a closing quote");
			return 0;
		}
		if (len && line[len - 1] == '\r') {
			cr = true;
			len--;
		}
		if (!in_q && rec->n == 0 && len == 0)
			continue;
		if (!in_q && rec->n == 0 && len > 5 && !memcmp(line, "COPY ", 5)) {
			size_t k = 5;

			while (k < len && isdigit((unsigned char)line[k]))
				k++;
			if (k == len && k > 5)
				continue; /* psql's "COPY 3" status line in a pasted session */
		}
		if (rec->n == 0 && !in_q)
			rec->n = 1;
		for (size_t i = 0; i < len; i++) {
			char ch = line[i];
			struct sbuf *cur = &rec->f[rec->n - 1];

			if (in_q) {
				const char *q = memchr(line + i, '"', len - i);
				size_t run = q ? (size_t)(q - (line + i)) : len - i;

				if (sbuf_add(cur, line + i, run) < 0)
					goto too_long;
				i += run;
				if (!q)
					break;
				if (i + 1 < len && line[i + 1] == '"') {
					if (sbuf_addch(cur, '"') < 0)
						goto too_long;
					i++;
				} else {
					in_q = false;
				}
			} else if (ch == c->delim) {
				if (rec->n >= HIST_MAX_COLS)
					return md_fail_at(err, start, "more than %d fields in a CSV "
							  "record (HIST_MAX_COLS)", HIST_MAX_COLS);
				rec->n++;
				was_q = false;
			} else if (ch == '"' && cur->len == 0 && !was_q) {
				in_q = was_q = true;
				rec->quoted[rec->n - 1] = true;
			} else if (sbuf_addch(cur, ch) < 0) {
				goto too_long;
			}
		}
		if (in_q) {
			/* the line end is data inside quotes */
			if ((cr && sbuf_addch(&rec->f[rec->n - 1], '\r') < 0) ||
			    sbuf_addch(&rec->f[rec->n - 1], '\n') < 0)
				goto too_long;
			continue;
		}
		for (size_t i = 0; i < rec->n; i++)
			if (rec->quoted[i] && rec->f[i].len == 0)
				c->saw_quoted_empty = true;
		return 1;
	}
too_long:
	return md_fail_at(err, start, "CSV field longer than %zu MiB (HIST_MAX_FIELD); expected "
			  "a _prisma_migrations value", HIST_MAX_FIELD >> 20);
}

static char sniff_delim(const char *l, size_t n)
{
	size_t commas = 0, semis = 0, tabs = 0;

	for (size_t i = 0; i < n; i++) {
		commas += l[i] == ',';
		semis += l[i] == ';';
		tabs += l[i] == '\t';
	}
	if (semis > commas && semis >= tabs)
		return ';';
	if (tabs > commas)
		return '\t';
	return ',';
}

int hist_read_csv(struct history *h, struct md_stream *s, const struct history_opts *opts,
		  struct md_error *err)
{
	struct csv *c = xcalloc(1, sizeof(*c));
	struct hist_colmap m;
	struct md_pos pos;
	ssize_t avail;
	int rc = -1, got;
	size_t first_row = h->nrows;
	bool all_quoted = true; /* every non-empty value of every row: FORCE_QUOTE * */

	(void)opts;
	md_reader_init(&c->r, s, HIST_MAX_LINE);
	for (size_t i = 0; i < HIST_MAX_COLS; i++)
		sbuf_init(&c->rec.f[i], HIST_MAX_FIELD);
	avail = md_reader_fill(&c->r, 4096, err);
	if (avail < 0)
		goto out;
	{
		const char *l = c->r.buf + c->r.start;
		const char *nl = memchr(l, '\n', (size_t)avail);

		c->delim = sniff_delim(l, nl ? (size_t)(nl - l) : (size_t)avail);
	}
	got = csv_record(c, &pos, err);
	if (got <= 0) {
		if (got == 0)
			md_fail(err, "%s: no CSV record; expected a header line", s->name);
		goto out;
	}
	{
		const char *names[HIST_MAX_COLS];
		size_t lens[HIST_MAX_COLS];
		bool header = false;

		for (size_t i = 0; i < c->rec.n; i++) {
			names[i] = c->rec.f[i].buf;
			lens[i] = c->rec.f[i].len;
			if (hist_col_lookup(names[i], lens[i]) >= 0)
				header = true;
		}
		if (header) {
			if (hist_colmap_build(&m, names, lens, c->rec.n, true, &pos, err) < 0)
				goto out;
			got = csv_record(c, &pos, err);
		} else if (c->rec.n == HC_NCOLS && hist_is_uuidish(names[0], lens[0])) {
			hist_colmap_prisma(&m);
			h->flags |= HIST_BY_POSITION;
		} else {
			md_fail_at(err, &pos, "CSV without a header line naming the columns; expected "
				   "a header such as 'id,checksum,finished_at,migration_name,...' "
				   "(export with 'csv header')");
			goto out;
		}
	}
	hist_note_missing(h, &m);
	h->flags |= HIST_TABLE_SEEN;
	for (; got > 0; got = csv_record(c, &pos, err)) {
		struct hist_field f[HC_NCOLS];

		if (c->rec.n != m.ncols) {
			md_fail_at(err, &pos, "%zu fields in a CSV record; expected %zu (the header)",
				   c->rec.n, m.ncols);
			goto out;
		}
		for (int k = 0; k < HC_NCOLS; k++)
			f[k] = (struct hist_field){ "", 0, true, false };
		for (size_t i = 0; i < c->rec.n; i++) {
			int col = m.map[i];

			if (col < 0)
				continue;
			f[col] = (struct hist_field){ c->rec.f[i].buf, c->rec.f[i].len,
						      !c->rec.quoted[i] && c->rec.f[i].len == 0,
						      false };
		}
		for (size_t i = 0; i < c->rec.n; i++)
			if (c->rec.f[i].len && !c->rec.quoted[i])
				all_quoted = false;
		if (hist_add_row(h, f, &pos, err) < 0)
			goto out;
	}
	if (got < 0)
		goto out;
	if (all_quoted && h->nrows > first_row) {
		h->format = "CSV (COPY csv, FORCE_QUOTE *)";
	} else if (c->saw_quoted_empty) {
		h->format = "CSV (COPY csv)";
	} else {
		/* maybe psql --csv: an empty logs may have been '' */
		h->format = "CSV";
		for (size_t i = first_row; i < h->nrows && !(h->missing & (1u << HC_LOGS)); i++) {
			if (!h->rows[i].logs) {
				h->rows[i].ambiguous |= 1u << HC_LOGS;
				h->flags |= HIST_NULL_AMBIGUOUS;
			}
		}
	}
	if (c->delim == '\t') /* pgAdmin's "copy with headers", COPY ... DELIMITER E'\t' */
		h->format = arena_printf(&h->arena, "%s, TAB-separated", h->format);
	rc = 0;
out:
	for (size_t i = 0; i < HIST_MAX_COLS; i++)
		sbuf_release(&c->rec.f[i]);
	md_reader_release(&c->r);
	free(c);
	return rc;
}
