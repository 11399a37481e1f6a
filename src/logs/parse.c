/*
 * parse.c - one line at a time: unwrap it, then recognise what it says.
 *
 * A line goes through three layers:
 *  1. transport: CR, ANSI colour codes, docker compose "service  | ",
 *     kubectl --timestamps and --prefix, bracketed leading timestamps, an
 *     application logger's "YYYY-MM-DD HH:MM:SS ", "> " quotes and
 *     npm/yarn script lines ("> pkg@1.0 start", "$ prisma ...");
 *  2. record: a litellm_proxy_extras or "LiteLLM Proxy" prefix or a JSON
 *     object starts a new record (one logging call); a line without one
 *     continues the open record (Prisma's stdout/stderr inside a LiteLLM
 *     message, or raw CLI output);
 *  3. text: the Prisma / LiteLLM patterns. Multi-line Prisma blocks
 *     (P3018, P3009, the applied tree) keep state in s->block and fill
 *     the event they opened (s->open) as their lines arrive.
 * When a record closes, its events are compared with the records just
 * before it: LiteLLM 1.80.x with JSON_LOGS printed every record twice,
 * once plain and once as JSON, and the second copy is dropped.
 */
#include "migdoctor/common.h"
#include "logs_internal.h"

#define MAX_BLOCK_LINES 2000 /* a Prisma block never gets near this */

void ls_init(struct log_scan *s, struct log_events *ev, const char *file)
{
	memset(s, 0, sizeof(*s));
	s->ev = ev;
	s->file = arena_strdup(&ev->arena, file);
	sbuf_init(&s->clean, LOG_MAX_LINE + LP_PAD);
	sbuf_init(&s->sub, LOG_MAX_LINE + LP_PAD);
	sbuf_init(&s->jmsg, LOG_MAX_LINE);
	sbuf_init(&s->jts, 256);
	sbuf_init(&s->rec_tsraw, LOG_MAX_LINE);
	s->file_first = ev->n;
}

void ls_release(struct log_scan *s)
{
	sbuf_release(&s->clean);
	sbuf_release(&s->sub);
	sbuf_release(&s->jmsg);
	sbuf_release(&s->jts);
	sbuf_release(&s->rec_tsraw);
}

bool ls_wants_next(const struct log_scan *s)
{
	return s->block != BLK_NONE;
}

/* --- events --- */

/* [t, t+n) starts with the literal p */
static bool has_prefix(const char *t, size_t n, const char *p)
{
	size_t pn = strlen(p);

	return n >= pn && !memcmp(t, p, pn);
}

/* [t, t+n) is the literal p */
static bool is_text(const char *t, size_t n, const char *p)
{
	return n == strlen(p) && !memcmp(t, p, n);
}

static struct log_event *ev_at(struct log_scan *s, size_t idx1)
{
	return idx1 ? &s->ev->items[idx1 - 1] : NULL;
}

static struct log_event *ev_new(struct log_scan *s, enum log_event_kind kind)
{
	struct log_event *e = le_add(s->ev, kind);

	e->pos.file = s->file;
	e->pos.line = s->line;
	e->pos.offset = s->offset;
	e->from_json = s->in_record && s->rec_json;
	/* the logger's time for every line of its record; else the container's */
	if (s->in_record && s->rec_tsraw.len) {
		/* copied when first taken: most records give no event */
		if (!s->rec_ts)
			s->rec_ts = le_str(s->ev, s->rec_tsraw.buf, s->rec_tsraw.len);
		e->timestamp = s->rec_ts;
	}
	else if (s->lts)
		e->timestamp = le_str(s->ev, s->lts, s->ltsn);
	return e;
}

/* The event the current block opened, if it has this kind; else a new one. */
static struct log_event *ev_merge(struct log_scan *s, enum log_event_kind kind)
{
	struct log_event *o = ev_at(s, s->open);

	if (o && o->kind == kind)
		return o;
	return ev_new(s, kind);
}

static const char *grp(struct log_scan *s, const struct lp_match *m, int i)
{
	size_t n;
	const char *p = lp_group(m, i, &n);

	return p ? le_str(s->ev, p, n) : NULL;
}

static long grp_num(const struct lp_match *m, int i)
{
	size_t n;
	const char *p = lp_group(m, i, &n);
	long v = 0;

	if (!p)
		return -1;
	for (size_t k = 0; k < n && k < 12; k++)
		v = v * 10 + (p[k] - '0');
	return v;
}

/* "public.LiteLLM_X" → "LiteLLM_X": migrations name tables without schema */
static const char *unqualify(const char *name)
{
	const char *dot = name ? strchr(name, '.') : NULL;

	return dot && dot[1] ? dot + 1 : name;
}

/* The relation and column a Postgres message names. */
static void fill_objects(struct log_scan *s, struct log_event *e, const char *t, size_t n)
{
	struct lp_match m;

	if (lp_match(LP_OBJ_COL_OF_REL, t, n, &m)) {
		e->column = grp(s, &m, 1);
		e->relation = grp(s, &m, 2);
	} else if (lp_match(LP_OBJ_QUAL_COL, t, n, &m)) {
		e->relation = grp(s, &m, 1);
		e->column = grp(s, &m, 2);
	} else {
		if (lp_match(LP_OBJ_REL, t, n, &m))
			e->relation = grp(s, &m, 1);
		if (lp_match(LP_OBJ_COL, t, n, &m))
			e->column = grp(s, &m, 1);
	}
}

static void set_message(struct log_scan *s, struct log_event *e, const char *t, size_t n)
{
	if (has_prefix(t, n, "ERROR:")) {
		t += strlen("ERROR:");
		n -= strlen("ERROR:");
	}
	e->message = le_str(s->ev, t, n);
	if (!e->relation && !e->column)
		fill_objects(s, e, t, n);
}

/* The migration of the last failure in this file (LiteLLM omits it at times). */
static const char *last_failed(struct log_scan *s)
{
	for (size_t i = s->ev->n; i > s->file_first; i--) {
		const struct log_event *e = &s->ev->items[i - 1];

		if ((e->kind == LOG_EV_FAILED || e->kind == LOG_EV_REFUSED) && e->migration)
			return e->migration;
	}
	return NULL;
}

