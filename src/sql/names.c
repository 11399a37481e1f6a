/*
 * names.c - rendering names, types and small expressions the way
 * PostgreSQL's catalog shows them, so the model can be compared with a
 * real database (format_type, pg_get_indexdef).
 */
#include "migdoctor/common.h"
#include "migdoctor/quote.h"
#include "migdoctor/sbuf.h"
#include "internal.h"


static const char *str_of(const PgQuery__Node *n)
{
	return n && n->node_case == PG_QUERY__NODE__NODE_STRING ? n->string->sval : NULL;
}

const char *sql_list_last(const PgQuery__Node *const *names, size_t n)
{
	return n ? str_of(names[n - 1]) : NULL;
}

const char *sql_list_schema(const PgQuery__Node *const *names, size_t n)
{
	return n >= 2 ? str_of(names[n - 2]) : NULL;
}

/* Internal type names and how format_type() prints them. */
static const struct {
	const char *internal, *shown;
} builtin_names[] = {
	{ "bool", "boolean" },     { "int2", "smallint" },
	{ "int4", "integer" },     { "int8", "bigint" },
	{ "float4", "real" },      { "float8", "double precision" },
	{ "bpchar", "character" }, { "varchar", "character varying" },
	{ "varbit", "bit varying" },
	{ "timestamp", "timestamp" }, { "timestamptz", "timestamp" },
	{ "time", "time" },        { "timetz", "time" },
	{ "numeric", "numeric" },  { "interval", "interval" }, { "bit", "bit" },
};

/* Types that parse unqualified but live in pg_catalog. */
static const char *const catalog_types[] = {
	"text", "json", "jsonb", "uuid", "bytea", "date", "inet", "cidr", "macaddr",
	"money", "xml", "tsvector", "tsquery", "oid", "name", "citext", "regclass",
	"point", "line", "box", "polygon", "circle", "path", "lseg", "int4range",
	"int8range", "numrange", "tsrange", "tstzrange", "daterange", "record", "void",
	"serial", "bigserial", "smallserial", "serial4", "serial8", "serial2", "char",
};

static void put_ident(struct sbuf *sb, const char *s)
{
	if (sql_quote_ident(sb, s))
		sb_puts(sb, "?");
}

static void put_typmods(struct sbuf *sb, const PgQuery__TypeName *t)
{
	if (!t->n_typmods)
		return;
	sb_putc(sb, '(');
	for (size_t i = 0; i < t->n_typmods; i++) {
		const PgQuery__Node *m = t->typmods[i];

		if (i)
			sb_putc(sb, ',');
		if (m->node_case == PG_QUERY__NODE__NODE_A_CONST &&
		    m->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL)
			sb_printf(sb, "%d", m->a_const->ival->ival);
		else
			sb_putc(sb, '?');
	}
	sb_putc(sb, ')');
}

