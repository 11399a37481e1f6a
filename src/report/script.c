/*
 * script.c - the pieces the repair and the deploy scripts share: how a
 * value becomes SQL, the inputs header, and the guards that check on the
 * live database what a script was made from.
 */
#include "migdoctor/common.h"
#include "migdoctor/quote.h"
#include "script_int.h"

void script_ident(int *bad, struct sbuf *sb, const char *s)
{
	if (sql_quote_ident_always(sb, s)) {
		*bad = 1;
		sb_puts(sb, "\"?\"");
	}
}

void script_lit(struct sbuf *sb, const char *s)
{
	if (s)
		sql_quote_literal_str(sb, s);
	else
		sb_puts(sb, "NULL");
}

void script_comment(struct sbuf *sb, const char *prefix, const char *text)
{
	sb_puts(sb, prefix);
	sql_comment_text(sb, text, strlen(text));
	sb_putc(sb, '\n');
}

void script_commentf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		md_oom(0);
	va_end(ap);
	script_comment(sb, "-- ", s);
	free(s);
}

void script_inputs(struct sbuf *sb, const struct input_desc *inputs, size_t n)
{
	sb_puts(sb, "-- Inputs:\n");
	for (size_t i = 0; i < n; i++) {
		const struct input_desc *in = &inputs[i];

		script_commentf(sb, "  %-10s %s%s%s%s", in->role, in->path, in->detail ? " (" : "",
				in->detail ? in->detail : "", in->detail ? ")" : "");
		if (in->sha256[0])
			script_commentf(sb, "  %-10s sha256 %s", "", in->sha256);
	}
}

void script_history_table(int *bad, struct sbuf *sb, const char *schema)
{
	if (schema) {
		script_ident(bad, sb, schema);
		sb_putc(sb, '.');
	}
	sb_puts(sb, "\"_prisma_migrations\"");
}

/*
 * The catalog query that finds one kind of object: its tables, the column
 * of its schema's name (NULL: not in a schema), up to two name columns
 * (filled from the object's table or name) and a last condition.
 */
enum catq_field { F_NONE, F_TABLE, F_NAME };

static const struct catq {
	enum sql_obj kind;
	const char *from;
	const char *c1;
	enum catq_field f1;
	const char *c2;
	enum catq_field f2;
	const char *extra;
} catq[] = {
#define REL "pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
#define NSP "\n               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	{ SQL_OBJ_TABLE, REL, "c.relname", F_NAME, NULL, F_NONE,
	  " AND c.relkind IN ('r', 'p', 'f')" },
	{ SQL_OBJ_VIEW, REL, "c.relname", F_NAME, NULL, F_NONE, " AND c.relkind IN ('v', 'm')" },
	{ SQL_OBJ_INDEX, REL, "c.relname", F_NAME, NULL, F_NONE, " AND c.relkind IN ('i', 'I')" },
	{ SQL_OBJ_SEQUENCE, REL, "c.relname", F_NAME, NULL, F_NONE, " AND c.relkind = 'S'" },
	{ SQL_OBJ_COLUMN,
	  "pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid" NSP,
	  "c.relname", F_TABLE, "a.attname", F_NAME, " AND a.attnum > 0 AND NOT a.attisdropped" },
	{ SQL_OBJ_CONSTRAINT,
	  "pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid" NSP,
	  "c.relname", F_TABLE, "k.conname", F_NAME, "" },
#undef NSP
#undef REL
	{ SQL_OBJ_TYPE,
	  "pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace",
	  "t.typname", F_NAME, NULL, F_NONE, "" },
	{ SQL_OBJ_ENUM_VALUE,
	  "pg_catalog.pg_enum e JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid "
	  "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace",
	  "t.typname", F_TABLE, "e.enumlabel", F_NAME, "" },
	{ SQL_OBJ_EXTENSION, "pg_catalog.pg_extension", "extname", F_NAME, NULL, F_NONE, "" },
	{ SQL_OBJ_SCHEMA, "pg_catalog.pg_namespace", "nspname", F_NAME, NULL, F_NONE, "" },
};

static void catq_value(struct sbuf *sb, const char *col, enum catq_field f, const struct obj_ref *o)
{
	sb_printf(sb, " AND %s = ", col);
	script_lit(sb, f == F_TABLE ? o->table : o->name);
}