/* The folder name in ".../<name>/migration.sql" or ".../<name>". */
static const char *folder_of(struct log_scan *s, const char *path)
{
	static const char file[] = "/migration.sql";
	size_t len = strlen(path);
	const char *end = path + len, *p;

	if (!strcmp(path, file + 1))
		return NULL;
	if (len >= strlen(file) && !strcmp(end - strlen(file), file))
		end -= strlen(file);
	while (end > path && end[-1] == '/')
		end--;
	for (p = end; p > path && p[-1] != '/'; p--)
		;
	if (p == end || !(*p >= '0' && *p <= '9'))
		return NULL;
	return le_str(s->ev, p, (size_t)(end - p));
}

/* --- Prisma error headers --- */

static void prisma_error(struct log_scan *s, const struct lp_match *m, int depth);
static void text_line(struct log_scan *s, const char *t, size_t n, int depth);

static const struct {
	const char *code;
	enum log_event_kind kind;
	enum ls_block block;
} code_kinds[] = {
	{ "P3018", LOG_EV_FAILED, BLK_P3018 },
	{ "P3005", LOG_EV_NOT_BASELINED, BLK_ERROR },
	{ "P3015", LOG_EV_MISSING_FILE, BLK_ERROR },
	{ "P3019", LOG_EV_PROVIDER_MISMATCH, BLK_ERROR },
	{ "P1001", LOG_EV_UNREACHABLE, BLK_ERROR },
	{ "P1002", LOG_EV_LOCK_TIMEOUT, BLK_ERROR },
	{ "P3008", LOG_EV_RESOLVE_ALREADY_APPLIED, BLK_ERROR },
	{ "P3011", LOG_EV_RESOLVE_NEVER_APPLIED, BLK_ERROR },
	{ "P3012", LOG_EV_RESOLVE_NOT_FAILED, BLK_ERROR },
	{ "P3017", LOG_EV_RESOLVE_NOT_FOUND, BLK_ERROR },
};

static void prisma_error(struct log_scan *s, const struct lp_match *m, int depth)
{
	size_t cn, rn;
	const char *code = lp_group(m, 1, &cn), *rest = lp_group(m, 2, &rn);
	struct log_event *e;

	s->want_message = false;
	if (is_text(code, cn, "P3009")) {
		/* one "refused" event per failed migration line that follows */
		s->block = BLK_P3009;
		s->open = 0;
		return;
	}
	s->block = BLK_ERROR;
	for (size_t i = 0; i < MD_ARRAY_LEN(code_kinds); i++) {
		if (is_text(code, cn, code_kinds[i].code)) {
			e = ev_new(s, code_kinds[i].kind);
			e->code = le_str(s->ev, code, cn);
			s->block = code_kinds[i].block;
			s->open = s->ev->n;
			goto rest;
		}
	}
	e = ev_new(s, LOG_EV_PRISMA_ERROR);
	e->code = le_str(s->ev, code, cn);
	s->open = s->ev->n;
rest:
	/* "Error: P1001: Can't reach database server at ..." on one line */
	if (rest && rn)
		text_line(s, rest, rn, depth + 1);
}

/* --- the text of a line --- */

#define M(id) lp_match((id), t, n, &m)

static bool block_line(struct log_scan *s, const char *t, size_t n)
{
	struct lp_match m;
	struct log_event *o = ev_at(s, s->open);

	switch (s->block) {
	case BLK_P3018:
	case BLK_CONNECTOR:
		if (!o)
			return false;
		if (s->want_message) {
			s->want_message = false;
			set_message(s, o, t, n);
			return true;
		}
		if (M(LP_MIG_NAME)) {
			if (!o->migration)
				o->migration = grp(s, &m, 1);
			return true;
		}
		if (M(LP_DB_CODE)) {
			const char *c = grp(s, &m, 1);

			if (!o->sqlstate && strcmp(c, "none"))
				o->sqlstate = c;
			return true;
		}
		if (M(LP_DB_ERROR)) {
			s->want_message = true;
			return true;
		}
		if (M(LP_DBERROR_DEBUG)) {
			if (!o->sqlstate)
				o->sqlstate = grp(s, &m, 1);
			if (!o->message) {
				size_t ln;
				const char *p = lp_group(&m, 2, &ln);
				struct sbuf tmp = SBUF_INIT;

				/* a Rust Debug string: \" and \\ escapes, like JSON's */
				lj_decode_string(p, p + ln, &tmp);
				set_message(s, o, tmp.buf, tmp.len);
				sbuf_release(&tmp);
			}
			return true;
		}
		if (M(LP_SPAN_NAME)) {
			if (!o->migration)
				o->migration = grp(s, &m, 1);
			return true;
		}
		return false;
	case BLK_APPLIED:
		if (M(LP_TREE_NAME)) {
			struct log_event *e = ev_new(s, LOG_EV_APPLIED);

			e->migration = grp(s, &m, 1);
			return true;
		}
		return is_text(t, n, "migrations/");
	case BLK_STATUS:
		/* one name a line; the first line that is not a bare name ends the list */
		if (M(LP_STATUS_NAME)) {
			struct log_event *e = ev_new(s, s->status_kind);

			e->migration = grp(s, &m, 1);
			return true;
		}
		s->block = BLK_NONE;
		return false;
	case BLK_ERROR:
		if (o && o->kind == LOG_EV_PRISMA_ERROR && !o->message) {
			o->message = le_str(s->ev, t, n);
			return true;
		}
		if (o && o->kind == LOG_EV_LOCK_TIMEOUT && M(LP_P1002_CONTEXT)) {
			o->detail = grp(s, &m, 1);
			return true;
		}
		return false;
	default:
		return false;
	}
}

/*
 * The rules of the text layer, tried in order; the first whose pattern
 * matches the line handles it. A plain row says where each field of its
 * event comes from; a row with a handler does what a table cannot (blocks,
 * recursion into a wrapped line, a field built from a group).
 */
