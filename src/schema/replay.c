/*
 * replay.c - apply effects to the catalog the way PostgreSQL executes the
 * statements: the same existence checks, in the same order, with the
 * SQLSTATE and message PostgreSQL would give when one fails. This is what
 * lets 'plan' say which pending migration fails and why.
 */
#include "migdoctor/common.h"
#include "migdoctor/catalog.h"
#include "migdoctor/quote.h"

#define SKIP_STATEMENT 2 /* IF [NOT] EXISTS made PostgreSQL skip the rest of the statement */

MD_PRINTF(3, 4) static int fail(struct replay_error *err, const char *sqlstate, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->sqlstate = sqlstate;
		err->line = err->column = 0;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return 1;
}

static const char *sch(const struct catalog *c, const char *s)
{
	return s ? s : c->default_schema;
}

static bool same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static const char *keep(struct catalog *c, const char *s)
{
	return s ? arena_strdup(&c->arena, s) : NULL;
}

static const char **keep_list(struct catalog *c, const char *const *v, size_t n)
{
	const char **r = arena_alloc(&c->arena, (n ? n : 1) * sizeof(*r));

	for (size_t i = 0; i < n; i++)
		r[i] = keep(c, v[i]);
	return r;
}

/* Tables, views, indexes and sequences share one namespace per schema. */
static bool relation_exists(const struct catalog *c, const char *schema, const char *name)
{
	return catalog_table(c, schema, name) || catalog_index(c, schema, name) ||
	       catalog_object(c, SQL_OBJ_SEQUENCE, schema, name);
}

static struct cat_constraint *table_constraint(const struct cat_table *t, const char *name)
{
	for (size_t i = 0; t && i < t->ncons; i++)
		if (same(t->cons[i].name, name))
			return &t->cons[i];
	return NULL;
}

static struct cat_object *object(const struct catalog *c, const struct sql_effect *e)
{
	return catalog_object(c, e->obj, e->schema, e->name);
}

bool catalog_has(const struct catalog *c, const struct sql_effect *e)
{
	const struct cat_table *t;

	switch (e->obj) {
	case SQL_OBJ_TABLE:
	case SQL_OBJ_VIEW:
		return catalog_table(c, e->schema, e->name) != NULL;
	case SQL_OBJ_COLUMN:
		return cat_table_column(catalog_table(c, e->schema, e->table), e->sub) != NULL;
	case SQL_OBJ_CONSTRAINT:
		t = catalog_table(c, e->schema, e->table);
		return table_constraint(t, e->sub) != NULL;
	case SQL_OBJ_INDEX:
		return catalog_index(c, e->schema, e->name) != NULL;
	case SQL_OBJ_ENUM_VALUE: {
		const struct cat_object *o = catalog_object(c, SQL_OBJ_TYPE, e->schema, e->name);

		for (size_t i = 0; o && i < o->nvalues; i++)
			if (same(o->values[i], e->sub))
				return true;
		return false;
	}
	case SQL_OBJ_TRIGGER: {
		for (size_t i = 0; i < c->nobjects; i++)
			if (c->objects[i]->kind == SQL_OBJ_TRIGGER && same(c->objects[i]->name, e->name) &&
			    same(c->objects[i]->table, e->table))
				return true;
		return false;
	}
	default:
		return object(c, e) != NULL;
	}
}

/* --- removal helpers --- */

static void remove_ptr(void **v, size_t *n, size_t i)
{
	memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof(*v));
	(*n)--;
}

static void remove_object(struct catalog *c, size_t i)
{
	free(c->objects[i]->values);
	remove_ptr((void **)c->objects, &c->nobjects, i);
}

static void drop_index_at(struct catalog *c, size_t i)
{
	remove_ptr((void **)c->indexes, &c->nindexes, i);
}

static void drop_indexes_where(struct catalog *c, const char *schema, const char *table,
			       const char *col)
{
	for (size_t i = c->nindexes; i-- > 0;) {
		struct cat_index *x = c->indexes[i];
		bool hit = same(x->schema, schema) && same(x->table, table);

		if (hit && col) {
			hit = false;
			for (size_t k = 0; k < x->ncols; k++)
				if (same(x->cols[k], col))
					hit = true;
		}
		if (hit)
			drop_index_at(c, i);
	}
}

