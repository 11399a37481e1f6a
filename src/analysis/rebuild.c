/*
 * rebuild.c - the DDL that re-creates each object a FIX_RECREATE names,
 * decided here so the writer only prints (a statement that cannot be made
 * idempotent is known before any script is written).
 *
 * Each object comes back in its final form: an index or constraint that a
 * later migration dropped and made again belongs to that later migration
 * (state.c), and a column added by ALTER TABLE is written from the replayed
 * catalog (its type, NOT NULL and default as the last migration left them),
 * not from the statement that first added it.
 */
#include "migdoctor/common.h"
#include "migdoctor/quote.h"
#include "migdoctor/sbuf.h"
#include "analysis_int.h"

static bool same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static void qualified(struct sbuf *sb, const char *schema, const char *name, bool *bad)
{
	if (schema) {
		*bad |= sql_quote_ident_always(sb, schema) != 0;
		sb_putc(sb, '.');
	}
	*bad |= sql_quote_ident_always(sb, name) != 0;
}

static bool label_rebuilt(const struct mig_state *ms, const char *type, const char *label)
{
	for (size_t i = 0; i < ms->nrebuild; i++)
		if (ms->rebuild[i].kind == SQL_OBJ_ENUM_VALUE && same(ms->rebuild[i].table, type) &&
		    same(ms->rebuild[i].name, label))
			return true;
	return false;
}

/*
 * A label of an enum the migration built under a temporary name and
 * renamed (Prisma's enum swap): ADD VALUE on the final type, before the
 * next label that exists, so the order is the migration's.
 */
static char *enum_label(const struct mig_state *ms, const struct obj_ref *o, bool *bad)
{
	struct sbuf sb = SBUF_INIT;
	const char *next = NULL;
	bool after = false;

	for (size_t i = 0; i < o->e->ncols; i++) {
		if (after && !label_rebuilt(ms, o->table, o->e->cols[i])) {
			next = o->e->cols[i];
			break;
		}
		after |= !strcmp(o->e->cols[i], o->name);
	}
	sb_puts(&sb, "ALTER TYPE ");
	qualified(&sb, o->schema, o->table, bad);
	sb_puts(&sb, " ADD VALUE IF NOT EXISTS ");
	sql_quote_literal_str(&sb, o->name);
	if (next) {
		sb_puts(&sb, " BEFORE ");
		sql_quote_literal_str(&sb, next);
	}
	return sbuf_detach(&sb, NULL);
}

/* SET/DROP NOT NULL: both are no-ops where the column is already so. */
static char *nullability(const struct obj_ref *o, bool *bad)
{
	struct sbuf sb = SBUF_INIT;

	sb_puts(&sb, "ALTER TABLE ");
	qualified(&sb, o->schema, o->table, bad);
	sb_puts(&sb, " ALTER COLUMN ");
	*bad |= sql_quote_ident_always(&sb, o->name) != 0;
	sb_puts(&sb, o->prop == SQL_PROP_SET_NOT_NULL ? " SET NOT NULL" : " DROP NOT NULL");
	return sbuf_detach(&sb, NULL);
}

/* EXISTS (the column o names[, and its type is not `type`]), on the live catalog. */
static void column_there(struct sbuf *sb, const struct obj_ref *o, const char *type_not)
{
	sb_puts(sb, "EXISTS (SELECT FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c "
		"ON c.oid = a.attrelid\n"
		"            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
		"            WHERE n.nspname = ");
	if (o->schema)
		sql_quote_literal_str(sb, o->schema);
	else
		sb_puts(sb, "current_schema()");
	sb_puts(sb, " AND c.relname = ");
	sql_quote_literal_str(sb, o->table);
	sb_puts(sb, " AND a.attname = ");
	sql_quote_literal_str(sb, o->name);
	sb_puts(sb, " AND a.attnum > 0 AND NOT a.attisdropped");
	if (type_not) {
		sb_puts(sb, "\n            AND pg_catalog.format_type(a.atttypid, a.atttypmod) "
			"<> ");
		sql_quote_literal_str(sb, type_not);
	}
	sb_putc(sb, ')');
}

