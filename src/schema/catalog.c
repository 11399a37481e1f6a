/*
 * catalog.c - the schema model: lookups, copies and the canonical
 * rendering that tests compare with a real PostgreSQL catalog.
 */
#include "migdoctor/common.h"
#include "migdoctor/catalog.h"
#include "migdoctor/quote.h"

void catalog_init(struct catalog *c, const char *default_schema)
{
	memset(c, 0, sizeof(*c));
	arena_init(&c->arena);
	c->default_schema = arena_strdup(&c->arena, default_schema ? default_schema : "public");
}

void catalog_release(struct catalog *c)
{
	for (size_t i = 0; i < c->ntables; i++) {
		free(c->tables[i]->cols);
		free(c->tables[i]->cons);
	}
	for (size_t i = 0; i < c->nobjects; i++)
		free(c->objects[i]->values);
	free(c->tables);
	free(c->indexes);
	free(c->objects);
	free(c->external);
	arena_release(&c->arena);
	memset(c, 0, sizeof(*c));
}

static bool same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

struct cat_table *catalog_table(const struct catalog *c, const char *schema, const char *name)
{
	if (!schema)
		schema = c->default_schema;
	for (size_t i = 0; i < c->ntables; i++)
		if (same(c->tables[i]->name, name) && same(c->tables[i]->schema, schema))
			return c->tables[i];
	return NULL;
}

struct cat_column *cat_table_column(const struct cat_table *t, const char *name)
{
	for (size_t i = 0; t && i < t->ncols; i++)
		if (same(t->cols[i].name, name))
			return &t->cols[i];
	return NULL;
}

struct cat_index *catalog_index(const struct catalog *c, const char *schema, const char *name)
{
	if (!schema)
		schema = c->default_schema;
	for (size_t i = 0; i < c->nindexes; i++)
		if (same(c->indexes[i]->name, name) && same(c->indexes[i]->schema, schema))
			return c->indexes[i];
	return NULL;
}

struct cat_object *catalog_object(const struct catalog *c, enum sql_obj kind, const char *schema,
				  const char *name)
{
	bool schemaless = kind == SQL_OBJ_EXTENSION || kind == SQL_OBJ_SCHEMA;

	if (!schema)
		schema = c->default_schema;
	for (size_t i = 0; i < c->nobjects; i++) {
		const struct cat_object *o = c->objects[i];

		if (o->kind == kind && same(o->name, name) && (schemaless || same(o->schema, schema)))
			return c->objects[i];
	}
	return NULL;
}

/* --- deep copy --- */

