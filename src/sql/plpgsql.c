/*
 * plpgsql.c - effects of DO blocks.
 *
 * libpg_query parses PL/pgSQL only as a function body, and returns the
 * tree as JSON; the SQL inside (execsql, and EXECUTE of a constant string)
 * is parsed again as ordinary statements. Statements inside IF branches
 * and exception handlers are marked SQL_CONDITIONAL, with the condition
 * kept so the replay can evaluate catalog checks such as
 * IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'x').
 */
#include "migdoctor/common.h"
#include "migdoctor/sbuf.h"
#include "internal.h"

#include <jansson.h>

struct do_ctx {
	struct fx_ctx *cx;
	uint32_t base_line; /* script line of the body's first line */
};

static void walk_json(struct do_ctx *d, json_t *v, unsigned flags, const char *cond, bool neg,
		      int depth);

static void emit(struct do_ctx *d, const char *sql, json_t *obj, unsigned flags, const char *cond,
		 bool neg)
{
	struct fx_ctx sub = *d->cx;
	json_t *ln = json_object_get(obj, "lineno");
	size_t before = d->cx->s->neffects;

	sub.flags |= flags;
	if (json_is_integer(ln) && json_integer_value(ln) > 0)
		sub.line = d->base_line + (uint32_t)json_integer_value(ln) - 1;
	sub.depth++;
	sql_fx_text(&sub, sql);
	for (size_t i = before; i < d->cx->s->neffects; i++) {
		d->cx->s->effects[i].cond = cond;
		d->cx->s->effects[i].cond_negated = neg;
	}
}

/* The DO statement changes rows, or may: why, in a few words. */
static void do_data(struct do_ctx *d, const char *what)
{
	struct fx_ctx sub = *d->cx;

	sub.depth++;
	sql_fx_data(&sub, what);
}

/*
 * PL/pgSQL statements that change nothing themselves; the SQL of execsql
 * and of a constant EXECUTE is read as statements (sql_fx_stmt says when
 * it changes rows). Any other statement (PERFORM, an assignment, a loop
 * over a query, CALL ...) may, and an export cannot show whether it ran.
 */
static bool plpgsql_inert(const char *key)
{
	static const char *const ok[] = { "block", "if", "execsql", "dynexecute", "raise", "assert",
					  "return", "getdiag" };
	const char *kind = key + strlen("PLpgSQL_stmt_");

	for (size_t i = 0; i < MD_ARRAY_LEN(ok); i++)
		if (!strcmp(kind, ok[i]))
			return true;
	return false;
}

static const char *expr_query(json_t *e)
{
	json_t *pe = json_object_get(e, "PLpgSQL_expr");

	return json_string_value(json_object_get(pe ? pe : e, "query"));
}

/* EXECUTE 'constant': the constant is SQL; anything built at run time is not knowable. */
static void dynexecute(struct do_ctx *d, json_t *obj, unsigned flags, const char *cond, bool neg)
{
	const char *q = expr_query(json_object_get(obj, "query"));
	PgQueryProtobufParseResult r;
	PgQuery__ParseResult *pr;
	bool known = false;
	char *sel;

	if (!q) {
		do_data(d, "EXECUTE");
		return;
	}
	sel = xasprintf("SELECT %s", q);
	r = pg_query_parse_protobuf(sel);
	free(sel);
	if (r.error) {
		pg_query_free_protobuf_parse_result(r);
		do_data(d, "EXECUTE");
		return;
	}
	pr = pg_query__parse_result__unpack(NULL, r.parse_tree.len, (const uint8_t *)r.parse_tree.data);
	pg_query_free_protobuf_parse_result(r);
	if (pr && pr->n_stmts == 1 && pr->stmts[0]->stmt &&
	    pr->stmts[0]->stmt->node_case == PG_QUERY__NODE__NODE_SELECT_STMT) {
		const PgQuery__SelectStmt *ss = pr->stmts[0]->stmt->select_stmt;

		if (ss->n_target_list == 1 &&
		    ss->target_list[0]->node_case == PG_QUERY__NODE__NODE_RES_TARGET) {
			const PgQuery__Node *v = ss->target_list[0]->res_target->val;

			if (v && v->node_case == PG_QUERY__NODE__NODE_A_CONST &&
			    v->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL) {
				emit(d, v->a_const->sval->sval, obj, flags | SQL_DYNAMIC, cond, neg);
				known = true;
			}
		}
	}
	if (pr)
		pg_query__parse_result__free_unpacked(pr, NULL);
	if (!known)
		do_data(d, "EXECUTE of a string built at run time");
}

static void walk_list(struct do_ctx *d, json_t *list, unsigned flags, const char *cond, bool neg,
		      int depth)
{
	size_t i;
	json_t *v;

	json_array_foreach(list, i, v)
		walk_json(d, v, flags, cond, neg, depth + 1);
}

