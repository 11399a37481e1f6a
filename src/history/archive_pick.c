/*
 * archive_pick.c - what the custom, directory and tar readers share once
 * the TOC is read: choosing the _prisma_migrations TABLE DATA entry,
 * recording the DDL and the tables, and feeding the table's data to the
 * COPY-text or INSERT parsers.
 */
#include "migdoctor/common.h"
#include "archive_int.h"
#include "hist_internal.h"
#include "migdoctor/sbuf.h"
#include "sqllex.h"

#define TARGET_TABLE "_prisma_migrations"

/* --- choosing the entry --- */

static bool is_desc(const struct ar_entry *e, const char *d)
{
	return e->desc && !strcmp(e->desc, d);
}

static bool is_target(const struct ar_entry *e)
{
	return e->tag && !strcmp(e->tag, TARGET_TABLE);
}

struct ddl_ctx {
	struct history *h;
	const char *path;
	uint64_t entry_offset;
};

static int ddl_stmt(void *vctx, const char *sql, size_t len, uint64_t offset,
		    struct md_error *err)
{
	struct ddl_ctx *c = vctx;
	struct md_pos pos = { c->path, 0, 0, c->entry_offset };

	(void)offset;
	(void)err;
	history_add_ddl(c->h, sql, len, &pos);
	return 0;
}

static int collect_ddl(struct history *h, const struct ar_toc *t, const char *path,
		       struct md_error *err)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct ar_entry *e = &t->e[i];
		struct ddl_ctx c = { h, path, e->toc_offset };
		struct sqllex_split sp;
		int rc;

		if (!e->defn || !*e->defn || is_desc(e, "ENCODING") || is_desc(e, "STDSTRINGS") ||
		    is_desc(e, "SEARCHPATH"))
			continue;
		sqllex_split_init(&sp, ARCHIVE_MAX_STR);
		rc = sqllex_split_feed(&sp, e->defn, strlen(e->defn), ddl_stmt, &c, path, err);
		if (rc == 0)
			rc = sqllex_split_finish(&sp, ddl_stmt, &c, err);
		sqllex_split_release(&sp);
		if (rc)
			return -1;
	}
	return 0;
}

static void dump_time(struct history *h, const struct ar_toc *t)
{
	/* the header holds the dumping host's local time, without its offset */
	if (t->tm[5] <= 0 && t->tm[3] <= 0)
		return;
	h->dump_time = arena_printf(&h->arena, "%04d-%02d-%02dT%02d:%02d:%02d", t->tm[5] + 1900,
				    t->tm[4] + 1, t->tm[3], t->tm[2], t->tm[1], t->tm[0]);
}

static void list_schemas(struct sbuf *sb, const struct ar_toc *t)
{
	size_t k = 0;

	for (size_t i = 0; i < t->n; i++)
		if (is_desc(&t->e[i], "TABLE DATA") && is_target(&t->e[i])) {
			sb_printf(sb, "%s%s", k++ ? ", " : "", t->e[i].ns ? t->e[i].ns : "(none)");
		}
}

int ar_pick(struct history *h, const struct ar_toc *t, const char *path, const char *kind,
	    const struct history_opts *opts, const struct ar_entry **target,
	    struct md_error *err)
{
	const struct ar_entry *found = NULL;
	size_t nfound = 0;
	struct sbuf sb = SBUF_INIT;

	*target = NULL;
	h->format = arena_printf(&h->arena, "%s (archive %d.%d, %s)", kind, t->vmaj, t->vmin,
				 md_codec_name(t->codec));
	dump_time(h, t);
	if (t->dbname && !h->database)
		h->database = arena_strdup(&h->arena, t->dbname);
	for (size_t i = 0; i < t->n; i++) {
		const struct ar_entry *e = &t->e[i];

		if (is_target(e) && (is_desc(e, "TABLE") || is_desc(e, "TABLE DATA")) &&
		    (!opts->schema_name || (e->ns && !strcmp(e->ns, opts->schema_name))))
			h->flags |= HIST_TABLE_SEEN;
		if (!is_desc(e, "TABLE DATA"))
			continue;
		char *q = xasprintf("%s%s%s", e->ns ? e->ns : "", e->ns ? "." : "",
				    e->tag ? e->tag : "?");
		history_add_table(h, q);
		free(q);
		if (!is_target(e))
			continue;
		if (opts->schema_name && (!e->ns || strcmp(e->ns, opts->schema_name)))
			continue;
		found = e;
		nfound++;
	}
	if (opts->want_ddl && collect_ddl(h, t, path, err))
		return -1;
	if (nfound > 1) {
		/* as the plain reader does (history.h): the only one, else public */
		const struct ar_entry *pub = NULL;

		for (size_t i = 0; i < t->n; i++)
			if (is_desc(&t->e[i], "TABLE DATA") && is_target(&t->e[i]) && t->e[i].ns &&
			    !strcmp(t->e[i].ns, "public"))
				pub = &t->e[i];
		list_schemas(&sb, t);
		if (!pub) {
			md_fail(err, "several _prisma_migrations tables in %s: %s; choose with "
				"--schema-name", path, sb.buf);
			sbuf_release(&sb);
			return -1;
		}
		md_warnf("%s: _prisma_migrations is in several schemas (%s); reading 'public' "
			 "(choose with --schema-name)", path, sb.buf);
		sbuf_release(&sb);
		found = pub;
	}
	if (nfound == 0) {
		list_schemas(&sb, t);
		if (opts->schema_name && sb.len) {
			md_fail(err, "no _prisma_migrations data in schema '%s' in %s; schemas with "
				"one: %s", opts->schema_name, path, sb.buf);
			sbuf_release(&sb);
			return -1;
		}
		sbuf_release(&sb);
		if (h->flags & HIST_TABLE_SEEN)
			h->flags |= HIST_NO_ROW_DATA;
		if (opts->allow_no_rows)
			return 0;
		return hist_no_rows_error(h, path, err);
	}
	h->schema_name = found->ns ? arena_strdup(&h->arena, found->ns) : NULL;
	h->flags |= HIST_TABLE_SEEN;
	*target = found;
	return 0;
}

