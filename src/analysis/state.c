/*
 * state.c - each migration as Prisma sees it (from its rows), and how
 * much of what it made the real schema still holds.
 */
#include "migdoctor/common.h"
#include "migdoctor/analysis.h"
#include "migdoctor/log_outcome.h"
#include "migdoctor/sbuf.h"
#include "analysis_int.h"
#include "litellm_facts.h"
#include "migdoctor/strutil.h"

const char *severity_name(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "info";
}

int severity_parse(const char *s, enum severity *out)
{
	if (!strcmp(s, "error"))
		*out = SEV_ERROR;
	else if (!strcmp(s, "warning"))
		*out = SEV_WARNING;
	else if (!strcmp(s, "info"))
		*out = SEV_INFO;
	else
		return -1;
	return 0;
}

const char *presence_name(enum presence p)
{
	static const char *const n[] = { "unknown", "no objects", "absent", "partly present", "present" };

	return n[p];
}

const char *row_kind_name(enum row_kind k)
{
	static const char *const n[] = {
		"applied by migrate deploy", "marked applied by migrate resolve --applied (SQL not run)",
		"finished (not by deploy: steps 0 or logs set)", "failed with an SQL error",
		"interrupted after the script finished (steps 1)", "interrupted (killed, timed out or disconnected)",
		"rolled back",
	};

	return n[k];
}

enum row_kind row_kind_of(const struct history_row *r)
{
	if (r->rolled_back_at.kind != MD_TS_NULL)
		return RK_ROLLED_BACK;
	if (r->finished_at.kind != MD_TS_NULL) {
		/* logs not exported: as unknown as a paste that cannot tell NULL from '' */
		unsigned unsure = r->ambiguous | r->missing;
		bool empty_logs = (r->logs && !r->logs[0]) || (!r->logs && (unsure & (1u << HC_LOGS)));

		if (r->applied_steps_count >= 1 && !r->logs)
			return RK_DEPLOYED;
		/* resolve --applied writes logs '' and finished_at = started_at (prisma.md §1.2);
		 * a format that cannot tell NULL from '' leaves only the timestamps to say it */
		if (r->applied_steps_count == 0 &&
		    (empty_logs || (!r->logs && r->finished_at.kind == MD_TS_VALUE &&
				    r->started_at.kind == MD_TS_VALUE && r->finished_at.usec == r->started_at.usec)))
			return RK_RESOLVED_APPLIED;
		return RK_FINISHED_OTHER;
	}
	if ((r->logs && r->logs[0]) || (r->missing & (1u << HC_LOGS)))
		return RK_FAILED_SQL; /* without its logs, the failure cannot be told from an interruption */
	return r->applied_steps_count >= 1 ? RK_INTERRUPTED_DONE : RK_INTERRUPTED;
}

static bool row_failed(const struct history_row *r)
{
	return r->finished_at.kind == MD_TS_NULL && r->rolled_back_at.kind == MD_TS_NULL;
}

static int cmp_started(const void *a, const void *b)
{
	const struct history_row *x = *(const struct history_row *const *)a;
	const struct history_row *y = *(const struct history_row *const *)b;

	if (x->started_at.usec != y->started_at.usec)
		return x->started_at.usec < y->started_at.usec ? -1 : 1;
	return x < y ? -1 : x > y; /* stable: input order */
}

static int cmp_state_name(const void *x, const void *y)
{
	return strcmp(((const struct mig_state *)x)->name, ((const struct mig_state *)y)->name);
}

static struct mig_state *add_state(struct analysis *a, const char *name, const struct migration *m)
{
	struct mig_state *ms;

	MD_GROW(a->v, a->n, a->cap);
	ms = &a->v[a->n++];
	memset(ms, 0, sizeof(*ms));
	ms->name = name;
	ms->m = m;
	ms->shipped_in = litellm_shipped_in(name);
	return ms;
}

/*
 * The rows of each name, found in a copy of the rows sorted by name (a
 * history of 100,000 rows: one sort, not a scan of every row per migration).
 */
struct row_index {
	const struct history_row **v; /* rows with a name, by name, then input order */
	size_t n;
};

static int cmp_row_name(const void *a, const void *b)
{
	const struct history_row *x = *(const struct history_row *const *)a;
	const struct history_row *y = *(const struct history_row *const *)b;
	int c = strcmp(x->migration_name, y->migration_name);

	return c ? c : (x < y ? -1 : x > y);
}

static void row_index_build(struct row_index *ix, const struct history *h)
{
	ix->v = xreallocarray(NULL, h->nrows ? h->nrows : 1, sizeof(*ix->v));
	ix->n = 0;
	for (size_t i = 0; i < h->nrows; i++)
		if (h->rows[i].migration_name)
			ix->v[ix->n++] = &h->rows[i];
	qsort(ix->v, ix->n, sizeof(*ix->v), cmp_row_name);
}

/* The first entry of ix named name, or ix->n. */
static size_t row_index_find(const struct row_index *ix, const char *name)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(ix->v[mid]->migration_name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->n && !strcmp(ix->v[lo]->migration_name, name) ? lo : ix->n;
}