const char *sql_type_text(struct arena *a, const PgQuery__TypeName *t, bool *builtin)
{
	struct sbuf sb = SBUF_INIT;
	const char *name = sql_list_last((const PgQuery__Node *const *)t->names, t->n_names);
	const char *schema = sql_list_schema((const PgQuery__Node *const *)t->names, t->n_names);
	const char *res;
	bool is_builtin = false;

	if (!name)
		name = "?";
	/* int4, timestamptz ... written by hand arrive unqualified: same types */
	if (!schema)
		for (size_t i = 0; i < MD_ARRAY_LEN(builtin_names); i++)
			if (!strcmp(name, builtin_names[i].internal))
				schema = "pg_catalog";
	if (schema && !strcmp(schema, "pg_catalog")) {
		is_builtin = true;
		for (size_t i = 0; i < MD_ARRAY_LEN(builtin_names); i++) {
			if (strcmp(name, builtin_names[i].internal))
				continue;
			sb_puts(&sb, builtin_names[i].shown);
			put_typmods(&sb, t);
			if (!strcmp(name, "timestamp") || !strcmp(name, "time"))
				sb_puts(&sb, " without time zone");
			else if (!strcmp(name, "timestamptz") || !strcmp(name, "timetz"))
				sb_puts(&sb, " with time zone");
			goto arrays;
		}
		sb_puts(&sb, name);
		put_typmods(&sb, t);
		goto arrays;
	}
	for (size_t i = 0; i < MD_ARRAY_LEN(catalog_types); i++)
		if (!strcmp(name, catalog_types[i]))
			is_builtin = true;
	if (!strcmp(name, "serial") || !strcmp(name, "serial4"))
		name = "integer";
	else if (!strcmp(name, "bigserial") || !strcmp(name, "serial8"))
		name = "bigint";
	else if (!strcmp(name, "smallserial") || !strcmp(name, "serial2"))
		name = "smallint";
	if (schema && !is_builtin && strcmp(schema, "public")) {
		put_ident(&sb, schema);
		sb_putc(&sb, '.');
	}
	if (is_builtin)
		sb_puts(&sb, name);
	else
		put_ident(&sb, name);
	put_typmods(&sb, t);
arrays:
	for (size_t i = 0; i < t->n_array_bounds; i++)
		sb_puts(&sb, "[]");
	res = arena_strndup(a, sb.buf, sb.len);
	sbuf_release(&sb);
	if (builtin)
		*builtin = is_builtin;
	return res;
}

static void put_literal(struct sbuf *sb, const char *s)
{
	sb_putc(sb, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sb_putc(sb, '\'');
		sb_putc(sb, *s);
	}
	sb_putc(sb, '\'');
}

static void expr(struct arena *a, struct sbuf *sb, const PgQuery__Node *n, int depth)
{
	if (!n || depth > 32) {
		sb_puts(sb, "...");
		return;
	}
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_COLUMN_REF:
		for (size_t i = 0; i < n->column_ref->n_fields; i++) {
			const char *f = str_of(n->column_ref->fields[i]);

			if (i)
				sb_putc(sb, '.');
			if (f)
				put_ident(sb, f);
			else
				sb_putc(sb, '*');
		}
		break;
	case PG_QUERY__NODE__NODE_A_CONST: {
		const PgQuery__AConst *c = n->a_const;

		if (c->isnull)
			sb_puts(sb, "NULL");
		else if (c->val_case == PG_QUERY__A__CONST__VAL_IVAL)
			sb_printf(sb, "%d", c->ival->ival);
		else if (c->val_case == PG_QUERY__A__CONST__VAL_FVAL)
			sb_puts(sb, c->fval->fval);
		else if (c->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL)
			sb_puts(sb, c->boolval->boolval ? "true" : "false");
		else if (c->val_case == PG_QUERY__A__CONST__VAL_SVAL)
			put_literal(sb, c->sval->sval);
		else
			sb_puts(sb, "?");
		break;
	}
	case PG_QUERY__NODE__NODE_TYPE_CAST:
		expr(a, sb, n->type_cast->arg, depth + 1);
		sb_puts(sb, "::");
		sb_puts(sb, sql_type_text(a, n->type_cast->type_name, NULL));
		break;
	case PG_QUERY__NODE__NODE_FUNC_CALL: {
		const PgQuery__FuncCall *f = n->func_call;
		const char *fn = sql_list_last((const PgQuery__Node *const *)f->funcname,
					       f->n_funcname);

		sb_puts(sb, fn ? fn : "?");
		sb_putc(sb, '(');
		if (f->agg_star)
			sb_putc(sb, '*');
		for (size_t i = 0; i < f->n_args; i++) {
			if (i)
				sb_puts(sb, ", ");
			expr(a, sb, f->args[i], depth + 1);
		}
		sb_putc(sb, ')');
		break;
	}
	case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
		switch (n->sqlvalue_function->op) {
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP:
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N:
			sb_puts(sb, "CURRENT_TIMESTAMP");
			break;
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE:
			sb_puts(sb, "CURRENT_DATE");
			break;
		default:
			sb_puts(sb, "sql_value_function");
		}
		break;
	case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
		sb_puts(sb, "ARRAY[");
		for (size_t i = 0; i < n->a_array_expr->n_elements; i++) {
			if (i)
				sb_puts(sb, ", ");
			expr(a, sb, n->a_array_expr->elements[i], depth + 1);
		}
		sb_putc(sb, ']');
		break;
	case PG_QUERY__NODE__NODE_A_EXPR: {
		const PgQuery__AExpr *e = n->a_expr;
		const char *op = sql_list_last((const PgQuery__Node *const *)e->name, e->n_name);

		if (e->lexpr) {
			expr(a, sb, e->lexpr, depth + 1);
			sb_putc(sb, ' ');
		}
		sb_puts(sb, op ? op : "?");
		sb_putc(sb, ' ');
		expr(a, sb, e->rexpr, depth + 1);
		break;
	}
	default:
		sb_puts(sb, "(expression)");
	}
}

