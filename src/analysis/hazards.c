/*
 * hazards.c - what each statement deploy would run costs the live
 * database: the lock it takes on each existing table (src/sql/locks.c),
 * whether it scans or rewrites it, the table's size in the dump, an
 * estimated duration from a throughput model, and whether it breaks the
 * version still running while old and new pods serve side by side.
 *
 * The durations are a model, not a measurement: bytes of the table's
 * COPY text divided by a throughput per kind of work, measured by
 * bench/hazards.sh on a real PostgreSQL (BENCHMARKS.md, "Hazards").
 */
#include "migdoctor/common.h"
#include "migdoctor/bundle.h"
#include "migdoctor/sbuf.h"
#include "analysis_int.h"

/*
 * Throughput in MB (10^6 bytes) of plain-dump COPY text per second, per
 * kind of work, measured by bench/hazards.sh (BENCHMARKS.md, "Hazards":
 * PostgreSQL 15, 2 cores, the table in the page cache; a rewrite rebuilds
 * the table's indexes too). A cold cache or TOASTed JSON changes them.
 */
#define HZ_MBPS_SCAN 2000.0
#define HZ_MBPS_INDEX 550.0
#define HZ_MBPS_UPDATE 16.0
#define HZ_MBPS_REWRITE 65.0
/* COPY text per byte of a compressed archive block (the ratio of LiteLLM_SpendLogs in the bench) */
#define HZ_COMPRESSION 6.8
/*
 * MD025 from this long a lock on a table written on every request (or when
 * the size is unknown): shorter ones pass as the proxy's writes wait.
 */
#define HZ_HOT_SECONDS 1.0

/* Tables the proxy writes on every request (spend logs, daily aggregates, spend counters). */
static bool hot_table(const char *t)
{
	static const char *const v[] = { "LiteLLM_SpendLogs", "LiteLLM_VerificationToken",
					 "LiteLLM_UserTable", "LiteLLM_TeamTable",
					 "LiteLLM_EndUserTable" };
	size_t n = strlen(t);

	for (size_t i = 0; i < MD_ARRAY_LEN(v); i++)
		if (!strcmp(t, v[i]))
			return true;
	/* LiteLLM_DailyUserSpend, ...TeamSpend, ...TagSpend, ...OrganizationSpend, ...AgentSpend */
	return n > 19 && !strncmp(t, "LiteLLM_Daily", 13) && !strcmp(t + n - 5, "Spend");
}

static double mbps(enum sql_work w)
{
	switch (w) {
	case SQL_WORK_SCAN: return HZ_MBPS_SCAN;
	case SQL_WORK_INDEX: return HZ_MBPS_INDEX;
	case SQL_WORK_UPDATE: return HZ_MBPS_UPDATE;
	case SQL_WORK_REWRITE_MAYBE:
	case SQL_WORK_REWRITE: return HZ_MBPS_REWRITE;
	default: return 0;
	}
}

/* The dump's size of table (schema NULL: the catalog's default schema, or any). */
static const struct bundle_table_size *table_size(const struct bundle_sizes *z, const char *schema,
						  const char *table, const char *def_schema)
{
	const struct bundle_table_size *any = NULL;
	size_t tl = strlen(table);

	for (size_t i = 0; z && i < z->n; i++) {
		const char *n = z->v[i].table, *dot = strchr(n, '.');
		const char *ns = dot ? n : "";
		size_t nsl = dot ? (size_t)(dot - n) : 0;
		const char *want = schema ? schema : def_schema;

		if (strcmp(dot ? dot + 1 : n, table) || (dot ? strlen(dot + 1) : strlen(n)) != tl)
			continue;
		if (want && strlen(want) == nsl && !strncmp(ns, want, nsl))
			return &z->v[i];
		if (!schema)
			any = &z->v[i];
	}
	return any;
}

/*
 * varchar(n) -> text or a wider varchar, numeric(p,s) -> numeric: no
 * rewrite (PostgreSQL's binary-coercible casts with a relaxed typmod).
 */