static void attach_rows(struct analysis *a, struct mig_state *ms, const struct row_index *ix)
{
	size_t first = row_index_find(ix, ms->name), n = 0;

	while (first + n < ix->n && !strcmp(ix->v[first + n]->migration_name, ms->name))
		n++;
	if (!n)
		return;
	ms->rows = arena_alloc(&a->arena, n * sizeof(*ms->rows));
	for (size_t i = 0; i < n; i++)
		ms->rows[ms->nrows++] = ix->v[first + i];
	qsort(ms->rows, ms->nrows, sizeof(*ms->rows), cmp_started);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void classify(struct mig_state *ms)
{
	ms->status = ms->nrows ? MS_ROLLED_BACK : MS_PENDING;
	for (size_t i = 0; i < ms->nrows; i++) {
		const struct history_row *r = ms->rows[i];

		if (row_failed(r)) {
			if (!ms->blocking)
				ms->blocking = r;
			ms->status = MS_FAILED;
		} else if (r->rolled_back_at.kind == MD_TS_NULL && ms->status != MS_FAILED) {
			if (!ms->applied)
				ms->applied = r;
			ms->status = MS_APPLIED;
		}
	}
	if (ms->m && !ms->m->missing_sql) {
		/* 'migrate status' compares the first row by started_at (prisma.md §2) */
		const struct history_row *r = ms->applied ? ms->applied : ms->nrows ? ms->rows[0] : NULL;

		if (r && r->checksum && !migration_checksum_matches(ms->m, r->checksum))
			ms->checksum_mismatch = true;
	}
}

void state_build(struct analysis *a)
{
	const struct analysis_input *in = a->in;
	const char *newest = NULL;
	struct row_index ix = { NULL, 0 };
	const char **local = NULL;
	size_t nlocal = 0;

	if (in->hist)
		row_index_build(&ix, in->hist);
	if (in->dir)
		for (size_t i = 0; i < in->dir->n; i++) {
			struct mig_state *ms = add_state(a, in->dir->v[i].name, &in->dir->v[i]);

			ms->origin = RO_LOCAL;
			newest = ms->name;
			if (in->hist)
				attach_rows(a, ms, &ix);
			classify(ms);
		}
	if (!in->hist)
		return;
	local = xreallocarray(NULL, a->n ? a->n : 1, sizeof(*local));
	for (size_t k = 0; k < a->n; k++)
		local[nlocal++] = a->v[k].name;
	qsort(local, nlocal, sizeof(*local), cmp_str);
	/* rows of migrations that are not in the local directory, each name once, in row order */
	for (size_t i = 0; i < in->hist->nrows; i++) {
		const struct history_row *row = &in->hist->rows[i];
		const char *name = row->migration_name;
		struct mig_state *ms;

		if (!name || bsearch(&name, local, nlocal, sizeof(*local), cmp_str) ||
		    ix.v[row_index_find(&ix, name)] != row)
			continue;
		ms = add_state(a, name, NULL);
		attach_rows(a, ms, &ix);
		classify(ms);
		ms->facts = litellm_fact(name);
		if (litellm_local_row(name))
			ms->origin = RO_LITELLM_LOCAL;
		else if (litellm_historical(name))
			ms->origin = RO_HISTORICAL;
		else if (!in->dir)
			ms->origin = ms->facts ? RO_LITELLM : RO_UNKNOWN;
		else if (!newest || strcmp(name, newest) > 0)
			ms->origin = RO_NEWER;
		else
			ms->origin = RO_UNKNOWN;
	}
	free(local);
	free(ix.v);
	/* without a directory, the rows in the order deploy would apply their folders */
	if (!in->dir && a->n > 1)
		qsort(a->v, a->n, sizeof(*a->v), cmp_state_name);
}

/* --- the objects a migration makes, and whether the schema holds them --- */

bool object_exists(const struct catalog *c, const struct obj_ref *o)
{
	const struct cat_table *t;

	switch (o->kind) {
	case SQL_OBJ_TABLE:
	case SQL_OBJ_VIEW:
		return catalog_table(c, o->schema, o->name) != NULL;
	case SQL_OBJ_COLUMN: {
		const struct cat_table *ct = catalog_table(c, o->schema, o->table);
		const struct cat_column *col = cat_table_column(ct, o->name);

		if (col && o->prop == SQL_PROP_SET_NOT_NULL)
			return col->not_null;
		if (col && o->prop == SQL_PROP_DROP_NOT_NULL)
			return !col->not_null;
		if (col && o->prop == SQL_PROP_TYPE)
			return !o->value || !col->type || !strcmp(col->type, o->value);
		if (col && o->prop == SQL_PROP_SET_DEFAULT)
			return col->has_default &&
			       sql_default_same(col->default_sql, o->value) != 0;
		if (col && o->prop == SQL_PROP_DROP_DEFAULT)
			return !col->has_default;
		return col != NULL;
	}
	case SQL_OBJ_INDEX:
		return catalog_index(c, o->schema, o->name) != NULL;
	case SQL_OBJ_CONSTRAINT:
		t = catalog_table(c, o->schema, o->table);
		for (size_t i = 0; t && i < t->ncons; i++)
			if (!strcmp(t->cons[i].name, o->name))
				return true;
		return false;
	case SQL_OBJ_ENUM_VALUE: {
		const struct cat_object *ty = catalog_object(c, SQL_OBJ_TYPE, o->schema, o->table);

		for (size_t i = 0; ty && i < ty->nvalues; i++)
			if (!strcmp(ty->values[i], o->name))
				return true;
		return false;
	}
	default:
		return catalog_object(c, o->kind, o->schema, o->name) != NULL;
	}
}

bool effect_ref(const struct sql_effect *e, bool new_name, struct obj_ref *o)
{
	memset(o, 0, sizeof(*o));
	o->kind = e->obj;
	o->schema = e->schema;
	o->e = e;
	switch (e->obj) {
	case SQL_OBJ_TABLE:
	case SQL_OBJ_VIEW:
	case SQL_OBJ_TYPE:
	case SQL_OBJ_EXTENSION:
	case SQL_OBJ_SEQUENCE:
		o->name = new_name ? e->new_name : e->name;
		break;
	case SQL_OBJ_INDEX:
		o->name = new_name ? e->new_name : e->name;
		o->table = e->table;
		break;
	case SQL_OBJ_COLUMN:
	case SQL_OBJ_CONSTRAINT:
		o->table = e->table;
		o->name = new_name ? e->new_name : e->sub;
		break;
	case SQL_OBJ_ENUM_VALUE:
		o->table = e->name; /* the type */
		o->name = new_name ? e->new_name : e->sub;
		break;
	default:
		return false; /* functions, triggers: pg_dump shows them, but not worth a verdict */
	}
	return o->name != NULL;
}

/* The objects the effect makes, or false if it makes none worth checking. */
static bool effect_object(const struct sql_effect *e, struct obj_ref *o)
{
	if (e->action != SQL_PROVIDES || (e->flags & (SQL_CONDITIONAL | SQL_IMPLIED | SQL_DYNAMIC)))
		return false;
	return effect_ref(e, false, o);
}

/*
 * A column made inside the CREATE TABLE of the same migration is the table.
 * Its constraints are not: a restore of the table alone ('pg_restore -t')
 * brings the table back without its primary key, unique, check and foreign
 * keys, which are separate archive entries.
 */
static bool part_of_created_table(const struct sql_script *s, const struct sql_effect *e)
{
	if (e->obj != SQL_OBJ_COLUMN)
		return false;
	for (size_t i = 0; i < s->neffects; i++) {
		const struct sql_effect *t = &s->effects[i];

		if (t->stmt == e->stmt && t->action == SQL_PROVIDES && t->obj == SQL_OBJ_TABLE &&
		    md_same(t->name, e->table) && md_same(t->schema, e->schema))
			return true;
	}
	return false;
}

/*
 * Prisma changes an enum by building "E_new", swapping the column over and
 * renaming "E_new" to "E": the name a type created at effect `at` ends up
 * with in its own script (itself when never renamed).
 */
static const char *final_type_name(const struct sql_script *s, size_t at, const char *name)
{
	for (size_t i = at + 1; i < s->neffects; i++) {
		const struct sql_effect *e = &s->effects[i];

		if (e->action == SQL_RENAMES && e->obj == SQL_OBJ_TYPE && md_same(e->name, name) && e->new_name)
			name = e->new_name;
		else if (e->action == SQL_REMOVES && e->obj == SQL_OBJ_TYPE && md_same(e->name, name))
			return NULL;
	}
	return name;
}

/* The bare name in a rendered type ("Role" -> Role, text[] stays). */
static const char *bare_type(struct arena *ar, const char *type)
{
	size_t n = type ? strlen(type) : 0;

	if (n >= 2 && type[0] == '"' && type[n - 1] == '"')
		return arena_strndup(ar, type + 1, n - 2);
	return type;
}

/* A later effect of the same script removes or renames it. */
static bool undone_later(const struct sql_script *s, size_t at, const struct obj_ref *o)
{
	for (size_t i = at + 1; i < s->neffects; i++) {
		const struct sql_effect *e = &s->effects[i];
		const char *name = e->obj == SQL_OBJ_COLUMN || e->obj == SQL_OBJ_CONSTRAINT ? e->sub : e->name;

		if ((e->action == SQL_REMOVES || e->action == SQL_RENAMES) && e->obj == o->kind &&
		    md_same(name, o->name))
			return true;
	}
	return false;
}

static void push_obj(struct obj_ref **v, size_t *n, size_t *cap, const struct obj_ref *o)
{
	MD_GROW(*v, *n, *cap);
	(*v)[(*n)++] = *o;
}

/*
 * Whether what the migration removes, renames and changes also shows in
 * the schema: the dropped index is gone, the renamed column has its new
 * name, the altered column its new type. Together with its objects being
 * present, that is a migration that has visibly run.
 */
/* Does a later effect of the script make, rename to, or drop this name? Then an
 * earlier rename or drop of it is an intermediate step, not a visible result. */
bool name_reused_later(const struct sql_script *s, size_t at, enum sql_obj obj, const char *name)
{
	for (size_t i = at + 1; i < s->neffects; i++) {
		const struct sql_effect *e = &s->effects[i];
		const char *n = obj == SQL_OBJ_COLUMN || obj == SQL_OBJ_CONSTRAINT ? e->sub : e->name;

		if (e->obj != obj)
			continue;
		if ((e->action == SQL_PROVIDES || e->action == SQL_REMOVES) && md_same(n, name))
			return true;
		if (e->action == SQL_RENAMES && (md_same(e->new_name, name) || md_same(n, name)))
			return true;
	}
	return false;
}

/* An object in the words of a report: column "T"."c", enum value 'v' of "E", index "i" ... */
static const char *ref_words(struct arena *ar, const struct obj_ref *o)
{
	switch (o->kind) {
	case SQL_OBJ_COLUMN:
		return arena_printf(ar, "column \"%s\".\"%s\"", o->table, o->name);
	case SQL_OBJ_CONSTRAINT:
		return arena_printf(ar, "constraint \"%s\" on \"%s\"", o->name, o->table);
	case SQL_OBJ_ENUM_VALUE:
		return arena_printf(ar, "enum value '%s' of \"%s\"", o->name, o->table);
	default:
		return arena_printf(ar, "%s \"%s\"", sql_obj_name(o->kind), o->name);
	}
}

/* The object an effect names, in words (its new name when new_name). */
static const char *effect_words(struct arena *ar, const struct sql_effect *e, bool new_name)
{
	struct obj_ref o;

	if (effect_ref(e, new_name, &o))
		return ref_words(ar, &o);
	return arena_printf(ar, "%s \"%s\"", sql_obj_name(e->obj),
			    new_name ? e->new_name : e->name ? e->name : e->sub ? e->sub : "?");
}

/*
 * A column this migration's fix makes again (missing, or absent from a
 * partial export): the re-created column has the migration's final form,
 * so what an ALTER did to it is not a sign that the ALTER ran.
 */
static bool column_remade(const struct mig_state *ms, const struct sql_effect *e)
{
	const struct obj_ref *v[2] = { ms->missing, ms->unknown };
	size_t n[2] = { ms->nmissing, ms->nunknown };

	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < n[k]; i++)
			if (v[k][i].kind == SQL_OBJ_COLUMN && md_same(v[k][i].table, e->table) &&
			    md_same(v[k][i].name, e->sub) && md_same(v[k][i].schema, e->schema))
				return true;
	return false;
}