enum src {
	NONE,       /* the field is left as it is */
	G1, G2,     /* capture group 1 / 2 (NULL when the group did not match) */
	LINE,       /* the whole line */
	SPAN,       /* the text the pattern matched */
	LAST,       /* the migration of the last failure in this file */
	G1_OR_LAST, /* group 1, else LAST */
	ZERO,       /* the number 0 */
};

struct text_rule {
	enum lp_id pat;
	enum log_event_kind kind;
	bool merge;          /* fill the event the open block started, if it has this kind */
	bool outside_block;  /* only outside a migration's own error text (runtime errors) */
	bool unqualify;      /* relation without its schema */
	bool folder;         /* migration = the folder named in detail */
	bool fresh;          /* a new run starts: the error block before it is over */
	const char *code, *sqlstate;      /* fixed texts */
	const char *migration_is, *detail_is;
	enum src migration, detail, message, relation, column, started_at, version;
	enum src count, attempt;
	void (*handle)(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
		       int depth);
};

static const char *from(struct log_scan *s, enum src src, const struct lp_match *m,
			const char *t, size_t n)
{
	switch (src) {
	case G1:
		return grp(s, m, 1);
	case G2:
		return grp(s, m, 2);
	case LINE:
		return le_str(s->ev, t, n);
	case SPAN:
		return le_str(s->ev, t + m->ov[0], m->ov[1] - m->ov[0]);
	case LAST:
		return last_failed(s);
	case G1_OR_LAST: {
		const char *g = grp(s, m, 1);

		return g ? g : last_failed(s);
	}
	default:
		return NULL;
	}
}

static long num_from(enum src src, const struct lp_match *m)
{
	return src == ZERO ? 0 : grp_num(m, src == G2 ? 2 : 1);
}

static const char *lit(struct log_scan *s, const char *text)
{
	return le_str(s->ev, text, strlen(text));
}

static void apply_rule(struct log_scan *s, const struct text_rule *r, const struct lp_match *m,
		       const char *t, size_t n)
{
	struct log_event *e = r->merge ? ev_merge(s, r->kind) : ev_new(s, r->kind);

	if (r->code)
		e->code = lit(s, r->code);
	if (r->migration_is)
		e->migration = lit(s, r->migration_is);
	else if (r->migration != NONE)
		e->migration = from(s, r->migration, m, t, n);
	if (r->detail_is)
		e->detail = lit(s, r->detail_is);
	else if (r->detail != NONE)
		e->detail = from(s, r->detail, m, t, n);
	if (r->folder)
		e->migration = folder_of(s, e->detail);
	if (r->sqlstate)
		e->sqlstate = lit(s, r->sqlstate);
	if (r->message != NONE)
		e->message = from(s, r->message, m, t, n);
	if (r->relation != NONE) {
		e->relation = from(s, r->relation, m, t, n);
		if (r->unqualify)
			e->relation = unqualify(e->relation);
	}
	if (r->column != NONE)
		e->column = from(s, r->column, m, t, n);
	if (r->started_at != NONE)
		e->started_at = from(s, r->started_at, m, t, n);
	if (r->version != NONE)
		e->version = from(s, r->version, m, t, n);
	if (r->count != NONE)
		e->count = num_from(r->count, m);
	if (r->attempt != NONE)
		e->attempt = num_from(r->attempt, m);
}

/* LiteLLM's wrappers around Prisma output: the rest of the line is Prisma's */
static void h_wrapper(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
		      int depth)
{
	size_t rn;
	const char *r = lp_group(m, 1, &rn);

	(void)t, (void)n;
	s->block = BLK_NONE;
	s->open = 0;
	if (r && rn)
		text_line(s, r, rn, depth + 1);
}

static void h_prisma_error(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
			   int depth)
{
	(void)t, (void)n;
	prisma_error(s, m, depth);
}

static void h_schema_loaded(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
			    int depth)
{
	struct log_event *e = ev_new(s, LOG_EV_SCHEMA_LOADED);

	(void)t, (void)n, (void)depth;
	e->detail = grp(s, m, 1);
	s->open = s->ev->n;
}

/* the Datasource line completes the "schema loaded" event just before it */
static void h_datasource(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
			 int depth)
{
	struct log_event *o = ev_at(s, s->open);
	struct log_event *e = o && o->kind == LOG_EV_SCHEMA_LOADED && !o->message ? o
			      : ev_new(s, LOG_EV_SCHEMA_LOADED);

	(void)m, (void)depth;
	e->message = le_str(s->ev, t, n);
}

static void h_applied_hdr(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
			  int depth)
{
	(void)m, (void)t, (void)n, (void)depth;
	s->block = BLK_APPLIED;
	s->open = 0;
}

static void h_all_applied(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
			  int depth)
{
	(void)m, (void)t, (void)n, (void)depth;
	ev_new(s, LOG_EV_ALL_APPLIED);
	s->block = BLK_NONE;
}

static void h_status_hdr(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
			 int depth)
{
	size_t wn;
	const char *w = lp_group(m, 1, &wn);

	(void)t, (void)n, (void)depth;
	s->block = BLK_STATUS;
	s->open = 0;
	s->status_kind = w[0] == 'f' ? LOG_EV_STATUS_FAILED : LOG_EV_STATUS_PENDING;
}

/* P3018 text without its "Error: P3018" line: an excerpt, or a logs column */
static void h_p3018_part(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
			 int depth)
{
	struct log_event *o = ev_at(s, s->open);
	struct lp_match head;

	(void)m, (void)depth;
	if (!(o && o->kind == LOG_EV_FAILED && s->block == BLK_P3018)) {
		struct log_event *e = ev_new(s, LOG_EV_FAILED);

		e->code = lit(s, "P3018");
		s->open = s->ev->n;
		s->block = BLK_P3018;
	}
	if (!lp_match(LP_P3018_TEXT, t, n, &head))
		block_line(s, t, n);
}