static int coercible(const char *from, const char *to)
{
	static const char vc[] = "character varying";
	size_t l = strlen(vc);

	if (!from || !to)
		return -1;
	if (!strcmp(from, to))
		return 1;
	if (!strncmp(from, vc, l) && (!strcmp(to, "text") || !strcmp(to, vc)))
		return 1;
	if (!strncmp(from, vc, l) && from[l] == '(' && !strncmp(to, vc, l) && to[l] == '(')
		return strtoul(to + l + 1, NULL, 10) >= strtoul(from + l + 1, NULL, 10);
	if (!strncmp(from, "numeric", 7) && !strcmp(to, "numeric"))
		return 1;
	if (!strcmp(from, "text") && !strcmp(to, vc))
		return 1;
	return 0;
}

static const char *table_of_index(const struct catalog *c, const struct sql_lock_op *o)
{
	const struct cat_index *ix = c ? catalog_index(c, o->schema, o->table) : NULL;

	return ix ? ix->table : NULL;
}

struct hz_ctx {
	struct analysis *a;
	const struct catalog *base; /* the running version's schema */
	struct hazards *hz;
	size_t cap, brcap;
};

/* Advice for a statement that passes the timeout: how to run its work beforehand, if it can. */
static const char *advice(struct hz_ctx *c, const struct hazard_stmt *h,
			  const struct sql_lock_op *o)
{
	struct md_error err;
	char *conc;
	const char *r;

	if (h->work == SQL_WORK_INDEX && o->index && !o->unique && !o->concurrently &&
	    o->if_not_exists && (conc = sql_index_concurrently(h->stmt, &err))) {
		r = arena_printf(
			&c->a->arena,
			"run `%s;` by hand before the upgrade (no lock on writes): "
			"the migration's CREATE INDEX IF NOT EXISTS then finds it and does nothing",
			conc);
		free(conc);
		return r;
	}
	if (h->work == SQL_WORK_INDEX && o->index && !o->if_not_exists)
		return "the statement has no IF NOT EXISTS: an index built beforehand would make "
		       "it fail "
		       "with 42P07; raise the deploy timeout, or run the deploy by hand in a quiet "
		       "hour";
	if (o->column && h->work == SQL_WORK_SCAN && strstr(o->why, "SET NOT NULL"))
		return arena_printf(
			&c->a->arena,
			"beforehand, ADD CONSTRAINT ... CHECK (\"%s\" IS NOT "
			"NULL) NOT VALID, then VALIDATE CONSTRAINT (writes go on): SET NOT NULL "
			"then skips its scan (PostgreSQL 12+)",
			o->column);
	return "no form of it runs without the lock; raise the deploy timeout, or run the deploy "
	       "by "
	       "hand in a quiet hour";
}

static struct hazard_stmt *new_stmt(struct hz_ctx *c)
{
	struct hazards *hz = c->hz;
	struct hazard_stmt *h;

	if (hz->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct hazard_stmt *v = arena_alloc(&c->a->arena, cap * sizeof(*v));

		if (hz->n)
			memcpy(v, hz->v, hz->n * sizeof(*v));
		hz->v = v;
		c->cap = cap;
	}
	h = &hz->v[hz->n++];
	memset(h, 0, sizeof(*h));
	h->estimate = -1;
	return h;
}

