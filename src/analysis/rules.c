/*
 * rules.c - the findings (codes in doc/findings.md) and their fixes.
 *
 * Every fix is the narrowest one that lets 'migrate deploy' through and
 * leaves the schema as a clean deploy would: mark a row rolled back when
 * none of its migration's objects exist (deploy re-runs it), mark it
 * applied when all of them do, re-create only what is missing (from the
 * migration's own statements) when some do. Never a blind delete.
 */
#include "migdoctor/common.h"
#include "migdoctor/sbuf.h"
#include "migdoctor/log_outcome.h"
#include "analysis_int.h"
#include "litellm_facts.h"

/* MD010 shows this many rows at each end of a migration's rows. */
#define MD010_ROWS_SHOWN 3

static char *ts_text(struct analysis *a, const struct md_ts *t)
{
	char buf[MD_TS_BUFSIZE];

	md_ts_format(t, buf, sizeof(buf));
	return arena_strdup(&a->arena, buf);
}

/* SQLSTATE and message of a failed row's logs column (prisma.md §3.6). */
struct cause {
	char sqlstate[6];
	const char *message;
	bool connector; /* driver adapter: "external connector error", no SQLSTATE */
};

/* The cause in a failed row's logs, read by the log module's own patterns. */
static void logs_cause(struct analysis *a, const char *logs, struct cause *c)
{
	struct prisma_cause pc;

	memset(c, 0, sizeof(*c));
	if (!prisma_logs_cause(&a->arena, logs, &pc))
		return;
	memcpy(c->sqlstate, pc.sqlstate, sizeof(c->sqlstate));
	c->message = pc.message;
	c->connector = pc.connector;
}

static bool already_exists(const char *sqlstate)
{
	return !strcmp(sqlstate, "42P07") || !strcmp(sqlstate, "42701") || !strcmp(sqlstate, "42710") ||
	       !strcmp(sqlstate, "42P06") || !strcmp(sqlstate, "42723");
}

static void row_evidence(struct analysis *a, struct finding *f, const struct history_row *r)
{
	struct sbuf sb = SBUF_INIT;

	sb_printf(&sb, "row id %s: started %s, ", r->id ? r->id : "NULL", ts_text(a, &r->started_at));
	if (r->finished_at.kind != MD_TS_NULL)
		sb_printf(&sb, "finished %s, ", ts_text(a, &r->finished_at));
	else
		sb_puts(&sb, "finished_at NULL, ");
	if (r->rolled_back_at.kind != MD_TS_NULL)
		sb_printf(&sb, "rolled back %s, ", ts_text(a, &r->rolled_back_at));
	sb_printf(&sb, "steps %lld, logs %s: %s", (long long)r->applied_steps_count,
		  !r->logs ? ((r->ambiguous & (1u << HC_LOGS)) ? "NULL or '' (this format cannot tell)" : "NULL")
			   : !r->logs[0] ? "''" : "set",
		  row_kind_name(row_kind_of(r)));
	finding_ev(a, f, "row", &r->pos, "%s", sb.buf);
	sbuf_release(&sb);
}

/* "column "T"."c" has type text, migration M makes it integer": what the dump shows instead. */
static void column_prop_evidence(struct analysis *a, struct finding *f, const struct mig_state *ms,
				 const struct obj_ref *o)
{
	const struct cat_column *have;
	struct md_pos pos = { a->in->schema_source, 0, 0, 0 };
	const char *col, *def;

	if (o->kind != SQL_OBJ_COLUMN || (o->prop != SQL_PROP_TYPE &&
					  o->prop != SQL_PROP_SET_DEFAULT &&
					  o->prop != SQL_PROP_DROP_DEFAULT))
		return;
	have = cat_table_column(catalog_table(a->in->schema, o->schema, o->table), o->name);
	if (!have)
		return;
	col = arena_printf(&a->arena, "\"%s\".\"%s\"", o->table, o->name);
	def = have->default_sql ? have->default_sql : "(expression)";
	if (o->prop == SQL_PROP_TYPE)
		finding_ev(a, f, "schema", &pos, "column %s has type %s, migration %s makes it %s",
			   col, have->type ? have->type : "?", ms->name, o->value ? o->value : "?");
	else if (o->prop == SQL_PROP_SET_DEFAULT)
		finding_ev(a, f, "schema", &pos, "column %s has %s%s, migration %s makes it "
			   "DEFAULT %s", col, have->has_default ? "DEFAULT " : "no default",
			   have->has_default ? def : "", ms->name,
			   o->value ? o->value : "(expression)");
	else
		finding_ev(a, f, "schema", &pos, "column %s has DEFAULT %s, migration %s drops it",
			   col, def, ms->name);
}

static void schema_evidence(struct analysis *a, struct finding *f, const struct mig_state *ms)
{
	struct sbuf sb = SBUF_INIT;
	const char *src = a->in->schema_source;
	struct md_pos pos = { src, 0, 0, 0 };

	if (ms->presence == PR_UNKNOWN || ms->presence == PR_NO_OBJECTS)
		return;
	for (size_t i = 0; i < ms->nmissing; i++) {
		sb_printf(&sb, "%s%s", i ? ", " : "", obj_text(&a->arena, &ms->missing[i]));
		if (ms->missing[i].kind == SQL_OBJ_TABLE)
			finding_relation(a, f, ms->missing[i].name);
		else if (ms->missing[i].table)
			finding_relation(a, f, ms->missing[i].table);
	}
	if (ms->nmissing)
		finding_ev(a, f, "schema", &pos, "%s: %s",
			   ms->status == MS_APPLIED || ms->status == MS_FAILED ? "missing from the schema"
									       : "not in the schema yet", sb.buf);
	for (size_t i = 0; i < ms->nmissing; i++)
		column_prop_evidence(a, f, ms, &ms->missing[i]);
	sbuf_reset(&sb);
	for (size_t i = 0; i < ms->nfound && i < 8; i++)
		sb_printf(&sb, "%s%s", i ? ", " : "", obj_text(&a->arena, &ms->found[i]));
	if (ms->nfound > 8)
		sb_printf(&sb, " and %zu more", ms->nfound - 8);
	if (ms->nfound)
		finding_ev(a, f, "schema", &pos, "present in the schema: %s", sb.buf);
	sbuf_release(&sb);
}

static void log_evidence(struct analysis *a, struct finding *f, const char *migration)
{
	const struct log_events *ev = a->in->logs;

	for (size_t i = 0; ev && i < ev->n; i++) {
		const struct log_event *e = &ev->items[i];

		if (!e->migration || strcmp(e->migration, migration))
			continue;
		if (e->kind == LOG_EV_FAILED)
			finding_ev(a, f, "log", &e->pos, "P3018 %s: %s", e->sqlstate ? e->sqlstate : "(no SQLSTATE)",
				   e->message ? e->message : "");
		else if (e->kind == LOG_EV_REFUSED)
			finding_ev(a, f, "log", &e->pos, "P3009: deploy refused, this migration failed "
				   "(started %s)", e->started_at ? e->started_at : "?");
		else if (e->kind == LOG_EV_LITELLM_IDEMPOTENT || e->kind == LOG_EV_LITELLM_RESOLVING_APPLIED ||
			 e->kind == LOG_EV_MARKED_APPLIED)
			finding_ev(a, f, "log", &e->pos, "LiteLLM marked it applied without running it (%s)",
				   log_event_kind_name(e->kind));
		else if (e->kind == LOG_EV_MARKED_ROLLED_BACK || e->kind == LOG_EV_LITELLM_ROLLING_BACK)
			finding_ev(a, f, "log", &e->pos, "marked rolled back (%s)", log_event_kind_name(e->kind));
	}
}