static void alter_column(struct sbuf *sb, const struct obj_ref *o, bool *bad)
{
	sb_puts(sb, "        ALTER TABLE ");
	qualified(sb, o->schema, o->table, bad);
	sb_puts(sb, " ALTER COLUMN ");
	*bad |= sql_quote_ident_always(sb, o->name) != 0;
}

/*
 * SET DEFAULT (the migration's expression, rendered from its tree) or DROP
 * DEFAULT, where the column is: both are no-ops where it is already so.
 */
static char *column_default(const struct obj_ref *o, bool *bad, const char **why)
{
	struct sbuf cond = SBUF_INIT, body = SBUF_INIT;
	char *r;

	if (o->prop == SQL_PROP_SET_DEFAULT && !o->value) {
		*why = "a default this version cannot render";
		return NULL;
	}
	column_there(&cond, o, NULL);
	alter_column(&body, o, bad);
	if (o->prop == SQL_PROP_SET_DEFAULT)
		sb_printf(&body, " SET DEFAULT %s;\n", o->value);
	else
		sb_puts(&body, " DROP DEFAULT;\n");
	r = sql_do_if(cond.buf, body.buf);
	sbuf_release(&cond);
	sbuf_release(&body);
	return r;
}

/* "Role" -> Role (a static buffer is enough for a name PostgreSQL allows). */
static const char *bare(const char *type)
{
	static char buf[256];
	size_t n = strlen(type);

	if (n < 2 || n - 2 >= sizeof(buf) || type[n - 1] != '"')
		return type;
	memcpy(buf, type + 1, n - 2);
	buf[n - 2] = '\0';
	return buf;
}

/* A column added by ALTER TABLE, as the replayed catalog holds it now. */
static char *column_final(const struct catalog *expected, const struct obj_ref *o, bool *bad)
{
	const struct cat_column *c;
	struct sbuf sb = SBUF_INIT;

	if (!expected || !o->stmt || strcmp(o->stmt->tag ? o->stmt->tag : "", "ALTER TABLE"))
		return NULL;
	c = cat_table_column(catalog_table(expected, o->schema, o->table), o->name);
	if (!c || !c->type)
		return NULL;
	/* a user type the catalog no longer knows by that name (an enum swap
	 * renamed it): the statement says it better */
	if (c->type[0] == '"' && !catalog_object(expected, SQL_OBJ_TYPE, o->schema, bare(c->type)))
		return NULL;
	/* type and default are libpg_query's deparse of the migration's own tree */
	sb_puts(&sb, "ALTER TABLE ");
	qualified(&sb, o->schema, o->table, bad);
	sb_puts(&sb, " ADD COLUMN IF NOT EXISTS ");
	*bad |= sql_quote_ident_always(&sb, o->name) != 0;
	sb_printf(&sb, " %s", c->type);
	if (c->has_default && c->default_expr)
		sb_printf(&sb, " DEFAULT %s", c->default_expr);
	if (c->not_null)
		sb_puts(&sb, " NOT NULL");
	return sbuf_detach(&sb, NULL);
}

/*
 * ALTER COLUMN TYPE where the column has another type: the migration's own
 * command with its USING (the type it names renamed to its final name, an
 * enum swap's "E_new" to "E"), or for a type a CREATE TABLE or ADD COLUMN
 * gave, the plain change. The default is dropped first (an enum's cannot
 * be cast from text's) and set again as the replay leaves it.
 */
