/*
 * rows.c - struct history and what every reader feeds it through: the
 * column map, the row builder, the DDL and table lists, the lexical
 * helpers and the no-rows error. The leaf of src/history: it calls no
 * reader.
 */
#include "migdoctor/common.h"
#include "hist_internal.h"

#include <ctype.h>

const char *const hist_col_names[HC_NCOLS] = {
	"id", "checksum", "finished_at", "migration_name",
	"logs", "rolled_back_at", "started_at", "applied_steps_count",
};

void history_init(struct history *h)
{
	memset(h, 0, sizeof(*h));
	arena_init(&h->arena);
}

void history_release(struct history *h)
{
	free(h->rows);
	free(h->ddl);
	free(h->tables);
	arena_release(&h->arena);
	memset(h, 0, sizeof(*h));
}

void history_add_ddl(struct history *h, const char *sql, size_t len, const struct md_pos *pos)
{
	struct dump_stmt *d;

	MD_GROW(h->ddl, h->nddl, h->ddl_cap);
	d = &h->ddl[h->nddl++];
	d->sql = arena_strndup(&h->arena, sql, len);
	d->pos = *pos;
	d->pos.file = h->source ? h->source : pos->file;
}

void history_add_table(struct history *h, const char *name)
{
	for (size_t i = 0; i < h->ntables; i++)
		if (!strcmp(h->tables[i], name))
			return;
	if (h->ntables >= 10000)
		return; /* enough for any message */
	MD_GROW(h->tables, h->ntables, h->tables_cap);
	h->tables[h->ntables++] = arena_strdup(&h->arena, name);
}

int hist_col_lookup(const char *name, size_t len)
{
	for (int i = 0; i < HC_NCOLS; i++)
		if (strlen(hist_col_names[i]) == len && !memcmp(hist_col_names[i], name, len))
			return i;
	return -1;
}

void hist_colmap_prisma(struct hist_colmap *m)
{
	for (int i = 0; i < HC_NCOLS; i++)
		m->map[i] = i;
	m->ncols = HC_NCOLS;
	m->present = (1u << HC_NCOLS) - 1;
}

int hist_colmap_build(struct hist_colmap *m, const char *const *names, const size_t *lens,
		      size_t n, bool strict, const struct md_pos *pos, struct md_error *err)
{
	struct sbuf unknown = SBUF_INIT;

	memset(m, 0, sizeof(*m));
	if (n > HIST_MAX_COLS)
		return md_fail_at(err, pos, "%zu columns; expected at most %d (HIST_MAX_COLS) for "
				  "_prisma_migrations", n, HIST_MAX_COLS);
	m->ncols = n;
	for (size_t i = 0; i < n; i++) {
		int c = hist_col_lookup(names[i], lens[i]);

		if (c >= 0 && (m->present & (1u << c))) {
			sbuf_release(&unknown);
			return md_fail_at(err, pos, "column '%s' appears twice in the header",
					  hist_col_names[c]);
		}
		m->map[i] = c;
		if (c >= 0) {
			m->present |= 1u << c;
		} else if (strict) {
			if (unknown.len)
				sb_puts(&unknown, ", ");
			sb_printf(&unknown, "'%.*s'", (int)MD_MIN(lens[i], 80), names[i]);
		}
	}
	if (unknown.len) {
		md_fail_at(err, pos, "unknown column%s %s in the header; expected the columns of "
			   "_prisma_migrations (id, checksum, finished_at, migration_name, logs, "
			   "rolled_back_at, started_at, applied_steps_count)",
			   strchr(unknown.buf, ',') ? "s" : "", unknown.buf);
		sbuf_release(&unknown);
		return -1;
	}
	sbuf_release(&unknown);
	if (!(m->present & (1u << HC_MIGRATION_NAME)))
		return md_fail_at(err, pos, "no 'migration_name' column; expected the columns of "
				  "_prisma_migrations");
	return 0;
}

void hist_note_missing(struct history *h, const struct hist_colmap *m)
{
	h->missing |= ((1u << HC_NCOLS) - 1) & ~m->present;
}