const char *sql_expr_text(struct arena *a, const PgQuery__Node *n)
{
	struct sbuf sb = SBUF_INIT;
	const char *res;

	expr(a, &sb, n, 0);
	res = arena_strndup(a, sb.buf, sb.len);
	sbuf_release(&sb);
	return res;
}

#define NAMEDATALEN 64

/*
 * makeObjectName() of PostgreSQL (src/backend/commands/indexcmds.c):
 * name1_name2_label, shortening the longer of name1/name2 until the whole
 * fits in NAMEDATALEN-1 bytes.
 */
const char *sql_default_name(struct arena *a, const char *name1, const char *name2,
			     const char *label)
{
	size_t n1 = strlen(name1), n2 = name2 ? strlen(name2) : 0;
	size_t overhead = (label ? strlen(label) + 1 : 0) + (name2 ? 1 : 0);
	size_t avail = NAMEDATALEN - 1 - overhead;

	while (n1 + n2 > avail) {
		if (n1 > n2)
			n1--;
		else
			n2--;
	}
	/* PostgreSQL clips on a multibyte boundary; names here are ASCII-safe enough */
	while (n1 > 0 && ((unsigned char)name1[n1] & 0xC0) == 0x80)
		n1--;
	if (name2 && label)
		return arena_printf(a, "%.*s_%.*s_%s", (int)n1, name1, (int)n2, name2, label);
	if (label)
		return arena_printf(a, "%.*s_%s", (int)n1, name1, label);
	return arena_printf(a, "%.*s_%.*s", (int)n1, name1, (int)n2, name2);
}

static void walk(const ProtobufCMessage *m, sql_walk_fn fn, void *ctx, int depth, bool *whole)
{
	const ProtobufCMessageDescriptor *d;

	if (!m)
		return;
	if (depth > 200) {
		*whole = false;
		return;
	}
	fn(m, ctx);
	d = m->descriptor;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		/* void pointers: the descriptor's offsets are aligned for their fields */
		const void *base = (const char *)m + f->offset;
		const void *qty = (const char *)m + f->quantifier_offset;

		if (f->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)qty;
			ProtobufCMessage *const *arr = *(ProtobufCMessage *const *const *)base;

			for (size_t k = 0; k < n; k++)
				walk(arr[k], fn, ctx, depth + 1, whole);
		} else if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
			uint32_t which = *(const uint32_t *)qty;

			if (which == f->id)
				walk(*(ProtobufCMessage *const *)base, fn, ctx, depth + 1, whole);
		} else {
			walk(*(ProtobufCMessage *const *)base, fn, ctx, depth + 1, whole);
		}
	}
}

bool sql_walk(const ProtobufCMessage *m, sql_walk_fn fn, void *ctx)
{
	bool whole = true;

	walk(m, fn, ctx, 0, &whole);
	return whole;
}