/* Runtime errors naming a relation this migration makes: the symptom users see. */
static void symptom_evidence(struct analysis *a, struct finding *f, const struct mig_state *ms)
{
	const struct log_events *ev = a->in->logs;
	struct evidence *first = NULL;
	size_t again = 0;

	for (size_t i = 0; ev && i < ev->n; i++) {
		const struct log_event *e = &ev->items[i];

		if (!e->relation)
			continue;
		for (size_t k = 0; k < ms->nmissing; k++) {
			const struct obj_ref *o = &ms->missing[k];
			const char *rel = o->kind == SQL_OBJ_TABLE ? o->name : o->table;

			if (rel && !strcmp(rel, e->relation) &&
			    (!e->column || o->kind != SQL_OBJ_COLUMN || !strcmp(e->column, o->name))) {
				/* a retried start-up repeats the same error: say it once, with a count */
				if (first) {
					again++;
					break;
				}
				finding_ev(a, f, "log", &e->pos, "%s%s%s", e->migration ? e->migration : "",
					   e->migration ? ": " : "",
					   e->message ? e->message : log_event_kind_name(e->kind));
				first = &f->ev[f->nev - 1];
				break;
			}
		}
	}
	if (first && again)
		first->text = arena_printf(&a->arena, "%s (and %zu more time%s)", first->text, again,
					   again == 1 ? "" : "s");
}

static bool permission_problem(const struct analysis *a, const struct mig_state *ms, struct cause *c)
{
	if (!strcmp(c->sqlstate, "42501"))
		return true;
	for (size_t i = 0; a->in->logs && i < a->in->logs->n; i++) {
		const struct log_event *e = &a->in->logs->items[i];

		if (e->migration && !strcmp(e->migration, ms->name) &&
		    (e->kind == LOG_EV_LITELLM_PERMISSION || (e->sqlstate && !strcmp(e->sqlstate, "42501"))))
			return true;
	}
	return false;
}

/* The first statement of the migration that changes rows (or may); NULL when none does. */
static const struct sql_stmt *data_stmt(const struct mig_state *ms)
{
	const struct sql_script *s = ms->m ? &ms->m->script : NULL;

	for (size_t i = 0; s && s->ndata && i < s->nstmts; i++)
		if (s->stmts[i].data)
			return &s->stmts[i];
	return NULL;
}

/* Evidence: each statement of the migration that changes rows, with its first line. */
static void data_evidence(struct analysis *a, struct finding *f, const struct mig_state *ms)
{
	const struct sql_script *s = &ms->m->script;
	size_t shown = 0;

	for (size_t i = 0; i < s->nstmts; i++) {
		const struct sql_stmt *st = &s->stmts[i];
		struct md_pos pos = { ms->m->path, st->line, st->column, 0 };
		const char *nl = strchr(st->text, '\n');
		int len = nl ? (int)(nl - st->text) : (int)strlen(st->text);

		if (!st->data)
			continue;
		if (shown++ == 4) {
			finding_ev(a, f, "statement", &pos, "and %zu more that change rows",
				   s->ndata - 4);
			break;
		}
		finding_ev(a, f, "statement", &pos, "%s changes rows: %.*s%s", st->data_what,
			   len > 120 ? 120 : len, st->text, nl || len > 120 ? " ..." : "");
	}
}

static const char resolve_words[] = "then run 'prisma migrate resolve --applied %s'";

/*
 * Marking a migration applied records that all of it ran. The objects it
 * makes being there does not prove that: what it drops, renames, alters
 * and changes in rows must be done too. When the schema shows one of its
 * effects undone (ms->unseen), or it has a statement that changes rows
 * and nothing shows the script ran (script_ran: its row says it
 * finished), it is not marked applied: the fix says what a person must
 * check, and true is returned. `what` begins the sentence ("all of its
 * objects exist").
 */
static bool mark_unproven(struct analysis *a, struct finding *f, const struct mig_state *ms,
			  bool script_ran, const char *what)
{
	const struct sql_stmt *st = script_ran ? NULL : data_stmt(ms);
	const char *then = arena_printf(&a->arena, resolve_words, ms->name);

	if (a->in->schema && !ms->effects_visible) {
		finding_fix(a, f, "%s, but the schema does not show all it does: %s. Marking it "
			    "applied would record work that was not done, so no automatic fix is "
			    "written: a person must finish what it left undone (or undo what was "
			    "made by hand), %s", what, ms->unseen ? ms->unseen : "?", then);
		return true;
	}
	if (!st)
		return false;
	data_evidence(a, f, ms);
	finding_fix(a, f, "%s, but its statement at line %u (%s) changes rows, and an export "
		    "cannot show whether that ran. It is not marked applied automatically: a "
		    "person must check in the database that this statement's work is done (run "
		    "it by hand if not), %s", what, st->line, st->data_what, then);
	return true;
}

/*
 * A failed run leaves nothing behind only when the script ran as one
 * transaction. Its own COMMIT, or a driver adapter that runs it statement
 * by statement (c->connector), keeps what ran before the failure; then
 * its first statement that changes rows may have run, and a re-run would
 * change them twice. That statement, or NULL.
 */
static const struct sql_stmt *kept_data(const struct mig_state *ms, const struct cause *c)
{
	const struct sql_stmt *st = data_stmt(ms);
	bool kept = c->connector;

	for (size_t i = 0; st && !kept && i < ms->m->script.nstmts; i++)
		kept = ms->m->script.stmts[i].kind == SQL_STMT_TRANSACTION;
	return kept ? st : NULL;
}

/*
 * No re-run of a failed migration whose data statement may have run
 * (kept_data): the fix says what a person must check. `what` begins it.
 */
static bool rerun_unproven(struct analysis *a, struct finding *f, const struct mig_state *ms,
			   const struct cause *c, const char *what)
{
	const struct sql_stmt *st = kept_data(ms, c);

	if (!st)
		return false;
	data_evidence(a, f, ms);
	finding_fix(a, f, "%s, but %s, so what ran before the failure was kept, and its "
		    "statement at line %u (%s) changes rows: running it again could change them "
		    "twice. No automatic fix: a person must check whether that statement's work is "
		    "done, correct the migration, then run 'prisma migrate resolve --rolled-back "
		    "%s' so deploy runs it", what,
		    c->connector ? "it ran through a driver adapter, statement by statement"
				 : "it ends its own transaction (COMMIT)",
		    st->line, st->data_what, ms->name);
	return true;
}