static void drop_constraint_at(struct cat_table *t, size_t i)
{
	memmove(&t->cons[i], &t->cons[i + 1], (t->ncons - i - 1) * sizeof(*t->cons));
	t->ncons--;
}

static void drop_objects_on(struct catalog *c, const char *schema, const char *table)
{
	for (size_t i = c->nobjects; i-- > 0;)
		if (c->objects[i]->kind == SQL_OBJ_TRIGGER && same(c->objects[i]->table, table) &&
		    same(c->objects[i]->schema, schema))
			remove_object(c, i);
}

/* Foreign keys of other tables that point at schema.table. */
static bool referenced_by_others(const struct catalog *c, const char *schema, const char *table,
				 const char **who)
{
	for (size_t i = 0; i < c->ntables; i++) {
		const struct cat_table *t = c->tables[i];

		if (same(t->name, table) && same(t->schema, schema))
			continue;
		for (size_t k = 0; k < t->ncons; k++)
			if (t->cons[k].contype == 'f' && same(t->cons[k].ref_table, table) &&
			    same(sch(c, t->cons[k].ref_schema), schema)) {
				*who = t->cons[k].name;
				return true;
			}
	}
	return false;
}

static void drop_fks_to(struct catalog *c, const char *schema, const char *table)
{
	for (size_t i = 0; i < c->ntables; i++) {
		struct cat_table *t = c->tables[i];

		for (size_t k = t->ncons; k-- > 0;)
			if (t->cons[k].contype == 'f' && same(t->cons[k].ref_table, table) &&
			    same(sch(c, t->cons[k].ref_schema), schema))
				drop_constraint_at(t, k);
	}
}

/* --- PROVIDES --- */

/*
 * Types and defaults as format_type() and pg_get_expr() print them with the
 * catalog's schema on the search_path: a dump of schema "tenant2" writes
 * tenant2."Role" where the migrations wrote "Role" (public is unqualified
 * already: sql_type_text).
 */
static const char *visible_type(struct catalog *c, const char *type)
{
	struct sbuf q = SBUF_INIT;
	const char *r = type;

	if (type && c->default_schema && strcmp(c->default_schema, "public") &&
	    !sql_quote_ident(&q, c->default_schema) && !strncmp(type, q.buf, q.len) &&
	    type[q.len] == '.')
		r = type + q.len + 1;
	sbuf_release(&q);
	return keep(c, r);
}

static const char *visible_default(struct catalog *c, const char *def)
{
	if (!def || !c->default_schema || !strcmp(c->default_schema, "public"))
		return keep(c, def);
	return sql_default_visible(&c->arena, def, c->default_schema);
}

static struct cat_object *new_object(struct catalog *c, const struct sql_effect *e, const char *origin)
{
	struct cat_object *o = arena_zalloc(&c->arena, sizeof(*o));

	o->kind = e->obj;
	o->schema = keep(c, sch(c, e->schema));
	o->name = keep(c, e->name);
	o->table = keep(c, e->table);
	o->origin = keep(c, origin);
	MD_GROW(c->objects, c->nobjects, c->objects_cap);
	c->objects[c->nobjects++] = o;
	return o;
}

static int provide(struct catalog *c, const struct sql_effect *e, const char *origin,
		   struct replay_error *err)
{
	const char *s = sch(c, e->schema);
	bool ine = e->flags & SQL_IF_NOT_EXISTS;
	struct cat_table *t;