static const char *arena_value(struct history *h, const struct hist_field *f, int col,
			       const struct md_pos *pos, struct md_error *err, bool *fail)
{
	if (f->null)
		return NULL;
	if (memchr(f->p, '\0', f->len)) {
		md_fail_at(err, pos, "column '%s' holds a NUL byte; expected text",
			   hist_col_names[col]);
		*fail = true;
		return NULL;
	}
	return arena_strndup(&h->arena, f->p, f->len);
}

static int parse_ts(const struct hist_field *f, int col, struct md_ts *out,
		    const struct md_pos *pos, struct md_error *err)
{
	if (f->null || (f->ambiguous && f->len == 0)) {
		out->kind = MD_TS_NULL;
		out->usec = 0;
		return 0;
	}
	if (md_ts_parse(f->p, f->len, out) < 0)
		return md_fail_at(err, pos, "column '%s': '%.*s' is not a timestamp with time zone; "
				  "expected e.g. '2026-01-16 14:27:56.123456+00'", hist_col_names[col],
				  (int)MD_MIN(f->len, 60), f->p);
	return 0;
}

int hist_add_row(struct history *h, const struct hist_field f[HC_NCOLS], const struct md_pos *pos,
		 struct md_error *err)
{
	struct history_row *r;
	bool fail = false;

	if (h->nrows >= HIST_MAX_ROWS)
		return md_fail_at(err, pos, "more than %d rows; expected a _prisma_migrations table "
				  "(HIST_MAX_ROWS)", HIST_MAX_ROWS);
	MD_GROW(h->rows, h->nrows, h->rows_cap);
	r = &h->rows[h->nrows];
	memset(r, 0, sizeof(*r));
	r->pos = *pos;
	r->pos.file = h->source ? h->source : pos->file; /* the stream's name dies with it */
	r->id = arena_value(h, &f[HC_ID], HC_ID, pos, err, &fail);
	r->checksum = arena_value(h, &f[HC_CHECKSUM], HC_CHECKSUM, pos, err, &fail);
	r->migration_name = arena_value(h, &f[HC_MIGRATION_NAME], HC_MIGRATION_NAME, pos, err, &fail);
	if (f[HC_LOGS].ambiguous && f[HC_LOGS].len == 0) {
		/* NOT NULL columns above keep ''; logs is the one that matters */
		r->logs = NULL;
		r->ambiguous |= 1u << HC_LOGS;
		h->flags |= HIST_NULL_AMBIGUOUS;
	} else {
		r->logs = arena_value(h, &f[HC_LOGS], HC_LOGS, pos, err, &fail);
	}
	if (fail)
		return -1;
	if (parse_ts(&f[HC_STARTED_AT], HC_STARTED_AT, &r->started_at, pos, err) ||
	    parse_ts(&f[HC_FINISHED_AT], HC_FINISHED_AT, &r->finished_at, pos, err) ||
	    parse_ts(&f[HC_ROLLED_BACK_AT], HC_ROLLED_BACK_AT, &r->rolled_back_at, pos, err))
		return -1;
	{
		const struct hist_field *s = &f[HC_APPLIED_STEPS_COUNT];
		const char *p = s->p, *e = s->p + s->len;
		bool neg = false;
		int64_t v = 0;

		while (p < e && *p == ' ')
			p++;
		while (e > p && e[-1] == ' ')
			e--;
		if (s->null || p == e) {
			r->steps_null = true;
		} else {
			if (*p == '-' || *p == '+')
				neg = *p++ == '-';
			if (p == e || e - p > 18)
				goto bad_int;
			for (; p < e; p++) {
				if (!isdigit((unsigned char)*p))
					goto bad_int;
				v = v * 10 + (*p - '0');
			}
			r->applied_steps_count = neg ? -v : v;
		}
	}
	h->nrows++;
	return 0;
bad_int:
	return md_fail_at(err, pos, "column 'applied_steps_count': '%.*s' is not an integer",
			  (int)MD_MIN(f[HC_APPLIED_STEPS_COUNT].len, 40), f[HC_APPLIED_STEPS_COUNT].p);
}