/* MD001/MD002: a failed or interrupted row blocks every deploy (P3009). */
static void rule_failed(struct analysis *a, struct mig_state *ms)
{
	const struct history_row *r = ms->blocking;
	enum row_kind rk = row_kind_of(r);
	bool interrupted = rk == RK_INTERRUPTED || rk == RK_INTERRUPTED_DONE;
	struct finding *f;
	struct cause c;

	logs_cause(a, r->logs, &c);
	if (!c.sqlstate[0] && ms->failure && ms->failure->sqlstate)
		snprintf(c.sqlstate, sizeof(c.sqlstate), "%s", ms->failure->sqlstate);
	f = finding_new_code(a, interrupted ? "MD002" : "MD001", ms->name);
	if (interrupted)
		finding_title(a, f, "migration %s was interrupted%s; it blocks every deploy (P3009)", ms->name,
			      rk == RK_INTERRUPTED_DONE ? " after its script finished" : "");
	else
		finding_title(a, f, "migration %s failed%s%s; it blocks every deploy (P3009)", ms->name,
			      c.sqlstate[0] ? " with " : "", c.sqlstate);
	row_evidence(a, f, r);
	if (c.message)
		finding_ev(a, f, "row", &r->pos, "its logs: %s%s%s", c.sqlstate[0] ? c.sqlstate : "",
			   c.sqlstate[0] ? ": " : "", c.message);
	log_evidence(a, f, ms->name);
	schema_evidence(a, f, ms);

	if (!ms->m) {
		finding_ev(a, f, "file", NULL, "no folder %s in the migrations directory (%s)", ms->name,
			   ms->origin == RO_NEWER ? "a newer version's migration" : "not part of this version");
		finding_fix(a, f, "mark the failed row rolled back: this version does not have the migration, "
			    "so deploy ignores it once it is no longer failed; the version that has it will run "
			    "it again");
		finding_action(f, FIX_MARK_ROLLED_BACK, ms, r, "unblocks deploy; the migration is not in this version");
		return;
	}
	if (permission_problem(a, ms, &c)) {
		struct finding *p = finding_new_code(a, "MD013", ms->name);

		finding_title(a, p, "migration %s failed for lack of privileges (42501): a grant problem, "
			      "not a state problem", ms->name);
		if (c.message)
			finding_ev(a, p, "row", &r->pos, "its logs: 42501: %s", c.message);
		finding_fix(a, p, "GRANT the migration user ownership of the tables it alters (or CREATE on "
			    "the schema), then deploy again");
		bool blocked = ms->presence == PR_UNKNOWN && a->in->schema;

		for (size_t i = 0; i < ms->nfound; i++)
			blocked |= blocks_rerun(&ms->found[i]);
		if (blocked) {
			/* some of it is there: a re-run would fail on it; that needs a person */
			finding_fix(a, f, "grant the database user the privileges the migration needs (MD013); "
				    "some of its objects exist, so the row is left for review rather than "
				    "re-run");
			return;
		}
		if (rerun_unproven(a, f, ms, &c, "grant the privileges it needs (MD013)"))
			return;
		finding_fix(a, f, "grant the database user the privileges the migration needs (MD013), then "
			    "deploy again; the row is marked rolled back so deploy re-runs the migration");
		finding_action(f, FIX_MARK_ROLLED_BACK, ms, r, "after the grant, deploy re-runs it");
		return;
	}
	switch (ms->presence) {
	case PR_ALL:
		if (mark_unproven(a, f, ms, rk == RK_INTERRUPTED_DONE, "all of its objects exist"))
			break;
		finding_fix(a, f, "all of its objects exist: mark it applied, as 'prisma migrate resolve "
			    "--applied %s' would", ms->name);
		finding_action(f, FIX_MARK_APPLIED, ms, r, "all of its objects exist in the schema");
		break;
	case PR_PARTIAL:
		if (mark_unproven(a, f, ms, rk == RK_INTERRUPTED_DONE,
				  arena_printf(&a->arena, "part of it ran (%zu of its objects are "
					       "missing)", ms->nmissing)))
			break;
		finding_fix(a, f, "part of it ran: create the %zu missing object%s from its own statements "
			    "(made idempotent), then mark it applied", ms->nmissing, ms->nmissing == 1 ? "" : "s");
		finding_action(f, FIX_RECREATE, ms, NULL, "re-create what the partial run did not");
		finding_action(f, FIX_MARK_APPLIED, ms, r, "then all of its objects exist");
		break;
	case PR_NONE:
	case PR_NO_OBJECTS:
		if (rerun_unproven(a, f, ms, &c, "none of its objects exist"))
			break;
		finding_fix(a, f, "none of its objects exist (a failed script is rolled back as a whole): "
			    "mark the row rolled back so deploy runs the migration again");
		finding_action(f, FIX_MARK_ROLLED_BACK, ms, r, "none of its objects exist; deploy re-runs it");
		break;
	case PR_UNKNOWN:
		if (a->in->schema) {
			finding_fix(a, f, "some of its objects are not in the schema export, which may be partial "
				    "(MD020): give a whole 'pg_dump -s' to tell whether they exist");
		} else if (c.sqlstate[0] && already_exists(c.sqlstate)) {
			finding_fix(a, f, "it failed because objects already exist: give the schema (-s, or a "
				    "full pg_dump as -H) to tell whether all of them do (then it is marked "
				    "applied) or only some");
		} else if (rk == RK_INTERRUPTED_DONE) {
			finding_fix(a, f, "its script finished (steps 1): mark it applied; give the schema to "
				    "verify its objects first");
			finding_action(f, FIX_MARK_APPLIED, ms, r, "the script finished before the run was cut");
		} else if (!rerun_unproven(a, f, ms, &c, "the schema was not given")) {
			finding_fix(a, f, "a failed native deploy leaves nothing behind: mark the row rolled back "
				    "so deploy runs the migration again (give the schema to verify)");
			finding_action(f, FIX_MARK_ROLLED_BACK, ms, r, "deploy re-runs it");
		}
		break;
	}
}

/* A missing object that only running the migration makes (a rename in a DO block). */
static bool needs_rerun(const struct mig_state *ms)
{
	for (size_t i = 0; i < ms->nmissing; i++)
		if (ms->missing[i].e && ms->missing[i].e->action == SQL_RENAMES)
			return true;
	return false;
}

/* Part of a CREATE TABLE IF NOT EXISTS: a no-op, columns and all, where the table is. */
static bool in_create_if_not_exists(const struct sql_script *s, const struct sql_effect *e)
{
	const struct sql_stmt *st = &s->stmts[e->stmt];

	for (size_t i = st->first_effect; i < st->first_effect + st->neffects; i++)
		if (s->effects[i].action == SQL_PROVIDES && s->effects[i].obj == SQL_OBJ_TABLE &&
		    (s->effects[i].flags & SQL_IF_NOT_EXISTS))
			return true;
	return false;
}

/* Every statement tolerates running again: IF [NOT] EXISTS, DO-block IFs, OR REPLACE. */
static bool rerunnable(const struct mig_state *ms)
{
	const struct sql_script *s = &ms->m->script;

	if (s->nerrors)
		return false;
	for (size_t i = 0; i < s->neffects; i++) {
		const struct sql_effect *e = &s->effects[i];
		unsigned ok = SQL_CONDITIONAL | SQL_IMPLIED;

		if (e->action == SQL_PROVIDES && in_create_if_not_exists(s, e))
			continue;

		switch (e->action) {
		case SQL_PROVIDES: ok |= SQL_IF_NOT_EXISTS | SQL_OR_REPLACE; break;
		case SQL_REMOVES: ok |= SQL_IF_EXISTS; break;
		case SQL_REQUIRES:
		case SQL_ALTERS: continue;
		default: break;
		}
		if (!(e->flags & ok))
			return false;
	}
	return true;
}

/*
 * A rename of a DO block whose end state is missing while the column it
 * renames is there, and the migration makes that name again after the
 * rename (LiteLLM's "alias" -> "server_name", then ADD COLUMN IF NOT
 * EXISTS "alias"). If the migration ran, the column there is the one it
 * made again, holding new data, and a re-run would move that data into
 * the renamed column. The export cannot tell which: the missing object,
 * or NULL when there is no such rename.
 */
static const struct obj_ref *ambiguous_rename(const struct analysis *a,
					      const struct mig_state *ms)
{
	const struct sql_script *s = &ms->m->script;

	for (size_t i = 0; a->in->schema && i < ms->nmissing; i++) {
		const struct obj_ref *o = &ms->missing[i];
		struct obj_ref from;

		if (!o->e || o->e->action != SQL_RENAMES || o->e->obj != SQL_OBJ_COLUMN)
			continue;
		from = *o;
		from.name = o->e->sub;
		from.prop = SQL_PROP_NONE;
		if (object_exists(a->in->schema, &from) &&
		    name_reused_later(s, (size_t)(o->e - s->effects), SQL_OBJ_COLUMN,
				      o->e->sub))
			return o;
	}
	return NULL;
}

/*
 * Can deploy run an applied migration again? Only when every statement
 * tolerates running twice and none changes rows (a re-run would change
 * them twice: spend * 100 * 100).
 */
static bool rerun_safe(const struct mig_state *ms)
{
	return rerunnable(ms) && !data_stmt(ms);
}