	switch (e->obj) {
	case SQL_OBJ_TABLE:
	case SQL_OBJ_VIEW:
		if (e->obj == SQL_OBJ_VIEW && (e->flags & SQL_OR_REPLACE) && catalog_table(c, s, e->name))
			return 0;
		if (relation_exists(c, s, e->name)) {
			if (ine)
				return SKIP_STATEMENT;
			return fail(err, "42P07", "relation \"%s\" already exists", e->name);
		}
		t = arena_zalloc(&c->arena, sizeof(*t));
		t->schema = keep(c, s);
		t->name = keep(c, e->name);
		t->is_view = e->obj == SQL_OBJ_VIEW;
		t->origin = keep(c, origin);
		MD_GROW(c->tables, c->ntables, c->tables_cap);
		c->tables[c->ntables++] = t;
		return 0;
	case SQL_OBJ_COLUMN: {
		struct cat_column *col;

		t = catalog_table(c, s, e->table);
		if (!t)
			return fail(err, "42P01", "relation \"%s\" does not exist", e->table);
		if (cat_table_column(t, e->sub)) {
			if (ine)
				return 0;
			return fail(err, "42701", "column \"%s\" of relation \"%s\" already exists",
				    e->sub, e->table);
		}
		MD_GROW(t->cols, t->ncols, t->cols_cap);
		col = &t->cols[t->ncols++];
		memset(col, 0, sizeof(*col));
		col->name = keep(c, e->sub);
		col->type = visible_type(c, e->type);
		col->not_null = e->flags & SQL_NOT_NULL;
		col->has_default = e->flags & SQL_HAS_DEFAULT;
		col->default_expr = keep(c, e->default_expr);
		col->default_sql = visible_default(c, e->default_sql);
		col->origin = keep(c, origin);
		col->type_origin = col->default_origin = col->origin;
		return 0;
	}
	case SQL_OBJ_CONSTRAINT: {
		struct cat_constraint *cn;

		t = catalog_table(c, s, e->table);
		if (!t)
			return fail(err, "42P01", "relation \"%s\" does not exist", e->table);
		if (table_constraint(t, e->sub))
			return fail(err, "42710", "constraint \"%s\" for relation \"%s\" already exists",
				    e->sub, e->table);
		if (e->contype == 'p')
			for (size_t i = 0; i < t->ncons; i++)
				if (t->cons[i].contype == 'p')
					return fail(err, "42P16", "multiple primary keys for table \"%s\" "
						    "are not allowed", e->table);
		if ((e->contype == 'p' || e->contype == 'u') && relation_exists(c, s, e->sub))
			return fail(err, "42P07", "relation \"%s\" already exists", e->sub);
		MD_GROW(t->cons, t->ncons, t->cons_cap);
		cn = &t->cons[t->ncons++];
		memset(cn, 0, sizeof(*cn));
		cn->name = keep(c, e->sub);
		cn->contype = e->contype;
		cn->cols = keep_list(c, e->cols, e->ncols);
		cn->ncols = e->ncols;
		cn->ref_schema = keep(c, e->ref_schema);
		cn->ref_table = keep(c, e->ref_table);
		cn->origin = keep(c, origin);
		return 0;
	}
	case SQL_OBJ_INDEX: {
		struct cat_index *x;

		if (!catalog_table(c, s, e->table))
			return fail(err, "42P01", "relation \"%s\" does not exist", e->table);
		if (relation_exists(c, s, e->name)) {
			/* the implied index of a constraint was checked with the constraint */
			if (ine || (e->flags & SQL_IMPLIED))
				return 0;
			return fail(err, "42P07", "relation \"%s\" already exists", e->name);
		}
		x = arena_zalloc(&c->arena, sizeof(*x));
		x->schema = keep(c, s);
		x->name = keep(c, e->name);
		x->table = keep(c, e->table);
		x->unique = e->flags & SQL_UNIQUE;
		x->from_constraint = e->flags & SQL_IMPLIED;
		x->cols = keep_list(c, e->cols, e->ncols);
		x->ncols = e->ncols;
		x->origin = keep(c, origin);
		MD_GROW(c->indexes, c->nindexes, c->indexes_cap);
		c->indexes[c->nindexes++] = x;
		return 0;
	}
	case SQL_OBJ_TYPE: {
		struct cat_object *o;

		if (object(c, e))
			return fail(err, "42710", "type \"%s\" already exists", e->name);
		o = new_object(c, e, origin);
		o->type_kind = e->type ? e->type[0] : 'e';
		for (size_t i = 0; i < e->ncols; i++) {
			MD_GROW(o->values, o->nvalues, o->values_cap);
			o->values[o->nvalues++] = keep(c, e->cols[i]);
		}
		return 0;
	}
	case SQL_OBJ_ENUM_VALUE: {
		struct cat_object *o = catalog_object(c, SQL_OBJ_TYPE, s, e->name);
		size_t at;

		if (!o)
			return fail(err, "42704", "type \"%s\" does not exist", e->name);
		if (catalog_has(c, e)) {
			if (ine)
				return 0;
			return fail(err, "42710", "enum label \"%s\" already exists", e->sub);
		}
		at = o->nvalues;
		if (e->default_expr) { /* "BEFORE x" / "AFTER x" */
			bool after = !strncmp(e->default_expr, "AFTER ", 6);
			const char *nb = strchr(e->default_expr, ' ') + 1;
			bool found = false;

			for (size_t i = 0; i < o->nvalues; i++)
				if (same(o->values[i], nb)) {
					at = after ? i + 1 : i;
					found = true;
				}
			if (!found)
				return fail(err, "22023", "\"%s\" is not an existing enum label", nb);
		}
		MD_GROW(o->values, o->nvalues, o->values_cap);
		memmove(&o->values[at + 1], &o->values[at], (o->nvalues - at) * sizeof(*o->values));
		o->values[at] = keep(c, e->sub);
		o->nvalues++;
		return 0;
	}
	case SQL_OBJ_EXTENSION:
	case SQL_OBJ_SCHEMA:
		if (object(c, e)) {
			if (ine)
				return 0;
			return fail(err, e->obj == SQL_OBJ_SCHEMA ? "42P06" : "42710",
				    "%s \"%s\" already exists", sql_obj_name(e->obj), e->name);
		}
		new_object(c, e, origin);
		return 0;
	case SQL_OBJ_FUNCTION:
		if (object(c, e)) {
			if (e->flags & SQL_OR_REPLACE)
				return 0;
			return fail(err, "42723", "function \"%s\" already exists with same argument types",
				    e->name);
		}
		new_object(c, e, origin);
		return 0;
	case SQL_OBJ_TRIGGER:
		if (catalog_has(c, e)) {
			if (e->flags & SQL_OR_REPLACE)
				return 0;
			return fail(err, "42710", "trigger \"%s\" for relation \"%s\" already exists",
				    e->name, e->table);
		}
		new_object(c, e, origin);
		return 0;
	case SQL_OBJ_SEQUENCE:
		if (relation_exists(c, s, e->name)) {
			if (ine)
				return 0;
			return fail(err, "42P07", "relation \"%s\" already exists", e->name);
		}
		new_object(c, e, origin);
		return 0;
	}
	return 0;
}