static char *column_type(struct arena *ar, const struct catalog *expected, const struct obj_ref *o,
			 bool *bad, struct md_error *err)
{
	const struct cat_table *t = catalog_table(expected, o->schema, o->table);
	const struct cat_column *c = cat_table_column(t, o->name);
	struct sbuf cond = SBUF_INIT, body = SBUF_INIT;
	bool redefault = c && c->has_default && c->default_sql;
	char *cmd = NULL, *r = NULL;

	if (!o->value) {
		md_fail(err, "no type known for %s", o->name);
		return NULL;
	}
	if (o->e->action == SQL_ALTERS && o->e->prop == SQL_PROP_TYPE) {
		const char *from = o->e->type ? arena_strdup(ar, bare(o->e->type)) : NULL;

		cmd = sql_alter_type_cmd(o->stmt, o->name, from, bare(o->value), err);
		if (!cmd)
			return NULL;
	} else {
		struct sbuf sb = SBUF_INIT;

		alter_column(&sb, o, bad);
		sb_printf(&sb, " TYPE %s", o->value);
		cmd = sbuf_detach(&sb, NULL);
	}
	column_there(&cond, o, o->value);
	if (redefault || (c && !c->has_default)) {
		alter_column(&body, o, bad);
		sb_puts(&body, " DROP DEFAULT;\n");
	}
	sb_printf(&body, "%s%s;\n", cmd[0] == ' ' ? "" : "        ", cmd);
	if (redefault) {
		alter_column(&body, o, bad);
		sb_printf(&body, " SET DEFAULT %s;\n", c->default_sql);
	}
	r = sql_do_if(cond.buf, body.buf);
	free(cmd);
	sbuf_release(&cond);
	sbuf_release(&body);
	return r;
}

static void rebuild_one(struct analysis *a, struct mig_state *ms, const struct catalog *expected)
{
	for (size_t i = 0; i < ms->nrebuild && !a->premise_conflict; i++) {
		struct obj_ref *o = &ms->rebuild[i];
		struct md_error err;
		bool bad = false, seen = false;
		char *sql;

		if (o->ddl)
			return; /* done for another finding on the same migration */
		for (size_t k = 0; k < i; k++)
			seen |= ms->rebuild[k].stmt == o->stmt && ms->rebuild[k].ddl &&
				o->kind == SQL_OBJ_TABLE && ms->rebuild[k].kind == SQL_OBJ_TABLE;
		if (seen || !o->e || !o->stmt)
			continue;
		if (o->kind == SQL_OBJ_ENUM_VALUE && o->e->obj == SQL_OBJ_TYPE)
			sql = enum_label(ms, o, &bad);
		else if (o->prop == SQL_PROP_TYPE) {
			if (!(sql = column_type(&a->arena, expected, o, &bad, &err))) {
				a->premise_conflict = arena_printf(&a->arena, "%s: %s", ms->m ?
								   ms->m->path : ms->name, err.msg);
				return;
			}
		} else if (o->prop == SQL_PROP_SET_DEFAULT || o->prop == SQL_PROP_DROP_DEFAULT) {
			const char *why = NULL;

			if (!(sql = column_default(o, &bad, &why))) {
				a->premise_conflict = arena_printf(
					&a->arena, "%s: %s of %s", ms->m ? ms->m->path : ms->name,
					why, obj_text(&a->arena, o));
				return;
			}
		} else if (o->prop)
			sql = nullability(o, &bad);
		else if (o->kind == SQL_OBJ_COLUMN && (sql = column_final(expected, o, &bad)))
			;
		else if (!(sql = sql_idempotent(o->stmt, o->e, &err))) {
			a->premise_conflict = arena_printf(&a->arena, "%s: %s",
							   ms->m ? ms->m->path : ms->name, err.msg);
			return;
		}
		if (bad)
			a->premise_conflict = "a name in the inputs holds a control character; "
					      "refusing to write it into SQL";
		o->ddl = arena_strdup(&a->arena, sql);
		free(sql);
	}
}

void rebuild_build(struct analysis *a, const struct catalog *expected)
{
	for (size_t i = 0; i < a->nfindings; i++)
		for (size_t k = 0; k < a->findings[i]->nactions; k++) {
			const struct fix_action *x = &a->findings[i]->actions[k];

			/* the analysis owns its states: the one the action names, writable */
			if (x->kind == FIX_RECREATE)
				rebuild_one(a, &a->v[x->ms - a->v], expected);
		}
}
