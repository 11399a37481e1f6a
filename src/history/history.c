/*
 * history.c - struct history, the row builder every reader feeds, and
 * history_read(): sniff an input by its content and hand it to a reader.
 */
#include "migdoctor/common.h"
#include "hist_internal.h"

#include <ctype.h>
#include <errno.h>
#include <sys/stat.h>

#if __has_include("migdoctor/archive.h")
#include "migdoctor/archive.h"
#define HAVE_ARCHIVE 1
#endif

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

/* --- sniffing --- */

static bool line_has(const char *l, size_t n, const char *w)
{
	return memmem(l, n, w, strlen(w)) != NULL;
}

static bool starts(const char *l, size_t n, const char *w)
{
	size_t k = strlen(w);

	return n >= k && !memcmp(l, w, k);
}

static bool psql_chatter(const char *l, size_t n)
{
	static const char *const notes[] = {
		"Expanded display is", "Border style is", "Line style is", "Output format is",
		"Target width is", "Null display is", "Field separator is", "Tuples only is",
		"Pager usage is", "Record separator is", "Unicode ",
	};

	for (size_t i = 0; i < MD_ARRAY_LEN(notes); i++)
		if (starts(l, n, notes[i]))
			return true;
	return false;
}

enum hist_text_kind hist_sniff_text(const unsigned char *head, size_t n)
{
	const char *p = (const char *)head, *end = p + n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *l = p;
		size_t commas = 0, tabs = 0, bars = 0, semis = 0;

		p = nl ? nl + 1 : end;
		if (len && l[len - 1] == '\r')
			len--;
		if (len == 0)
			continue;
		if (starts(l, len, "--") && !(len > 2 && (l[2] == '-' || l[2] == '+')))
			return HT_PLAIN;
		if (starts(l, len, "SET ") || starts(l, len, "CREATE ") || starts(l, len, "COPY ") ||
		    starts(l, len, "INSERT INTO ") || starts(l, len, "\\restrict ") ||
		    starts(l, len, "\\connect ") || starts(l, len, "SELECT pg_catalog.") ||
		    starts(l, len, "ALTER ") || starts(l, len, "BEGIN;"))
			return HT_PLAIN;
		if (psql_chatter(l, len) || starts(l, len, "-[ RECORD ") || starts(l, len, "+-[ RECORD ") ||
		    starts(l, len, "* Record ") || line_has(l, len, "\xe2\x94") ||
		    line_has(l, len, "\xe2\x95") || line_has(l, len, "-+-") ||
		    line_has(l, len, " | "))
			return HT_PSQL;
		for (size_t i = 0; i < len; i++) {
			commas += l[i] == ',';
			tabs += l[i] == '\t';
			bars += l[i] == '|';
			semis += l[i] == ';';
		}
		if (tabs >= 3 && tabs >= commas)
			return HT_COPYTEXT;
		{
			/* a short COPY text or CSV line: known by its first field */
			size_t k = 0;

			while (k < len && l[k] != '\t' && l[k] != ',' && l[k] != ';' && l[k] != '|')
				k++;
			if (k < len && l[k] == '\t' && (hist_is_uuidish(l, k) || hist_col_lookup(l, k) >= 0))
				return HT_COPYTEXT;
			if (k < len && (l[k] == ',' || l[k] == ';') &&
			    (hist_is_uuidish(l, k) || hist_col_lookup(l, k) >= 0))
				return HT_CSV;
		}
		if (bars >= 3 && bars > commas)
			return HT_PSQL;
		if (commas >= 3 || semis >= 3)
			return HT_CSV;
		/* a prompt line like "app=> SELECT ..." before psql output */
		if (line_has(l, len, "=> ") || line_has(l, len, "=# "))
			continue;
		/* psql border 0: a header of names over a rule of dashes and spaces */
		if (p < end && (*p == '-' || *p == '+')) {
			const char *q = p;

			while (q < end && (*q == '-' || *q == ' ' || *q == '+'))
				q++;
			if (q > p + 2 && (q == end || *q == '\n' || *q == '\r'))
				return HT_PSQL;
		}
		return HT_UNKNOWN;
	}
	return HT_UNKNOWN;
}

/* --- a stream that replays a sniffed head, then continues --- */

struct head_ctx {
	struct md_stream *inner;
	unsigned char *head;
	size_t n, pos;
};

static ssize_t head_read(struct md_stream *s, void *buf, size_t n, struct md_error *err)
{
	struct head_ctx *c = s->ctx;

	if (c->pos < c->n) {
		size_t k = MD_MIN(n, c->n - c->pos);

		memcpy(buf, c->head + c->pos, k);
		c->pos += k;
		return (ssize_t)k;
	}
	return md_stream_read(c->inner, buf, n, err);
}

static void head_close(struct md_stream *s)
{
	struct head_ctx *c = s->ctx;

	md_stream_close(c->inner);
	free(c->head);
	free(c);
}

static const struct md_stream_ops head_ops = { head_read, head_close };

#define SNIFF_BYTES 65536

static bool looks_binary(const unsigned char *p, size_t n)
{
	size_t bad = 0;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == 0)
			return true;
		if (p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' && p[i] != '\t' && p[i] != 0x1b &&
		    p[i] != '\f' && p[i] != '\b' && p[i] != '\v')
			bad++;
	}
	return bad * 20 > n;
}

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