/* --- REQUIRES --- */

static int require(struct catalog *c, const struct sql_effect *e, struct replay_error *err)
{
	bool ie = e->flags & SQL_IF_EXISTS;

	if (catalog_has(c, e))
		return 0;
	switch (e->obj) {
	case SQL_OBJ_TABLE:
	case SQL_OBJ_VIEW:
	case SQL_OBJ_SEQUENCE:
	case SQL_OBJ_INDEX:
		if (e->obj == SQL_OBJ_TABLE && catalog_table(c, e->schema, e->name))
			return 0;
		if (e->obj == SQL_OBJ_SEQUENCE && relation_exists(c, sch(c, e->schema), e->name))
			return 0;
		if (ie)
			return SKIP_STATEMENT;
		return fail(err, "42P01", "relation \"%s\" does not exist", e->name);
	case SQL_OBJ_COLUMN:
		if (!catalog_table(c, e->schema, e->table))
			return fail(err, "42P01", "relation \"%s\" does not exist", e->table);
		if (e->flags & SQL_IMPLIED)
			return fail(err, "42703", "column \"%s\" does not exist", e->sub);
		return fail(err, "42703", "column \"%s\" of relation \"%s\" does not exist", e->sub,
			    e->table);
	case SQL_OBJ_TYPE:
		if (ie)
			return SKIP_STATEMENT;
		return fail(err, "42704", "type \"%s\" does not exist", e->name);
	case SQL_OBJ_FUNCTION:
		return fail(err, "42883", "function %s() does not exist", e->name);
	default:
		return fail(err, "42704", "%s \"%s\" does not exist", sql_obj_name(e->obj), e->name);
	}
}

/* --- REMOVES --- */