/* The first ALTER of a column whose result the schema does not show, in words; NULL if none. */
static const char *alter_unseen(struct arena *ar, const struct sql_script *s, size_t i,
				const struct catalog *c)
{
	const struct sql_effect *e = &s->effects[i];
	const struct cat_table *t = catalog_table(c, e->schema, e->table);
	const struct cat_column *col = cat_table_column(t, e->sub);
	const char *want = e->type, *what = effect_words(ar, e, false);

	if (!col)
		return arena_printf(ar, "%s is not there (line %u alters it)", what, e->line);
	if (e->prop == SQL_PROP_TYPE && want) {
		/* the column's new type may be renamed later in the script (enum swap) */
		const char *fin = final_type_name(s, i, bare_type(ar, want));

		if (fin && strcmp(fin, bare_type(ar, want)))
			want = arena_printf(ar, "\"%s\"", fin);
		if (col->type && strcmp(want, col->type) && strcmp(bare_type(ar, want), col->type))
			return arena_printf(ar, "%s has type %s, not %s (line %u)", what, col->type,
					    want, e->line);
	}
	if (e->prop == SQL_PROP_SET_NOT_NULL && !col->not_null && !(e->flags & SQL_IMPLIED))
		return arena_printf(ar, "%s allows NULL (line %u makes it NOT NULL)", what,
				    e->line);
	if (e->prop == SQL_PROP_DROP_NOT_NULL && col->not_null)
		return arena_printf(ar, "%s is NOT NULL (line %u drops NOT NULL)", what, e->line);
	return NULL;
}