/*
 * A missing object of ms that is a column type the export shows in a form
 * the migration's type cannot hold without changing values (a column an
 * operator widened by hand): a re-run by deploy would round or cut it, as
 * would the repair. *have: the type shown. *all: every missing object is one.
 */
static const struct obj_ref *lossy_type(const struct analysis *a, const struct catalog *expected,
					const struct mig_state *ms, const char **have, bool *all)
{
	const struct obj_ref *first = NULL;
	const char *h;

	*all = ms->nmissing > 0;
	for (size_t i = 0; i < ms->nmissing; i++) {
		if (!rebuild_type_loses(a, expected, &ms->missing[i], &h)) {
			*all = false;
		} else if (!first) {
			first = &ms->missing[i];
			*have = h;
		}
	}
	return first;
}

/* MD003: history says applied, the schema says otherwise. */
static void rule_applied_missing(struct analysis *a, const struct catalog *expected,
				 struct mig_state *ms)
{
	const struct history_row *r = ms->applied;
	enum row_kind rk = row_kind_of(r);
	struct finding *f = finding_new_code(a, "MD003", ms->name);
	/* marked applied without running: nothing of it ran here, a run is what it needs */
	bool never_ran = rk == RK_RESOLVED_APPLIED;
	const struct obj_ref *amb;
	const char *have = NULL;
	bool all_lossy;
	const struct obj_ref *lossy = lossy_type(a, expected, ms, &have, &all_lossy);
	const char *lossy_why = lossy ? arena_printf(&a->arena, "running it again would change "
		"column \"%s\".\"%s\" from %s to %s, which could round, cut or refuse its values",
		lossy->table, lossy->name, have, lossy->value) : NULL;

	if (ms->presence == PR_NONE && ms->nmissing == 1)
		finding_title(a, f, "migration %s is recorded as applied but its one object is missing", ms->name);
	else if (ms->presence == PR_NONE)
		finding_title(a, f, "migration %s is recorded as applied but all %zu of its objects are missing",
			      ms->name, ms->nmissing);
	else
		finding_title(a, f, "migration %s is recorded as applied but %zu of its %zu objects %s missing",
			      ms->name, ms->nmissing, ms->nobjs, ms->nmissing == 1 ? "is" : "are");
	row_evidence(a, f, r);
	if (rk == RK_RESOLVED_APPLIED)
		finding_ev(a, f, "row", &r->pos, "steps 0 and logs '': marked applied by 'migrate resolve "
			   "--applied' (or LiteLLM's automatic resolution), so its SQL never ran here");
	schema_evidence(a, f, ms);
	log_evidence(a, f, ms->name);
	symptom_evidence(a, f, ms);
	if (needs_rerun(ms) && (amb = never_ran ? NULL : ambiguous_rename(a, ms))) {
		const char *from = amb->e->sub, *to = amb->name;

		finding_fix(a, f, "what its DO block renames is not in the schema (column "
			    "\"%s\".\"%s\"), but \"%s\" is, and the migration makes \"%s\" "
			    "again after the rename. Its row says it ran, so \"%s\" may be the "
			    "column it made again, holding new data, which a re-run would move "
			    "into \"%s\". No automatic fix: a person must check what \"%s\" "
			    "holds; if it is the old data, 'prisma migrate resolve --rolled-back "
			    "%s' lets deploy re-run it, otherwise re-create \"%s\" by hand",
			    amb->table, to, from, from, from, to, from, ms->name, to);
	} else if (all_lossy) {
		finding_fix(a, f, "what is missing is the type its migration gives %s, and %s. "
			    "No automatic fix: the type is left as it is; a person must decide "
			    "whether the column keeps %s (then only the history is wrong) or "
			    "its values fit %s", ms->nmissing == 1 ? "a column" : "columns",
			    lossy_why, have, lossy->value);
	} else if (needs_rerun(ms) && rerunnable(ms) && (never_ran || !data_stmt(ms)) && !lossy) {
		/* a DO block's rename has no IF NOT EXISTS form: the migration itself makes its end state */
		finding_fix(a, f, "what its DO block changes (a rename) is not in the schema, and every statement "
			    "of it can run again: mark its row rolled back so deploy re-runs it, with the rows "
			    "kept%s", rk == RK_RESOLVED_APPLIED ? "; it was marked applied without running: if it "
			    "failed for lack of privileges, the role that deploys must own the tables (MD013)" : "");
		for (size_t i = 0; i < ms->nrows; i++)
			if (ms->rows[i]->rolled_back_at.kind == MD_TS_NULL)
				finding_action(f, FIX_MARK_ROLLED_BACK, ms, ms->rows[i],
					       "its end state is absent; deploy re-runs it (it can run again)");
	} else if (ms->presence == PR_NONE && (lossy || (!never_ran && !rerun_safe(ms)))) {
		const struct sql_stmt *st = data_stmt(ms);
		const char *why;

		if (st)
			data_evidence(a, f, ms);
		if (lossy)
			why = lossy_why;
		else if (st)
			why = arena_printf(&a->arena, "its statement at line %u (%s) changes rows, "
					   "so running it again would change them twice", st->line,
					   st->data_what);
		else
			why = "not every statement of it is written to run twice (IF NOT EXISTS, "
			      "IF EXISTS), so it is not run again";
		finding_fix(a, f, "none of its objects exist, but %s%s: its objects are created "
			    "from its own statements, made idempotent, and its row stays applied",
			    never_ran ? "" : "its row says it ran, and ", why);
		finding_action(f, FIX_RECREATE, ms, NULL, "its objects, without running it again");
	} else if (ms->presence == PR_NONE) {
		finding_fix(a, f, "none of its objects exist (rolled back to an older version, or "
			    "a restore of an old backup): mark its row rolled back so deploy runs it "
			    "again, with the migrations after it%s",
			    never_ran ? "" : "; every statement of it can run twice");
		for (size_t i = 0; i < ms->nrows; i++)
			if (ms->rows[i]->rolled_back_at.kind == MD_TS_NULL)
				finding_action(f, FIX_MARK_ROLLED_BACK, ms, ms->rows[i],
					       "none of its objects exist; deploy re-runs it");
	} else {
		finding_fix(a, f, "create the %zu missing object%s from the migration's own statements, made "
			    "idempotent%s; its row stays applied", ms->nmissing, ms->nmissing == 1 ? "" : "s",
			    ms->nunknown ? arena_printf(&a->arena, " (and the %zu the export does not show, "
							"which is a no-op where they exist)", ms->nunknown) : "");
		finding_action(f, FIX_RECREATE, ms, NULL, "only what is missing");
	}
}

/*
 * MD003 for a row with no local folder, verified with the built-in facts
 * of LiteLLM's migrations: a newer version's migration after a rollback
 * (the older version's start-up check dropped what its schema.prisma
 * lacks), or any migration when no directory was given.
 */