static void h_connector(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
			int depth)
{
	size_t rn;
	const char *r = lp_group(m, 1, &rn);
	struct log_event *e = ev_new(s, LOG_EV_FAILED);

	(void)t, (void)n, (void)depth;
	e->detail = lit(s, "driver adapter: external connector error");
	s->open = s->ev->n;
	s->block = BLK_CONNECTOR;
	s->want_message = true;
	if (r && rn) {
		s->want_message = false;
		set_message(s, e, r, rn);
	}
}

static void h_p3019(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
		    int depth)
{
	struct log_event *e = ev_merge(s, LOG_EV_PROVIDER_MISMATCH);

	(void)depth;
	e->code = lit(s, "P3019");
	e->detail = arena_printf(&s->ev->arena, "schema provider '%s', migration_lock.toml '%s'",
				 grp(s, m, 1), grp(s, m, 2));
	e->message = le_str(s->ev, t, n);
}

static void h_p1001(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
		    int depth)
{
	size_t hn, o = 0;
	const char *h = lp_group(m, 1, &hn);
	char *d = arena_alloc(&s->ev->arena, hn + 1);
	struct log_event *e;

	(void)depth;
	/* `db`:`5432` (≤5.13), `db:5432` (5.14+): the same place */
	for (size_t i = 0; i < hn; i++)
		if (h[i] != '`')
			d[o++] = h[i];
	d[o] = '\0';
	e = ev_merge(s, LOG_EV_UNREACHABLE);
	e->code = lit(s, "P1001");
	e->detail = le_str(s->ev, d, o);
	e->message = le_str(s->ev, t, n);
}

static void h_lock(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
		   int depth)
{
	struct log_event *e = ev_merge(s, LOG_EV_LOCK_TIMEOUT);

	(void)n, (void)depth;
	if (!e->detail)
		e->detail = le_str(s->ev, t + m->ov[0], m->ov[1] - m->ov[0]);
}

static void h_marked(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
		     int depth)
{
	size_t wn;
	const char *w = lp_group(m, 2, &wn);
	struct log_event *e =
		ev_new(s, w[0] == 'a' ? LOG_EV_MARKED_APPLIED : LOG_EV_MARKED_ROLLED_BACK);

	(void)t, (void)n, (void)depth;
	e->migration = grp(s, m, 1);
}

/* "The column `T.c` does not exist": the table, when named, is before the last dot */
static void h_rt_column(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
			int depth)
{
	const char *q = grp(s, m, 1), *dot = strrchr(q, '.');
	struct log_event *e = ev_new(s, LOG_EV_SCHEMA_MISSING_COLUMN);

	(void)n, (void)depth;
	if (dot) {
		e->relation = unqualify(le_str(s->ev, q, (size_t)(dot - q)));
		e->column = dot + 1;
	} else {
		e->column = q;
	}
	e->message = le_str(s->ev, t + m->ov[0], m->ov[1] - m->ov[0]);
}

/* --- the Prisma CLI never ran, db push, a stale client --- */

/* deploy did not run: detail says why in a few words, message is the line */
static void not_run(struct log_scan *s, const char *t, size_t n, const char *why)
{
	struct log_event *e = ev_new(s, LOG_EV_DEPLOY_NOT_RUN);

	e->detail = why;
	e->message = le_str(s->ev, t, n);
}

static void h_nr_npm(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
		     int depth)
{
	(void)depth;
	not_run(s, t, n, arena_printf(&s->ev->arena, "npm install %s failed (exit status %s)",
				      grp(s, m, 1), grp(s, m, 2)));
	s->ev->items[s->ev->n - 1].version = grp(s, m, 1);
}

static void h_nr_not_found(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
			   int depth)
{
	(void)m, (void)depth;
	not_run(s, t, n, lit(s, "the prisma command was not found"));
}

static void h_nr_exit127(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
			 int depth)
{
	(void)depth;
	not_run(s, t, n, arena_printf(&s->ev->arena, "command not found (exit status 127): %s",
				      grp(s, m, 1)));
}

static void h_nr_shlib(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
		       int depth)
{
	(void)depth;
	not_run(s, t, n, arena_printf(&s->ev->arena, "cannot load shared library %s",
				      grp(s, m, 1)));
}

static void h_nr_download(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
			  int depth)
{
	(void)m, (void)depth;
	not_run(s, t, n, lit(s, "cannot download the Prisma engines (no internet access?)"));
}

static void h_nr_write(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
		       int depth)
{
	(void)depth;
	not_run(s, t, n, arena_printf(&s->ev->arena, "cannot write %s (permission denied)",
				      grp(s, m, 1)));
}

static void h_nr_erofs(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
		       int depth)
{
	(void)depth;
	not_run(s, t, n, arena_printf(&s->ev->arena, "cannot write %s (read-only file system)",
				      grp(s, m, 1)));
}

static void h_nr_no_engine(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
			   int depth)
{
	const char *platform = grp(s, m, 1);

	(void)depth;
	not_run(s, t, n, platform ? arena_printf(&s->ev->arena,
						 "no schema-engine binary for platform %s",
						 platform)
				  : lit(s, "no schema-engine binary for the platform"));
}

/* LiteLLM's retry line names the db push command, and says whether it retries */
static void h_push_failed(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
			  int depth)
{
	struct log_event *e = ev_new(s, LOG_EV_DB_PUSH_FAILED);
	struct lp_match r;

	(void)depth;
	e->detail = arena_printf(&s->ev->arena, "exit status %s", grp(s, m, 1));
	e->message = le_str(s->ev, t, n);
	if (lp_match(LP_L_RETRY, t, n, &r)) {
		e = ev_new(s, LOG_EV_LITELLM_RETRY);
		e->count = grp_num(&r, 1);
		e->message = le_str(s->ev, t, n);
	}
}

static void h_push_drop(struct log_scan *s, const struct lp_match *m, const char *t, size_t n,
			int depth)
{
	struct log_event *e = ev_new(s, LOG_EV_DB_PUSH_DATA_LOSS);
	bool column = lp_match(LP_PUSH_DROP_COLUMN, t, n, &(struct lp_match){ 0 });

	(void)depth;
	e->message = le_str(s->ev, t, n);
	if (column) {
		e->column = grp(s, m, 1);
		e->relation = unqualify(grp(s, m, 2));
		e->count = grp_num(m, 3);
		e->detail = arena_printf(&s->ev->arena, "would drop column %s of table %s",
					 e->column, e->relation);
	} else {
		e->relation = unqualify(grp(s, m, 1));
		e->count = grp_num(m, 2);
		e->detail = arena_printf(&s->ev->arena, "would drop table %s", e->relation);
	}
}