/*
 * Does the schema show every effect of the migration besides the objects
 * it makes? What it drops is gone, what it renames has its new name and
 * not its old one, the columns it alters are as it leaves them, and the
 * labels its enum swap drops are gone. When not, ms->unseen says the
 * first effect that does not show.
 */
static bool effects_visible(struct analysis *a, struct mig_state *ms, const struct catalog *c)
{
	const struct sql_script *s = &ms->m->script;
	struct arena *ar = &a->arena;

	for (size_t i = 0; i < s->neffects; i++) {
		const struct sql_effect *e = &s->effects[i];
		bool sub = e->obj == SQL_OBJ_COLUMN || e->obj == SQL_OBJ_CONSTRAINT ||
			   e->obj == SQL_OBJ_ENUM_VALUE;
		struct sql_effect probe;
		const char *why = NULL;

		if (e->flags & (SQL_CONDITIONAL | SQL_DYNAMIC))
			continue;
		switch (e->action) {
		case SQL_REMOVES:
			if (!name_reused_later(s, i, e->obj, e->obj == SQL_OBJ_COLUMN ||
					       e->obj == SQL_OBJ_CONSTRAINT ? e->sub : e->name) &&
			    catalog_has(c, e))
				why = arena_printf(ar, "%s is still there (line %u drops it)",
						   effect_words(ar, e, false), e->line);
			break;
		case SQL_RENAMES:
			probe = *e;
			if (sub)
				probe.sub = e->new_name;
			else
				probe.name = e->new_name;
			if (!name_reused_later(s, i, e->obj, sub ? e->sub : e->name) &&
			    catalog_has(c, e))
				why = arena_printf(ar, "%s is still there (line %u renames it to "
						   "\"%s\")", effect_words(ar, e, false), e->line,
						   e->new_name);
			else if (!name_reused_later(s, i, e->obj, e->new_name) &&
				 !catalog_has(c, &probe))
				why = arena_printf(ar, "%s is not there (line %u renames \"%s\" to "
						   "it)", effect_words(ar, e, true), e->line,
						   sub ? e->sub : e->name);
			break;
		case SQL_ALTERS:
			if (e->obj == SQL_OBJ_COLUMN && !column_remade(ms, e))
				why = alter_unseen(ar, s, i, c);
			break;
		default:
			break;
		}
		if (why) {
			ms->unseen = why;
			return false;
		}
	}
	if (ms->labels_unknown) {
		ms->unseen = "its enum swap rebuilds a type no earlier migration made, so the "
			     "labels it drops are not known";
		return false;
	}
	for (size_t i = 0; i < ms->ndropped_labels; i++)
		if (object_exists(c, &ms->dropped_labels[i])) {
			const struct obj_ref *o = &ms->dropped_labels[i];

			ms->unseen = arena_printf(ar, "%s is still there (line %u: the enum swap drops "
						  "it)", ref_words(ar, o), o->stmt->line);
			return false;
		}
	return true;
}

/* Does a migration after dir->v[at] make this label of the enum type again? */
static bool label_made_later(const struct migration_dir *dir, size_t at, const char *schema,
			     const char *type, const char *label)
{
	for (size_t j = at + 1; j < dir->n; j++) {
		const struct sql_script *s = &dir->v[j].script;

		for (size_t k = 0; k < s->neffects; k++) {
			const struct sql_effect *e = &s->effects[k];

			if (e->action != SQL_PROVIDES || !md_same(e->schema, schema))
				continue;
			if (e->obj == SQL_OBJ_ENUM_VALUE && md_same(e->name, type) &&
			    md_same(e->sub, label))
				return true;
			if (e->obj != SQL_OBJ_TYPE || !e->type || strcmp(e->type, "enum") ||
			    !md_same(final_type_name(s, k, e->name), type))
				continue;
			for (size_t v = 0; v < e->ncols; v++)
				if (!strcmp(e->cols[v], label))
					return true;
		}
	}
	return false;
}