static const char *keep(struct do_ctx *d, const char *s)
{
	return s ? arena_strdup(&d->cx->s->arena, s) : NULL;
}

static void walk_json(struct do_ctx *d, json_t *v, unsigned flags, const char *cond, bool neg,
		      int depth)
{
	const char *key;
	json_t *val;

	if (depth > 64)
		return;
	if (json_is_array(v)) {
		walk_list(d, v, flags, cond, neg, depth);
		return;
	}
	if (!json_is_object(v))
		return;
	json_object_foreach(v, key, val) {
		if (!strcmp(key, "PLpgSQL_stmt_execsql")) {
			const char *q = expr_query(json_object_get(val, "sqlstmt"));

			if (q)
				emit(d, q, val, flags, cond, neg);
		} else if (!strcmp(key, "PLpgSQL_stmt_dynexecute")) {
			dynexecute(d, val, flags, cond, neg);
		} else if (!strcmp(key, "PLpgSQL_stmt_if")) {
			const char *c = keep(d, expr_query(json_object_get(val, "cond")));
			json_t *elsifs = json_object_get(val, "elsif_list");
			size_t i;
			json_t *el;

			walk_list(d, json_object_get(val, "then_body"), flags | SQL_CONDITIONAL, c,
				  false, depth);
			json_array_foreach(elsifs, i, el) {
				json_t *e = json_object_get(el, "PLpgSQL_if_elsif");
				const char *ec = keep(d, expr_query(json_object_get(e, "cond")));

				walk_list(d, json_object_get(e, "stmts"), flags | SQL_CONDITIONAL, ec,
					  false, depth);
			}
			/* with ELSIFs the ELSE condition is a conjunction: leave it unknown */
			walk_list(d, json_object_get(val, "else_body"), flags | SQL_CONDITIONAL,
				  json_array_size(elsifs) ? NULL : c, true, depth);
		} else if (!strncmp(key, "PLpgSQL_stmt_", strlen("PLpgSQL_stmt_")) &&
			   !plpgsql_inert(key)) {
			do_data(d, arena_printf(&d->cx->s->arena, "PL/pgSQL statement %s",
						key + strlen("PLpgSQL_stmt_")));
			walk_json(d, val, flags, cond, neg, depth + 1);
		} else if (!strcmp(key, "exceptions")) {
			walk_json(d, val, flags | SQL_CONDITIONAL, NULL, false, depth + 1);
		} else {
			walk_json(d, val, flags, cond, neg, depth + 1);
		}
	}
}

static void do_error(struct fx_ctx *cx, const char *msg)
{
	struct sql_stmt *st = &cx->s->stmts[cx->stmt];

	sql_fx_data(cx, "a DO block that could not be read");
	if (st->parse_error)
		return;
	st->parse_error = true;
	st->error = arena_printf(&cx->s->arena, "in DO block: %s", msg);
	st->error_line = st->line;
	st->error_column = st->column;
	cx->s->nerrors++;
}

void sql_fx_do(struct fx_ctx *cx, const char *body)
{
	struct sql_stmt *st = &cx->s->stmts[cx->stmt];
	PgQueryPlpgsqlParseResult r;
	struct do_ctx d = { cx, cx->line };
	const char *at = strstr(st->text, body);
	char tag[32] = "md";
	json_error_t jerr;
	json_t *root;
	char *fn;

	if (cx->depth >= SQL_MAX_DO_DEPTH) {
		do_error(cx, "DO blocks nested too deeply");
		return;
	}
	for (int i = 1; strstr(body, tag); i++)
		snprintf(tag, sizeof(tag), "md%d", i);
	if (at) {
		uint32_t col;

		sql_line_col(st->text, (size_t)(at - st->text), &d.base_line, &col);
		d.base_line += st->line - 1;
	}
	fn = xasprintf("CREATE FUNCTION migdoctor_do() RETURNS void LANGUAGE plpgsql AS $%s$%s$%s$",
		       tag, body, tag);
	/*
	 * On a PL/pgSQL syntax error, libpg_query 15-4.0.0 leaks one strdup'd
	 * byte inside pg_query_parse_plpgsql: bounded, not ours, suppressed
	 * by name in tests/lsan.supp and tests/valgrind.supp.
	 */
	r = pg_query_parse_plpgsql(fn);
	free(fn);
	if (r.error) {
		do_error(cx, r.error->message);
		pg_query_free_plpgsql_parse_result(r);
		return;
	}
	root = json_loads(r.plpgsql_funcs, 0, &jerr);
	pg_query_free_plpgsql_parse_result(r);
	if (!root) {
		do_error(cx, "libpg_query returned a PL/pgSQL tree that could not be decoded");
		return;
	}
	walk_json(&d, root, 0, NULL, false, 0);
	json_decref(root);
}
