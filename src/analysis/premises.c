/*
 * premises.c - what each fix assumes about the schema.
 *
 * The analysis decides from an export, and an export can be partial (pg_dump
 * -t/-T) or stale (the database changed since). So every fix names the
 * facts it relies on, and the repair script checks each of them on the live
 * database before it changes anything:
 *   - marking a row rolled back relies on the migration's objects being
 *     absent (deploy will run it again);
 *   - marking it applied relies on them being present, and on what it
 *     drops or renames (and the enum labels it drops) being gone;
 *   - re-creating objects relies on those being absent and the rest of the
 *     migration's objects present;
 *   - creating _prisma_migrations relies on it being absent.
 */
#include "migdoctor/common.h"
#include "analysis_int.h"

struct plist {
	struct arena *ar;
	const struct catalog *dump;
	struct premise *v;
	size_t n, cap;
};

static void add(struct plist *l, const struct obj_ref *o, bool present)
{
	struct premise *p;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct premise *v = arena_alloc(l->ar, cap * sizeof(*v));

		if (l->n)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	p = &l->v[l->n++];
	p->obj = *o;
	p->present = present;
}

static bool value_prop(const struct obj_ref *o)
{
	return o->kind == SQL_OBJ_COLUMN &&
	       (o->prop == SQL_PROP_TYPE || o->prop == SQL_PROP_SET_DEFAULT ||
		o->prop == SQL_PROP_DROP_DEFAULT);
}

/*
 * A column's type or default, present or missing, is a premise in one
 * form: the column is as the dump shows it (its type as format_type()
 * prints it, its default as pg_get_expr() does, or none). Without the
 * column in the dump (unknown), there is none.
 */
static void add_as_dumped(struct plist *l, const struct catalog *dump, const struct obj_ref *o)
{
	const struct cat_table *t = dump ? catalog_table(dump, o->schema, o->table) : NULL;
	const struct cat_column *have = cat_table_column(t, o->name);
	struct obj_ref p = *o;

	if (!have)
		return;
	if (o->prop == SQL_PROP_TYPE) {
		if (!have->type)
			return;
		p.value = have->type;
	} else {
		p.prop = have->has_default ? SQL_PROP_SET_DEFAULT : SQL_PROP_DROP_DEFAULT;
		p.value = have->has_default ? have->default_sql : NULL;
	}
	add(l, &p, true);
}

static void add_all(struct plist *l, const struct obj_ref *v, size_t n, bool present)
{
	for (size_t i = 0; i < n; i++)
		if (value_prop(&v[i]))
			add_as_dumped(l, l->dump, &v[i]);
		else
			add(l, &v[i], present);
}

/* What a migration recorded as applied must show besides its objects: its drops and renames done. */
static void visible_effects(struct plist *l, const struct mig_state *ms)
{
	const struct sql_script *s = &ms->m->script;

	for (size_t i = 0; i < s->neffects; i++) {
		const struct sql_effect *e = &s->effects[i];
		bool sub = e->obj == SQL_OBJ_COLUMN || e->obj == SQL_OBJ_CONSTRAINT;
		const char *name = sub ? e->sub : e->name;
		struct obj_ref o = { 0 };

		if (e->flags & (SQL_CONDITIONAL | SQL_DYNAMIC | SQL_IMPLIED) ||
		    (e->action != SQL_REMOVES && e->action != SQL_RENAMES) ||
		    (e->obj != SQL_OBJ_TABLE && e->obj != SQL_OBJ_COLUMN && e->obj != SQL_OBJ_INDEX &&
		     e->obj != SQL_OBJ_TYPE && e->obj != SQL_OBJ_CONSTRAINT))
			continue;
		o.kind = e->obj;
		o.schema = e->schema;
		o.table = sub || e->obj == SQL_OBJ_INDEX ? e->table : NULL;
		o.e = e;
		o.stmt = &s->stmts[e->stmt];
		if (name && !name_reused_later(s, i, e->obj, name)) {
			o.name = name;
			if (e->obj != SQL_OBJ_INDEX || o.table)
				add(l, &o, false);
		}
		if (e->action == SQL_RENAMES && e->new_name && !name_reused_later(s, i, e->obj, e->new_name)) {
			o.name = e->new_name;
			if (e->obj != SQL_OBJ_INDEX || o.table)
				add(l, &o, true);
		}
	}
	/* the labels an enum swap drops are gone (and the rows that used them changed) */
	for (size_t i = 0; i < ms->ndropped_labels; i++)
		add(l, &ms->dropped_labels[i], false);
}