static void rule_foreign_missing(struct analysis *a, struct mig_state *ms)
{
	const struct history_row *r = ms->applied;
	struct finding *f = finding_new_code(a, "MD003", ms->name);
	bool newer = a->in->dir != NULL;

	if (ms->presence == PR_NONE)
		finding_title(a, f, "migration %s is recorded as applied but %s missing%s", ms->name,
			      ms->nmissing == 1 ? "its one object is" : "all of its objects are",
			      newer ? " (a newer version's migration)" : "");
	else
		finding_title(a, f, "migration %s is recorded as applied but %zu of its %zu objects %s missing%s",
			      ms->name, ms->nmissing, ms->nobjs, ms->nmissing == 1 ? "is" : "are",
			      newer ? " (a newer version's migration)" : "");
	row_evidence(a, f, r);
	finding_ev(a, f, "file", NULL, "no folder %s%s: its objects are known from LiteLLM's migrations "
		   "as migdoctor derives them%s%s", ms->name, newer ? " in the migrations directory" : " (no -m)",
		   ms->shipped_in ? ", first shipped in " : "", ms->shipped_in ? ms->shipped_in : "");
	schema_evidence(a, f, ms);
	log_evidence(a, f, ms->name);
	symptom_evidence(a, f, ms);
	if (ms->presence == PR_NONE && ms->facts->data) {
		finding_fix(a, f, "none of its objects exist, but it has a statement that "
			    "changes rows, which ran when it was applied: rolled back, the next "
			    "deploy would run it again. No automatic fix: a person must re-create "
			    "its objects (check with the directory that has it, -m)");
	} else if (ms->presence == PR_NONE) {
		if (newer)
			finding_fix(a, f, "the database ran a newer LiteLLM, then this older one, whose start-up "
				    "check drops what its schema.prisma lacks; mark the rows rolled back so the next "
				    "upgrade runs the migration again. No DDL now: the running version would drop "
				    "it again");
		else
			finding_fix(a, f, "none of its objects exist: mark its rows rolled back so deploy runs it "
				    "again (the directory of the version that runs must have it)");
		for (size_t i = 0; i < ms->nrows; i++)
			if (ms->rows[i]->rolled_back_at.kind == MD_TS_NULL)
				finding_action(f, FIX_MARK_ROLLED_BACK, ms, ms->rows[i],
					       "none of its objects exist; deploy re-runs it");
	} else if (newer) {
		finding_fix(a, f, "partly present: nothing is changed now (the running version's start-up check "
			    "would drop new objects again); before upgrading, run migdoctor check with the "
			    "newer version's migrations (-m) to re-create the missing ones");
	} else {
		finding_fix(a, f, "partly present: re-creating the missing objects needs the migration's SQL: "
			    "give the migrations directory of the running version (-m)");
	}
}

/* The local migration whose statements create relation rel, and the statement. */
static const struct mig_state *creator_of(const struct analysis *a, const char *rel, const struct sql_stmt **st)
{
	for (size_t i = 0; i < a->n; i++) {
		const struct mig_state *ms = &a->v[i];

		for (size_t k = 0; ms->m && k < ms->m->script.neffects; k++) {
			const struct sql_effect *e = &ms->m->script.effects[k];

			if (e->action == SQL_PROVIDES && (e->obj == SQL_OBJ_TABLE || e->obj == SQL_OBJ_VIEW) &&
			    e->name && !strcmp(e->name, rel)) {
				*st = &ms->m->script.stmts[e->stmt];
				return ms;
			}
		}
	}
	return NULL;
}

/*
 * MD006: a pending migration will fail on this schema. Called on the plan
 * of the database as it is, and again on the plan after the repairs found
 * so far (a failed row hid it behind P3009). Returns whether it added a fix.
 */
bool rule_plan(struct analysis *a, const struct plan *p)
{
	struct mig_state *ms = (struct mig_state *)p->fails;
	struct finding *f;
	bool after = p != &a->plan;

	if (p->outcome == PLAN_P3015) {
		f = finding_new_code(a, "MD011", ms->name);
		finding_title(a, f, "folder %s has no migration.sql: deploy stops there with P3015", ms->name);
		finding_ev(a, f, "file", NULL, "%s does not exist", ms->m->path);
		finding_fix(a, f, "restore the file from the release, or delete the folder");
		return false;
	}
	if (p->outcome != PLAN_FAILS)
		return false;
	f = finding_new_code(a, "MD006", ms->name);
	finding_title(a, f, "%sdeploy will fail at %s with %s: %s", after ? "once unblocked, " : "", ms->name,
		      p->error.sqlstate, p->error.message);
	{
		struct md_pos pos = { ms->m->path, p->stmt->line, p->stmt->column, 0 };
		const char *nl = strchr(p->stmt->text, '\n');
		int len = nl ? (int)(nl - p->stmt->text) : (int)strlen(p->stmt->text);

		finding_ev(a, f, "statement", &pos, "%.*s%s", len > 160 ? 160 : len, p->stmt->text,
			   nl || len > 160 ? " ..." : "");
		finding_ev(a, f, "plan", &pos, "predicted %s %s on the %s%s", p->error.sqlstate, p->error.message,
			   p->on_real_schema ? "schema of the dump" : "schema the history implies",
			   after ? ", after the repairs above" : "");
	}
	schema_evidence(a, f, ms);
	if (p->error.effect) {
		const struct sql_effect *e = p->error.effect;
		const char *rel = e->obj == SQL_OBJ_COLUMN || e->obj == SQL_OBJ_CONSTRAINT ? e->table : e->name;

		if (rel)
			finding_relation(a, f, rel);
	}
	if (ms->m->script.rejected) {
		const struct sql_script *sc = &ms->m->script;

		finding_ev(a, f, "file", &(struct md_pos){ ms->m->path, sc->reject_line, sc->reject_column, 0 },
			   "%s%s: PostgreSQL parses the whole file first, so none of it runs", sc->reject_line ?
			   arena_printf(&a->arena, "column %u: ", sc->reject_column) : "", p->error.message);
		finding_fix(a, f, "PostgreSQL rejects the whole file before running any of it: restore "
			    "migration.sql from the release it came with, or correct the SQL");
		return false;
	}
	if (ms->status == MS_ROLLED_BACK || ms->status == MS_PENDING) {
		bool made = ms->presence == PR_ALL || ms->presence == PR_NO_OBJECTS;

		if (made && ms->effects_visible) {
			if (mark_unproven(a, f, ms, false, "what it makes and changes is there"))
				return false;
			finding_fix(a, f, "what it makes and changes is already in the schema (done by hand, by "
				    "'db push' or by another version): mark it applied instead of running it");
			finding_action(f, FIX_MARK_APPLIED, ms, NULL, "its effects are all in the schema");
			return true;
		} else if (made && a->in->schema && already_exists(p->error.sqlstate)) {
			/* its objects are there, but not all it does: say what is not */
			mark_unproven(a, f, ms, false, "what it makes is in the schema");
			return false;
		} else if (ms->presence == PR_PARTIAL && already_exists(p->error.sqlstate)) {
			if (mark_unproven(a, f, ms, false, "some of its objects exist already"))
				return false;
			finding_fix(a, f, "some of its objects exist already: create the missing ones from its "
				    "statements (idempotent), then mark it applied");
			finding_action(f, FIX_RECREATE, ms, NULL, "only what is missing");
			finding_action(f, FIX_MARK_APPLIED, ms, NULL, "then all of its objects exist");
			return true;
		}
		{
			const struct sql_effect *e = p->error.effect;
			const char *rel = !e ? NULL : e->obj == SQL_OBJ_COLUMN || e->obj == SQL_OBJ_CONSTRAINT ||
						e->obj == SQL_OBJ_INDEX ? e->table : e->name;
			const struct sql_stmt *st = NULL;
			const struct mig_state *maker = rel ? creator_of(a, rel, &st) : NULL;

			if (maker && maker != ms)
				finding_fix(a, f, "it needs \"%s\", which %s makes: the fix of that migration's "
					    "finding lets this one run", rel, maker->name);
			else
				finding_fix(a, f, "it needs an object that an earlier migration should have made; "
					    "see the findings on the migrations before it");
		}
	}
	return false;
}