/* --- feeding the data --- */

/*
 * Column names of "COPY schema.table (a, "b c", ...) FROM stdin;", in a;
 * 0 columns when the statement has no list.
 */
static int copy_columns(const char *stmt, struct arena *a, const char ***cols, size_t *ncols)
{
	const char *p = stmt, *end = stmt + strlen(stmt);
	struct sbuf schema = SBUF_INIT, name = SBUF_INIT;
	int rc = -1;

	*cols = NULL;
	*ncols = 0;
	if (strncasecmp(p, "COPY ", 5))
		return -1;
	p += 5;
	if (hist_parse_qname(&p, end, &schema, &name) == 0)
		rc = hist_parse_collist(&p, end, a, cols, ncols);
	sbuf_release(&schema);
	sbuf_release(&name);
	return rc;
}

struct ins_ctx {
	struct history *h;
	const char *name;
};

static int insert_stmt(void *vctx, const char *sql, size_t len, uint64_t offset,
		       struct md_error *err)
{
	struct ins_ctx *c = vctx;
	struct md_pos pos = { c->name, 0, 0, offset };
	char *s;
	int rc;

	/* only INSERTs are rows; SET lines and the like are not */
	if (len < 7 || strncasecmp(sql, "INSERT ", 7))
		return 0;
	s = xstrndup(sql, len);
	rc = history_read_inserts(c->h, s, &pos, err);
	free(s);
	return rc;
}

/*
 * Read what the parser left (the "\n\n" after "\.", the end of the
 * compressed stream, the zero chunk length): a truncated or corrupt end of
 * the block is an error even when every row was read.
 */
static int drain(struct md_stream *data, struct md_error *err)
{
	char buf[16384];
	ssize_t r;

	while ((r = md_stream_read(data, buf, sizeof(buf), err)) > 0)
		;
	return r < 0 ? -1 : 0;
}

static int feed(struct history *h, const struct ar_entry *target, struct md_stream *data,
		struct md_error *err);

int ar_feed(struct history *h, const struct ar_entry *target, struct md_stream *data,
	    struct md_error *err)
{
	if (feed(h, target, data, err))
		return -1;
	return drain(data, err);
}

static int feed(struct history *h, const struct ar_entry *target, struct md_stream *data,
		struct md_error *err)
{
	if (target->copy_stmt) {
		struct arena a;
		const char **cols;
		size_t ncols;
		int rc;

		arena_init(&a);
		if (copy_columns(target->copy_stmt, &a, &cols, &ncols)) {
			arena_release(&a);
			return md_fail(err, "%s: the copy statement of %s.%s is malformed: '%.200s'",
				       data->name, target->ns ? target->ns : "", target->tag,
				       target->copy_stmt);
		}
		rc = history_read_copy_text(h, data, cols, ncols, 1, err);
		arena_release(&a);
		return rc;
	}
	/* --inserts: the block holds INSERT statements */
	struct sqllex_split sp;
	struct ins_ctx c = { h, data->name };
	char buf[65536];
	int rc = 0;

	sqllex_split_init(&sp, (size_t)64 << 20);
	for (;;) {
		ssize_t r = md_stream_read(data, buf, sizeof(buf), err);

		if (r < 0) {
			rc = -1;
			break;
		}
		if (r == 0) {
			rc = sqllex_split_finish(&sp, insert_stmt, &c, err);
			break;
		}
		if (sqllex_split_feed(&sp, buf, (size_t)r, insert_stmt, &c, data->name, err)) {
			rc = -1;
			break;
		}
	}
	sqllex_split_release(&sp);
	return rc;
}
