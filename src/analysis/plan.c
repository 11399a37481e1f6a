/*
 * plan.c - what 'migrate deploy' would do next (prisma.md §3.1): the
 * lock-file check, P3005, P3009, then each unapplied local migration in
 * order, replayed on the schema until a statement fails the way
 * PostgreSQL would make it fail. A native engine runs each script as one
 * implicit transaction, so a failing migration leaves nothing behind.
 */
#include "migdoctor/common.h"
#include "analysis_int.h"

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
	free(st);
}