static int type_in_use(const struct catalog *c, const char *name, const char **who)
{
	for (size_t i = 0; i < c->ntables; i++)
		for (size_t k = 0; k < c->tables[i]->ncols; k++) {
			const char *ty = c->tables[i]->cols[k].type;

			if (ty && (same(ty, name) || (ty[0] == '"' && !strncmp(ty + 1, name, strlen(name)) &&
						      ty[strlen(name) + 1] == '"'))) {
				*who = c->tables[i]->name;
				return 1;
			}
		}
	return 0;
}

/* getObjectDescription() names objects with quote_identifier(): quotes only when needed. */
static const char *ident(const char *name, char *buf)
{
	struct sbuf sb = SBUF_INIT;

	if (sql_quote_ident(&sb, name))
		sb_puts(&sb, name);
	snprintf(buf, 256, "%s", sb.buf);
	sbuf_release(&sb);
	return buf;
}

static int removes(struct catalog *c, const struct sql_effect *e, struct replay_error *err)
{
	char q1[256], q2[256];
	const char *s = sch(c, e->schema);
	bool ie = e->flags & SQL_IF_EXISTS;
	const char *who = NULL;
	struct cat_table *t;

	switch (e->obj) {
	case SQL_OBJ_TABLE:
	case SQL_OBJ_VIEW:
		for (size_t i = 0; i < c->ntables; i++) {
			t = c->tables[i];
			if (!same(t->name, e->name) || !same(t->schema, s))
				continue;
			if (referenced_by_others(c, s, e->name, &who)) {
				if (!(e->flags & SQL_CASCADE))
					return fail(err, "2BP01", "cannot drop table %s because other "
						    "objects depend on it", ident(e->name, q1));
				drop_fks_to(c, s, e->name);
			}
			drop_indexes_where(c, s, e->name, NULL);
			drop_objects_on(c, s, e->name);
			free(t->cols);
			free(t->cons);
			remove_ptr((void **)c->tables, &c->ntables, i);
			return 0;
		}
		if (ie)
			return 0;
		return fail(err, "42P01", "%s \"%s\" does not exist", sql_obj_name(e->obj), e->name);
	case SQL_OBJ_COLUMN:
		t = catalog_table(c, s, e->table);
		if (!t)
			return fail(err, "42P01", "relation \"%s\" does not exist", e->table);
		for (size_t i = 0; i < t->ncols; i++) {
			if (!same(t->cols[i].name, e->sub))
				continue;
			memmove(&t->cols[i], &t->cols[i + 1], (t->ncols - i - 1) * sizeof(*t->cols));
			t->ncols--;
			/* PostgreSQL drops the indexes and constraints that use the column */
			drop_indexes_where(c, s, e->table, e->sub);
			for (size_t k = t->ncons; k-- > 0;)
				for (size_t j = 0; j < t->cons[k].ncols; j++)
					if (same(t->cons[k].cols[j], e->sub)) {
						drop_constraint_at(t, k);
						break;
					}
			return 0;
		}
		if (ie)
			return 0;
		return fail(err, "42703", "column \"%s\" of relation \"%s\" does not exist", e->sub,
			    e->table);
	case SQL_OBJ_CONSTRAINT:
		t = catalog_table(c, s, e->table);
		if (!t)
			return fail(err, "42P01", "relation \"%s\" does not exist", e->table);
		for (size_t i = 0; i < t->ncons; i++) {
			if (!same(t->cons[i].name, e->sub))
				continue;
			for (size_t k = 0; k < c->nindexes; k++)
				if (c->indexes[k]->from_constraint && same(c->indexes[k]->name, e->sub) &&
				    same(c->indexes[k]->schema, s)) {
					drop_index_at(c, k);
					break;
				}
			drop_constraint_at(t, i);
			return 0;
		}
		if (ie)
			return 0;
		return fail(err, "42704", "constraint \"%s\" of relation \"%s\" does not exist", e->sub,
			    e->table);
	case SQL_OBJ_INDEX:
		for (size_t i = 0; i < c->nindexes; i++) {
			struct cat_index *x = c->indexes[i];

			if (!same(x->name, e->name) || !same(x->schema, s))
				continue;
			if (x->from_constraint)
				return fail(err, "2BP01", "cannot drop index %s because constraint %s on "
					    "table %s requires it", ident(e->name, q1), e->name,
					    ident(x->table, q2));
			drop_index_at(c, i);
			return 0;
		}
		if (ie)
			return 0;
		return fail(err, "42704", "index \"%s\" does not exist", e->name);
	case SQL_OBJ_TYPE:
		if (!object(c, e)) {
			if (ie)
				return 0;
			return fail(err, "42704", "type \"%s\" does not exist", e->name);
		}
		if (!(e->flags & SQL_CASCADE) && type_in_use(c, e->name, &who))
			return fail(err, "2BP01", "cannot drop type %s because other objects depend "
				    "on it", ident(e->name, q1));
		break;
	case SQL_OBJ_TRIGGER:
		for (size_t i = 0; i < c->nobjects; i++)
			if (c->objects[i]->kind == SQL_OBJ_TRIGGER && same(c->objects[i]->name, e->name) &&
			    same(c->objects[i]->table, e->table)) {
				remove_object(c, i);
				return 0;
			}
		if (ie)
			return 0;
		return fail(err, "42704", "trigger \"%s\" for table \"%s\" does not exist", e->name,
			    e->table);
	default:
		if (!object(c, e)) {
			if (ie)
				return 0;
			return fail(err, e->obj == SQL_OBJ_SEQUENCE ? "42P01" :
					 e->obj == SQL_OBJ_FUNCTION ? "42883" : "42704",
				    "%s \"%s\" does not exist", sql_obj_name(e->obj), e->name);
		}
		break;
	}
	for (size_t i = 0; i < c->nobjects; i++)
		if (c->objects[i] == object(c, e)) {
			remove_object(c, i);
			break;
		}
	return 0;
}