static void one_stmt(struct hz_ctx *c, const struct mig_state *ms, const struct sql_stmt *st)
{
	struct analysis *a = c->a;
	struct sql_locks lk;
	struct hazard_stmt *h = NULL;
	const struct sql_lock_op *main = NULL;
	struct sbuf what = SBUF_INIT, others = SBUF_INIT;
	const char *def = c->base ? c->base->default_schema : NULL;

	if (sql_stmt_locks(st, &a->arena, &lk))
		return;
	if (lk.unknown)
		c->hz->nunknown++;
	for (size_t i = 0; i < lk.n; i++) {
		struct sql_lock_op *o = &lk.v[i];
		enum sql_work w = o->work;
		const char *t = o->on_index ? table_of_index(c->base, o) : o->table;

		if (!t || !*t)
			continue;
		o->table = t;
		/* a table the deploy itself makes is empty: nothing to wait for */
		if (c->base && !catalog_table(c->base, o->schema, t))
			continue;
		if (w == SQL_WORK_REWRITE_MAYBE && c->base && o->column && o->new_type) {
			const struct cat_table *tb = catalog_table(c->base, o->schema, t);
			const struct cat_column *col = tb ? cat_table_column(tb, o->column) : NULL;

			if (col && coercible(col->type, o->new_type) == 1)
				w = o->work = SQL_WORK_NONE;
			else if (col && coercible(col->type, o->new_type) == 0)
				w = o->work = SQL_WORK_REWRITE;
			if (col)
				o->why = arena_printf(&a->arena, "%s %s -> %s (%s)", o->why,
						      col->type, o->new_type,
						      w == SQL_WORK_NONE
							      ? "binary-coercible: no rewrite"
							      : "a rewrite of the table");
		}
		if (w == SQL_WORK_INDEX && o->if_not_exists && o->index && c->base &&
		    catalog_index(c->base, o->schema, o->index)) {
			w = o->work = SQL_WORK_NONE;
			o->why = "CREATE INDEX IF NOT EXISTS: the index exists, a no-op";
		}
		if (!h) {
			h = new_stmt(c);
			h->ms = ms;
			h->stmt = st;
		}
		if (!main || o->work > main->work ||
		    (o->work == main->work && o->lock > main->lock))
			main = o;
	}
	if (!h) {
		sbuf_release(&what);
		sbuf_release(&others);
		return;
	}
	h->schema = main->schema;
	h->table = main->table;
	h->work = main->work;
	for (size_t i = 0; i < lk.n; i++) {
		const struct sql_lock_op *o = &lk.v[i];

		if (!strcmp(o->table, main->table) && (!o->schema == !main->schema) &&
		    (!o->schema || !strcmp(o->schema, main->schema))) {
			if (o->lock > h->lock)
				h->lock = o->lock;
			sb_printf(&what, "%s%s", what.len ? "; " : "", o->why);
		} else if (o->lock >= SQL_LOCK_SHARE &&
			   !strstr(others.buf ? others.buf : "", o->table) &&
			   (!c->base || catalog_table(c->base, o->schema, o->table))) {
			sb_printf(&others, "%s%s on \"%s\"", others.len ? ", " : "",
				  sql_lock_name(o->lock), o->table);
			if (hot_table(o->table))
				h->other_hot = arena_strdup(&a->arena, o->table);
		}
	}
	h->what = arena_strndup(&a->arena, what.buf, what.len);
	h->other_locks = others.len ? arena_strndup(&a->arena, others.buf, others.len) : NULL;
	sbuf_release(&what);
	sbuf_release(&others);
	h->hot = hot_table(h->table);
	{
		const struct bundle_table_size *z =
			table_size(a->in->sizes, h->schema, h->table, def);

		if (z) {
			h->size_known = true;
			h->bytes = z->bytes;
			h->rows = z->rows;
			h->rows_known = z->rows_known;
			h->compressed = z->compressed;
		}
		if (h->work == SQL_WORK_NONE)
			h->estimate = 0;
		else if (z)
			h->estimate = (double)z->bytes * (z->compressed ? HZ_COMPRESSION : 1.0) /
				      1e6 / mbps(h->work);
	}
	if (h->estimate > 0)
		c->hz->total += h->estimate;
	h->over_timeout = h->estimate > c->hz->timeout;
	h->hot_lock = ((h->hot && sql_lock_blocks_writes(h->lock)) || h->other_hot) &&
		      h->work != SQL_WORK_NONE &&
		      (h->estimate < 0 || h->estimate >= HZ_HOT_SECONDS);
	if (h->over_timeout)
		h->advice = advice(c, h, main);
}

static void add_break(struct hz_ctx *c, const struct mig_state *ms, const struct sql_stmt *st,
		      const char *why)
{
	struct hazards *hz = c->hz;

	if (hz->nbr == c->brcap) {
		size_t cap = c->brcap ? c->brcap * 2 : 8;
		struct hazard_break *v = arena_alloc(&c->a->arena, cap * sizeof(*v));

		if (hz->nbr)
			memcpy(v, hz->br, hz->nbr * sizeof(*v));
		hz->br = v;
		c->brcap = cap;
	}
	hz->br[hz->nbr].ms = ms;
	hz->br[hz->nbr].stmt = st;
	hz->br[hz->nbr].why = why;
	hz->nbr++;
}