/* MD005: tables but no _prisma_migrations: P3005. */
static void rule_baseline(struct analysis *a)
{
	struct finding *f = finding_new_code(a, "MD005", NULL);
	size_t nbase = 0, unproven = 0;
	const char *more = "";

	finding_title(a, f, "the database has tables but no _prisma_migrations: deploy stops with P3005");
	finding_ev(a, f, "schema", &(struct md_pos){ a->in->schema_source, 0, 0, 0 },
		   "%zu tables, no _prisma_migrations table", a->in->schema->ntables);
	finding_action(f, FIX_CREATE_TABLE, NULL, NULL, "Prisma's own DDL for the history table");
	for (size_t i = 0; i < a->n; i++) {
		struct mig_state *ms = &a->v[i];
		bool made = ms->presence == PR_ALL || ms->presence == PR_NO_OBJECTS;
		const struct sql_stmt *st;

		if (!ms->m || ms->m->missing_sql)
			continue;
		st = data_stmt(ms);

		if (made && ms->effects_visible && st) {
			struct md_pos pos = { ms->m->path, st->line, st->column, 0 };

			finding_ev(a, f, "statement", &pos, "%s: not baselined: its statement at "
				   "line %u (%s) changes rows, and an export cannot show whether "
				   "that ran; a person must check it, then run 'prisma migrate "
				   "resolve --applied %s'", ms->name, st->line, st->data_what,
				   ms->name);
			unproven++;
		} else if (made && ms->effects_visible) {
			finding_action(f, FIX_MARK_APPLIED, ms, NULL, ms->presence == PR_ALL ?
				       "all of its objects exist" : "what it drops, renames and changes shows in the schema");
			nbase++;
		} else if (ms->presence == PR_PARTIAL) {
			finding_ev(a, f, "schema", NULL, "%s is partly there (%zu of %zu objects): not baselined",
				   ms->name, ms->nfound, ms->nfound + ms->nmissing);
		} else if (made) {
			finding_ev(a, f, "schema", NULL, "%s: not baselined: %s", ms->name,
				   ms->unseen ? ms->unseen : "not all it does shows in the schema");
		}
	}
	if (unproven)
		more = arena_printf(&a->arena, ". %zu whose objects exist %s not recorded: %s "
				    "statements that change rows (see the evidence), which a person "
				    "must check first", unproven, unproven == 1 ? "is" : "are",
				    unproven == 1 ? "it has" : "they have");
	finding_fix(a, f, "create _prisma_migrations and record the %zu migration%s whose effects are all in "
		    "the schema as applied (as 'prisma migrate resolve --applied' does); deploy applies the rest"
		    "%s", nbase, nbase == 1 ? "" : "s", more);
}

static void rule_rows(struct analysis *a)
{
	for (size_t i = 0; i < a->n; i++) {
		struct mig_state *ms = &a->v[i];
		struct finding *f;

		if (!ms->m && ms->nrows) {
			const struct history_row *r = ms->rows[ms->nrows - 1];

			switch (ms->origin) {
			case RO_NEWER:
				finding_ev(a, finding_group_code(a, "MD004", "rows of migrations newer than this directory: the database "
							     "was migrated by a newer version",
							     "deploy of this version ignores them; before upgrading again, "
							     "run migdoctor check with the newer version's migrations (-m) "
							     "so their objects are verified"),
					   "row", &r->pos, "%s: %s", ms->name, row_kind_name(row_kind_of(r)));
				break;
			case RO_LITELLM_LOCAL:
				finding_ev(a, finding_group_code(a, "MD009", "rows made by LiteLLM itself on this database (0_init "
							     "baseline, *_baseline_diff sanity checks)",
							     "nothing to do: no release ships these; they are not rows "
							     "from a newer version"),
					   "row", &r->pos, "%s: %s", ms->name, row_kind_name(row_kind_of(r)));
				break;
			case RO_LITELLM:
				break; /* verified with the facts (MD003), or fine */
			default:
				finding_ev(a, finding_group_code(a, "MD017", "rows of migrations that are not in this directory",
							     "deploy ignores them (unless failed)"),
					   "row", &r->pos, "%s: %s", ms->name,
					   ms->origin == RO_HISTORICAL ? litellm_historical(ms->name)
								       : "not a LiteLLM release name: a fork, or a hand edit");
			}
		}
		if (ms->nrows > 1) {
			bool resolved = false;

			for (size_t k = 0; k < ms->nrows; k++)
				resolved |= row_kind_of(ms->rows[k]) == RK_RESOLVED_APPLIED;
			f = finding_new_code(a, "MD010", ms->name);
			finding_title(a, f, "%s has %zu rows%s", ms->name, ms->nrows,
				      resolved ? " (a failure, then 'resolve --applied': LiteLLM's automatic "
						 "resolution, or a hand fix)" : " (retried)");
			/* a report sized by the findings, not the rows: the first and last few */
			for (size_t k = 0; k < ms->nrows; k++) {
				if (k == MD010_ROWS_SHOWN && ms->nrows > 2 * MD010_ROWS_SHOWN) {
					finding_ev(a, f, "row", NULL, "... %zu more rows ...",
						   ms->nrows - 2 * MD010_ROWS_SHOWN);
					k = ms->nrows - MD010_ROWS_SHOWN;
				}
				row_evidence(a, f, ms->rows[k]);
			}
			finding_fix(a, f, "normal for Prisma; deploy counts the migration applied if any row has "
				    "rolled_back_at NULL");
		}
		if (ms->checksum_mismatch && ms->status == MS_APPLIED) {
			const char *sum = ms->applied->checksum;
			bool old = litellm_old_checksum(ms->name, sum);

			f = finding_new_code(a, "MD008", ms->name);
			finding_title(a, f, "the file of %s differs from the one that was applied", ms->name);
			finding_ev(a, f, "row", &ms->applied->pos, "checksum in the row: %s", sum);
			finding_ev(a, f, "file", NULL, "sha256 of %s: %s", ms->m->path, ms->m->checksum);
			if (old)
				finding_ev(a, f, "file", NULL, "the row's checksum is that of an earlier LiteLLM "
					   "release of this file: LiteLLM edited it after release");
			finding_fix(a, f, "nothing for deploy (it never compares checksums); 'migrate dev' would "
				    "ask to reset. %s", old ? "Expected after a LiteLLM upgrade." :
				    "Check whether the applied version made different objects.");
		}
	}
}

/* MD021-MD023: what a start did instead of 'migrate deploy'. */
static const char md021_title[] =
	"the Prisma CLI never ran at a start: the schema was not migrated then";
static const char md021_fix[] =
	"no migration was tried and no row changed, so pending migrations stay pending; fix "
	"the image or the network (the reason is in the evidence), then restart";
static const char md022_title[] =
	"a start ran 'prisma db push', not 'migrate deploy': _prisma_migrations does not "
	"record what it changed";
static const char md022_fix[] =
	"compare the rows with the schema (the findings above); with --accept-data-loss, "
	"which LiteLLM passes, the tables it names are dropped, in a shared database maybe "
	"another application's";
static const char md023_title[] =
	"the Prisma client and the schema disagree: the generated client lacks a model the "
	"code uses";
static const char md023_fix[] =
	"the image was built from another schema.prisma than its code expects: regenerate "
	"the client or run the matching image; not a database fault";

static void rule_log_start(struct analysis *a, const struct log_event *e)
{
	const char *d = e->detail ? e->detail : log_event_kind_name(e->kind);
	bool failed = e->kind == LOG_EV_DB_PUSH_FAILED;
	struct finding *f;

	switch (e->kind) {
	case LOG_EV_DEPLOY_NOT_RUN:
		f = finding_group_code(a, "MD021", md021_title, md021_fix);
		finding_ev(a, f, "log", &e->pos,
			   "%s", d);
		break;
	case LOG_EV_DB_PUSH:
	case LOG_EV_DB_PUSH_FAILED:
	case LOG_EV_DB_PUSH_DATA_LOSS:
		f = finding_group_code(a, "MD022", md022_title, md022_fix);
		finding_ev(a, f, "log", &e->pos,
			   "%s%s", failed ? "failed: " : "", d);
		break;
	case LOG_EV_STALE_CLIENT:
		f = finding_group_code(a, "MD023", md023_title, md023_fix);
		finding_ev(a, f, "log", &e->pos,
			   "no attribute %s", d);
		break;
	default:
		break;
	}
}