/* --- ALTERS --- */

static int alters(struct catalog *c, const struct sql_effect *e, const char *origin,
		  struct replay_error *err)
{
	struct cat_table *t;
	struct cat_column *col;

	if (e->obj != SQL_OBJ_COLUMN)
		return 0;
	t = catalog_table(c, e->schema, e->table);
	if (!t)
		return fail(err, "42P01", "relation \"%s\" does not exist", e->table);
	col = cat_table_column(t, e->sub);
	if (!col)
		return fail(err, "42703", "column \"%s\" of relation \"%s\" does not exist", e->sub,
			    e->table);
	switch (e->prop) {
	case SQL_PROP_TYPE:
		col->type = visible_type(c, e->type);
		col->type_origin = keep(c, origin);
		break;
	case SQL_PROP_SET_NOT_NULL:
		col->not_null = true;
		break;
	case SQL_PROP_DROP_NOT_NULL:
		for (size_t i = 0; i < t->ncons; i++)
			if (t->cons[i].contype == 'p')
				for (size_t k = 0; k < t->cons[i].ncols; k++)
					if (same(t->cons[i].cols[k], e->sub))
						return fail(err, "42P16", "column \"%s\" is in a primary key",
							    e->sub);
		col->not_null = false;
		break;
	case SQL_PROP_SET_DEFAULT:
		col->has_default = true;
		col->default_expr = keep(c, e->default_expr);
		col->default_sql = visible_default(c, e->default_sql);
		col->default_origin = keep(c, origin);
		break;
	case SQL_PROP_DROP_DEFAULT:
		col->has_default = false;
		col->default_expr = col->default_sql = NULL;
		col->default_origin = keep(c, origin);
		break;
	default:
		break;
	}
	return 0;
}

/* --- RENAMES --- */

/*
 * Columns name their type by oid: after ALTER TYPE "E_new" RENAME TO "E"
 * (Prisma's enum swap) a column of type "E_new" is of type "E", arrays
 * too. Types are rendered as format_type() prints them (a type of the
 * default schema unqualified).
 */
static void retype_columns(struct catalog *c, const char *from, const char *to)
{
	struct sbuf f = SBUF_INIT, t = SBUF_INIT;

	if (sql_quote_ident(&f, from) || sql_quote_ident(&t, to))
		goto out;
	for (size_t i = 0; i < c->ntables; i++)
		for (size_t k = 0; k < c->tables[i]->ncols; k++) {
			struct cat_column *col = &c->tables[i]->cols[k];
			const char *rest;

			if (!col->type || strncmp(col->type, f.buf, f.len))
				continue;
			rest = col->type + f.len;
			if (*rest && *rest != '[')
				continue;
			col->type = arena_printf(&c->arena, "%s%s", t.buf, rest);
		}
out:
	sbuf_release(&f);
	sbuf_release(&t);
}