int history_read(struct history *h, const char *path, const struct history_opts *opts,
		 struct md_error *err)
{
	static const struct history_opts defaults;
	unsigned char *head = NULL;
	struct md_stream *s = NULL, *hs;
	struct head_ctx *hc;
	struct stat st;
	size_t n = 0, skip = 0;
	int rc;

	if (!opts)
		opts = &defaults;
	h->source = arena_strdup(&h->arena, path);
	if (stat(path, &st) < 0)
		return md_fail(err, "cannot open '%s': %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
#ifdef HAVE_ARCHIVE
		if (!archive_is_dump_dir(path))
			return md_fail(err, "'%s' is a directory without toc.dat; expected a file, "
				       "or a folder written by pg_dump -Fd", path);
		rc = archive_read_history(h, path, opts, err);
		goto done;
#else
		return md_fail(err, "'%s' is a directory; directory-format dumps (pg_dump -Fd) are "
			       "not supported by this build", path);
#endif
	}
	head = xmalloc(SNIFF_BYTES);
	if (md_stream_open_auto(&s, path, err) < 0 || md_stream_read_upto(s, head, SNIFF_BYTES, &n, err) < 0)
		goto fail;
#ifdef HAVE_ARCHIVE
	/* sniffed after whole-file decompression: a .tar.gz of a -Fd folder */
	if (archive_sniff(head, n)) {
		free(head);
		md_stream_close(s);
		rc = archive_read_history(h, path, opts, err);
		goto done;
	}
#endif
	if (n == 0) {
		md_fail(err, "%s: byte 0: the file is empty; expected a pg_dump, CSV, COPY or psql "
			"export of _prisma_migrations", path);
		goto fail;
	}
	if (n >= 2 && ((head[0] == 0xff && head[1] == 0xfe) || (head[0] == 0xfe && head[1] == 0xff))) {
		md_fail(err, "%s: byte 0: the file is UTF-16 (a Windows PowerShell '>' redirect "
			"writes that); expected UTF-8: re-export with 'pg_dump -f FILE' or convert "
			"it with 'iconv -f UTF-16 -t UTF-8'", path);
		goto fail;
	}
	if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b) {
		md_fail(err, "%s: byte 0: gzip-compressed data, and this build cannot decompress "
			"it; expected an uncompressed export (run 'gunzip' first)", path);
		goto fail;
	}
	if ((n >= 4 && !memcmp(head, "\x28\xb5\x2f\xfd", 4)) ||
	    (n >= 4 && !memcmp(head, "\x04\x22\x4d\x18", 4))) {
		md_fail(err, "%s: byte 0: zstd/lz4-compressed data, and this build cannot "
			"decompress it; expected an uncompressed export", path);
		goto fail;
	}
	if ((n >= 3 && !memcmp(head, "BZh", 3)) || (n >= 6 && !memcmp(head, "\xfd" "7zXZ\0", 6))) {
		md_fail(err, "%s: byte 0: bzip2/xz-compressed data; expected an uncompressed, gzip, "
			"zstd or lz4 export (run 'bunzip2'/'unxz' first)", path);
		goto fail;
	}
	if (n >= 5 && !memcmp(head, "PGDMP", 5)) {
		md_fail(err, "%s: byte 0: a pg_dump custom-format archive, which this build cannot "
			"read; expected a plain dump (pg_restore -f out.sql %s)", path, path);
		goto fail;
	}
	if (n >= 3 && head[0] == 0xef && head[1] == 0xbb && head[2] == 0xbf)
		skip = 3;
	if (looks_binary(head + skip, n - skip)) {
		md_fail(err, "%s: byte 0: binary data; expected a text export (pg_dump SQL, CSV, "
			"COPY text or psql output) or a pg_dump archive", path);
		goto fail;
	}
	hc = xcalloc(1, sizeof(*hc));
	hc->inner = s;
	hc->head = head;
	hc->n = n;
	hc->pos = skip;
	hs = md_stream_new(&head_ops, s->name, hc);
	hs->offset = skip;
	s = NULL;
	head = NULL;
	switch (hist_sniff_text(hc->head + skip, n - skip)) {
	case HT_PLAIN:
		rc = hist_read_plain(h, hs, opts, err);
		break;
	case HT_CSV:
		rc = hist_read_csv(h, hs, opts, err);
		break;
	case HT_COPYTEXT:
		rc = hist_read_copytext(h, hs, opts, err);
		break;
	case HT_PSQL:
		rc = hist_read_psql(h, hs, opts, err);
		break;
	default:
		rc = md_fail(err, "%s:1: not a format holding _prisma_migrations rows; expected a "
			     "pg_dump (SQL or archive), a CSV with a header, COPY text or psql "
			     "output", path);
		break;
	}
	md_stream_close(hs);
done:
	if (rc < 0)
		return -1;
	if (h->nrows == 0 && !(h->flags & HIST_TABLE_SEEN) && !opts->allow_no_rows)
		return hist_no_rows_error(h, path, err);
	if (h->nrows == 0 && (h->flags & HIST_NO_ROW_DATA) && !opts->allow_no_rows)
		return hist_no_rows_error(h, path, err);
	return 0;
fail:
	free(head);
	md_stream_close(s);
	return -1;
}