/* the exception's log line and its traceback's last line are one failure */
static void h_stale_client(struct log_scan *s, const struct lp_match *m, const char *t,
			   size_t n, int depth)
{
	size_t an;
	const char *a = lp_group(m, 1, &an);
	const struct log_event *last = s->ev->n ? &s->ev->items[s->ev->n - 1] : NULL;
	struct log_event *e;

	(void)n, (void)depth;
	if (s->in_record && last && s->ev->n > s->rec_first &&
	    last->kind == LOG_EV_STALE_CLIENT && is_text(a, an, last->detail))
		return;
	e = ev_new(s, LOG_EV_STALE_CLIENT);
	e->detail = le_str(s->ev, a, an);
	e->message = le_str(s->ev, t + m->ov[0], m->ov[1] - m->ov[0]);
}

#define K(x) .kind = LOG_EV_##x
static const struct text_rule text_rules[] = {
	/* LiteLLM wrappers around Prisma output */
	{ LP_L_STDOUT, .handle = h_wrapper },
	{ LP_L_DBERROR, .handle = h_wrapper },
	{ LP_PRISMA_ERROR, .handle = h_prisma_error },

	/* the Prisma CLI never ran: deploy did not happen, and why */
	{ LP_NR_NPM, .handle = h_nr_npm },
	{ LP_NR_EXIT127, .handle = h_nr_exit127 },
	{ LP_NR_NOT_FOUND, .handle = h_nr_not_found },
	{ LP_NR_SHLIB, .handle = h_nr_shlib },
	{ LP_NR_DOWNLOAD, .handle = h_nr_download },
	{ LP_NR_EACCES, .handle = h_nr_write },
	{ LP_NR_CANT_WRITE, .handle = h_nr_write },
	{ LP_NR_EROFS, .handle = h_nr_erofs },
	{ LP_NR_NO_ENGINE, .handle = h_nr_no_engine },
	/* prisma db push (before LiteLLM's retry line, which carries its failure) */
	{ LP_PUSH_CMD, K(DB_PUSH), .detail_is = "started", .message = LINE },
	{ LP_PUSH_DONE, K(DB_PUSH), .detail_is = "in sync" },
	{ LP_PUSH_SAME, K(DB_PUSH), .detail_is = "already in sync" },
	{ LP_PUSH_FAILED, .handle = h_push_failed },
	{ LP_PUSH_REFUSED, K(DB_PUSH_FAILED), .detail_is = "data loss not accepted",
	  .message = LINE },
	{ LP_PUSH_DROP_COLUMN, .handle = h_push_drop },
	{ LP_PUSH_DROP_TABLE, .handle = h_push_drop },
	{ LP_STALE_CLIENT, .handle = h_stale_client },

	/* LiteLLM's own actions (more specific: before the Prisma texts) */
	{ LP_L_DEPLOY, K(DEPLOY_STARTED), .fresh = true },
	{ LP_L_DEPLOY_DONE, K(DEPLOY_COMPLETED) },
	{ LP_L_IDEM_ANON, K(LITELLM_IDEMPOTENT), .migration = LAST, .detail = LINE },
	{ LP_L_IDEM_OLD, K(LITELLM_IDEMPOTENT), .migration = LAST, .detail = LINE },
	{ LP_L_IDEM_NAMED, K(LITELLM_IDEMPOTENT), .migration = G1, .detail = LINE },
	{ LP_L_IDEM_V2, K(LITELLM_IDEMPOTENT), .migration = G1, .detail = LINE },
	{ LP_L_PERM_RAISE, K(LITELLM_PERMISSION), .migration = G1, .sqlstate = "42501",
	  .message = LINE },
	{ LP_L_PERM, K(LITELLM_PERMISSION), .migration = G1, .sqlstate = "42501",
	  .message = LINE },
	{ LP_L_PERM_V2, K(LITELLM_PERMISSION), .migration = LAST, .sqlstate = "42501",
	  .message = LINE },
	{ LP_L_UNCLASSIFIED, K(LITELLM_UNCLASSIFIED), .migration = LAST, .message = LINE },
	{ LP_L_ROLLING_BACK, K(LITELLM_ROLLING_BACK), .migration = G1 },
	{ LP_L_FOUND_FAILED, K(LITELLM_ROLLING_BACK), .migration = G1 },
	{ LP_L_RESOLVING_EXISTING, K(LITELLM_RESOLVING_APPLIED), .migration = G1,
	  .detail_is = "idempotent failure" },
	{ LP_L_RESOLVING, K(LITELLM_RESOLVING_APPLIED), .migration = G1, .detail_is = "baseline" },
	{ LP_L_RESOLVE_FAILED, K(LITELLM_RESOLVING_APPLIED), .migration = G1, .detail_is = "failed",
	  .message = G2 },
	{ LP_L_RESOLVED, K(LITELLM_RESOLVED), .migration = G1_OR_LAST },
	{ LP_L_BASELINE, K(LITELLM_BASELINE), .migration_is = "0_init",
	  .detail_is = "creating baseline migration 0_init" },
	{ LP_L_BASELINE_DONE, K(LITELLM_BASELINE), .migration_is = "0_init",
	  .detail_is = "0_init created; resolving all migrations as applied" },
	{ LP_L_BASELINE_V2, K(LITELLM_BASELINE), .migration_is = "0_init",
	  .detail_is = "v2 resolver: creating baseline 0_init" },
	{ LP_L_BASELINE_ADOPTED, K(LITELLM_BASELINE), .count = G1,
	  .detail_is = "adopted packaged migrations as a baseline (no 0_init)" },
	{ LP_L_BASELINE_REFUSED, K(LITELLM_BASELINE),
	  .detail_is = "refused: schema not verified to match this build" },
	{ LP_L_BASELINE_ERROR, K(LITELLM_BASELINE), .migration_is = "0_init", .detail_is = "failed",
	  .message = G1 },
	{ LP_L_BASELINE_TIMEOUT, K(LITELLM_BASELINE), .migration_is = "0_init",
	  .detail_is = "timed out" },
	/* v2 resolver: a P3009 it will not touch */
	{ LP_L_MANUAL, K(LITELLM_UNCLASSIFIED), .migration = LAST, .message = LINE },
	{ LP_L_BASELINE_OLD, K(NOT_BASELINED),
	  .detail_is = "LiteLLM 1.65.1-1.65.7: no automatic baseline" },
	{ LP_L_SANITY, K(LITELLM_SANITY_CHECK), .detail_is = "started" },
	{ LP_L_SANITY_DONE, K(LITELLM_SANITY_CHECK), .detail_is = "completed" },
	{ LP_L_DIFF_CREATED, K(LITELLM_DIFF_CREATED), .detail = G1, .folder = true },
	{ LP_L_DIFF_PERM, K(LITELLM_DIFF_CREATED), .detail_is = "permission denied",
	  .message = LINE },
	{ LP_L_DIFF_RUN, K(LITELLM_DIFF_EXECUTE), .detail_is = "started" },
	{ LP_L_DIFF_OK, K(LITELLM_DIFF_EXECUTE), .detail_is = "applied" },
	{ LP_L_DIFF_FAIL, K(LITELLM_DIFF_EXECUTE), .detail_is = "failed", .message = G1 },
	{ LP_L_DIFF_TIMEOUT, K(LITELLM_DIFF_EXECUTE), .detail_is = "timed out" },
	{ LP_L_RETRY, K(LITELLM_RETRY), .count = G1, .message = LINE },
	{ LP_L_TIMEOUT, K(LITELLM_TIMEOUT), .attempt = G1 },
	{ LP_L_CONTINUING, K(LITELLM_CONTINUING) },
	{ LP_L_EXHAUSTED, K(LITELLM_RETRY), .attempt = G1, .count = ZERO,
	  .detail_is = "retries exhausted" },
	{ LP_L_DB_AHEAD, K(LITELLM_DB_AHEAD), .count = G1, .detail = G2 },
	{ LP_L_DRIFT, K(LITELLM_SCHEMA_DRIFT), .detail_is = "changes detected", .message = LINE },
	{ LP_L_DRIFT_SYNC, K(LITELLM_SCHEMA_DRIFT), .detail_is = "changes detected",
	  .message = LINE },
	{ LP_L_DRIFT_FAIL, K(LITELLM_SCHEMA_DRIFT), .detail_is = "diff failed", .message = G1 },
	{ LP_L_NO_PRISMA, K(LITELLM_SETUP_ERROR), .message = LINE },
	{ LP_L_NO_EXTRAS, K(LITELLM_SETUP_ERROR), .message = LINE },
	{ LP_L_RECOVERED, K(LITELLM_RECOVERED), .migration = G1 },

	/* Prisma CLI */
	{ LP_CLI_DEPLOY, K(DEPLOY_STARTED), .fresh = true, .detail_is = "command line" },
	{ LP_SCHEMA_LOADED, .fresh = true, .handle = h_schema_loaded },
	{ LP_DATASOURCE, .handle = h_datasource },
	{ LP_FOUND, K(MIGRATIONS_FOUND), .fresh = true, .count = G1 },
	{ LP_NONE_FOUND, K(MIGRATIONS_FOUND), .fresh = true, .count = ZERO },
	{ LP_APPLYING, K(APPLYING), .migration = G1 },
	{ LP_APPLIED_HDR, .handle = h_applied_hdr },
	{ LP_ALL_APPLIED, .handle = h_all_applied },
	{ LP_STATUS_HDR, .handle = h_status_hdr },
	{ LP_STATUS_OK, K(STATUS_UP_TO_DATE), .fresh = true },
	{ LP_STATUS_UNMANAGED, K(NOT_BASELINED),
	  .detail_is = "migrate status: not managed by Prisma Migrate" },
	{ LP_NO_PENDING, K(NOTHING_PENDING), .fresh = true },
	{ LP_P3018_TEXT, .handle = h_p3018_part },
	{ LP_MIG_NAME, .handle = h_p3018_part },
	{ LP_DB_CODE, .handle = h_p3018_part },
	{ LP_CONNECTOR, .handle = h_connector },
	{ LP_P3009_LINE, K(REFUSED), .code = "P3009", .migration = G1,
	  .started_at = G2 },
	{ LP_P3005_TEXT, K(NOT_BASELINED), .merge = true, .code = "P3005", .message = LINE },
	{ LP_P3015_TEXT, K(MISSING_FILE), .merge = true, .code = "P3015", .detail = G1,
	  .folder = true, .message = LINE },
	{ LP_P3019_TEXT, .handle = h_p3019 },
	{ LP_P1001_TEXT, .handle = h_p1001 },
	{ LP_P1002_TEXT, K(LOCK_TIMEOUT), .merge = true, .code = "P1002", .message = LINE },
	{ LP_LOCK_TEXT, .handle = h_lock },
	{ LP_P3008_TEXT, K(RESOLVE_ALREADY_APPLIED), .merge = true, .code = "P3008",
	  .migration = G1, .message = LINE },
	{ LP_P3011_TEXT, K(RESOLVE_NEVER_APPLIED), .merge = true, .code = "P3011",
	  .migration = G1, .message = LINE },
	{ LP_P3012_TEXT, K(RESOLVE_NOT_FAILED), .merge = true, .code = "P3012",
	  .migration = G1, .message = LINE },
	{ LP_P3017_TEXT, K(RESOLVE_NOT_FOUND), .merge = true, .code = "P3017",
	  .migration = G1, .message = LINE },
	{ LP_MARKED, .handle = h_marked },
	{ LP_UPDATE_AVAILABLE, K(VERSION), .detail_is = "prisma", .version = G1 },
	{ LP_LITELLM_VERSION, K(VERSION), .detail_is = "litellm", .version = G1 },

	/* runtime schema errors: only outside a migration's own error text */
	{ LP_RT_COLUMN, .outside_block = true, .handle = h_rt_column },
	{ LP_RT_TABLE, K(SCHEMA_MISSING_TABLE), .outside_block = true, .relation = G1,
	  .unqualify = true, .message = SPAN },
	{ LP_RT_PG_COLUMN, K(SCHEMA_MISSING_COLUMN), .outside_block = true, .column = G1,
	  .relation = G2, .sqlstate = "42703", .message = SPAN },
	{ LP_RT_RELATION, K(SCHEMA_MISSING_RELATION), .outside_block = true, .relation = G1,
	  .unqualify = true, .sqlstate = "42P01", .message = SPAN },
};
#undef K