static void rename_in_list(struct catalog *c, const char **v, size_t n, const char *from, const char *to)
{
	for (size_t i = 0; i < n; i++)
		if (same(v[i], from))
			v[i] = keep(c, to);
}

static int renames(struct catalog *c, const struct sql_effect *e, struct replay_error *err)
{
	const char *s = sch(c, e->schema);
	bool ie = e->flags & SQL_IF_EXISTS;
	struct cat_table *t;

	switch (e->obj) {
	case SQL_OBJ_TABLE:
	case SQL_OBJ_VIEW:
		t = catalog_table(c, s, e->name);
		if (!t)
			return ie ? 0 : fail(err, "42P01", "relation \"%s\" does not exist", e->name);
		if (relation_exists(c, s, e->new_name))
			return fail(err, "42P07", "relation \"%s\" already exists", e->new_name);
		for (size_t i = 0; i < c->nindexes; i++)
			if (same(c->indexes[i]->table, e->name) && same(c->indexes[i]->schema, s))
				c->indexes[i]->table = keep(c, e->new_name);
		for (size_t i = 0; i < c->ntables; i++)
			for (size_t k = 0; k < c->tables[i]->ncons; k++)
				if (same(c->tables[i]->cons[k].ref_table, e->name))
					c->tables[i]->cons[k].ref_table = keep(c, e->new_name);
		for (size_t i = 0; i < c->nobjects; i++)
			if (same(c->objects[i]->table, e->name))
				c->objects[i]->table = keep(c, e->new_name);
		t->name = keep(c, e->new_name);
		return 0;
	case SQL_OBJ_INDEX: {
		struct cat_index *x = catalog_index(c, s, e->name);

		if (!x) {
			struct cat_object *o = catalog_object(c, SQL_OBJ_SEQUENCE, s, e->name);

			if (o && !relation_exists(c, s, e->new_name)) {
				o->name = keep(c, e->new_name);
				return 0;
			}
			return ie ? 0 : fail(err, "42P01", "relation \"%s\" does not exist", e->name);
		}
		if (relation_exists(c, s, e->new_name))
			return fail(err, "42P07", "relation \"%s\" already exists", e->new_name);
		if (x->from_constraint) {
			t = catalog_table(c, s, x->table);
			if (t && table_constraint(t, e->name))
				table_constraint(t, e->name)->name = keep(c, e->new_name);
		}
		x->name = keep(c, e->new_name);
		return 0;
	}
	case SQL_OBJ_COLUMN: {
		struct cat_column *col;

		t = catalog_table(c, s, e->table);
		if (!t)
			return ie ? 0 : fail(err, "42P01", "relation \"%s\" does not exist", e->table);
		col = cat_table_column(t, e->sub);
		if (!col)
			return fail(err, "42703", "column \"%s\" does not exist", e->sub);
		if (cat_table_column(t, e->new_name))
			return fail(err, "42701", "column \"%s\" of relation \"%s\" already exists",
				    e->new_name, e->table);
		for (size_t i = 0; i < c->nindexes; i++)
			if (same(c->indexes[i]->table, e->table) && same(c->indexes[i]->schema, s))
				rename_in_list(c, c->indexes[i]->cols, c->indexes[i]->ncols, e->sub,
					       e->new_name);
		for (size_t i = 0; i < t->ncons; i++)
			rename_in_list(c, t->cons[i].cols, t->cons[i].ncols, e->sub, e->new_name);
		col->name = keep(c, e->new_name);
		return 0;
	}
	case SQL_OBJ_CONSTRAINT: {
		struct cat_constraint *cn;

		t = catalog_table(c, s, e->table);
		if (!t)
			return ie ? 0 : fail(err, "42P01", "relation \"%s\" does not exist", e->table);
		cn = table_constraint(t, e->sub);
		if (!cn)
			return fail(err, "42704", "constraint \"%s\" for table \"%s\" does not exist",
				    e->sub, e->table);
		if (table_constraint(t, e->new_name))
			return fail(err, "42710", "constraint \"%s\" for relation \"%s\" already exists",
				    e->new_name, e->table);
		if (cn->contype == 'p' || cn->contype == 'u') {
			struct cat_index *x = catalog_index(c, s, e->sub);

			if (x)
				x->name = keep(c, e->new_name);
		}
		cn->name = keep(c, e->new_name);
		return 0;
	}
	case SQL_OBJ_TYPE: {
		struct cat_object *o = object(c, e);

		if (!o)
			return ie ? 0 : fail(err, "42704", "type \"%s\" does not exist", e->name);
		if (catalog_object(c, SQL_OBJ_TYPE, e->schema, e->new_name))
			return fail(err, "42710", "type \"%s\" already exists", e->new_name);
		o->name = keep(c, e->new_name);
		if (same(o->schema, c->default_schema))
			retype_columns(c, e->name, e->new_name);
		return 0;
	}
	case SQL_OBJ_ENUM_VALUE: {
		struct cat_object *o = catalog_object(c, SQL_OBJ_TYPE, s, e->name);
		bool found = false;

		if (!o)
			return fail(err, "42704", "type \"%s\" does not exist", e->name);
		for (size_t i = 0; i < o->nvalues; i++)
			if (same(o->values[i], e->new_name))
				return fail(err, "42710", "enum label \"%s\" already exists", e->new_name);
		for (size_t i = 0; i < o->nvalues; i++)
			if (same(o->values[i], e->sub)) {
				o->values[i] = keep(c, e->new_name);
				found = true;
			}
		if (!found)
			return fail(err, "22023", "\"%s\" is not an existing enum label", e->sub);
		return 0;
	}
	default:
		return 0;
	}
}

