/*
 * analysis.c - the order of the analysis: states, the schema history
 * implies, presence on the real schema, the plan, the rules, and a last
 * proof that the repair lets deploy through.
 */
#include "migdoctor/common.h"
#include "migdoctor/version.h"
#include "analysis_int.h"
#include "litellm_facts.h"

/* Replay what the history says was applied: the schema the rows imply. */
static void expected_schema(struct analysis *a, struct catalog *e)
{
	catalog_init(e, a->in->hist && a->in->hist->schema_name ? a->in->hist->schema_name : NULL);
	for (size_t i = 0; i < a->n; i++) {
		const struct mig_state *ms = &a->v[i];
		struct replay_error re;

		if (ms->m && !ms->m->missing_sql && ms->status == MS_APPLIED) {
			/* a statement that fails here is history's problem, reported elsewhere */
			for (size_t k = 0; k < ms->m->script.neffects; k++)
				catalog_apply(e, &ms->m->script.effects[k], ms->name, &re);
		}
	}
}

static enum mig_status status_without(const struct mig_state *ms, const struct history_row **gone,
				      size_t ngone)
{
	enum mig_status st = MS_PENDING;
	bool any = false;

	for (size_t i = 0; i < ms->nrows; i++) {
		const struct history_row *r = ms->rows[i];
		bool rolled = r->rolled_back_at.kind != MD_TS_NULL;

		for (size_t k = 0; k < ngone; k++)
			rolled |= gone[k] == r;
		any = true;
		if (rolled)
			continue;
		if (r->finished_at.kind == MD_TS_NULL)
			return MS_FAILED;
		st = MS_APPLIED;
	}
	return st == MS_PENDING && any ? MS_ROLLED_BACK : st;
}

/* The state a repair script would leave: its catalog, and each migration's status. */
static void after_state(struct analysis *a, const struct catalog *expected, struct catalog *cat,
			enum mig_status *st, bool *table)
{
	const struct history_row **gone = NULL;
	size_t ngone = 0, gcap = 0;

	*table = a->in->hist ? a->in->has_history_table : true;
	if (a->in->schema)
		catalog_copy(cat, a->in->schema);
	else
		catalog_copy(cat, expected);
	for (size_t i = 0; i < a->nfindings; i++)
		for (size_t k = 0; k < a->findings[i]->nactions; k++) {
			const struct fix_action *x = &a->findings[i]->actions[k];

			a->has_repair = true;
			if (x->kind == FIX_MARK_ROLLED_BACK && x->row) {
				MD_GROW(gone, ngone, gcap);
				gone[ngone++] = x->row;
			} else if (x->kind == FIX_CREATE_TABLE) {
				*table = true;
			} else if (x->kind == FIX_RECREATE) {
				for (size_t j = 0; j < recreate_count(x->ms); j++) {
					const struct obj_ref *o = recreate_obj(x->ms, j);
					const struct sql_stmt *s = o->stmt;
					const struct sql_script *sc = &x->ms->m->script;
					struct replay_error re;

					if (o->kind == SQL_OBJ_ENUM_VALUE && o->e->obj == SQL_OBJ_TYPE) {
						/* a label of a swapped enum: added to the final type */
						struct sql_effect add = { 0 };

						add.action = SQL_PROVIDES;
						add.obj = SQL_OBJ_ENUM_VALUE;
						add.schema = o->schema;
						add.name = o->table;
						add.sub = o->name;
						add.flags = SQL_IF_NOT_EXISTS;
						catalog_apply(cat, &add, x->ms->name, &re);
						continue;
					}
					for (size_t e = 0; e < s->neffects; e++)
						catalog_apply(cat, &sc->effects[s->first_effect + e], x->ms->name, &re);
				}
			}
		}
	for (size_t i = 0; i < a->n; i++)
		st[i] = status_without(&a->v[i], gone, ngone);
	for (size_t i = 0; i < a->nfindings; i++)
		for (size_t k = 0; k < a->findings[i]->nactions; k++) {
			const struct fix_action *x = &a->findings[i]->actions[k];

			if (x->kind == FIX_MARK_APPLIED)
				st[x->ms - a->v] = MS_APPLIED;
		}
	free(gone);
}

/*
 * What deploy does after the repair. A repair can uncover the next
 * problem (a failed row hid a pending migration that fails too): then
 * that one gets its finding and fix, and the state is replayed again.
 */
static void prove_repair(struct analysis *a, const struct catalog *expected)
{
	enum mig_status *st = xcalloc(a->n ? a->n : 1, sizeof(*st));

	for (int round = 0; round < 16; round++) {
		struct catalog cat;
		bool table;

		after_state(a, expected, &cat, st, &table);
		if (a->has_repair) {
			plan_simulate(a, &cat, st, table, &a->arena, &a->after);
			a->after.on_real_schema = a->in->schema != NULL;
		}
		catalog_release(&cat);
		if (!a->has_repair || a->after.outcome != PLAN_FAILS || !rule_plan(a, &a->after))
			break;
	}
	if (a->has_repair && a->after.outcome != PLAN_NOTHING && a->after.outcome != PLAN_APPLIES &&
	    a->after.outcome != PLAN_UNKNOWN) {
		struct finding *f = finding_new_code(a, "MD019", a->after.fails ? a->after.fails->name : NULL);

		if (a->after.outcome == PLAN_FAILS)
			finding_title(a, f, "after the repair script, deploy would still fail at %s with "
				      "%s: %s", a->after.fails->name, a->after.error.sqlstate,
				      a->after.error.message);
		else
			finding_title(a, f, "after the repair script, deploy would still stop (%s)",
				      a->after.outcome == PLAN_P3009 ? "P3009" :
				      a->after.outcome == PLAN_P3005 ? "P3005" :
				      a->after.outcome == PLAN_P3015 ? "P3015" : "P3019");
		finding_fix(a, f, "this needs a decision the inputs cannot make: review the findings "
			    "above; the script fixes what it can prove");
	}
	free(st);
}