static void action_premises(struct analysis *a, struct fix_action *x)
{
	const struct mig_state *ms = x->ms;
	struct plist l = { &a->arena, a->in->schema, NULL, 0, 0 };
	bool schema = a->in->schema != NULL;

	switch (x->kind) {
	case FIX_MARK_ROLLED_BACK:
		/* deploy runs it again: nothing it makes that would stop it may be there */
		for (size_t i = 0; ms && i < ms->nobjs; i++)
			if (blocks_rerun(&ms->objs[i]))
				add(&l, &ms->objs[i], false);
		/*
		 * and its column types are as dumped: the re-run was judged safe on
		 * them (rules.c, lossy_type); a column widened since would be rounded
		 */
		for (size_t i = 0; ms && i < ms->nmissing; i++)
			if (value_prop(&ms->missing[i]))
				add_as_dumped(&l, l.dump, &ms->missing[i]);
		break;
	case FIX_MARK_APPLIED:
		if (!ms || !ms->m)
			break;
		if (schema) {
			/* the missing ones are re-created first (FIX_RECREATE checks them) */
			add_all(&l, ms->found, ms->nfound, true);
			add_all(&l, ms->unknown, ms->nunknown, true);
		} else {
			add_all(&l, ms->objs, ms->nobjs, true);
		}
		/* what it drops and renames is done: checked even where the export showed it */
		visible_effects(&l, ms);
		break;
	case FIX_RECREATE:
		/* unknown objects have no premise: their DDL is a no-op where they exist */
		add_all(&l, ms->missing, ms->nmissing, false);
		add_all(&l, ms->found, ms->nfound, true);
		break;
	case FIX_CREATE_TABLE: {
		struct obj_ref o = { 0 };

		o.kind = SQL_OBJ_TABLE;
		o.schema = a->in->hist ? a->in->hist->schema_name : NULL;
		o.name = "_prisma_migrations";
		add(&l, &o, false);
		break;
	}
	}
	x->premises = l.v;
	x->npremises = l.n;
}

static bool same_obj(const struct obj_ref *x, const struct obj_ref *y)
{
	return x->kind == y->kind && x->prop == y->prop && x->schema == y->schema && x->table == y->table &&
	       x->name == y->name && x->value == y->value;
}

/*
 * A premise the dump itself contradicts would make the script abort on the
 * very database it was made for: that is a bug of the rules, and the
 * script is refused (a->premise_conflict) rather than written.
 */
static void check_against_dump(struct analysis *a, const struct finding *f, const struct fix_action *x)
{
	const struct catalog *c = a->in->schema;

	for (size_t i = 0; c && i < x->npremises && !a->premise_conflict; i++) {
		const struct premise *p = &x->premises[i];
		bool there = object_exists(c, &p->obj);

		if (p->present && !there) {
			bool unknown = false;

			for (size_t k = 0; x->ms && k < x->ms->nunknown; k++)
				unknown |= same_obj(&x->ms->unknown[k], &p->obj);
			if (unknown || (p->obj.kind == SQL_OBJ_TABLE && catalog_external(c, SQL_OBJ_TABLE,
											p->obj.schema, p->obj.name)))
				continue;
		} else if (p->present || !there) {
			continue;
		}
		a->premise_conflict = arena_printf(&a->arena, "%s: the fix of %s relies on %s %s, which "
						   "the schema export contradicts", f->code,
						   x->ms ? x->ms->name : "the history table",
						   obj_text(&a->arena, &p->obj),
						   p->present ? "being present" : "being absent");
	}
}

void premises_build(struct analysis *a)
{
	for (size_t i = 0; i < a->nfindings; i++)
		for (size_t k = 0; k < a->findings[i]->nactions; k++) {
			action_premises(a, &a->findings[i]->actions[k]);
			check_against_dump(a, a->findings[i], &a->findings[i]->actions[k]);
		}
}
