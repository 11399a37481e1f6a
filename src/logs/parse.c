/*
 * parse.c - one line at a time: unwrap it, then recognise what it says.
 *
 * A line goes through three layers:
 *  1. transport: CR, ANSI colour codes, docker compose "service  | ",
 *     kubectl --timestamps and bracketed leading timestamps;
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
	sbuf_init(&s->clean, LOG_MAX_LINE);
	sbuf_init(&s->sub, LOG_MAX_LINE);
	sbuf_init(&s->jmsg, LOG_MAX_LINE);
	sbuf_init(&s->jts, 256);
	s->file_first = ev->n;
}

void ls_release(struct log_scan *s)
{
	sbuf_release(&s->clean);
	sbuf_release(&s->sub);
	sbuf_release(&s->jmsg);
	sbuf_release(&s->jts);
}

bool ls_wants_next(const struct log_scan *s)
{
	return s->block != BLK_NONE;
}

/* --- events --- */

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
	if (s->in_record && s->rec_ts)
		e->timestamp = s->rec_ts;
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
	if (n >= 6 && !memcmp(t, "ERROR:", 6)) {
		t += 6;
		n -= 6;
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
	const char *end = path + strlen(path), *p;

	if (end - path >= 14 && !strcmp(end - 14, "/migration.sql"))
		end -= 14;
	else if (end - path == 13 && !strcmp(path, "migration.sql"))
		return NULL;
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
	if (cn == 5 && !memcmp(code, "P3009", 5)) {
		/* one "refused" event per failed migration line that follows */
		s->block = BLK_P3009;
		s->open = 0;
		return;
	}
	s->block = BLK_ERROR;
	for (size_t i = 0; i < MD_ARRAY_LEN(code_kinds); i++) {
		if (!memcmp(code, code_kinds[i].code, 5)) {
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
		return n == 11 && !memcmp(t, "migrations/", 11);
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

static void text_line(struct log_scan *s, const char *t, size_t n, int depth)
{
	struct lp_match m;
	struct log_event *e;

	if (depth > 4)
		return;
	/* LiteLLM logs "prisma db error: {stderr}, e: {stdout}" */
	if (n >= 5 && !memcmp(t, ", e: ", 5)) {
		t += 5;
		n -= 5;
	}
	while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
		n--;
	if (n == 0)
		return;
	/* forget what was known of the last line: the buffer is reused */
	lp_line_set(t, n);
	if (s->block != BLK_NONE && block_line(s, t, n))
		return;
	while (n > 0 && (*t == ' ' || *t == '\t') && s->block != BLK_APPLIED) {
		t++;
		n--;
	}
	lp_line_set(t, n);

	/* LiteLLM wrappers around Prisma output */
	if (M(LP_L_STDOUT) || M(LP_L_DBERROR)) {
		size_t rn;
		const char *r = lp_group(&m, 1, &rn);

		s->block = BLK_NONE;
		s->open = 0;
		if (r && rn)
			text_line(s, r, rn, depth + 1);
		return;
	}
	if (M(LP_PRISMA_ERROR)) {
		prisma_error(s, &m, depth);
		return;
	}

	/* LiteLLM's own actions (more specific: before the Prisma texts) */
	if (M(LP_L_DEPLOY)) {
		ev_new(s, LOG_EV_DEPLOY_STARTED);
		return;
	}
	if (M(LP_L_DEPLOY_DONE)) {
		ev_new(s, LOG_EV_DEPLOY_COMPLETED);
		return;
	}
	if (M(LP_L_IDEM_ANON) || M(LP_L_IDEM_OLD)) {
		e = ev_new(s, LOG_EV_LITELLM_IDEMPOTENT);
		e->migration = last_failed(s);
		e->detail = le_str(s->ev, t, n);
		return;
	}
	if (M(LP_L_IDEM_NAMED) || M(LP_L_IDEM_V2)) {
		e = ev_new(s, LOG_EV_LITELLM_IDEMPOTENT);
		e->migration = grp(s, &m, 1);
		e->detail = le_str(s->ev, t, n);
		return;
	}
	if (M(LP_L_PERM_RAISE) || M(LP_L_PERM)) {
		e = ev_new(s, LOG_EV_LITELLM_PERMISSION);
		e->migration = grp(s, &m, 1);
		e->sqlstate = le_str(s->ev, "42501", 5);
		e->message = le_str(s->ev, t, n);
		return;
	}
	if (M(LP_L_PERM_V2)) {
		e = ev_new(s, LOG_EV_LITELLM_PERMISSION);
		e->migration = last_failed(s);
		e->sqlstate = le_str(s->ev, "42501", 5);
		e->message = le_str(s->ev, t, n);
		return;
	}
	if (M(LP_L_UNCLASSIFIED)) {
		e = ev_new(s, LOG_EV_LITELLM_UNCLASSIFIED);
		e->migration = last_failed(s);
		e->message = le_str(s->ev, t, n);
		return;
	}
	if (M(LP_L_ROLLING_BACK) || M(LP_L_FOUND_FAILED)) {
		e = ev_new(s, LOG_EV_LITELLM_ROLLING_BACK);
		e->migration = grp(s, &m, 1);
		return;
	}
	if (M(LP_L_RESOLVING_EXISTING)) {
		e = ev_new(s, LOG_EV_LITELLM_RESOLVING_APPLIED);
		e->migration = grp(s, &m, 1);
		e->detail = le_str(s->ev, "idempotent failure", 18);
		return;
	}
	if (M(LP_L_RESOLVING)) {
		e = ev_new(s, LOG_EV_LITELLM_RESOLVING_APPLIED);
		e->migration = grp(s, &m, 1);
		e->detail = le_str(s->ev, "baseline", 8);
		return;
	}
	if (M(LP_L_RESOLVE_FAILED)) {
		e = ev_new(s, LOG_EV_LITELLM_RESOLVING_APPLIED);
		e->migration = grp(s, &m, 1);
		e->detail = le_str(s->ev, "failed", 6);
		e->message = grp(s, &m, 2);
		return;
	}
	if (M(LP_L_RESOLVED)) {
		e = ev_new(s, LOG_EV_LITELLM_RESOLVED);
		e->migration = grp(s, &m, 1);
		if (!e->migration)
			e->migration = last_failed(s);
		return;
	}
	if (M(LP_L_BASELINE)) {
		e = ev_new(s, LOG_EV_LITELLM_BASELINE);
		e->migration = le_str(s->ev, "0_init", 6);
		e->detail = le_str(s->ev, "creating baseline migration 0_init", 34);
		return;
	}
	if (M(LP_L_BASELINE_DONE)) {
		e = ev_new(s, LOG_EV_LITELLM_BASELINE);
		e->migration = le_str(s->ev, "0_init", 6);
		e->detail = le_str(s->ev, "0_init created; resolving all migrations as applied", 51);
		return;
	}
	if (M(LP_L_BASELINE_V2)) {
		e = ev_new(s, LOG_EV_LITELLM_BASELINE);
		e->migration = le_str(s->ev, "0_init", 6);
		e->detail = le_str(s->ev, "v2 resolver: creating baseline 0_init", 37);
		return;
	}
	if (M(LP_L_BASELINE_ADOPTED)) {
		e = ev_new(s, LOG_EV_LITELLM_BASELINE);
		e->count = grp_num(&m, 1);
		e->detail = le_str(s->ev, "adopted packaged migrations as a baseline (no 0_init)", 53);
		return;
	}
	if (M(LP_L_BASELINE_REFUSED)) {
		e = ev_new(s, LOG_EV_LITELLM_BASELINE);
		e->detail = le_str(s->ev, "refused: schema not verified to match this build", 48);
		return;
	}
	if (M(LP_L_BASELINE_ERROR)) {
		e = ev_new(s, LOG_EV_LITELLM_BASELINE);
		e->migration = le_str(s->ev, "0_init", 6);
		e->detail = le_str(s->ev, "failed", 6);
		e->message = grp(s, &m, 1);
		return;
	}
	if (M(LP_L_BASELINE_TIMEOUT)) {
		e = ev_new(s, LOG_EV_LITELLM_BASELINE);
		e->migration = le_str(s->ev, "0_init", 6);
		e->detail = le_str(s->ev, "timed out", 9);
		return;
	}
	if (M(LP_L_MANUAL)) {
		/* v2 resolver: a P3009 it will not touch */
		e = ev_new(s, LOG_EV_LITELLM_UNCLASSIFIED);
		e->migration = last_failed(s);
		e->message = le_str(s->ev, t, n);
		return;
	}
	if (M(LP_L_BASELINE_OLD)) {
		e = ev_new(s, LOG_EV_NOT_BASELINED);
		e->detail = le_str(s->ev, "LiteLLM 1.65.1-1.65.7: no automatic baseline", 44);
		return;
	}
	if (M(LP_L_SANITY) || M(LP_L_SANITY_DONE)) {
		e = ev_new(s, LOG_EV_LITELLM_SANITY_CHECK);
		e->detail = le_str(s->ev, t[0] == 'R' ? "started" : "completed",
				   t[0] == 'R' ? 7 : 9);
		return;
	}
	if (M(LP_L_DIFF_CREATED)) {
		e = ev_new(s, LOG_EV_LITELLM_DIFF_CREATED);
		e->detail = grp(s, &m, 1);
		e->migration = folder_of(s, e->detail);
		return;
	}
	if (M(LP_L_DIFF_PERM)) {
		e = ev_new(s, LOG_EV_LITELLM_DIFF_CREATED);
		e->detail = le_str(s->ev, "permission denied", 17);
		e->message = le_str(s->ev, t, n);
		return;
	}
	if (M(LP_L_DIFF_RUN)) {
		e = ev_new(s, LOG_EV_LITELLM_DIFF_EXECUTE);
		e->detail = le_str(s->ev, "started", 7);
		return;
	}
	if (M(LP_L_DIFF_OK)) {
		e = ev_new(s, LOG_EV_LITELLM_DIFF_EXECUTE);
		e->detail = le_str(s->ev, "applied", 7);
		return;
	}
	if (M(LP_L_DIFF_FAIL)) {
		e = ev_new(s, LOG_EV_LITELLM_DIFF_EXECUTE);
		e->detail = le_str(s->ev, "failed", 6);
		e->message = grp(s, &m, 1);
		return;
	}
	if (M(LP_L_DIFF_TIMEOUT)) {
		e = ev_new(s, LOG_EV_LITELLM_DIFF_EXECUTE);
		e->detail = le_str(s->ev, "timed out", 9);
		return;
	}
	if (M(LP_L_RETRY)) {
		e = ev_new(s, LOG_EV_LITELLM_RETRY);
		e->count = grp_num(&m, 1);
		e->message = le_str(s->ev, t, n);
		return;
	}
	if (M(LP_L_TIMEOUT)) {
		e = ev_new(s, LOG_EV_LITELLM_TIMEOUT);
		e->attempt = grp_num(&m, 1);
		return;
	}
	if (M(LP_L_CONTINUING)) {
		ev_new(s, LOG_EV_LITELLM_CONTINUING);
		return;
	}
	if (M(LP_L_EXHAUSTED)) {
		e = ev_new(s, LOG_EV_LITELLM_RETRY);
		e->attempt = grp_num(&m, 1);
		e->count = 0;
		e->detail = le_str(s->ev, "retries exhausted", 17);
		return;
	}
	if (M(LP_L_DB_AHEAD)) {
		e = ev_new(s, LOG_EV_LITELLM_DB_AHEAD);
		e->count = grp_num(&m, 1);
		e->detail = grp(s, &m, 2);
		return;
	}
	if (M(LP_L_DRIFT)) {
		e = ev_new(s, LOG_EV_LITELLM_SCHEMA_DRIFT);
		e->detail = le_str(s->ev, "changes detected", 16);
		e->message = le_str(s->ev, t, n);
		return;
	}
	if (M(LP_L_DRIFT_FAIL)) {
		e = ev_new(s, LOG_EV_LITELLM_SCHEMA_DRIFT);
		e->detail = le_str(s->ev, "diff failed", 11);
		e->message = grp(s, &m, 1);
		return;
	}
	if (M(LP_L_NO_PRISMA) || M(LP_L_NO_EXTRAS)) {
		e = ev_new(s, LOG_EV_LITELLM_SETUP_ERROR);
		e->message = le_str(s->ev, t, n);
		return;
	}
	if (M(LP_L_RECOVERED)) {
		e = ev_new(s, LOG_EV_LITELLM_RECOVERED);
		e->migration = grp(s, &m, 1);
		return;
	}

	/* Prisma CLI */
	if (M(LP_SCHEMA_LOADED)) {
		e = ev_new(s, LOG_EV_SCHEMA_LOADED);
		e->detail = grp(s, &m, 1);
		s->open = s->ev->n;
		return;
	}
	if (M(LP_DATASOURCE)) {
		struct log_event *o = ev_at(s, s->open);

		e = o && o->kind == LOG_EV_SCHEMA_LOADED && !o->message ? o
			: ev_new(s, LOG_EV_SCHEMA_LOADED);
		e->message = le_str(s->ev, t, n);
		return;
	}
	if (M(LP_FOUND)) {
		e = ev_new(s, LOG_EV_MIGRATIONS_FOUND);
		e->count = grp_num(&m, 1);
		return;
	}
	if (M(LP_NONE_FOUND)) {
		e = ev_new(s, LOG_EV_MIGRATIONS_FOUND);
		e->count = 0;
		return;
	}
	if (M(LP_APPLYING)) {
		e = ev_new(s, LOG_EV_APPLYING);
		e->migration = grp(s, &m, 1);
		return;
	}
	if (M(LP_APPLIED_HDR)) {
		s->block = BLK_APPLIED;
		s->open = 0;
		return;
	}
	if (M(LP_ALL_APPLIED)) {
		ev_new(s, LOG_EV_ALL_APPLIED);
		s->block = BLK_NONE;
		return;
	}
	if (M(LP_STATUS_HDR)) {
		size_t wn;
		const char *w = lp_group(&m, 1, &wn);

		s->block = BLK_STATUS;
		s->open = 0;
		s->status_kind = w[0] == 'f' ? LOG_EV_STATUS_FAILED : LOG_EV_STATUS_PENDING;
		return;
	}
	if (M(LP_STATUS_OK)) {
		ev_new(s, LOG_EV_STATUS_UP_TO_DATE);
		return;
	}
	if (M(LP_STATUS_UNMANAGED)) {
		e = ev_new(s, LOG_EV_NOT_BASELINED);
		e->detail = le_str(s->ev, "migrate status: not managed by Prisma Migrate", 45);
		return;
	}
	if (M(LP_NO_PENDING)) {
		ev_new(s, LOG_EV_NOTHING_PENDING);
		return;
	}
	if (M(LP_P3018_TEXT) || M(LP_MIG_NAME) || M(LP_DB_CODE)) {
		/* P3018 text without its "Error: P3018" line: an excerpt, or a logs column */
		struct log_event *o = ev_at(s, s->open);

		if (!(o && o->kind == LOG_EV_FAILED && s->block == BLK_P3018)) {
			e = ev_new(s, LOG_EV_FAILED);
			e->code = le_str(s->ev, "P3018", 5);
			s->open = s->ev->n;
			s->block = BLK_P3018;
		}
		if (!M(LP_P3018_TEXT))
			block_line(s, t, n);
		return;
	}
	if (M(LP_CONNECTOR)) {
		size_t rn;
		const char *r;

		e = ev_new(s, LOG_EV_FAILED);
		e->detail = le_str(s->ev, "driver adapter: external connector error", 40);
		s->open = s->ev->n;
		s->block = BLK_CONNECTOR;
		s->want_message = true;
		r = lp_group(&m, 1, &rn);
		if (r && rn) {
			s->want_message = false;
			set_message(s, e, r, rn);
		}
		return;
	}
	if (M(LP_P3009_LINE)) {
		e = ev_new(s, LOG_EV_REFUSED);
		e->code = le_str(s->ev, "P3009", 5);
		e->migration = grp(s, &m, 1);
		e->started_at = grp(s, &m, 2);
		return;
	}
	if (M(LP_P3005_TEXT)) {
		e = ev_merge(s, LOG_EV_NOT_BASELINED);
		e->code = le_str(s->ev, "P3005", 5);
		e->message = le_str(s->ev, t, n);
		return;
	}
	if (M(LP_P3015_TEXT)) {
		e = ev_merge(s, LOG_EV_MISSING_FILE);
		e->code = le_str(s->ev, "P3015", 5);
		e->detail = grp(s, &m, 1);
		e->migration = folder_of(s, e->detail);
		e->message = le_str(s->ev, t, n);
		return;
	}
	if (M(LP_P3019_TEXT)) {
		e = ev_merge(s, LOG_EV_PROVIDER_MISMATCH);
		e->code = le_str(s->ev, "P3019", 5);
		e->detail = arena_printf(&s->ev->arena, "schema provider '%s', migration_lock.toml '%s'",
					 grp(s, &m, 1), grp(s, &m, 2));
		e->message = le_str(s->ev, t, n);
		return;
	}
	if (M(LP_P1001_TEXT)) {
		size_t hn;
		const char *h = lp_group(&m, 1, &hn);
		char *d = arena_alloc(&s->ev->arena, hn + 1);
		size_t o = 0;

		/* `db`:`5432` (≤5.13), `db:5432` (5.14+): the same place */
		for (size_t i = 0; i < hn; i++)
			if (h[i] != '`')
				d[o++] = h[i];
		d[o] = '\0';
		e = ev_merge(s, LOG_EV_UNREACHABLE);
		e->code = le_str(s->ev, "P1001", 5);
		e->detail = le_str(s->ev, d, o);
		e->message = le_str(s->ev, t, n);
		return;
	}
	if (M(LP_P1002_TEXT)) {
		e = ev_merge(s, LOG_EV_LOCK_TIMEOUT);
		e->code = le_str(s->ev, "P1002", 5);
		e->message = le_str(s->ev, t, n);
		return;
	}
	if (M(LP_LOCK_TEXT)) {
		e = ev_merge(s, LOG_EV_LOCK_TIMEOUT);
		if (!e->detail)
			e->detail = le_str(s->ev, t + m.ov[0], m.ov[1] - m.ov[0]);
		return;
	}
	if (M(LP_P3008_TEXT) || M(LP_P3011_TEXT) || M(LP_P3012_TEXT) || M(LP_P3017_TEXT)) {
		static const struct {
			enum lp_id id;
			enum log_event_kind kind;
			const char *code;
		} rs[] = {
			{ LP_P3008_TEXT, LOG_EV_RESOLVE_ALREADY_APPLIED, "P3008" },
			{ LP_P3011_TEXT, LOG_EV_RESOLVE_NEVER_APPLIED, "P3011" },
			{ LP_P3012_TEXT, LOG_EV_RESOLVE_NOT_FAILED, "P3012" },
			{ LP_P3017_TEXT, LOG_EV_RESOLVE_NOT_FOUND, "P3017" },
		};
		for (size_t i = 0; i < MD_ARRAY_LEN(rs); i++) {
			if (M(rs[i].id)) {
				e = ev_merge(s, rs[i].kind);
				e->code = le_str(s->ev, rs[i].code, 5);
				e->migration = grp(s, &m, 1);
				e->message = le_str(s->ev, t, n);
				break;
			}
		}
		return;
	}
	if (M(LP_MARKED)) {
		size_t wn;
		const char *w = lp_group(&m, 2, &wn);

		e = ev_new(s, w[0] == 'a' ? LOG_EV_MARKED_APPLIED : LOG_EV_MARKED_ROLLED_BACK);
		e->migration = grp(s, &m, 1);
		return;
	}
	if (M(LP_UPDATE_AVAILABLE)) {
		e = ev_new(s, LOG_EV_VERSION);
		e->detail = le_str(s->ev, "prisma", 6);
		e->version = grp(s, &m, 1);
		return;
	}
	if (M(LP_LITELLM_VERSION)) {
		e = ev_new(s, LOG_EV_VERSION);
		e->detail = le_str(s->ev, "litellm", 7);
		e->version = grp(s, &m, 1);
		return;
	}

	/* runtime schema errors: only outside a migration's own error text */
	if (s->block != BLK_NONE && s->block != BLK_APPLIED)
		return;
	if (M(LP_RT_COLUMN)) {
		const char *q = grp(s, &m, 1), *dot = strrchr(q, '.');

		e = ev_new(s, LOG_EV_SCHEMA_MISSING_COLUMN);
		if (dot) {
			e->relation = unqualify(le_str(s->ev, q, (size_t)(dot - q)));
			e->column = dot + 1;
		} else {
			e->column = q;
		}
		e->message = le_str(s->ev, t + m.ov[0], m.ov[1] - m.ov[0]);
		return;
	}
	if (M(LP_RT_TABLE)) {
		e = ev_new(s, LOG_EV_SCHEMA_MISSING_TABLE);
		e->relation = unqualify(grp(s, &m, 1));
		e->message = le_str(s->ev, t + m.ov[0], m.ov[1] - m.ov[0]);
		return;
	}
	if (M(LP_RT_PG_COLUMN)) {
		e = ev_new(s, LOG_EV_SCHEMA_MISSING_COLUMN);
		e->column = grp(s, &m, 1);
		e->relation = grp(s, &m, 2);
		e->sqlstate = le_str(s->ev, "42703", 5);
		e->message = le_str(s->ev, t + m.ov[0], m.ov[1] - m.ov[0]);
		return;
	}
	if (M(LP_RT_RELATION)) {
		e = ev_new(s, LOG_EV_SCHEMA_MISSING_RELATION);
		e->relation = unqualify(grp(s, &m, 1));
		e->sqlstate = le_str(s->ev, "42P01", 5);
		e->message = le_str(s->ev, t + m.ov[0], m.ov[1] - m.ov[0]);
		return;
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
	s->rec_ts = ts && tsn ? le_str(s->ev, ts, tsn) : NULL;
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

/* Copy [p, p+n) into out without CR and ANSI escape sequences. */
static void strip_ansi(const char *p, size_t n, struct sbuf *out)
{
	const char *end = p + n;

	sbuf_reset(out);
	while (end > p && end[-1] == '\r')
		end--;
	while (p < end) {
		const char *esc = memchr(p, '\x1b', (size_t)(end - p));
		const char *stop = esc ? esc : end;

		if (stop > p && sbuf_add(out, p, (size_t)(stop - p)))
			return;
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
}

static void message_lines(struct log_scan *s, const char *p, size_t n)
{
	const char *end = p + n;

	while (p <= end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		strip_ansi(p, (size_t)(le - p), &s->sub);
		text_line(s, s->sub.buf, s->sub.len, 0);
		s->rec_lines++;
		if (!nl)
			break;
		p = nl + 1;
	}
}

void ls_line(struct log_scan *s, const char *p, size_t n)
{
	struct lp_match m;
	const char *t;
	size_t tn;

	strip_ansi(p, n, &s->clean);
	t = s->clean.buf;
	tn = s->clean.len;
	s->lts = NULL;
	for (int k = 0; k < 4 && tn > 0; k++) {
		size_t skip;

		if (lp_match(LP_KUBECTL_TS, t, tn, &m) || lp_match(LP_BRACKET_TS, t, tn, &m) ||
		    lp_match(LP_SYSLOG, t, tn, &m)) {
			s->lts = lp_group(&m, 1, &s->ltsn);
		} else if (!lp_match(LP_COMPOSE, t, tn, &m)) {
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
		if (j < t + tn && *j == '{' && !lj_decode_record(j, (size_t)(t + tn - j), &s->jmsg, &s->jts)) {
			const char *ts = s->jts.len ? s->jts.buf : s->lts;
			size_t tsn = s->jts.len ? s->jts.len : (s->lts ? s->ltsn : 0);

			record_start(s, true, ts, tsn);
			message_lines(s, s->jmsg.buf, s->jmsg.len);
			return;
		}
	}
	if (lp_match(LP_EXTRAS, t, tn, &m) || lp_match(LP_PROXY, t, tn, &m)) {
		size_t tsn;
		const char *ts = lp_group(&m, 1, &tsn);

		record_start(s, false, ts, tsn);
		t += m.ov[1];
		tn -= m.ov[1];
	} else if (lp_match(LP_LEVEL, t, tn, &m)) {
		record_start(s, false, s->lts, s->lts ? s->ltsn : 0);
		t += m.ov[1];
		tn -= m.ov[1];
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
}