/*
 * What the running (older) version relies on that the statement takes
 * away while its pods still serve: a table or column it reads or writes,
 * its type, or the freedom to insert rows without a column.
 */
static void breaks(struct hz_ctx *c, const struct mig_state *ms, const struct sql_stmt *st)
{
	const struct sql_script *s = &ms->m->script;
	struct arena *ar = &c->a->arena;

	for (size_t k = st->first_effect; k < st->first_effect + st->neffects; k++) {
		const struct sql_effect *e = &s->effects[k];
		const char *tname = e->obj == SQL_OBJ_TABLE ? e->name : e->table;
		const struct cat_table *t = tname ? catalog_table(c->base, e->schema, tname) : NULL;
		const struct cat_column *col = t && e->obj == SQL_OBJ_COLUMN && e->sub
						       ? cat_table_column(t, e->sub)
						       : NULL;
		const char *why = NULL;

		if (!t || t->is_view || (e->flags & SQL_IMPLIED))
			continue;
		if (e->obj == SQL_OBJ_TABLE && e->action == SQL_REMOVES)
			why = arena_printf(ar, "drops table \"%s\", which the running version uses",
					   tname);
		else if (e->obj == SQL_OBJ_TABLE && e->action == SQL_RENAMES)
			why = arena_printf(
				ar,
				"renames table \"%s\" to \"%s\": the running version still "
				"uses the old name",
				tname, e->new_name ? e->new_name : "?");
		else if (col && e->action == SQL_REMOVES)
			why = arena_printf(
				ar, "drops column \"%s\".\"%s\", which the running version uses",
				tname, e->sub);
		else if (col && e->action == SQL_RENAMES)
			why = arena_printf(
				ar,
				"renames column \"%s\".\"%s\" to \"%s\": the running version "
				"still uses the old name",
				tname, e->sub, e->new_name ? e->new_name : "?");
		else if (col && e->action == SQL_ALTERS && e->prop == SQL_PROP_TYPE &&
			 coercible(col->type, e->type) != 1)
			why = arena_printf(ar,
					   "changes the type of \"%s\".\"%s\" (%s -> %s) under the "
					   "running version",
					   tname, e->sub, col->type ? col->type : "?",
					   e->type ? e->type : "?");
		else if (col && e->action == SQL_ALTERS && e->prop == SQL_PROP_SET_NOT_NULL &&
			 !col->not_null && !col->has_default)
			why = arena_printf(
				ar,
				"makes \"%s\".\"%s\" NOT NULL without a default: the running "
				"version's inserts that leave it out fail (23502)",
				tname, e->sub);
		else if (!col && e->obj == SQL_OBJ_COLUMN && e->action == SQL_PROVIDES &&
			 (e->flags & SQL_NOT_NULL) && !(e->flags & SQL_HAS_DEFAULT))
			why = arena_printf(
				ar,
				"adds \"%s\".\"%s\" NOT NULL without a default: the running "
				"version's inserts, which do not know it, fail (23502)",
				tname, e->sub);
		if (why)
			add_break(c, ms, st, why);
	}
}

static void migration(struct hz_ctx *c, const struct mig_state *ms, size_t upto)
{
	const struct sql_script *s = &ms->m->script;

	if (s->rejected)
		return;
	for (size_t i = 0; i < s->nstmts && i < upto; i++) {
		if (s->stmts[i].parse_error)
			continue;
		one_stmt(c, ms, &s->stmts[i]);
		/*
		 * Only a migration with no row at all is the new version's: one
		 * that the repair makes run again (its row rolled back) belongs to
		 * the version that is running, which expects what it makes.
		 */
		if (c->base && c->a->in->hist && ms->status == MS_PENDING)
			breaks(c, ms, &s->stmts[i]);
	}
}