static bool in_list(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/*
 * The first effect of the script on the type of this name in this schema
 * (made, renamed to or from, dropped): the one that replaces the enum.
 */
static const struct sql_effect *type_touched(const struct sql_script *s, const struct catalog *c,
					     const char *schema, const char *name)
{
	for (size_t k = 0; k < s->neffects; k++) {
		const struct sql_effect *e = &s->effects[k];

		if (e->obj == SQL_OBJ_TYPE &&
		    (md_same(e->name, name) || md_same(e->new_name, name)) &&
		    !strcmp(e->schema ? e->schema : c->default_schema, schema))
			return e;
	}
	return NULL;
}

static bool is_enum(const struct cat_object *o)
{
	return o && o->type_kind == 'e';
}

/*
 * The labels dir->v[at] removes from an enum, whatever its statements
 * (Prisma's "E_new" renamed to "E", "E" renamed away first and made
 * again, a drop and a new CREATE TYPE): the labels each enum has, under
 * its name, before the migration (before) and after it (after). Labels a
 * later migration adds back are not counted.
 */
static void label_drops(struct analysis *a, struct mig_state *ms, const struct catalog *before,
			const struct catalog *after, size_t at)
{
	const struct sql_script *s = &ms->m->script;

	for (size_t i = 0; i < before->nobjects; i++) {
		const struct cat_object *old = before->objects[i];
		const struct cat_object *now;
		const struct sql_effect *e;

		if (old->kind != SQL_OBJ_TYPE || !is_enum(old) ||
		    !(e = type_touched(s, before, old->schema, old->name)))
			continue;
		now = catalog_object(after, SQL_OBJ_TYPE, old->schema, old->name);
		for (size_t v = 0; is_enum(now) && v < old->nvalues; v++) {
			struct obj_ref o = { 0 };

			if (in_list(now->values, now->nvalues, old->values[v]) ||
			    label_made_later(a->in->dir, at, e->schema, old->name, old->values[v]))
				continue;
			o.kind = SQL_OBJ_ENUM_VALUE;
			o.schema = e->schema;
			o.table = arena_strdup(&a->arena, old->name);
			o.name = arena_strdup(&a->arena, old->values[v]);
			o.e = e;
			o.stmt = &s->stmts[e->stmt];
			push_obj(&ms->dropped_labels, &ms->ndropped_labels, &ms->dropped_labels_cap,
				 &o);
		}
	}
	/* an enum renamed away or dropped, and an enum of that name after: one
	 * no earlier migration made was replaced, its old labels are unknown */
	for (size_t k = 0; k < s->neffects; k++) {
		const struct sql_effect *e = &s->effects[k];

		if (e->obj == SQL_OBJ_TYPE &&
		    (e->action == SQL_RENAMES || e->action == SQL_REMOVES) &&
		    is_enum(catalog_object(after, SQL_OBJ_TYPE, e->schema, e->name)) &&
		    !catalog_object(before, SQL_OBJ_TYPE, e->schema, e->name))
			ms->labels_unknown = true;
	}
}

/* Only a type renamed away or dropped can lose labels: PostgreSQL has no DROP VALUE. */
static bool replaces_type(const struct sql_script *s)
{
	for (size_t k = 0; k < s->neffects; k++)
		if ((s->effects[k].action == SQL_RENAMES || s->effects[k].action == SQL_REMOVES) &&
		    s->effects[k].obj == SQL_OBJ_TYPE)
			return true;
	return false;
}

/*
 * The labels each migration removes from an enum: the directory's
 * migrations replayed in order, the enums before each migration that
 * renames or drops a type compared with the enums after it.
 */
static void swap_labels(struct analysis *a)
{
	const struct migration_dir *dir = a->in->dir;
	struct mig_state **of;
	struct catalog cat;
	bool any = false;

	for (size_t i = 0; dir && i < dir->n && !any; i++)
		any = replaces_type(&dir->v[i].script);
	if (!any)
		return;
	of = xcalloc(dir->n, sizeof(*of));
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].m && a->v[i].m >= dir->v && a->v[i].m < dir->v + dir->n)
			of[a->v[i].m - dir->v] = &a->v[i];
	catalog_init(&cat, NULL);
	for (size_t i = 0; i < dir->n; i++) {
		const struct sql_script *s = &dir->v[i].script;
		bool cmp = of[i] && !dir->v[i].missing_sql && replaces_type(s);
		struct catalog before;
		struct replay_error re;

		if (cmp)
			catalog_copy(&before, &cat);
		for (size_t k = 0; k < s->neffects; k++)
			catalog_apply(&cat, &s->effects[k], dir->v[i].name, &re);
		if (cmp) {
			label_drops(a, of[i], &before, &cat, i);
			catalog_release(&before);
		}
	}
	catalog_release(&cat);
	free(of);
}

/*
 * LiteLLM's start-up sanity check (>= 1.77.7) ran since this row: the logs
 * show it, or a '*_baseline_diff' row started after it. It drops what the
 * running version's schema.prisma lacks: a newer version's tables (or,
 * without a directory, the tables of rows the running version may not
 * know) are gone, not left out of the export.
 */
static bool sanity_check_after(const struct analysis *a, const struct mig_state *ms)
{
	const struct history *h = a->in->hist;

	for (size_t i = 0; a->in->logs && i < a->in->logs->n; i++)
		if (a->in->logs->items[i].kind == LOG_EV_LITELLM_DIFF_EXECUTE ||
		    a->in->logs->items[i].kind == LOG_EV_LITELLM_SANITY_CHECK)
			return true; /* the start-up logs of the running version show it */
	for (size_t i = 0; h && ms->applied && i < h->nrows; i++) {
		const struct history_row *r = &h->rows[i];

		if (r->migration_name && strcmp(r->migration_name, "0_init") &&
		    litellm_local_row(r->migration_name) && r->started_at.kind == MD_TS_VALUE &&
		    ms->applied->started_at.kind == MD_TS_VALUE && r->started_at.usec > ms->applied->started_at.usec)
			return true;
	}
	return false;
}

/* The relation an object lives on (itself for a table), or NULL. */
static const char *obj_relation(const struct obj_ref *o)
{
	switch (o->kind) {
	case SQL_OBJ_TABLE:
	case SQL_OBJ_VIEW:
		return o->name;
	case SQL_OBJ_COLUMN:
	case SQL_OBJ_CONSTRAINT:
	case SQL_OBJ_INDEX:
		return o->table;
	default:
		return NULL;
	}
}

static bool dump_has_kind(const struct catalog *c, enum sql_obj kind)
{
	for (size_t i = 0; i < c->nobjects; i++)
		if (c->objects[i]->kind == kind)
			return true;
	return false;
}

/* A failed row's logs say PostgreSQL answered 'relation "rel" does not exist'. */
static bool row_says_missing(const struct analysis *a, const char *rel)
{
	const struct history *h = a->in->hist;
	char *needle;
	bool found = false;

	if (!h)
		return false;
	needle = xasprintf("relation \"%s\" does not exist", rel);
	for (size_t i = 0; i < h->nrows && !found; i++)
		found = h->rows[i].logs && strstr(h->rows[i].logs, needle);
	free(needle);
	return found;
}

/* A log line says this relation does not exist: the absence is real. */
static const struct log_event *log_says_missing(const struct analysis *a, const char *rel)
{
	for (size_t i = 0; a->in->logs && i < a->in->logs->n; i++) {
		const struct log_event *e = &a->in->logs->items[i];

		if (e->relation && !e->column && !strcmp(e->relation, rel) &&
		    (!e->sqlstate || !strcmp(e->sqlstate, "42P01")) &&
		    (e->kind == LOG_EV_FAILED || e->kind == LOG_EV_SCHEMA_MISSING_TABLE ||
		     e->kind == LOG_EV_SCHEMA_MISSING_RELATION))
			return e;
	}
	return NULL;
}

/*
 * A foreign key to rel, made by an applied migration on a table the dump
 * holds, is gone from it. 'pg_dump -T rel' keeps such keys (they belong to
 * the referencing table); DROP TABLE rel CASCADE takes them: rel is gone.
 */