/*
 * The rules a line is offered, chosen by the literals it holds: a rule
 * whose pattern needs a literal the line lacks is not even looked at
 * (a text line that holds one literal tries a few rules, not a hundred).
 * tr_any: rules without a literal; tr_key[k]: rules needing literal k.
 */
#define TR_WORDS 2
static uint64_t tr_any[TR_WORDS], tr_key[64][TR_WORDS];
static size_t tr_first_outside; /* the outside_block rules are the last ones */
static bool tr_ready;

static void tr_build(void)
{
	struct lp_match m;

	_Static_assert(MD_ARRAY_LEN(text_rules) <= 64 * TR_WORDS, "text_rules: widen TR_WORDS");
	lp_match_run(LP_QUOTE, "", 0, &m); /* compiles the patterns: lp_need_key is known */
	tr_first_outside = MD_ARRAY_LEN(text_rules);
	for (size_t i = 0; i < MD_ARRAY_LEN(text_rules); i++) {
		int k = lp_need_key[text_rules[i].pat];
		uint64_t *w = k >= 0 ? tr_key[k] : tr_any;

		w[i / 64] |= (uint64_t)1 << (i % 64);
		if (text_rules[i].outside_block && tr_first_outside > i)
			tr_first_outside = i;
		else if (!text_rules[i].outside_block && tr_first_outside < i)
			MD_BUG("text rule %zu: the outside_block rules must come last", i);
	}
	tr_ready = true;
}