static void findings(struct analysis *a, const struct hazards *hz)
{
	struct finding *to = NULL, *hot = NULL, *br = NULL;

	for (size_t i = 0; i < hz->n; i++) {
		const struct hazard_stmt *h = &hz->v[i];
		struct md_pos pos = { h->ms->m->path, h->stmt->line, 0, 0 };

		if (h->over_timeout) {
			if (!to) {
				to = finding_group_code(a, "MD024", NULL, NULL);
				finding_fix(a, to, "%s", h->advice);
			}
			finding_ev(a, to, "statement", &pos,
				   "%s: about %.0f s on \"%s\" (%s; a model, see "
				   "BENCHMARKS.md)",
				   h->ms->name, h->estimate, h->table, sql_work_name(h->work));
			finding_relation(a, to, h->table);
		}
		if (h->hot_lock) {
			const char *t = h->hot ? h->table : h->other_hot;

			if (!hot) {
				hot = finding_group_code(a, "MD025", NULL, NULL);
				finding_fix(
					a, hot,
					"deploy when traffic is low: the proxy's writes to these "
					"tables wait for the lock (and pile up in its spend queue) "
					"until "
					"the statement ends");
			}
			finding_ev(a, hot, "statement", &pos, "%s: %s on \"%s\" while it %s%s",
				   h->ms->name,
				   sql_lock_name(h->hot ? h->lock : SQL_LOCK_SHARE_ROW_EXCLUSIVE),
				   t,
				   h->work == SQL_WORK_INDEX  ? "builds an index"
				   : h->work == SQL_WORK_SCAN ? "scans the table"
							      : "rewrites the table",
				   h->estimate >= 0
					   ? arena_printf(&a->arena, " (about %.2f s)", h->estimate)
					   : "");
			finding_relation(a, hot, t);
		}
	}
	for (size_t i = 0; i < hz->nbr; i++) {
		const struct hazard_break *b = &hz->br[i];
		struct md_pos pos = { b->ms->m->path, b->stmt->line, 0, 0 };

		if (!br) {
			br = finding_group_code(a, "MD026", NULL, NULL);
			finding_fix(a, br,
				    "stop every pod of the running version before the deploy (no "
				    "rolling upgrade), or split the change: first a release that "
				    "stops using "
				    "the object, then the one that changes it");
		}
		finding_ev(a, br, "statement", &pos, "%s: %s", b->ms->name, b->why);
	}
	if (to)
		finding_title(
			a, to,
			"%zu pending statement%s may pass LiteLLM's deploy timeout (%g s; "
			"LITELLM_PRISMA_MIGRATE_DEPLOY_TIMEOUT): the deploy is killed and retried",
			to->nev, to->nev == 1 ? "" : "s", hz->timeout);
	if (hot)
		finding_title(
			a, hot,
			"%zu pending statement%s block%s writes to a table the proxy writes "
			"on every request, for the time of a scan, an index build or a rewrite",
			hot->nev, hot->nev == 1 ? "" : "s", hot->nev == 1 ? "s" : "");
	if (br)
		finding_title(a, br,
			      "%zu pending statement%s break%s the running version while old "
			      "and new pods serve side by side",
			      br->nev, br->nev == 1 ? "" : "s", br->nev == 1 ? "s" : "");
}

void hazards_run(struct analysis *a, const struct catalog *expected)
{
	const struct plan *p = a->plan.napply || a->plan.fails ? &a->plan
			       : a->has_repair		       ? &a->after
							       : &a->plan;
	struct hz_ctx c;

	memset(&a->hz, 0, sizeof(a->hz));
	a->hz.timeout = a->in->deploy_timeout > 0 ? a->in->deploy_timeout : HZ_DEFAULT_TIMEOUT;
	a->hz.sizes = a->in->sizes && a->in->sizes->n;
	a->hz_plan = p;
	if (!a->in->dir || (!p->napply && !(p->fails && p->stmt)))
		return;
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.hz = &a->hz;
	c.base = a->in->schema ? a->in->schema : a->in->hist ? expected : NULL;
	a->hz.on = true;
	/* planned on an empty database: every table is new, nothing to wait for or break */
	if (!c.base)
		return;
	for (size_t i = 0; i < p->napply; i++)
		migration(&c, p->apply[i], SIZE_MAX);
	if (p->outcome == PLAN_FAILS && p->fails && p->fails->m && p->stmt)
		migration(&c, p->fails, (size_t)(p->stmt - p->fails->m->script.stmts));
	findings(a, &a->hz);
}
