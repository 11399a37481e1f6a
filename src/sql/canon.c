/*
 * canon.c - column defaults in two renderings of their parse tree: the
 * text pg_get_expr(adbin, adrelid) prints for them (what the repair
 * script's guard compares on the live catalog), and a canonical form in
 * which the spellings PostgreSQL takes as one default are equal ('x' and
 * 'x'::text, now() and CURRENT_TIMESTAMP, 'A'::public."Role" and 'A').
 */
#include "migdoctor/common.h"
#include "migdoctor/quote.h"
#include "migdoctor/sbuf.h"
#include "internal.h"

/*
 * A string constant as ruleutils.c's simple_quote_literal writes it: quotes
 * doubled, and with a backslash the E'' form (backslashes doubled), which
 * reads the same whatever standard_conforming_strings says. A control
 * character is refused (false): the text reaches a repair script, and no
 * default Prisma writes holds one.
 */
static bool put_lit(struct sbuf *sb, const char *s)
{
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	if (strchr(s, '\\'))
		sb_putc(sb, 'E');
	sb_putc(sb, '\'');
	for (; *s; s++) {
		if (*s == '\'' || *s == '\\')
			sb_putc(sb, *s);
		sb_putc(sb, *s);
	}
	sb_putc(sb, '\'');
	return true;
}

/* A constant, possibly negated or cast: its value as text, or NULL. */
static const char *const_text(struct arena *a, const PgQuery__Node *n)
{
	const PgQuery__AConst *c;

	while (n && n->node_case == PG_QUERY__NODE__NODE_TYPE_CAST)
		n = n->type_cast->arg;
	if (!n || n->node_case != PG_QUERY__NODE__NODE_A_CONST)
		return NULL;
	c = n->a_const;
	if (c->isnull)
		return "NULL";
	switch (c->val_case) {
	case PG_QUERY__A__CONST__VAL_IVAL: return arena_printf(a, "%d", c->ival->ival);
	case PG_QUERY__A__CONST__VAL_FVAL: return c->fval->fval;
	case PG_QUERY__A__CONST__VAL_BOOLVAL: return c->boolval->boolval ? "true" : "false";
	case PG_QUERY__A__CONST__VAL_SVAL: return c->sval->sval;
	case PG_QUERY__A__CONST__VAL_BSVAL: return c->bsval->bsval;
	default: return NULL;
	}
}

/*
 * Render n; false when it holds what this does not know (the caller then
 * cannot tell). canon: the canonical form; else pg_get_expr()'s text with
 * public visible.
 */
static bool render(struct arena *a, struct sbuf *sb, const PgQuery__Node *n, bool canon,
		   const char *strip, int depth);

/*
 * A type as format_type() prints it where schema strip is on the
 * search_path: its qualification by that schema left out.
 */
static void put_type(struct arena *a, struct sbuf *sb, const PgQuery__TypeName *tn,
		     const char *strip)
{
	const char *t = sql_type_text(a, tn, NULL);
	struct sbuf q = SBUF_INIT;

	if (strip && !sql_quote_ident(&q, strip) && !strncmp(t, q.buf, q.len) && t[q.len] == '.')
		t += q.len + 1;
	sb_puts(sb, t);
	sbuf_release(&q);
}