/* Drop rules i and later from the set. */
static void tr_clear_from(uint64_t *want, size_t i)
{
	for (size_t j = i / 64; j < TR_WORDS; j++)
		want[j] &= j == i / 64 ? ((uint64_t)1 << (i % 64)) - 1 : 0;
}

/*
 * The bytes readable from t: a line of s->clean or s->sub has LP_PAD
 * zeroed bytes after it (strip_ansi), which the literal search reads
 * instead of copying the line's end.
 */
static size_t ls_readable(const struct log_scan *s, const char *t, size_t n)
{
	const struct sbuf *b[] = { &s->clean, &s->sub };
	const bool padded[] = { s->clean_padded, s->sub_padded };

	for (size_t i = 0; i < MD_ARRAY_LEN(b); i++)
		if (padded[i] && t >= b[i]->buf && t + n <= b[i]->buf + b[i]->len)
			return (size_t)(b[i]->buf + b[i]->len + LP_PAD - t);
	return n;
}

static void text_line(struct log_scan *s, const char *t, size_t n, int depth)
{
	struct lp_match m;
	uint64_t want[TR_WORDS], keys;

	if (depth > 4)
		return;
	/* LiteLLM logs "prisma db error: {stderr}, e: {stdout}" */
	if (has_prefix(t, n, ", e: ")) {
		t += strlen(", e: ");
		n -= strlen(", e: ");
	}
	while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
		n--;
	if (n == 0)
		return;
	/* forget what was known of the last line: the buffer is reused */
	lp_line_set(t, n, ls_readable(s, t, n));
	if (s->block != BLK_NONE && block_line(s, t, n))
		return;
	while (n > 0 && (*t == ' ' || *t == '\t') && s->block != BLK_APPLIED) {
		t++;
		n--;
	}
	lp_line_skip_blanks(t, n);

	if (!tr_ready)
		tr_build();
	keys = lp_gate.ready ? lp_gate.present : lp_line_keys();
	memcpy(want, tr_any, sizeof(want));
	for (; keys; keys &= keys - 1) {
		const uint64_t *w = tr_key[__builtin_ctzll(keys)];

		for (int j = 0; j < TR_WORDS; j++)
			want[j] |= w[j];
	}
	if (s->block != BLK_NONE && s->block != BLK_APPLIED)
		tr_clear_from(want, tr_first_outside); /* runtime errors: outside a block only */
	for (int j = 0; j < TR_WORDS; j++) {
		for (uint64_t b = want[j]; b; b &= b - 1) {
			const struct text_rule *r = &text_rules[j * 64 + __builtin_ctzll(b)];

			if (!lp_match(r->pat, t, n, &m))
				continue;
			/*
			 * Raw CLI output has no records to end an "Error: Pxxxx" block: a
			 * later run's first lines do, or its runtime errors would be hidden.
			 */
			if (r->fresh && s->block != BLK_APPLIED && s->block != BLK_STATUS) {
				s->block = BLK_NONE;
				s->open = 0;
				s->want_message = false;
			}
			if (r->handle)
				r->handle(s, &m, t, n, depth);
			else
				apply_rule(s, r, &m, t, n);
			return;
		}
	}
}

#undef M

/* --- records and de-duplication --- */

static bool same_events(const struct log_events *ev, size_t a, size_t b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!le_equal(&ev->items[a + i], &ev->items[b + i]))
			return false;
	return true;
}

static void record_close(struct log_scan *s)
{
	size_t n = s->ev->n - s->rec_first;
	struct ls_record_mark *r;

	if (!s->in_record || s->ev->n <= s->rec_first) {
		s->in_record = false;
		return;
	}
	for (unsigned i = 0; i < LS_RING; i++) {
		r = &s->ring[i];
		if (r->n == n && !r->used && r->json != s->rec_json &&
		    s->rec_line - r->line < 400 && r->first + r->n <= s->rec_first &&
		    same_events(s->ev, r->first, s->rec_first, n)) {
			r->used = true;
			s->ev->n = s->rec_first;
			s->ev->duplicates += (unsigned)n;
			s->in_record = false;
			return;
		}
	}
	r = &s->ring[s->ring_next++ % LS_RING];
	r->first = s->rec_first;
	r->n = n;
	r->line = s->rec_line;
	r->json = s->rec_json;
	r->used = false;
	s->in_record = false;
}