/* x.y.z compared as numbers: <0, 0, >0. */
static int version_cmp(const char *x, const char *y)
{
	struct md_version a = { 0, 0, 0 }, b = { 0, 0, 0 };

	md_version_parse(x, &a);
	md_version_parse(y, &b);
	return md_version_cmp(&a, &b);
}

/*
 * The LiteLLM releases the rows fit: at least the newest release that
 * shipped an applied migration, and older than the first release that
 * shipped a migration the rows lack.
 */
static void versions(struct analysis *a)
{
	const char *best = NULL, *next = NULL;

	for (size_t i = 0; i < a->n; i++) {
		const struct mig_state *ms = &a->v[i];

		if (ms->status == MS_APPLIED && ms->shipped_in &&
		    (!best || version_cmp(ms->shipped_in, best) > 0))
			best = ms->shipped_in;
	}
	if (!best)
		return;
	for (size_t i = 0; i < litellm_nfacts && !a->in->dir; i++) {
		const char *v = litellm_shipped_in(litellm_facts[i].name);
		bool seen = false;

		for (size_t k = 0; k < a->n && !seen; k++)
			seen = !strcmp(a->v[k].name, litellm_facts[i].name) && a->v[k].status == MS_APPLIED;
		if (!seen && v && version_cmp(v, best) > 0 && (!next || version_cmp(v, next) < 0))
			next = v;
	}
	a->migrated_by = next ? arena_printf(&a->arena, "LiteLLM >= %s, < %s", best, next)
			      : arena_printf(&a->arena, "LiteLLM >= %s", best);
}

/* No directory: is it LiteLLM's database at all, as far as its rows tell? */
static void foreign_rows(struct analysis *a)
{
	size_t known = 0, rows = 0;

	if (a->in->dir || !a->in->hist)
		return;
	for (size_t i = 0; i < a->n; i++) {
		rows += a->v[i].nrows > 0;
		known += a->v[i].origin == RO_LITELLM;
	}
	if (rows && !known)
		analysis_unconcluded(a, "what the migrations make: no row names a migration LiteLLM shipped, so "
				     "this is not a LiteLLM database as far as migdoctor knows; give the migrations "
				     "directory (-m)");
	else if (known)
		analysis_unconcluded(a, "what deploy would do, and re-creating missing objects: the rows were "
				     "verified with the built-in facts of LiteLLM's migrations; give the running "
				     "version's migrations directory (-m) for the rest");
}

void analysis_run(struct analysis *a, const struct analysis_input *in)
{
	struct catalog expected;

	memset(a, 0, sizeof(*a));
	arena_init(&a->arena);
	a->in = in;
	state_build(a);
	expected_schema(a, &expected);
	if (in->dir && in->schema && (!in->hist || !in->has_history_table)) {
		/* no history (P3005): judge each migration against what the whole directory builds */
		struct catalog final;
		struct replay_error re;

		catalog_init(&final, NULL);
		for (size_t i = 0; i < in->dir->n; i++)
			for (size_t k = 0; k < in->dir->v[i].script.neffects; k++)
				catalog_apply(&final, &in->dir->v[i].script.effects[k], in->dir->v[i].name, &re);
		state_presence(a, &final, true);
		catalog_release(&final);
	} else {
		state_presence(a, in->hist ? &expected : NULL, false);
	}
	state_logs(a);
	plan_run(a, &expected);
	rules_run(a, &expected);
	prove_repair(a, &expected);
	premises_build(a);
	rebuild_build(a, &expected);
	rule_partial_schema(a);
	versions(a);
	foreign_rows(a);
	hazards_run(a, &expected);
	if (!in->dir && !(in->hist && a->migrated_by))
		analysis_unconcluded(a, "which migrations are pending, what deploy would do, and what each "
				     "migration made: give the migrations directory (-m)");
	if (!in->hist)
		analysis_unconcluded(a, "which migrations are applied or failed: %s%sgive the "
				     "_prisma_migrations rows (-H: a pg_dump, CSV or psql output)",
				     in->schema_note_rows ? in->schema_note_rows : "",
				     in->schema_note_rows ? "; " : "");
	if (!in->schema)
		analysis_unconcluded(a, "whether the objects of applied and failed migrations exist: %s%s"
				     "give the schema (-s: pg_dump -s, or a full pg_dump as -H)",
				     in->schema_note ? in->schema_note : "schema not given",
				     "; ");
	if (!in->logs)
		analysis_unconcluded(a, "what the last start-ups saw (errors, LiteLLM's automatic "
				     "resolutions): give the start-up logs (-l)");
	catalog_release(&expected);
}