bool script_exists_sql(struct sbuf *sb, const struct obj_ref *o)
{
	for (size_t i = 0; i < MD_ARRAY_LEN(catq); i++) {
		const struct catq *q = &catq[i];
		bool in_schema = q->kind != SQL_OBJ_EXTENSION && q->kind != SQL_OBJ_SCHEMA;

		if (q->kind != o->kind)
			continue;
		sb_printf(sb, "EXISTS (SELECT FROM %s\n               WHERE ", q->from);
		if (in_schema) {
			/* the object's schema, else the one the script runs in */
			sb_puts(sb, "n.nspname = ");
			if (o->schema)
				script_lit(sb, o->schema);
			else
				sb_puts(sb, "current_schema()");
		} else {
			sb_puts(sb, "true");
		}
		catq_value(sb, q->c1, q->f1, o);
		if (q->c2)
			catq_value(sb, q->c2, q->f2, o);
		sb_printf(sb, "%s%s", q->extra,
			  o->prop == SQL_PROP_SET_NOT_NULL ? " AND a.attnotnull" :
			  o->prop == SQL_PROP_DROP_NOT_NULL ? " AND NOT a.attnotnull" :
			  o->prop == SQL_PROP_SET_DEFAULT ? " AND a.atthasdef" :
			  o->prop == SQL_PROP_DROP_DEFAULT ? " AND NOT a.atthasdef" : "");
		/* the texts are the dump's, as the server prints them: format_type, pg_get_expr */
		if (o->prop == SQL_PROP_TYPE && o->value) {
			sb_puts(sb, "\n               AND pg_catalog.format_type(a.atttypid, "
				"a.atttypmod) = ");
			script_lit(sb, o->value);
		} else if (o->prop == SQL_PROP_SET_DEFAULT && o->value) {
			sb_puts(sb, "\n               AND pg_catalog.pg_get_expr((SELECT d.adbin "
				"FROM pg_catalog.pg_attrdef d\n"
				"                   WHERE d.adrelid = a.attrelid AND d.adnum = "
				"a.attnum), a.attrelid) = ");
			script_lit(sb, o->value);
		}
		sb_putc(sb, ')');
		return true;
	}
	return false;
}

void script_rel_exists(struct sbuf *sb, const char *schema, const char *name)
{
	struct obj_ref o = { 0 };

	o.kind = SQL_OBJ_TABLE;
	o.schema = schema;
	o.name = name;
	script_exists_sql(sb, &o);
}

bool script_premise_guard(struct sbuf *body, struct arena *ar, const struct premise *p)
{
	struct sbuf cond = SBUF_INIT;

	if (!script_exists_sql(&cond, &p->obj)) {
		sbuf_release(&cond);
		return false; /* functions, triggers: no verdict rests on them */
	}
	sb_puts(body, p->present ? "    IF NOT " : "    IF ");
	sb_puts(body, cond.buf);
	sb_puts(body, " THEN\n        RAISE EXCEPTION 'migdoctor: the database is not as the "
		      "export showed: %; nothing was changed',\n            ");
	script_lit(body, arena_printf(ar, "%s %s", obj_text(ar, &p->obj),
				      p->present ? "is missing" : "exists"));
	sb_puts(body, ";\n    END IF;\n");
	sbuf_release(&cond);
	return true;
}

void script_guard_block(struct sbuf *out, const char *intro, const char *body)
{
	char tag[32] = "migdoctor";

	for (int i = 1; strstr(body, tag); i++)
		snprintf(tag, sizeof(tag), "migdoctor%d", i);
	sb_puts(out, intro);
	sb_printf(out, "DO $%s$\nBEGIN\n%sEND\n$%s$;\n", tag, body, tag);
}

const char script_prisma_table_ddl[] =
	" (\n"
	"    id                      VARCHAR(36) PRIMARY KEY NOT NULL,\n"
	"    checksum                VARCHAR(64) NOT NULL,\n"
	"    finished_at             TIMESTAMPTZ,\n"
	"    migration_name          VARCHAR(255) NOT NULL,\n"
	"    logs                    TEXT,\n"
	"    rolled_back_at          TIMESTAMPTZ,\n"
	"    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),\n"
	"    applied_steps_count     INTEGER NOT NULL DEFAULT 0\n"
	");\n";
