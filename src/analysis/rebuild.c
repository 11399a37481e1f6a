/*
 * rebuild.c - the DDL that re-creates each object a FIX_RECREATE names,
 * decided here so the writer only prints (a statement that cannot be made
 * idempotent is known before any script is written).
 *
 * Each object comes back in its final form: an index or constraint that a
 * later migration dropped and made again, or a view or function it made
 * again (CREATE OR REPLACE), belongs to that later migration (state.c);
 * a column added by ALTER TABLE is written from the replayed catalog (its
 * type, NOT NULL and default as the last migration left them), not from
 * the statement that first added it.
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

/*
 * EXISTS (the column o names[, and its type is not `type_not`][, and
 * `pred`, a condition on a.atttypid and a.atttypmod]), on the live catalog.
 */
static void column_there(struct sbuf *sb, const struct obj_ref *o, const char *type_not,
			 const char *pred)
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
	if (pred)
		sb_printf(sb, "\n            AND (%s)", pred);
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
 * SET DEFAULT (the migration's expression, rendered from its tree) or the
 * migration's own DROP DEFAULT (ALTER COLUMN ... DROP DEFAULT: a column
 * made without one gives no object, state.c), where the column is: both
 * are no-ops where it is already so.
 */
static char *column_default(const struct obj_ref *o, bool *bad, const char **why)
{
	struct sbuf cond = SBUF_INIT, body = SBUF_INIT;
	char *r;

	if (o->prop == SQL_PROP_SET_DEFAULT && !o->value) {
		*why = "a default this version cannot render";
		return NULL;
	}
	column_there(&cond, o, NULL, NULL);
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
 * --- type changes that cannot lose data (nothing a repair writes may lose any) ---
 *
 * A column whose type differs from the migration's is changed back only
 * when every value it can hold survives the change unchanged: a wider
 * integer, a numeric with room for all digits, a longer varchar or text, a
 * timestamp with as many fractional digits, and the text a Prisma enum was
 * made from (each value is a label, or the change fails as a whole). Any
 * other pair, and any type this list does not know, is left for a person:
 * numeric(20,4) -> integer rounds, timestamp(6) -> timestamp(3) drops
 * microseconds, bigint -> integer brings back the overflow.
 */
enum tbase { T_OTHER, T_INT2, T_INT4, T_INT8, T_NUMERIC, T_FLOAT8, T_TEXT, T_VARCHAR, T_TS,
	     T_TSTZ, T_ENUM };

struct ty {
	enum tbase b;
	int p, s; /* numeric precision and scale, varchar length, timestamp digits; -1: none */
};

/* A number of a typmod: digits only, then `stop`; *t moves past both. */
static bool typmod_num(const char **t, char stop, int *v)
{
	char *end;
	long n;

	if (**t < '0' || **t > '9')
		return false;
	n = strtol(*t, &end, 10);
	if (*end != stop || n > 100000)
		return false;
	*v = (int)n;
	*t = end + 1;
	return true;
}

/* "(12,4)", "(3)" or nothing, then `tail` and nothing else: the numbers (-1: none). */
static bool typmod_args(const char *t, const char *tail, int *p, int *s)
{
	*p = *s = -1;
	if (*t == '(') {
		t++;
		if (!typmod_num(&t, ',', p)) {
			*s = 0;
			if (!typmod_num(&t, ')', p))
				return *p = *s = -1, false;
		} else if (!typmod_num(&t, ')', s)) {
			return *p = *s = -1, false;
		}
	}
	if (strcmp(t, tail))
		return *p = *s = -1, false;
	return true;
}

static bool prefix(const char *t, const char *pre, const char **rest)
{
	size_t n = strlen(pre);

	if (strncmp(t, pre, n))
		return false;
	*rest = t + n;
	return true;
}

/* A type as format_type() prints it; an enum the migrations make is T_ENUM. */
static struct ty type_of(const struct catalog *expected, const char *schema, const char *t)
{
	static const struct { const char *name; enum tbase b; } plain[] = {
		{ "smallint", T_INT2 }, { "integer", T_INT4 }, { "bigint", T_INT8 },
		{ "double precision", T_FLOAT8 }, { "text", T_TEXT },
	};
	const struct cat_object *e;
	struct ty r = { T_OTHER, -1, -1 };
	const char *rest;

	for (size_t i = 0; i < MD_ARRAY_LEN(plain); i++)
		if (!strcmp(t, plain[i].name)) {
			r.b = plain[i].b;
			return r;
		}
	if (prefix(t, "numeric", &rest) && typmod_args(rest, "", &r.p, &r.s))
		r.b = T_NUMERIC;
	else if (prefix(t, "character varying", &rest) && typmod_args(rest, "", &r.p, &r.s))
		r.b = T_VARCHAR;
	else if (prefix(t, "timestamp", &rest) &&
		 (typmod_args(rest, " without time zone", &r.p, &r.s) ||
		  typmod_args(rest, " with time zone", &r.p, &r.s)))
		r.b = strstr(rest, " with time zone") ? T_TSTZ : T_TS;
	else if ((e = catalog_object(expected, SQL_OBJ_TYPE, schema, bare(t))) &&
		 e->type_kind == 'e')
		r.b = T_ENUM;
	if ((r.b == T_TS || r.b == T_TSTZ) && r.p < 0)
		r.p = 6; /* the default: microseconds */
	if (r.b == T_OTHER)
		r.p = r.s = -1;
	return r;
}

/* Digits left of the point an integer type needs. */
static int int_digits(enum tbase b)
{
	return b == T_INT2 ? 5 : b == T_INT4 ? 10 : b == T_INT8 ? 19 : 0;
}

/* Does every value of `from` survive ALTER COLUMN TYPE `to` unchanged? (as sources_sql) */
static bool lossless(struct ty to, struct ty from)
{
	bool isint = from.b == T_INT2 || from.b == T_INT4 || from.b == T_INT8;

	switch (to.b) {
	case T_INT8:
		return from.b == T_INT2 || from.b == T_INT4;
	case T_INT4:
		return from.b == T_INT2;
	case T_FLOAT8:
		return from.b == T_INT2 || from.b == T_INT4; /* exact below 2^53 */
	case T_NUMERIC:
		if (isint)
			return to.p < 0 || to.p - to.s >= int_digits(from.b);
		return from.b == T_NUMERIC && (to.p < 0 || (from.p >= 0 && from.s <= to.s &&
							    from.p - from.s <= to.p - to.s));
	case T_TEXT:
		return from.b == T_VARCHAR;
	case T_VARCHAR:
		return (from.b == T_TEXT && to.p < 0) ||
		       (from.b == T_VARCHAR && (to.p < 0 || (from.p >= 0 && from.p <= to.p)));
	case T_TS:
	case T_TSTZ:
		return from.b == to.b && from.p <= to.p;
	case T_ENUM:
		return from.b == T_TEXT || from.b == T_VARCHAR;
	default:
		return false;
	}
}

static void typid(struct sbuf *sb, const char *sep, const char *name)
{
	sb_printf(sb, "%sa.atttypid = 'pg_catalog.%s'::pg_catalog.regtype", sep, name);
}

/*
 * The live form of lossless(): a condition on a.atttypid and a.atttypmod
 * (numeric: ((p << 16) | s) + 4, varchar: n + 4, timestamp: p; -1 none)
 * that holds where the column's type is a source `to` accepts. Empty when
 * there is none.
 */
static void sources_sql(struct sbuf *sb, struct ty to)
{
	static const struct { enum tbase b; const char *name; } ints[] = {
		{ T_INT2, "int2" }, { T_INT4, "int4" }, { T_INT8, "int8" },
	};
	const char *sep = "";

	switch (to.b) {
	case T_INT8:
	case T_INT4:
	case T_FLOAT8:
	case T_NUMERIC:
		for (size_t i = 0; i < MD_ARRAY_LEN(ints); i++) {
			struct ty from = { ints[i].b, -1, -1 };

			if (lossless(to, from)) {
				typid(sb, sep, ints[i].name);
				sep = " OR ";
			}
		}
		if (to.b == T_NUMERIC && to.p < 0) {
			typid(sb, sep, "numeric");
		} else if (to.b == T_NUMERIC) {
			typid(sb, sep, "numeric");
			/* scale, and digits left of the point, no more than to's */
			sb_printf(sb, " AND a.atttypmod >= 4\n                AND ((a.atttypmod "
				  "- 4) & 65535) <= %d AND ((a.atttypmod - 4) >> 16) - "
				  "((a.atttypmod - 4) & 65535) <= %d", to.s, to.p - to.s);
		}
		break;
	case T_TEXT:
		typid(sb, sep, "varchar");
		break;
	case T_VARCHAR:
		if (to.p < 0) {
			typid(sb, sep, "text");
			typid(sb, " OR ", "varchar");
		} else {
			typid(sb, sep, "varchar");
			sb_printf(sb, " AND a.atttypmod >= 4 AND a.atttypmod - 4 <= %d", to.p);
		}
		break;
	case T_TS:
	case T_TSTZ:
		typid(sb, sep, to.b == T_TS ? "timestamp" : "timestamptz");
		sb_printf(sb, " AND (CASE WHEN a.atttypmod < 0 THEN 6 ELSE a.atttypmod END) "
			  "<= %d", to.p);
		break;
	case T_ENUM:
		typid(sb, sep, "text");
		typid(sb, " OR ", "varchar");
		break;
	default:
		break;
	}
}

/*
 * The ALTER COLUMN TYPE command: the migration's own with its USING (the
 * type it names renamed to its final name, an enum swap's "E_new" to
 * "E"), or for a type a CREATE TABLE or ADD COLUMN gave, the plain change
 * (through text for an enum, which has no cast from text's types).
 */
static char *column_type_cmd(struct arena *ar, const struct obj_ref *o, struct ty to, bool *bad,
			     struct md_error *err)
{
	struct sbuf sb = SBUF_INIT;

	if (o->e->action == SQL_ALTERS && o->e->prop == SQL_PROP_TYPE) {
		const char *from = o->e->type ? arena_strdup(ar, bare(o->e->type)) : NULL;

		return sql_alter_type_cmd(o->stmt, o->name, from, bare(o->value), err);
	}
	alter_column(&sb, o, bad);
	sb_printf(&sb, " TYPE %s", o->value);
	if (to.b == T_ENUM) {
		sb_puts(&sb, " USING ");
		*bad |= sql_quote_ident_always(&sb, o->name) != 0;
		sb_printf(&sb, "::text::%s", o->value);
	}
	return sbuf_detach(&sb, NULL);
}

/* A DO-IF body line: RAISE NOTICE with one literal (no format characters of the names). */
static void notice(struct sbuf *sb, const char *indent, const char *text)
{
	sb_printf(sb, "%sRAISE NOTICE '%%', ", indent);
	sql_quote_literal_str(sb, text);
	sb_puts(sb, ";\n");
}

static const char *left_text(struct arena *ar, const struct obj_ref *o, const char *have)
{
	return arena_printf(ar, "column \"%s\".\"%s\" is left %s%s: changing it to %s could round, "
			    "cut or refuse its values; a person must decide", o->table, o->name,
			    have ? "as " : "as it is", have ? have : "", o->value);
}

/*
 * Would giving column o the type its migration sets change values? True
 * when the export shows the column with a type that is no lossless source
 * of it (numeric(30,8) for numeric(20,4), timestamp(6) for timestamp(3)):
 * neither the repair nor a re-run by deploy may then make the change.
 * *have: the type the export shows.
 */
bool rebuild_type_loses(const struct analysis *a, const struct catalog *expected,
			const struct obj_ref *o, const char **have)
{
	const struct cat_column *c;

	*have = NULL;
	if (o->kind != SQL_OBJ_COLUMN || o->prop != SQL_PROP_TYPE || !o->value || !a->in->schema)
		return false;
	c = cat_table_column(catalog_table(a->in->schema, o->schema, o->table), o->name);
	if (!c || !c->type)
		return false;
	*have = c->type;
	return !lossless(type_of(expected, o->schema, o->value),
			 type_of(expected, o->schema, c->type));
}

/*
 * The type a migration gives a column, where the live column has another:
 * ALTER COLUMN TYPE only where the live type is a lossless source with the
 * type's default collation (checked on the live catalog, so an unknown
 * column of a partial dump is safe too), else a NOTICE that it was left.
 * A type the dump shows and that is no such source gives no change at all
 * (o->left says why).
 */
static char *column_type(struct analysis *a, const struct catalog *expected, struct obj_ref *o,
			 bool *bad, struct md_error *err)
{
	const struct cat_table *t = catalog_table(expected, o->schema, o->table);
	const struct cat_column *c = cat_table_column(t, o->name);
	const char *have;
	struct sbuf cond = SBUF_INIT, body = SBUF_INIT, pred = SBUF_INIT;
	bool redefault = c && c->has_default && c->default_sql;
	struct ty to;
	char *r = NULL;

	if (!o->value) {
		md_fail(err, "no type known for %s", o->name);
		return NULL;
	}
	to = type_of(expected, o->schema, o->value);
	sources_sql(&pred, to);
	/*
	 * ALTER TYPE converts a default with the type's cast; an enum has no
	 * cast from text, so its default must be out of the way. It is dropped
	 * only to be set again: with the migration's, else where there is none
	 * (a live default is never dropped for good, P1).
	 */
	if (pred.len) {
		char *src = sbuf_detach(&pred, NULL);

		/* ALTER TYPE has no COLLATE here and resets the column's collation
		 * to the type's default: a column with another (a case-insensitive
		 * unique e-mail) is left as it is (N6) */
		sb_printf(&pred, "(%s)\n            AND a.attcollation = (SELECT t.typcollation "
			  "FROM pg_catalog.pg_type t WHERE t.oid = a.atttypid)%s", src,
			  to.b == T_ENUM && !redefault ? " AND NOT a.atthasdef" : "");
		free(src);
	}
	if (rebuild_type_loses(a, expected, o, &have))
		o->left = left_text(&a->arena, o, have);
	else if (o->e->action == SQL_ALTERS && o->e->prop == SQL_PROP_TYPE &&
		 !sql_alter_type_casts_only(o->stmt, o->name))
		/* USING (spend * 100): the values would be computed again, maybe twice */
		o->left = arena_printf(&a->arena, "column \"%s\".\"%s\" is left as it is: the "
				       "migration's USING computes its values anew; a person must "
				       "decide", o->table, o->name);
	column_there(&cond, o, o->value, NULL);
	if (!o->left && pred.len) {
		char *cmd = column_type_cmd(&a->arena, o, to, bad, err);

		if (!cmd)
			goto out;
		sbuf_reset(&cond);
		column_there(&cond, o, o->value, pred.buf);
		if (redefault && to.b == T_ENUM) {
			alter_column(&body, o, bad);
			sb_puts(&body, " DROP DEFAULT;\n");
		}
		sb_printf(&body, "%s%s;\n", cmd[0] == ' ' ? "" : "        ", cmd);
		if (redefault && to.b == T_ENUM) {
			alter_column(&body, o, bad);
			sb_printf(&body, " SET DEFAULT %s;\n", c->default_sql);
		}
		free(cmd);
		/* sql_do_if closes the IF: an ELSIF for any other type it finds */
		sb_puts(&body, "    ELSIF ");
		column_there(&body, o, o->value, NULL);
		sb_puts(&body, " THEN\n");
	}
	notice(&body, "        ", o->left ? arena_printf(&a->arena, "migdoctor: %s", o->left) :
	       arena_printf(&a->arena, "migdoctor: column \"%s\".\"%s\" is left as it is: its type "
			    "is not one that can become %s without losing data, or its collation "
			    "or default would be lost; a person must decide",
			    o->table, o->name, o->value));
	r = sql_do_if(cond.buf, body.buf);
out:
	sbuf_release(&cond);
	sbuf_release(&body);
	sbuf_release(&pred);
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
			if (!(sql = column_type(a, expected, o, &bad, &err))) {
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
	/* what a fix leaves, in its own words: the report and the script's header show them */
	for (size_t i = 0; i < a->nfindings; i++)
		for (size_t k = 0; k < a->findings[i]->nactions; k++) {
			struct finding *f = a->findings[i];
			const struct fix_action *x = &f->actions[k];

			for (size_t j = 0; x->kind == FIX_RECREATE && j < x->ms->nrebuild; j++) {
				const char *left = x->ms->rebuild[j].left;

				const char *sep = !f->fix ? "" :
						  strstr(f->fix, "must decide") ? "; " : "; but ";

				if (left && (!f->fix || !strstr(f->fix, left)))
					finding_fix(a, f, "%s%s%s", f->fix ? f->fix : "", sep,
						    left);
			}
		}
}