/* --- small lexical helpers --- */

bool hist_is_uuidish(const char *p, size_t len)
{
	if (len != 36)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (p[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)p[i])) {
			return false;
		}
	}
	return true;
}

bool hist_is_hex64(const char *p, size_t len)
{
	if (len != 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isxdigit((unsigned char)p[i]))
			return false;
	return true;
}

static int parse_ident(const char **pp, const char *end, struct sbuf *out)
{
	const char *p = *pp;

	sbuf_reset(out);
	if (p < end && *p == '"') {
		p++;
		for (;;) {
			if (p >= end)
				return -1;
			if (*p == '"') {
				if (p + 1 < end && p[1] == '"') {
					sb_putc(out, '"');
					p += 2;
					continue;
				}
				p++;
				break;
			}
			sb_putc(out, *p++);
		}
	} else {
		const char *s = p;

		while (p < end && (isalnum((unsigned char)*p) || *p == '_' || *p == '$' ||
				   (unsigned char)*p >= 0x80))
			sb_putc(out, tolower((unsigned char)*p++));
		if (p == s)
			return -1;
	}
	*pp = p;
	return 0;
}

int hist_parse_qname(const char **pp, const char *end, struct sbuf *schema, struct sbuf *name)
{
	const char *p = *pp;

	if (parse_ident(&p, end, name) < 0)
		return -1;
	sbuf_reset(schema);
	if (p < end && *p == '.') {
		p++;
		sb_putn(schema, name->buf, name->len);
		if (parse_ident(&p, end, name) < 0)
			return -1;
	}
	*pp = p;
	return 0;
}

int hist_parse_collist(const char **pp, const char *end, struct arena *a, const char ***cols,
		       size_t *ncols)
{
	const char *p = *pp;
	struct sbuf name = SBUF_INIT;
	size_t cap = 0;
	int rc = -1;

	*cols = NULL;
	*ncols = 0;
	while (p < end && *p == ' ')
		p++;
	if (p >= end || *p != '(') {
		*pp = p;
		return 0;
	}
	p++;
	for (;;) {
		while (p < end && *p == ' ')
			p++;
		if (*ncols >= HIST_COLLIST_MAX || parse_ident(&p, end, &name) < 0 || name.len == 0)
			goto out;
		if (*ncols >= cap) {
			const char **nc = arena_alloc(a, (cap ? cap * 2 : 16) * sizeof(*nc));

			if (*ncols)
				memcpy(nc, *cols, *ncols * sizeof(*nc));
			*cols = nc;
			cap = cap ? cap * 2 : 16;
		}
		(*cols)[(*ncols)++] = arena_strndup(a, name.buf, name.len);
		while (p < end && *p == ' ')
			p++;
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		if (p < end && *p == ')') {
			*pp = p + 1;
			rc = 0;
		}
		goto out;
	}
out:
	sbuf_release(&name);
	return rc;
}

/* --- errors --- */

int hist_no_rows_error(struct history *h, const char *path, struct md_error *err)
{
	struct sbuf sb = SBUF_INIT;

	if (h->flags & HIST_NO_ROW_DATA) {
		md_fail(err, "%s holds the _prisma_migrations table but no rows (%s); expected a "
			"dump with data (not pg_dump -s, not restore.sql alone)", path,
			h->format ? h->format : "no data");
		return -1;
	}
	for (size_t i = 0; i < h->ntables && i < 20; i++) {
		if (i)
			sb_puts(&sb, ", ");
		sb_puts(&sb, h->tables[i]);
	}
	if (h->ntables > 20)
		sb_printf(&sb, " and %zu more", h->ntables - 20);
	md_fail(err, "no _prisma_migrations data in %s; tables found: %s", path,
		h->ntables ? sb.buf : "none");
	sbuf_release(&sb);
	return -1;
}
