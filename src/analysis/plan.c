/*
 * plan.c - what 'migrate deploy' would do next (prisma.md §3.1): the
 * lock-file check, P3005, P3009, then each unapplied local migration in
 * order, replayed on the schema until a statement fails the way
 * PostgreSQL would make it fail. A native engine runs each script as one
 * implicit transaction, so a failing migration leaves nothing behind.
 */
#include "migdoctor/common.h"
#include "analysis_int.h"
#include "migdoctor/strutil.h"

static bool has_user_tables(const struct catalog *c)
{
	for (size_t i = 0; i < c->ntables; i++)
		if (strcmp(c->tables[i]->name, "_prisma_migrations"))
			return true;
	return false;
}

void plan_simulate(const struct analysis *a, const struct catalog *base, const enum mig_status *status,
		   bool history_table, struct arena *ar, struct plan *p)
{
	const struct migration_dir *dir = a->in->dir;
	struct catalog cur;

	memset(p, 0, sizeof(*p));
	if (!dir) {
		p->outcome = PLAN_UNKNOWN;
		return;
	}
	if (dir->lock == LOCK_MISMATCH) {
		p->outcome = PLAN_P3019;
		return;
	}
	if (!history_table && base && has_user_tables(base)) {
		p->outcome = PLAN_P3005;
		return;
	}
	for (size_t i = 0; i < a->n; i++)
		if (status[i] == MS_FAILED) {
			p->outcome = PLAN_P3009;
			return;
		}
	p->apply = arena_alloc(ar, (a->n ? a->n : 1) * sizeof(*p->apply));
	if (base)
		catalog_copy(&cur, base);
	else
		catalog_init(&cur, NULL);
	p->outcome = PLAN_NOTHING;
	for (size_t i = 0; i < a->n; i++) {
		const struct mig_state *ms = &a->v[i];
		struct catalog trial;
		size_t stmt = 0;

		if (!ms->m || (status[i] != MS_PENDING && status[i] != MS_ROLLED_BACK))
			continue;
		if (ms->m->missing_sql) {
			p->outcome = PLAN_P3015;
			p->fails = ms;
			break;
		}
		catalog_copy(&trial, &cur);
		if (catalog_apply_script(&trial, &ms->m->script, ms->name, &p->error, &stmt)) {
			catalog_release(&trial);
			p->outcome = PLAN_FAILS;
			p->fails = ms;
			p->stmt = &ms->m->script.stmts[stmt];
			break;
		}
		catalog_release(&cur);
		cur = trial;
		p->apply[p->napply++] = ms;
		p->outcome = PLAN_APPLIES;
	}
	catalog_release(&cur);
}

/*
 * The object an effect names as it is before its statement runs, for the
 * kinds a dump's catalog models exactly; false for what a statement
 * tolerates either way (IF [NOT] EXISTS, a DO block's IF, EXECUTE).
 */
static bool effect_target(const struct sql_effect *e, bool new_name, struct obj_ref *o)
{
	if (e->flags & (SQL_CONDITIONAL | SQL_IMPLIED | SQL_DYNAMIC | SQL_IF_NOT_EXISTS |
			SQL_IF_EXISTS | SQL_OR_REPLACE))
		return false;
	switch (e->obj) {
	case SQL_OBJ_TABLE:
	case SQL_OBJ_TYPE:
	case SQL_OBJ_INDEX:
	case SQL_OBJ_COLUMN:
	case SQL_OBJ_CONSTRAINT:
	case SQL_OBJ_ENUM_VALUE:
		return effect_ref(e, new_name, o);
	default:
		return false; /* views, sequences, functions: a dump's catalog may lack them */
	}
}

/* The parent a sub-object needs: absent, it is checked itself and says enough. */
static bool parent_absent(const struct catalog *c, const struct obj_ref *o)
{
	struct obj_ref parent = { 0 };

	if (o->kind != SQL_OBJ_COLUMN && o->kind != SQL_OBJ_CONSTRAINT &&
	    o->kind != SQL_OBJ_ENUM_VALUE)
		return false;
	parent.kind = o->kind == SQL_OBJ_ENUM_VALUE ? SQL_OBJ_TYPE : SQL_OBJ_TABLE;
	parent.schema = o->schema;
	parent.name = o->table;
	return !parent.name || !object_exists(c, &parent);
}

static void add_premise(struct analysis *a, const struct catalog *base, const struct obj_ref *o,
			size_t *cap)
{
	struct plan *p = &a->plan;

	for (size_t i = 0; i < p->npremises; i++) {
		const struct obj_ref *x = &p->premises[i].obj;

		if (x->kind == o->kind && md_same(x->schema, o->schema) &&
		    md_same(x->table, o->table) && md_same(x->name, o->name))
			return; /* its first mention: later ones see what the run made of it */
	}
	if (parent_absent(base, o))
		return;
	if (p->npremises == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct premise *v = arena_alloc(&a->arena, ncap * sizeof(*v));

		if (p->npremises)
			memcpy(v, p->premises, p->npremises * sizeof(*v));
		p->premises = v;
		*cap = ncap;
	}
	p->premises[p->npremises].obj = *o;
	p->premises[p->npremises].present = object_exists(base, o);
	p->npremises++;
}

/* What the prediction of an applying deploy rests on: each named object as base has it. */
static void plan_premises(struct analysis *a, const struct catalog *base)
{
	size_t cap = 0;

	if (a->plan.outcome != PLAN_APPLIES || !base)
		return;
	for (size_t m = 0; m < a->plan.napply; m++) {
		const struct sql_script *s = &a->plan.apply[m]->m->script;

		for (size_t i = 0; i < s->neffects; i++) {
			struct obj_ref o;

			if (effect_target(&s->effects[i], false, &o))
				add_premise(a, base, &o, &cap);
			if (s->effects[i].action == SQL_RENAMES &&
			    effect_target(&s->effects[i], true, &o))
				add_premise(a, base, &o, &cap);
		}
	}
}

void plan_run(struct analysis *a, const struct catalog *expected)
{
	enum mig_status *st = xcalloc(a->n ? a->n : 1, sizeof(*st));
	const struct catalog *base = a->in->schema ? a->in->schema : expected;
	bool table = true;

	if (a->in->hist)
		table = a->in->has_history_table;
	else if (a->in->schema)
		table = catalog_table(a->in->schema, NULL, "_prisma_migrations") != NULL;
	for (size_t i = 0; i < a->n; i++)
		st[i] = a->v[i].status;
	/* without a schema and without history, plan from an empty database */
	plan_simulate(a, base, st, table, &a->arena, &a->plan);
	a->plan.on_real_schema = a->in->schema != NULL;
	plan_premises(a, base);
	free(st);
}