static const char *cp(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

static const char **cp_list(struct arena *a, const char *const *v, size_t n)
{
	const char **r = arena_alloc(a, (n ? n : 1) * sizeof(*r));

	for (size_t i = 0; i < n; i++)
		r[i] = cp(a, v[i]);
	return r;
}

void catalog_copy(struct catalog *dst, const struct catalog *src)
{
	struct arena *a;

	catalog_init(dst, src->default_schema);
	a = &dst->arena;
	for (size_t i = 0; i < src->ntables; i++) {
		const struct cat_table *s = src->tables[i];
		struct cat_table *t = arena_zalloc(a, sizeof(*t));

		*t = *s;
		t->schema = cp(a, s->schema);
		t->name = cp(a, s->name);
		t->origin = cp(a, s->origin);
		t->cols = xreallocarray(NULL, s->ncols ? s->ncols : 1, sizeof(*t->cols));
		t->cols_cap = s->ncols ? s->ncols : 1;
		for (size_t k = 0; k < s->ncols; k++) {
			t->cols[k] = s->cols[k];
			t->cols[k].name = cp(a, s->cols[k].name);
			t->cols[k].type = cp(a, s->cols[k].type);
			t->cols[k].default_expr = cp(a, s->cols[k].default_expr);
			t->cols[k].default_sql = cp(a, s->cols[k].default_sql);
			t->cols[k].origin = cp(a, s->cols[k].origin);
			t->cols[k].type_origin = cp(a, s->cols[k].type_origin);
			t->cols[k].default_origin = cp(a, s->cols[k].default_origin);
		}
		t->cons = xreallocarray(NULL, s->ncons ? s->ncons : 1, sizeof(*t->cons));
		t->cons_cap = s->ncons ? s->ncons : 1;
		for (size_t k = 0; k < s->ncons; k++) {
			t->cons[k] = s->cons[k];
			t->cons[k].name = cp(a, s->cons[k].name);
			t->cons[k].cols = cp_list(a, s->cons[k].cols, s->cons[k].ncols);
			t->cons[k].ref_schema = cp(a, s->cons[k].ref_schema);
			t->cons[k].ref_table = cp(a, s->cons[k].ref_table);
			t->cons[k].origin = cp(a, s->cons[k].origin);
		}
		MD_GROW(dst->tables, dst->ntables, dst->tables_cap);
		dst->tables[dst->ntables++] = t;
	}
	for (size_t i = 0; i < src->nindexes; i++) {
		const struct cat_index *s = src->indexes[i];
		struct cat_index *x = arena_zalloc(a, sizeof(*x));

		*x = *s;
		x->schema = cp(a, s->schema);
		x->name = cp(a, s->name);
		x->table = cp(a, s->table);
		x->cols = cp_list(a, s->cols, s->ncols);
		x->origin = cp(a, s->origin);
		MD_GROW(dst->indexes, dst->nindexes, dst->indexes_cap);
		dst->indexes[dst->nindexes++] = x;
	}
	for (size_t i = 0; i < src->nobjects; i++) {
		const struct cat_object *s = src->objects[i];
		struct cat_object *o = arena_zalloc(a, sizeof(*o));

		*o = *s;
		o->schema = cp(a, s->schema);
		o->name = cp(a, s->name);
		o->table = cp(a, s->table);
		o->origin = cp(a, s->origin);
		o->values = NULL;
		o->nvalues = o->values_cap = 0;
		for (size_t k = 0; k < s->nvalues; k++) {
			MD_GROW(o->values, o->nvalues, o->values_cap);
			o->values[o->nvalues++] = cp(a, s->values[k]);
		}
		MD_GROW(dst->objects, dst->nobjects, dst->objects_cap);
		dst->objects[dst->nobjects++] = o;
	}
}

/* --- rendering --- */

static void ident(struct sbuf *sb, const char *s)
{
	if (sql_quote_ident(sb, s))
		sb_puts(sb, "\"?\"");
}

static void qname(struct sbuf *sb, const char *schema, const char *name)
{
	ident(sb, schema);
	sb_putc(sb, '.');
	ident(sb, name);
}

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void push_line(char ***v, size_t *n, size_t *cap, struct sbuf *sb)
{
	MD_GROW(*v, *n, *cap);
	(*v)[(*n)++] = sbuf_detach(sb, NULL);
}

/*
 * One fact per line, sorted, in a form a psql query over pg_catalog can
 * produce too (tests/integration): table, column (type, not null, default
 * present), constraint, index (unique, columns), enum (labels in order),
 * extension.
 */
void catalog_render_text(const struct catalog *c, struct sbuf *out)
{
	char **lines = NULL;
	size_t n = 0, cap = 0;
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; i < c->ntables; i++) {
		const struct cat_table *t = c->tables[i];

		sb_puts(&sb, t->is_view ? "view " : "table ");
		qname(&sb, t->schema, t->name);
		push_line(&lines, &n, &cap, &sb);
		for (size_t k = 0; k < t->ncols; k++) {
			const struct cat_column *col = &t->cols[k];

			sb_puts(&sb, "column ");
			qname(&sb, t->schema, t->name);
			sb_putc(&sb, '.');
			ident(&sb, col->name);
			sb_printf(&sb, " %s%s%s", col->type ? col->type : "?",
				  col->not_null ? " not null" : "", col->has_default ? " default" : "");
			push_line(&lines, &n, &cap, &sb);
		}
		for (size_t k = 0; k < t->ncons; k++) {
			const struct cat_constraint *cn = &t->cons[k];

			sb_puts(&sb, "constraint ");
			qname(&sb, t->schema, t->name);
			sb_putc(&sb, ' ');
			ident(&sb, cn->name);
			sb_printf(&sb, " %c", cn->contype);
			if (cn->contype == 'f' && cn->ref_table) {
				sb_puts(&sb, " -> ");
				qname(&sb, cn->ref_schema ? cn->ref_schema : c->default_schema,
				      cn->ref_table);
			}
			push_line(&lines, &n, &cap, &sb);
		}
	}
	for (size_t i = 0; i < c->nindexes; i++) {
		const struct cat_index *x = c->indexes[i];

		sb_puts(&sb, x->unique ? "unique index " : "index ");
		qname(&sb, x->schema, x->name);
		sb_puts(&sb, " on ");
		ident(&sb, x->table);
		sb_puts(&sb, " (");
		for (size_t k = 0; k < x->ncols; k++) {
			if (k)
				sb_puts(&sb, ", ");
			/* expressions are stored rendered; plain columns as names */
			if (strchr(x->cols[k], '('))
				sb_puts(&sb, x->cols[k]);
			else
				ident(&sb, x->cols[k]);
		}
		sb_putc(&sb, ')');
		push_line(&lines, &n, &cap, &sb);
	}
	for (size_t i = 0; i < c->nobjects; i++) {
		const struct cat_object *o = c->objects[i];

		if (o->kind == SQL_OBJ_TYPE && o->type_kind == 'e') {
			sb_puts(&sb, "enum ");
			qname(&sb, o->schema, o->name);
			sb_puts(&sb, " (");
			for (size_t k = 0; k < o->nvalues; k++)
				sb_printf(&sb, "%s%s", k ? ", " : "", o->values[k]);
			sb_putc(&sb, ')');
		} else if (o->kind == SQL_OBJ_EXTENSION || o->kind == SQL_OBJ_SCHEMA) {
			sb_printf(&sb, "%s ", sql_obj_name(o->kind));
			ident(&sb, o->name);
		} else {
			sb_printf(&sb, "%s ", sql_obj_name(o->kind));
			qname(&sb, o->schema, o->name);
			if (o->table) {
				sb_puts(&sb, " on ");
				ident(&sb, o->table);
			}
		}
		push_line(&lines, &n, &cap, &sb);
	}
	if (n)
		qsort(lines, n, sizeof(*lines), cmp_lines);
	for (size_t i = 0; i < n; i++) {
		sb_puts(out, lines[i]);
		sb_putc(out, '\n');
		free(lines[i]);
	}
	free(lines);
	sbuf_release(&sb);
}