static bool render(struct arena *a, struct sbuf *sb, const PgQuery__Node *n, bool canon,
		   const char *strip, int depth)
{
	if (!n || depth > 32)
		return false;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_A_CONST: {
		const PgQuery__AConst *c = n->a_const;
		const char *v = const_text(a, n);

		if (!v)
			return false;
		if (canon || c->val_case == PG_QUERY__A__CONST__VAL_SVAL)
			return put_lit(sb, v);
		sb_puts(sb, v);
		return true;
	}
	case PG_QUERY__NODE__NODE_TYPE_CAST: {
		const PgQuery__TypeCast *tc = n->type_cast;
		const char *v = const_text(a, n);

		/* a constant becomes the column's type: its cast says nothing more */
		if (canon && v)
			return put_lit(sb, v);
		if (!tc->type_name)
			return false;
		/* a regclass literal is qualified only where the name is not visible */
		if (!canon && !strcmp(sql_type_text(a, tc->type_name, NULL), "regclass"))
			return false;
		/* pg_get_expr: -1::integer is '-1'::integer, a cast constant is quoted */
		if (!canon && v && tc->arg && tc->arg->node_case == PG_QUERY__NODE__NODE_A_CONST) {
			if (!put_lit(sb, v))
				return false;
		} else if (!render(a, sb, tc->arg, canon, strip, depth + 1))
			return false;
		sb_puts(sb, "::");
		put_type(a, sb, tc->type_name, strip);
		return true;
	}
	case PG_QUERY__NODE__NODE_FUNC_CALL: {
		const PgQuery__FuncCall *f = n->func_call;
		const PgQuery__Node *const *names = (const PgQuery__Node *const *)f->funcname;
		const char *fn = sql_list_last(names, f->n_funcname);
		const char *fs = sql_list_schema(names, f->n_funcname);

		if (!fn || f->agg_star || f->agg_distinct || f->over || f->agg_filter ||
		    f->n_agg_order || (fs && strcmp(fs, "pg_catalog")))
			return false;
		/* now() is CURRENT_TIMESTAMP (transaction_timestamp()) */
		if (canon && !strcmp(fn, "now") && !f->n_args) {
			sb_puts(sb, "CURRENT_TIMESTAMP");
			return true;
		}
		/* a serial's sequence is named by each side its own way */
		if (canon && !strcmp(fn, "nextval")) {
			sb_puts(sb, "nextval(...)");
			return true;
		}
		if (sql_quote_ident(sb, fn))
			return false;
		sb_putc(sb, '(');
		for (size_t i = 0; i < f->n_args; i++) {
			if (i)
				sb_puts(sb, ", ");
			if (!render(a, sb, f->args[i], canon, strip, depth + 1))
				return false;
		}
		sb_putc(sb, ')');
		return true;
	}
	case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION: {
		const PgQuery__SQLValueFunction *v = n->sqlvalue_function;

		switch (v->op) {
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP:
			sb_puts(sb, "CURRENT_TIMESTAMP");
			return true;
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N:
			sb_printf(sb, "CURRENT_TIMESTAMP(%d)", v->typmod);
			return true;
		case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE:
			sb_puts(sb, "CURRENT_DATE");
			return true;
		default:
			return false;
		}
	}
	case PG_QUERY__NODE__NODE_A_ARRAY_EXPR:
		sb_puts(sb, "ARRAY[");
		for (size_t i = 0; i < n->a_array_expr->n_elements; i++) {
			if (i)
				sb_puts(sb, ", ");
			if (!render(a, sb, n->a_array_expr->elements[i], canon, strip,
				    depth + 1))
				return false;
		}
		sb_putc(sb, ']');
		return true;
	case PG_QUERY__NODE__NODE_A_EXPR: {
		const PgQuery__AExpr *e = n->a_expr;
		const char *op = sql_list_last((const PgQuery__Node *const *)e->name, e->n_name);

		if (e->kind != PG_QUERY__A__EXPR__KIND__AEXPR_OP || !op || !e->lexpr)
			return false;
		sb_putc(sb, '(');
		if (!render(a, sb, e->lexpr, canon, strip, depth + 1))
			return false;
		sb_printf(sb, " %s ", op);
		if (!render(a, sb, e->rexpr, canon, strip, depth + 1))
			return false;
		sb_putc(sb, ')');
		return true;
	}
	default:
		return false;
	}
}

const char *sql_default_text(struct arena *a, const PgQuery__Node *n)
{
	struct sbuf sb = SBUF_INIT;
	const char *r = NULL;

	if (render(a, &sb, n, false, NULL, 0))
		r = arena_strndup(a, sb.buf, sb.len);
	sbuf_release(&sb);
	return r;
}

/*
 * The default's text rendered again from its tree: canonical, or as
 * pg_get_expr() prints it with schema strip on the search_path. malloc'd,
 * or NULL when unknown.
 */
static char *rerender(const char *sql, bool canon, const char *strip)
{
	char *q = xasprintf("SELECT %s", sql);
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(q);
	PgQuery__ParseResult *pr = NULL;
	struct sbuf sb = SBUF_INIT;
	struct arena a;
	char *out = NULL;

	free(q);
	if (!r.error)
		pr = pg_query__parse_result__unpack(NULL, r.parse_tree.len,
						    (const uint8_t *)r.parse_tree.data);
	pg_query_free_protobuf_parse_result(r);
	if (!pr)
		return NULL;
	arena_init(&a);
	if (pr->n_stmts == 1 && pr->stmts[0]->stmt &&
	    pr->stmts[0]->stmt->node_case == PG_QUERY__NODE__NODE_SELECT_STMT) {
		const PgQuery__SelectStmt *s = pr->stmts[0]->stmt->select_stmt;

		if (s->n_target_list == 1 &&
		    s->target_list[0]->node_case == PG_QUERY__NODE__NODE_RES_TARGET &&
		    render(&a, &sb, s->target_list[0]->res_target->val, canon, strip, 0))
			out = sbuf_detach(&sb, NULL);
	}
	sbuf_release(&sb);
	arena_release(&a);
	pg_query__parse_result__free_unpacked(pr, NULL);
	return out;
}

int sql_default_same(const char *a, const char *b)
{
	char *ca, *cb;
	int r = -1;

	if (!a || !b)
		return -1;
	if (!strcmp(a, b))
		return 1;
	ca = rerender(a, true, NULL);
	cb = rerender(b, true, NULL);
	if (ca && cb)
		r = !strcmp(ca, cb);
	free(ca);
	free(cb);
	return r;
}

const char *sql_default_visible(struct arena *a, const char *sql, const char *schema)
{
	char *r;
	const char *out = NULL;

	if (!sql || !schema)
		return sql;
	r = rerender(sql, false, schema);
	if (r)
		out = arena_strdup(a, r);
	free(r);
	return out;
}