static bool cascade_says_missing(const struct catalog *actual, const struct catalog *expected,
				 const char *schema, const char *rel)
{
	for (size_t i = 0; expected && i < expected->ntables; i++) {
		const struct cat_table *et = expected->tables[i];
		const struct cat_table *t = catalog_table(actual, et->schema, et->name);

		for (size_t k = 0; t && k < et->ncons; k++) {
			const struct cat_constraint *c = &et->cons[k];
			bool kept = false;

			if (c->contype != 'f' || !c->ref_table || strcmp(c->ref_table, rel) ||
			    strcmp(c->ref_schema ? c->ref_schema : expected->default_schema,
				   schema ? schema : actual->default_schema))
				continue;
			for (size_t j = 0; j < t->ncons && !kept; j++)
				kept = !strcmp(t->cons[j].name, c->name);
			if (!kept)
				return true;
		}
	}
	return false;
}

/*
 * An object absent from the dump: missing, or unknown because the dump
 * may be partial. A table's dump holds all its columns, indexes and
 * constraints, so what is absent from a table the dump holds is missing.
 * A whole table absent is proof only with other evidence: a log line or a
 * failed row's logs saying it does not exist, a row that says the
 * migration's SQL never ran, LiteLLM's sanity check having run since a
 * newer version's migration (a later *_baseline_diff row), a foreign key
 * gone with it,
 * or the operator's word (--schema-complete). Types and extensions are left
 * out by 'pg_dump -t': absent, with none of their kind in the dump, they
 * are unknown too.
 */
static bool absence_unproven(const struct analysis *a, const struct mig_state *ms,
			     const struct catalog *expected, const struct obj_ref *o)
{
	const struct catalog *actual = a->in->schema;
	const char *rel = obj_relation(o);

	if (a->in->schema_complete)
		return false;
	if (o->kind == SQL_OBJ_TYPE || o->kind == SQL_OBJ_EXTENSION)
		return !dump_has_kind(actual, o->kind);
	if (o->kind == SQL_OBJ_ENUM_VALUE)
		return !dump_has_kind(actual, SQL_OBJ_TYPE);
	if (!rel || catalog_table(actual, o->schema, rel))
		return false;
	if (ms->applied && row_kind_of(ms->applied) == RK_RESOLVED_APPLIED)
		return false;
	if ((ms->origin == RO_NEWER || ms->origin == RO_LITELLM) && sanity_check_after(a, ms))
		return false;
	if (log_says_missing(a, rel) || row_says_missing(a, rel) ||
	    cascade_says_missing(actual, expected, o->schema, rel))
		return false;
	return true;
}

/* The dump refers to the object (or the table it is on) without defining it: it exists. */
static bool referenced_by_dump(const struct catalog *c, const struct obj_ref *o)
{
	const char *rel = obj_relation(o);

	if (o->kind == SQL_OBJ_TYPE)
		return catalog_external(c, SQL_OBJ_TYPE, o->schema, o->name) != NULL;
	return (o->kind == SQL_OBJ_TABLE || o->kind == SQL_OBJ_VIEW) && rel &&
	       catalog_external(c, SQL_OBJ_TABLE, o->schema, rel) != NULL;
}

/* A failed local migration drops or renames this object (a partial run may have done it). */
static bool removed_by_failed(const struct analysis *a, const struct obj_ref *o)
{
	for (size_t i = 0; i < a->n; i++) {
		const struct mig_state *f = &a->v[i];

		for (size_t k = 0; f->status == MS_FAILED && f->m && k < f->m->script.neffects; k++) {
			const struct sql_effect *e = &f->m->script.effects[k];
			bool sub = e->obj == SQL_OBJ_COLUMN || e->obj == SQL_OBJ_CONSTRAINT;
			const char *name = sub ? e->sub : e->name;

			if ((e->action == SQL_REMOVES || e->action == SQL_RENAMES) && e->obj == o->kind && name &&
			    o->name && !strcmp(name, o->name) && (!sub || (e->table && o->table &&
									    !strcmp(e->table, o->table))))
				return true;
		}
	}
	return false;
}

/* The catalog says another migration made this index or constraint last. */
static bool remade_later(const struct catalog *c, const struct obj_ref *o, const char *name)
{
	const struct cat_table *t;
	const struct cat_index *x;

	switch (o->kind) {
	case SQL_OBJ_INDEX:
		x = catalog_index(c, o->schema, o->name);
		return x && x->origin && strcmp(x->origin, name);
	case SQL_OBJ_CONSTRAINT:
		t = catalog_table(c, o->schema, o->table);
		for (size_t i = 0; t && i < t->ncons; i++)
			if (!strcmp(t->cons[i].name, o->name))
				return t->cons[i].origin && strcmp(t->cons[i].origin, name);
		return false;
	default:
		return false;
	}
}

/*
 * ALTER COLUMN SET/DROP NOT NULL of an applied migration, when the catalog
 * the rows imply still holds that state: a restore of an older copy of the
 * table brings the column back with its old nullability.
 */
static bool nullability(const struct sql_effect *e, const struct catalog *expected,
			const struct mig_state *ms, struct obj_ref *o)
{
	memset(o, 0, sizeof(*o));
	if (e->action != SQL_ALTERS || e->obj != SQL_OBJ_COLUMN || !expected ||
	    ms->status != MS_APPLIED ||
	    (e->prop != SQL_PROP_SET_NOT_NULL && e->prop != SQL_PROP_DROP_NOT_NULL) ||
	    (e->flags & (SQL_CONDITIONAL | SQL_DYNAMIC | SQL_IMPLIED)))
		return false;
	o->kind = SQL_OBJ_COLUMN;
	o->schema = e->schema;
	o->table = e->table;
	o->name = e->sub;
	o->prop = e->prop;
	o->e = e;
	return object_exists(expected, o);
}

/*
 * A rename inside a DO block's IF (IF column "alias" exists THEN RENAME it
 * to "server_name"): what it made is the new name, if the replay of the
 * history took the branch. Only for applied migrations, judged on the
 * catalog their rows imply.
 */