static void record_start(struct log_scan *s, bool json, const char *ts, size_t tsn)
{
	record_close(s);
	s->in_record = true;
	s->rec_json = json;
	s->rec_first = s->ev->n;
	s->rec_line = s->line;
	s->rec_ts = NULL;
	sbuf_reset(&s->rec_tsraw);
	if (ts && tsn && sbuf_add(&s->rec_tsraw, ts, tsn))
		sbuf_reset(&s->rec_tsraw); /* longer than a line: cannot be */
	s->rec_lines = 0;
	s->block = BLK_NONE;
	s->open = 0;
	s->want_message = false;
	s->lts = NULL;
}

void ls_finish(struct log_scan *s)
{
	record_close(s);
	s->block = BLK_NONE;
	s->open = 0;
}

/* --- transport layer --- */

/*
 * Copy [p, p+n) into out without CR and ANSI escape sequences, then zero
 * LP_PAD bytes after it (ls_readable). Returns whether it is padded.
 */
static bool strip_ansi(const char *p, size_t n, struct sbuf *out)
{
	const char *end = p + n;

	sbuf_reset(out);
	while (end > p && end[-1] == '\r')
		end--;
	while (p < end) {
		const char *esc = memchr(p, '\x1b', (size_t)(end - p));
		const char *stop = esc ? esc : end;

		if (stop > p && sbuf_add(out, p, (size_t)(stop - p)))
			return false; /* cannot be: a line is cut to LOG_MAX_LINE */
		if (!esc)
			break;
		p = esc + 1;
		if (p < end && *p == '[') {
			/* CSI: parameters and intermediates, then one final byte */
			p++;
			while (p < end && (unsigned char)*p >= 0x20 && (unsigned char)*p <= 0x3f)
				p++;
			if (p < end && (unsigned char)*p >= 0x40 && (unsigned char)*p <= 0x7e)
				p++;
		} else if (p < end && *p == ']') {
			/* OSC: up to BEL or ESC \ */
			while (p < end && *p != '\a' && *p != '\x1b')
				p++;
			if (p < end && *p == '\a')
				p++;
		} else if (p < end) {
			p++;
		}
	}
	if (sbuf_grow(out, LP_PAD))
		return false;
	memset(out->buf + out->len, 0, LP_PAD);
	return true;
}

static void message_lines(struct log_scan *s, const char *p, size_t n)
{
	const char *end = p + n;

	while (p <= end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		s->sub_padded = strip_ansi(p, (size_t)(le - p), &s->sub);
		text_line(s, s->sub.buf, s->sub.len, 0);
		s->rec_lines++;
		if (!nl)
			break;
		p = nl + 1;
	}
}

/* A line; with probe, only whether it starts a record (nothing is changed but scratch). */
static bool line_in(struct log_scan *s, const char *p, size_t n, bool probe)
{
	struct lp_match m;
	const char *t;
	size_t tn;

	s->clean_padded = strip_ansi(p, n, &s->clean);
	t = s->clean.buf;
	tn = s->clean.len;
	s->lts = NULL;
	for (int k = 0; k < 6 && tn > 0; k++) {
		size_t skip;

		if (lp_match(LP_KUBECTL_TS, t, tn, &m) || lp_match(LP_BRACKET_TS, t, tn, &m) ||
		    lp_match(LP_SYSLOG, t, tn, &m) || lp_match(LP_APP_TS, t, tn, &m)) {
			s->lts = lp_group(&m, 1, &s->ltsn);
		} else if (!lp_match(LP_COMPOSE, t, tn, &m) &&
			   !lp_match(LP_POD_PREFIX, t, tn, &m) && !lp_match(LP_QUOTE, t, tn, &m)) {
			break;
		}
		skip = m.ov[1];
		t += skip;
		tn -= skip;
	}
	if (tn > 0 && (*t == '{' || *t == ' ')) {
		const char *j = t;

		while (j < t + tn && *j == ' ')
			j++;
		if (j < t + tn && *j == '{' &&
		    !lj_decode_record(j, (size_t)(t + tn - j), &s->jmsg, &s->jts)) {
			const char *ts = s->jts.len ? s->jts.buf : s->lts;
			size_t tsn = s->jts.len ? s->jts.len : (s->lts ? s->ltsn : 0);

			if (probe)
				return true;
			record_start(s, true, ts, tsn);
			message_lines(s, s->jmsg.buf, s->jmsg.len);
			return true;
		}
	}
	if (lp_match(LP_EXTRAS, t, tn, &m) || lp_match(LP_PROXY, t, tn, &m)) {
		size_t tsn;
		const char *ts = lp_group(&m, 1, &tsn);

		if (probe)
			return true;
		record_start(s, false, ts, tsn);
		t += m.ov[1];
		tn -= m.ov[1];
	} else if (lp_match(LP_LEVEL, t, tn, &m)) {
		if (probe)
			return true;
		record_start(s, false, s->lts, s->lts ? s->ltsn : 0);
		t += m.ov[1];
		tn -= m.ov[1];
	} else if (probe) {
		return false;
	}
	/* a block left open (an excerpt, a crash) must not make every later line a candidate */
	if (s->block == BLK_NONE) {
		s->block_lines = 0;
	} else if (++s->block_lines > MAX_BLOCK_LINES) {
		s->block = BLK_NONE;
		s->open = 0;
		s->want_message = false;
	}
	text_line(s, t, tn, 0);
	return false;
}

void ls_line(struct log_scan *s, const char *p, size_t n)
{
	line_in(s, p, n, false);
}

bool ls_starts_record(struct log_scan *s, const char *p, size_t n)
{
	return line_in(s, p, n, true);
}