static void rule_logs(struct analysis *a)
{
	const struct log_events *ev = a->in->logs;

	for (size_t i = 0; ev && i < ev->n; i++) {
		const struct log_event *e = &ev->items[i];
		const char *what = e->message ? e->message : log_event_kind_name(e->kind);

		if (e->kind == LOG_EV_LITELLM_PERMISSION || (e->sqlstate && !strcmp(e->sqlstate, "42501")))
			finding_ev(a, finding_group_code(a, "MD013", "a migration failed for lack of privileges (42501): a grant "
						    "problem, not a state problem",
						    "GRANT the migration user ownership of the tables (or CREATE on "
						    "the schema), then deploy again; no history change fixes this"),
				   "log", &e->pos, "%s: %s", e->migration ? e->migration : "?", what);
		else if (e->kind == LOG_EV_LITELLM_TIMEOUT || e->kind == LOG_EV_LOCK_TIMEOUT ||
			 (e->sqlstate && (!strcmp(e->sqlstate, "57014") || !strcmp(e->sqlstate, "55P03"))))
			finding_ev(a, finding_group_code(a, "MD014", "migrations timed out (LiteLLM's 60 s limit, the advisory lock, "
						    "or a lock/statement timeout)",
						    "a timed-out run may leave an unfinished row or a finished "
						    "migration: see the findings per migration; run long DDL outside "
						    "start-up"),
				   "log", &e->pos, "%s", what);
		else if (e->kind == LOG_EV_UNREACHABLE)
			finding_ev(a, finding_group_code(a, "MD018", "the database could not be reached (P1001) at some start",
						    "a connection problem, not a migration state problem"),
				   "log", &e->pos, "%s", e->detail ? e->detail : "P1001");
		else
			rule_log_start(a, e);
	}
}

/* MD015: schema objects that no applied migration explains. */
static struct finding *drift(struct analysis *a)
{
	return finding_group_code(a, "MD015", "the schema holds objects that no applied migration made",
			     "made by hand, by 'db push', by LiteLLM's baseline diff or by another version; "
			     "nothing is changed (never dropped), but a pending migration that creates them "
			     "will fail");
}

/*
 * Does a migration that is not applied (or a newer version's applied one,
 * known from the built-in facts) make this object (found in the schema)?
 */
static bool unapplied_makes(const struct analysis *a, enum sql_obj kind, const char *table, const char *name)
{
	for (size_t k = 0; k < a->n; k++) {
		const struct mig_state *ms = &a->v[k];
		bool other = ms->status != MS_APPLIED || (!ms->m && ms->facts);

		for (size_t j = 0; j < ms->nfound && other; j++) {
			const struct obj_ref *o = &ms->found[j];

			if (o->kind == kind && !strcmp(o->name, name) &&
			    (!table || !o->table || !strcmp(o->table, table)))
				return true;
		}
	}
	return false;
}

/*
 * One schema at a time: the one Prisma manages here (of _prisma_migrations,
 * or chosen with --schema-name), and others only where a migration names
 * them. migdoctor's own backups are never drift.
 */
static bool drift_scope(const struct catalog *s, const struct catalog *expected, const char *schema)
{
	if (!strcmp(schema, "migdoctor_backup"))
		return false;
	if (!strcmp(schema, s->default_schema))
		return true;
	for (size_t i = 0; i < expected->ntables; i++)
		if (!strcmp(expected->tables[i]->schema, schema))
			return true;
	return false;
}

static void rule_drift(struct analysis *a, const struct catalog *expected)
{
	const struct catalog *s = a->in->schema;
	struct md_pos pos = { a->in->schema_source, 0, 0, 0 };

	for (size_t i = 0; i < s->ntables; i++) {
		const struct cat_table *t = s->tables[i];
		const struct cat_table *et = catalog_table(expected, t->schema, t->name);

		if (!strcmp(t->name, "_prisma_migrations") || !drift_scope(s, expected, t->schema))
			continue;
		if (!et) {
			if (!unapplied_makes(a, SQL_OBJ_TABLE, NULL, t->name))
				finding_ev(a, drift(a), "schema", &pos, "table \"%s\"", t->name);
			continue;
		}
		for (size_t c = 0; c < t->ncols; c++)
			if (!cat_table_column(et, t->cols[c].name) &&
			    !unapplied_makes(a, SQL_OBJ_COLUMN, t->name, t->cols[c].name))
				finding_ev(a, drift(a), "schema", &pos, "column \"%s\".%s", t->name,
					   t->cols[c].name);
	}
	for (size_t i = 0; i < s->nindexes; i++) {
		const struct cat_index *x = s->indexes[i];

		/* on a table that is drift itself, or the history table: said already, or not ours */
		if (!strcmp(x->table, "_prisma_migrations") || !drift_scope(s, expected, x->schema) ||
		    !catalog_table(expected, x->schema, x->table) ||
		    catalog_index(expected, x->schema, x->name) ||
		    unapplied_makes(a, SQL_OBJ_INDEX, x->table, x->name))
			continue;
		finding_ev(a, drift(a), "schema", &pos, "index \"%s\" on \"%s\"", x->name, x->table);
	}
}

static bool finding_names(const struct analysis *a, const char *rel)
{
	for (size_t i = 0; i < a->nfindings; i++)
		for (size_t k = 0; k < a->findings[i]->nrelations; k++)
			if (!strcmp(a->findings[i]->relations[k], rel) && strcmp(a->findings[i]->code, "MD006"))
				return true;
	return false;
}

/*
 * MD007: the logs say 'relation "X" does not exist' (a failed migration, or
 * the proxy at run time): which migration creates X, and what its row says.
 * Only when no other finding already explains X.
 */
static void rule_missing_relations(struct analysis *a)
{
	const struct log_events *ev = a->in->logs;

	for (size_t i = 0; ev && i < ev->n; i++) {
		const struct log_event *e = &ev->items[i];
		const struct mig_state *maker;
		const struct sql_stmt *st = NULL;
		struct finding *f;
		bool dup = false;

		if (!e->relation || e->column || (e->sqlstate && strcmp(e->sqlstate, "42P01")) ||
		    (e->kind != LOG_EV_FAILED && e->kind != LOG_EV_SCHEMA_MISSING_TABLE &&
		     e->kind != LOG_EV_SCHEMA_MISSING_RELATION) ||
		    finding_names(a, e->relation))
			continue;
		for (size_t k = 0; k < a->nfindings && !dup; k++)
			dup = !strcmp(a->findings[k]->code, "MD007") && a->findings[k]->nrelations &&
			      !strcmp(a->findings[k]->relations[0], e->relation);
		if (dup)
			continue;
		f = finding_new_code(a, "MD007", e->migration);
		finding_relation(a, f, e->relation);
		finding_title(a, f, "relation \"%s\" does not exist%s%s", e->relation,
			      e->migration ? " in migration " : "", e->migration ? e->migration : "");
		finding_ev(a, f, "log", &e->pos, "%s", e->message ? e->message : log_event_kind_name(e->kind));
		maker = creator_of(a, e->relation, &st);
		if (maker) {
			struct md_pos pos = { maker->m->path, st->line, st->column, 0 };

			finding_ev(a, f, "statement", &pos, "%s creates it", maker->name);
			if (a->in->hist)
				finding_fix(a, f, "its row says: %s; see the findings on %s",
					    maker->status == MS_APPLIED ? "applied" : maker->status == MS_FAILED ?
					    "failed" : maker->status == MS_PENDING ? "no row (pending)" : "rolled back",
					    maker->name);
			else
				finding_fix(a, f, "%s creates it; give the _prisma_migrations rows (-H) and the "
					    "schema (-s) to tell whether its row says applied while the table is gone",
					    maker->name);
		} else {
			finding_fix(a, f, a->in->dir ? "no migration of this directory creates it: a newer "
				    "version's table, or one made by hand" :
				    "give the migrations directory (-m) to find the migration that creates it");
		}
	}
}