static int apply(struct catalog *c, const struct sql_effect *e, const char *origin,
		 struct replay_error *err)
{
	switch (e->action) {
	case SQL_PROVIDES: return provide(c, e, origin, err);
	case SQL_REQUIRES: return require(c, e, err);
	case SQL_DATA: {
		struct sql_effect r = *e;

		r.action = SQL_REQUIRES;
		return require(c, &r, err);
	}
	case SQL_REMOVES: return removes(c, e, err);
	case SQL_ALTERS: return alters(c, e, origin, err);
	case SQL_RENAMES: return renames(c, e, err);
	}
	return 0;
}

int catalog_apply(struct catalog *c, const struct sql_effect *e, const char *origin,
		  struct replay_error *err)
{
	int r;

	if (err)
		err->effect = e;
	if (e->flags & SQL_CONDITIONAL) {
		int v = e->cond ? catalog_eval_cond(c, e->cond) : -1;

		if (v >= 0 && e->cond_negated)
			v = !v;
		if (v == 0)
			return 0;
		/* taken, or unknowable: apply what can be applied, never fail */
		r = apply(c, e, origin, NULL);
		return r == SKIP_STATEMENT ? SKIP_STATEMENT : 0;
	}
	r = apply(c, e, origin, err);
	return r;
}

int catalog_apply_script(struct catalog *c, const struct sql_script *s, const char *origin,
			 struct replay_error *err, size_t *failed_stmt)
{
	if (s->rejected) {
		/* the server parses the whole query before it runs any of it */
		if (err) {
			const char *msg = sql_error_brief(&c->arena, s->reject_message);

			err->sqlstate = s->reject_sqlstate;
			err->effect = NULL;
			err->line = s->reject_line;
			err->column = s->reject_column;
			snprintf(err->message, sizeof(err->message), "%s", msg);
		}
		if (failed_stmt)
			*failed_stmt = s->reject_stmt;
		return 1;
	}
	for (size_t i = 0; i < s->nstmts; i++) {
		const struct sql_stmt *st = &s->stmts[i];

		for (size_t k = 0; k < st->neffects; k++) {
			int r = catalog_apply(c, &s->effects[st->first_effect + k], origin, err);

			if (r == SKIP_STATEMENT) {
				/* skip to the next statement, or to the end of this DO branch */
				const struct sql_effect *e = &s->effects[st->first_effect + k];

				if (!(e->flags & SQL_CONDITIONAL))
					break;
				while (k + 1 < st->neffects &&
				       s->effects[st->first_effect + k + 1].line == e->line)
					k++;
				continue;
			}
			if (r) {
				if (failed_stmt)
					*failed_stmt = i;
				return 1;
			}
		}
	}
	return 0;
}
