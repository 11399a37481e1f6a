/*
 * from_dump.c - the catalog of a real database, from the DDL of its dump,
 * through the same effects code as the migrations.
 *
 * A dump made with 'pg_dump -t' or '-T' is partial: it can hold a foreign
 * key to a table it left out, an index on one, or a column of a type it
 * does not define. Those statements fail on the model; the objects they
 * name are recorded as external (they exist, the dump does not describe
 * them), so the analysis can tell "absent from the dump" from "missing".
 */
#include "migdoctor/common.h"
#include "migdoctor/catalog.h"
#include "migdoctor/history.h"

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

const struct cat_ref *catalog_external(const struct catalog *c, enum sql_obj kind, const char *schema,
				       const char *name)
{
	if (!schema)
		schema = c->default_schema;
	for (size_t i = 0; i < c->nexternal; i++) {
		const struct cat_ref *r = &c->external[i];

		if (r->kind == kind && same(r->name, name) && same(r->schema, schema))
			return r;
	}
	return NULL;
}

static void add_external(struct catalog *c, enum sql_obj kind, const char *schema, const char *name,
			 const struct md_pos *pos)
{
	struct cat_ref *r;

	if (!name || catalog_external(c, kind, schema, name))
		return;
	MD_GROW(c->external, c->nexternal, c->external_cap);
	r = &c->external[c->nexternal++];
	r->kind = kind;
	r->schema = arena_strdup(&c->arena, schema ? schema : c->default_schema);
	r->name = arena_strdup(&c->arena, name);
	r->pos = *pos;
}

/* The bare name of a user type as a column shows it ("Role" -> Role), or NULL. */
static const char *user_type(struct arena *ar, const char *type)
{
	size_t n = type ? strlen(type) : 0;

	if (n > 2 && type[0] == '"' && type[n - 1] == '"' && !memchr(type + 1, '"', n - 2))
		return arena_strndup(ar, type + 1, n - 2);
	return NULL;
}

/* A statement PostgreSQL accepted failed on the model: what does it name that the dump lacks? */
static void note_reference(struct catalog *c, const struct sql_effect *e, const struct replay_error *re,
			   const struct md_pos *pos)
{
	if (!re->sqlstate || strcmp(re->sqlstate, "42P01"))
		return;
	if (e->table && !catalog_table(c, e->schema, e->table))
		add_external(c, SQL_OBJ_TABLE, e->schema, e->table, pos);
	else if (e->ref_table && !catalog_table(c, e->ref_schema, e->ref_table))
		add_external(c, SQL_OBJ_TABLE, e->ref_schema, e->ref_table, pos);
	else if (e->name && !e->table && !catalog_object(c, SQL_OBJ_SEQUENCE, e->schema, e->name))
		/* ALTER TABLE on a sequence (pg_dump's OWNER TO) names one the dump defines */
		add_external(c, SQL_OBJ_TABLE, e->schema, e->name, pos);
}

int catalog_from_dump(struct catalog *c, const struct dump_stmt *ddl, size_t nddl,
		      const char *source)
{
	for (size_t i = 0; i < nddl; i++) {
		const struct dump_stmt *d = &ddl[i];
		struct sql_script s;
		struct md_error e;
		struct replay_error re;

		sql_script_init(&s, d->pos.file);
		if (sql_script_parse(&s, d->sql, strlen(d->sql), &e) || s.nerrors) {
			c->nunparsed++;
		} else {
			for (size_t k = 0; k < s.neffects; k++)
				if (catalog_apply(c, &s.effects[k], "dump", &re) == 1)
					note_reference(c, &s.effects[k], &re, &d->pos);
		}
		sql_script_release(&s);
	}
	/* columns of types the dump does not define ('pg_dump -t' leaves types out) */
	for (size_t i = 0; i < c->ntables; i++)
		for (size_t k = 0; k < c->tables[i]->ncols; k++) {
			const char *ty = user_type(&c->arena, c->tables[i]->cols[k].type);
			struct md_pos pos = { source, 0, 0, 0 };

			if (ty && !catalog_object(c, SQL_OBJ_TYPE, c->tables[i]->schema, ty))
				add_external(c, SQL_OBJ_TYPE, c->tables[i]->schema, ty, &pos);
		}
	return 0;
}