static bool conditional_rename(const struct sql_effect *e, const struct catalog *expected,
			       const struct mig_state *ms, struct obj_ref *o)
{
	memset(o, 0, sizeof(*o));
	if (e->action != SQL_RENAMES || !(e->flags & SQL_CONDITIONAL) || (e->flags & SQL_DYNAMIC) ||
	    !e->new_name || !expected || ms->status != MS_APPLIED)
		return false;
	o->kind = e->obj;
	o->schema = e->schema;
	o->e = e;
	switch (e->obj) {
	case SQL_OBJ_COLUMN:
		o->table = e->table;
		o->name = e->new_name;
		break;
	case SQL_OBJ_TABLE:
	case SQL_OBJ_INDEX:
		o->name = e->new_name;
		break;
	default:
		return false;
	}
	return object_exists(expected, o);
}

static bool is_default_prop(enum sql_prop p)
{
	return p == SQL_PROP_SET_DEFAULT || p == SQL_PROP_DROP_DEFAULT;
}

/* Does a later effect of the script set this column's type (or default) again? */
static bool prop_set_later(const struct sql_script *s, size_t at, const struct sql_effect *e,
			   bool type)
{
	for (size_t i = at + 1; i < s->neffects; i++) {
		const struct sql_effect *x = &s->effects[i];

		if (x->action == SQL_ALTERS && x->obj == SQL_OBJ_COLUMN &&
		    md_same(x->table, e->table) && md_same(x->sub, e->sub) &&
		    md_same(x->schema, e->schema) &&
		    (type ? x->prop == SQL_PROP_TYPE : is_default_prop(x->prop)))
			return true;
	}
	return false;
}

/* The values are copied: the replayed catalog is gone before the report is written. */
static struct obj_ref column_prop(struct arena *ar, const struct sql_script *s,
				  const struct sql_effect *e, const struct cat_column *col,
				  bool type)
{
	struct obj_ref o = { 0 };

	o.kind = SQL_OBJ_COLUMN;
	o.schema = e->schema;
	o.table = e->table;
	o.name = e->sub;
	o.e = e;
	o.stmt = &s->stmts[e->stmt];
	if (type) {
		o.prop = SQL_PROP_TYPE;
		o.value = col->type ? arena_strdup(ar, col->type) : NULL;
	} else {
		o.prop = col->has_default ? SQL_PROP_SET_DEFAULT : SQL_PROP_DROP_DEFAULT;
		if (col->has_default && col->default_sql)
			o.value = arena_strdup(ar, col->default_sql);
	}
	return o;
}

/*
 * A column's type and default, as the migration that set them last left
 * them (the replayed catalog's origins say which). ALTER COLUMN TYPE, SET
 * and DROP DEFAULT are objects of their own; so are the type and default
 * a CREATE TABLE or ADD COLUMN gave, but only where the schema shows the
 * column otherwise (a column that is right is the column, counted once).
 */
static void column_props(struct analysis *a, struct mig_state *ms, const struct catalog *expected,
			 bool all, size_t k)
{
	const struct sql_script *s = &ms->m->script;
	const struct sql_effect *e = &s->effects[k];
	const struct cat_column *col, *have;
	struct obj_ref o;

	if (e->obj != SQL_OBJ_COLUMN || !expected || !(all || ms->status == MS_APPLIED) ||
	    (e->flags & (SQL_CONDITIONAL | SQL_DYNAMIC | SQL_IMPLIED)))
		return;
	col = cat_table_column(catalog_table(expected, e->schema, e->table), e->sub);
	if (!col)
		return;
	if (e->action == SQL_ALTERS) {
		bool type = e->prop == SQL_PROP_TYPE;

		if ((!type && !is_default_prop(e->prop)) || prop_set_later(s, k, e, type) ||
		    !md_same(type ? col->type_origin : col->default_origin, ms->name))
			return;
		o = column_prop(&a->arena, s, e, col, type);
		push_obj(&ms->objs, &ms->nobjs, &ms->objs_cap, &o);
		return;
	}
	if (e->action != SQL_PROVIDES || !a->in->schema)
		return;
	have = cat_table_column(catalog_table(a->in->schema, e->schema, e->table), e->sub);
	if (!have)
		return;
	for (int type = 1; type >= 0; type--) {
		/* no default is nothing made: a live default the migrations never
		 * gave (an operator's) is not missing, and no repair may drop it */
		if (prop_set_later(s, k, e, type) || (!type && !col->has_default) ||
		    !md_same(type ? col->type_origin : col->default_origin, ms->name))
			continue;
		o = column_prop(&a->arena, s, e, col, type);
		if (!object_exists(a->in->schema, &o))
			push_obj(&ms->objs, &ms->nobjs, &ms->objs_cap, &o);
	}
}

/*
 * A view or function that a later migration (applied, or any with all)
 * makes again, CREATE OR REPLACE, named with its schema or without: that
 * one owns its final form, and its statement re-creates it; the first
 * definition would bring back what the later one changed (a view's
 * filter, a function's body).
 */
/* Two schemas of names, an unqualified one (NULL) in Prisma's: the history's, else public. */
static bool same_schema(const struct analysis *a, const char *x, const char *y)
{
	const char *prisma = a->in->hist && a->in->hist->schema_name ? a->in->hist->schema_name
								      : "public";

	return !strcmp(x ? x : prisma, y ? y : prisma);
}

static bool redefined_later(const struct analysis *a, const struct mig_state *ms,
			    const struct obj_ref *o, bool all)
{
	if (o->kind != SQL_OBJ_VIEW && o->kind != SQL_OBJ_FUNCTION)
		return false;
	for (size_t j = (size_t)(ms - a->v) + 1; j < a->n; j++) {
		const struct mig_state *later = &a->v[j];

		if (!later->m || (!all && later->status != MS_APPLIED))
			continue;
		for (size_t k = 0; k < later->m->script.neffects; k++) {
			const struct sql_effect *e = &later->m->script.effects[k];

			if (e->action == SQL_PROVIDES && e->obj == o->kind &&
			    md_same(e->name, o->name) && same_schema(a, e->schema, o->schema))
				return true;
		}
	}
	return false;
}