/*
 * MD020: what the schema export could not show. A dump made with 'pg_dump
 * -t' or '-T' leaves tables out; their absence is not proof that they are
 * missing, so the objects on them were taken as unknown (state.c).
 */
void rule_partial_schema(struct analysis *a)
{
	const struct catalog *c = a->in->schema;
	struct finding *f = NULL;
	struct sbuf sb = SBUF_INIT;
	size_t nunknown = 0;

	if (!c)
		return;
	for (size_t i = 0; i < a->n; i++)
		nunknown += a->v[i].nunknown;
	if (!nunknown && !c->nexternal)
		return;
	f = finding_new_code(a, "MD020", NULL);
	finding_title(a, f, "the schema export may be partial (pg_dump -t/-T): %zu object%s absent from it "
		      "%s taken as unknown, not missing", nunknown, nunknown == 1 ? "" : "s",
		      nunknown == 1 ? "is" : "are");
	for (size_t i = 0; i < c->nexternal; i++)
		finding_ev(a, f, "schema", &c->external[i].pos, "it refers to %s \"%s\" without defining it: "
			   "the object exists, the export left it out", c->external[i].kind == SQL_OBJ_TYPE ?
			   "type" : "relation", c->external[i].name);
	for (size_t i = 0; i < a->n; i++) {
		const struct mig_state *ms = &a->v[i];

		if (!ms->nunknown)
			continue;
		sbuf_reset(&sb);
		for (size_t k = 0; k < ms->nunknown && k < 8; k++)
			sb_printf(&sb, "%s%s", k ? ", " : "", obj_text(&a->arena, &ms->unknown[k]));
		if (ms->nunknown > 8)
			sb_printf(&sb, " and %zu more", ms->nunknown - 8);
		finding_ev(a, f, "schema", &(struct md_pos){ a->in->schema_source, 0, 0, 0 },
			   "%s: %s not in the export, and no log line or row says %s missing", ms->name, sb.buf,
			   ms->nunknown == 1 ? "it is" : "they are");
		for (size_t k = 0; k < ms->nunknown; k++)
			if (ms->unknown[k].kind == SQL_OBJ_TABLE)
				finding_relation(a, f, ms->unknown[k].name);
	}
	sbuf_release(&sb);
	finding_fix(a, f, "nothing is concluded about these objects. If they really are missing, give the "
		    "start-up log that says so (-l), or a whole 'pg_dump -s' (or --schema-complete to "
		    "state that this export is whole); a repair script checks every object it relies on "
		    "before it changes anything");
	if (nunknown)
		analysis_unconcluded(a, "whether %zu object%s of applied migrations exist%s: the schema "
				     "export may be partial (see MD020)", nunknown, nunknown == 1 ? "" : "s",
				     nunknown == 1 ? "s" : "");
}

/* Does the migration make or change something on this table? */
static bool touches_table(const struct mig_state *ms, const char *schema, const char *table)
{
	for (size_t i = 0; i < ms->nobjs; i++) {
		const struct obj_ref *o = &ms->objs[i];
		const char *rel = o->kind == SQL_OBJ_TABLE ? o->name : o->table;

		if (rel && !strcmp(rel, table) && ((!schema && !o->schema) || (schema && o->schema &&
										 !strcmp(schema, o->schema))))
			return true;
	}
	return false;
}

/*
 * An applied migration whose objects are all gone is marked rolled back so
 * deploy re-runs it; but deploy runs after the script, so if the script
 * re-creates a later migration's objects on the same table, the re-run
 * would add its columns after the later ones: the table would differ from
 * a clean deploy. Then it is re-created forward too, in migration order,
 * and its row stays applied.
 */
static void order_fixes(struct analysis *a)
{
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t i = 0; i < a->nfindings; i++) {
			struct finding *f = a->findings[i];
			struct fix_action *x = f->nactions ? &f->actions[0] : NULL;
			const struct mig_state *ms;
			bool later = false;

			if (strcmp(f->code, "MD003") || !x || x->kind != FIX_MARK_ROLLED_BACK || !x->ms->m ||
			    needs_rerun(x->ms))
				continue;
			for (size_t k = 0; k < a->nfindings && !later; k++)
				for (size_t j = 0; j < a->findings[k]->nactions && !later; j++) {
					const struct fix_action *y = &a->findings[k]->actions[j];

					if (y->kind != FIX_RECREATE || y->ms <= x->ms)
						continue;
					for (size_t o = 0; o < y->ms->nrebuild && !later; o++) {
						const struct obj_ref *r = &y->ms->rebuild[o];

						later = touches_table(x->ms, r->schema,
								      r->kind == SQL_OBJ_TABLE ? r->name : r->table);
					}
				}
			if (!later)
				continue;
			ms = x->ms;
			f->nactions = 0;
			finding_fix(a, f, "none of its objects exist; a later migration's objects on the same "
				    "tables are re-created too, so these are re-created forward, in migration "
				    "order (a re-run by deploy would come after them); its row stays applied");
			finding_action(f, FIX_RECREATE, ms, NULL, "re-created in migration order");
			changed = true;
		}
	}
}

void rules_run(struct analysis *a, const struct catalog *expected)
{
	const struct analysis_input *in = a->in;
	bool baseline = in->dir && in->schema && in->hist && !in->has_history_table;

	if (in->dir && in->dir->lock == LOCK_MISMATCH) {
		struct finding *f = finding_new_code(a, "MD012", NULL);

		finding_title(a, f, "migration_lock.toml names provider '%s': every deploy stops with P3019",
			      in->dir->provider);
		finding_ev(a, f, "file", &(struct md_pos){ arena_printf(&a->arena, "%s/migration_lock.toml",
								       in->dir->path),
							   in->dir->provider_line, 0, 0 },
			   "provider = %s", in->dir->provider);
		finding_fix(a, f, "the file must say provider = \"postgresql\" (exactly, with the spaces)");
	}
	if (baseline) {
		rule_baseline(a);
	} else if (!in->dir && in->schema && in->hist && !in->has_history_table && in->schema->ntables) {
		/* the same state, without the directory a baseline needs */
		struct finding *f = finding_new_code(a, "MD005", NULL);

		finding_title(a, f, "the database has tables but no _prisma_migrations: deploy stops with P3005");
		finding_ev(a, f, "schema", &(struct md_pos){ in->schema_source, 0, 0, 0 },
			   "%zu tables, no _prisma_migrations table", in->schema->ntables);
		finding_fix(a, f, "give the migrations directory of the running version (-m): the baseline "
			    "records as applied each migration whose objects all exist, with its checksum");
	}
	for (size_t i = 0; i < a->n; i++) {
		struct mig_state *ms = &a->v[i];

		for (size_t k = 0; in->logs && k < in->logs->n; k++) {
			const struct log_event *e = &in->logs->items[k];

			if (e->migration && !strcmp(e->migration, ms->name) &&
			    (e->kind == LOG_EV_FAILED || e->kind == LOG_EV_REFUSED))
				ms->failure = e;
		}
		if (ms->status == MS_FAILED)
			rule_failed(a, ms);
		else if (ms->status == MS_APPLIED && ms->m &&
			 (ms->presence == PR_NONE || ms->presence == PR_PARTIAL))
			rule_applied_missing(a, expected, ms);
		else if (ms->status == MS_APPLIED && !ms->m && ms->facts &&
			 (ms->presence == PR_NONE || ms->presence == PR_PARTIAL))
			rule_foreign_missing(a, ms);
	}
	order_fixes(a);
	if (!baseline)
		rule_plan(a, &a->plan);
	rule_rows(a);
	rule_logs(a);
	rule_missing_relations(a);
	/* drift is measured against what the directory's applied migrations make */
	if (in->dir && in->schema && in->hist && in->has_history_table)
		rule_drift(a, expected);
}