/* Every object the migration makes and should still have (objects a later applied one dropped are not). */
static void migration_objects(struct analysis *a, struct mig_state *ms, const struct catalog *expected, bool all)
{
	const struct sql_script *s = &ms->m->script;

	for (size_t k = 0; k < s->neffects; k++) {
		const struct sql_effect *e = &s->effects[k];
		struct obj_ref o;

		if (e->action == SQL_PROVIDES && e->obj == SQL_OBJ_TYPE && e->type && !strcmp(e->type, "enum") &&
		    !(e->flags & (SQL_CONDITIONAL | SQL_DYNAMIC))) {
			const char *fin = final_type_name(s, k, e->name);

			if (fin && strcmp(fin, e->name)) {
				/* the labels of the swapped enum, under its final name */
				for (size_t v = 0; v < e->ncols; v++) {
					memset(&o, 0, sizeof(o));
					o.kind = SQL_OBJ_ENUM_VALUE;
					o.schema = e->schema;
					o.table = fin;
					o.name = e->cols[v];
					o.e = e;
					o.stmt = &s->stmts[e->stmt];
					push_obj(&ms->objs, &ms->nobjs, &ms->objs_cap, &o);
				}
				continue;
			}
		}
		column_props(a, ms, expected, all, k);
		if (nullability(e, expected, ms, &o)) {
			/* what SET/DROP NOT NULL left, when it is still the final state */
			if (undone_later(s, k, &o))
				continue;
			o.stmt = &s->stmts[e->stmt];
			push_obj(&ms->objs, &ms->nobjs, &ms->objs_cap, &o);
			continue;
		}
		if (conditional_rename(e, expected, ms, &o)) {
			/* the end state of IF ... THEN RENAME, as the replay of the history left it */
			if (undone_later(s, k, &o))
				continue;
			o.stmt = &s->stmts[e->stmt];
			push_obj(&ms->objs, &ms->nobjs, &ms->objs_cap, &o);
			continue;
		}
		if (!effect_object(e, &o) || part_of_created_table(s, e) || undone_later(s, k, &o))
			continue;
		/* made, then dropped or renamed by a later applied migration: not expected */
		if ((all || ms->status == MS_APPLIED) && expected && !object_exists(expected, &o))
			continue;
		/* dropped and made again by a later one: that one owns its final form */
		if ((all || ms->status == MS_APPLIED) && expected && remade_later(expected, &o, ms->name))
			continue;
		if ((all || ms->status == MS_APPLIED) && redefined_later(a, ms, &o, all))
			continue;
		/* dropped by a failed migration that may have run in part: its fix owns it */
		if (ms->status == MS_APPLIED && removed_by_failed(a, &o))
			continue;
		o.stmt = &s->stmts[e->stmt];
		push_obj(&ms->objs, &ms->nobjs, &ms->objs_cap, &o);
	}
}

/* Is the migration of this name recorded as applied, or as failed (it may have run in part)? */
static bool recorded(const struct analysis *a, const char *name)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->v[i].name, name))
			return a->v[i].status == MS_APPLIED || a->v[i].status == MS_FAILED;
	return false;
}

/*
 * A row without a local folder, of a migration LiteLLM shipped: its objects
 * from the built-in facts, less those a later migration with a row (applied,
 * or failed after a partial run) dropped or made again.
 */
static void fact_objects(struct analysis *a, struct mig_state *ms)
{
	for (size_t k = 0; k < ms->facts->nobjs; k++) {
		const struct litellm_obj *f = &ms->facts->objs[k];
		struct obj_ref o = { 0 };

		if (f->undone_by && recorded(a, f->undone_by))
			continue;
		o.kind = f->kind;
		o.schema = f->schema;
		o.table = f->table;
		o.name = f->name;
		o.prop = f->prop;
		o.value = f->value;
		push_obj(&ms->objs, &ms->nobjs, &ms->objs_cap, &o);
	}
}

void state_presence(struct analysis *a, const struct catalog *expected, bool all)
{
	const struct catalog *actual = a->in->schema;

	swap_labels(a);
	for (size_t i = 0; i < a->n; i++) {
		struct mig_state *ms = &a->v[i];

		ms->presence = PR_UNKNOWN;
		if (!ms->m && ms->facts)
			fact_objects(a, ms);
		else if (!ms->m || ms->m->missing_sql)
			continue;
		else
			migration_objects(a, ms, expected, all);
		if (!actual)
			continue;
		for (size_t k = 0; k < ms->nobjs; k++) {
			struct obj_ref *o = &ms->objs[k];

			if (object_exists(actual, o) || referenced_by_dump(actual, o)) {
				push_obj(&ms->found, &ms->nfound, &ms->found_cap, o);
				continue;
			}
			o->unknown = (all || ms->status == MS_APPLIED) && absence_unproven(a, ms, expected, o);
			if (o->unknown)
				push_obj(&ms->unknown, &ms->nunknown, &ms->unknown_cap, o);
			else
				push_obj(&ms->missing, &ms->nmissing, &ms->missing_cap, o);
			push_obj(&ms->rebuild, &ms->nrebuild, &ms->rebuild_cap, o);
		}
		ms->effects_visible = ms->m && effects_visible(a, ms, actual);
		if (!ms->nobjs)
			ms->presence = PR_NO_OBJECTS;
		else if (!ms->nmissing && !ms->nunknown)
			ms->presence = PR_ALL;
		else if (!ms->nmissing)
			ms->presence = PR_UNKNOWN;
		else if (!ms->nfound && !ms->nunknown)
			ms->presence = PR_NONE;
		else
			ms->presence = PR_PARTIAL;
	}
}

void state_release(struct analysis *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->v[i].objs);
		free(a->v[i].missing);
		free(a->v[i].unknown);
		free(a->v[i].rebuild);
		free(a->v[i].found);
		free(a->v[i].dropped_labels);
	}
}

/* What the start-up logs saw of each migration, in a few words (src/logs/outcome.c). */
void state_logs(struct analysis *a)
{
	const struct log_events *ev = a->in->logs;
	struct sbuf words = SBUF_INIT;

	for (size_t i = 0; ev && i < a->n; i++) {
		struct log_outcome o;

		a->v[i].log_outcome = NULL;
		if (!log_outcome_of(ev, a->v[i].name, &o))
			continue;
		sbuf_reset(&words);
		log_outcome_render(&o, &words);
		if (words.len)
			a->v[i].log_outcome = arena_strdup(&a->arena, words.buf);
	}
	sbuf_release(&words);
}
