/*
 * cond.c - reduce DO-block IF conditions to catalog existence checks.
 *
 * Migrations made idempotent by hand guard their DDL with conditions on
 * the system catalogs. Knowing what they test lets the replay take the
 * branch PostgreSQL would take instead of guessing.
 */
#include "migdoctor/common.h"
#include "internal.h"

struct eqs {
	const char *col[8];
	const char *val[8];
	size_t n;
};

static const char *const_str(const PgQuery__Node *n)
{
	if (n && n->node_case == PG_QUERY__NODE__NODE_TYPE_CAST)
		n = n->type_cast->arg;
	if (n && n->node_case == PG_QUERY__NODE__NODE_A_CONST &&
	    n->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL)
		return n->a_const->sval->sval;
	return NULL;
}

static const char *colref_last(const PgQuery__Node *n)
{
	if (!n || n->node_case != PG_QUERY__NODE__NODE_COLUMN_REF || !n->column_ref->n_fields)
		return NULL;
	n = n->column_ref->fields[n->column_ref->n_fields - 1];
	return n->node_case == PG_QUERY__NODE__NODE_STRING ? n->string->sval : NULL;
}

/* Collect col = 'value' pairs joined by AND; anything else makes it unknown. */
static int where_eqs(const PgQuery__Node *w, struct eqs *eq)
{
	if (!w)
		return 0;
	if (w->node_case == PG_QUERY__NODE__NODE_BOOL_EXPR &&
	    w->bool_expr->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR) {
		for (size_t i = 0; i < w->bool_expr->n_args; i++)
			if (where_eqs(w->bool_expr->args[i], eq))
				return -1;
		return 0;
	}
	if (w->node_case == PG_QUERY__NODE__NODE_A_EXPR &&
	    w->a_expr->kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP && w->a_expr->n_name == 1 &&
	    w->a_expr->name[0]->node_case == PG_QUERY__NODE__NODE_STRING &&
	    !strcmp(w->a_expr->name[0]->string->sval, "=")) {
		const char *c = colref_last(w->a_expr->lexpr), *v = const_str(w->a_expr->rexpr);

		if (!c) {
			c = colref_last(w->a_expr->rexpr);
			v = const_str(w->a_expr->lexpr);
		}
		if (c && v && eq->n < MD_ARRAY_LEN(eq->col)) {
			eq->col[eq->n] = c;
			eq->val[eq->n++] = v;
			return 0;
		}
		/* joins between catalog columns (t.oid = c.conrelid) carry no constant */
		if (colref_last(w->a_expr->lexpr) && colref_last(w->a_expr->rexpr))
			return 0;
	}
	return -1;
}

static const char *eq_get(const struct eqs *eq, const char *col)
{
	for (size_t i = 0; i < eq->n; i++)
		if (!strcmp(eq->col[i], col))
			return eq->val[i];
	return NULL;
}

static int exists_check(const PgQuery__SelectStmt *ss, struct arena *a, struct sql_check *ck)
{
	struct eqs eq = { 0 };
	const PgQuery__RangeVar *rv = NULL;
	const char *rel;

	for (size_t i = 0; i < ss->n_from_clause; i++) {
		const PgQuery__Node *f = ss->from_clause[i];

		if (f->node_case == PG_QUERY__NODE__NODE_RANGE_VAR) {
			/* with joins, the first catalog relation decides the kind */
			if (!rv)
				rv = f->range_var;
		}
	}
	if (!rv || where_eqs(ss->where_clause, &eq))
		return -1;
	rel = rv->relname;
	memset(ck, 0, sizeof(*ck));
	if (!strcmp(rel, "columns")) {
		ck->obj = SQL_OBJ_COLUMN;
		ck->table = eq_get(&eq, "table_name");
		ck->name = eq_get(&eq, "column_name");
		ck->schema = eq_get(&eq, "table_schema");
		if (!ck->table || !ck->name)
			return -1;
	} else if (!strcmp(rel, "tables") || !strcmp(rel, "pg_tables")) {
		ck->obj = SQL_OBJ_TABLE;
		ck->name = eq_get(&eq, !strcmp(rel, "tables") ? "table_name" : "tablename");
		ck->schema = eq_get(&eq, !strcmp(rel, "tables") ? "table_schema" : "schemaname");
	} else if (!strcmp(rel, "pg_type")) {
		ck->obj = SQL_OBJ_TYPE;
		ck->name = eq_get(&eq, "typname");
	} else if (!strcmp(rel, "pg_constraint") || !strcmp(rel, "table_constraints")) {
		ck->obj = SQL_OBJ_CONSTRAINT;
		ck->name = eq_get(&eq, !strcmp(rel, "pg_constraint") ? "conname" : "constraint_name");
		ck->table = eq_get(&eq, "table_name");
		if (!ck->table)
			ck->table = eq_get(&eq, "relname");
	} else if (!strcmp(rel, "pg_class")) {
		ck->obj = SQL_OBJ_TABLE;
		ck->any_relation = true;
		ck->name = eq_get(&eq, "relname");
	} else if (!strcmp(rel, "pg_indexes")) {
		ck->obj = SQL_OBJ_INDEX;
		ck->name = eq_get(&eq, "indexname");
		ck->schema = eq_get(&eq, "schemaname");
	} else if (!strcmp(rel, "pg_extension")) {
		ck->obj = SQL_OBJ_EXTENSION;
		ck->name = eq_get(&eq, "extname");
	} else {
		return -1;
	}
	if (!ck->name)
		return -1;
	ck->name = arena_strdup(a, ck->name);
	if (ck->table)
		ck->table = arena_strdup(a, ck->table);
	if (ck->schema)
		ck->schema = arena_strdup(a, ck->schema);
	return 0;
}

static int cond_node(const PgQuery__Node *n, bool neg, struct arena *a, struct sql_cond *out)
{
	if (!n)
		return -1;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_BOOL_EXPR: {
		const PgQuery__BoolExpr *b = n->bool_expr;

		if (b->boolop == PG_QUERY__BOOL_EXPR_TYPE__NOT_EXPR && b->n_args == 1)
			return cond_node(b->args[0], !neg, a, out);
		if (b->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR && !neg) {
			for (size_t i = 0; i < b->n_args; i++)
				if (cond_node(b->args[i], false, a, out))
					return -1;
			return 0;
		}
		return -1;
	}
	case PG_QUERY__NODE__NODE_SUB_LINK: {
		const PgQuery__SubLink *sl = n->sub_link;

		if (sl->sub_link_type != PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK || !sl->subselect ||
		    sl->subselect->node_case != PG_QUERY__NODE__NODE_SELECT_STMT ||
		    out->n >= SQL_MAX_CHECKS)
			return -1;
		if (exists_check(sl->subselect->select_stmt, a, &out->v[out->n]))
			return -1;
		out->v[out->n++].negated = neg;
		return 0;
	}
	case PG_QUERY__NODE__NODE_NULL_TEST: {
		const PgQuery__NullTest *nt = n->null_test;
		const PgQuery__Node *arg = nt->arg;
		const char *fn, *rel;
		struct sql_check *ck;

		if (!arg || arg->node_case != PG_QUERY__NODE__NODE_FUNC_CALL || out->n >= SQL_MAX_CHECKS)
			return -1;
		fn = sql_list_last((const PgQuery__Node *const *)arg->func_call->funcname,
				   arg->func_call->n_funcname);
		if (!fn || strcmp(fn, "to_regclass") || arg->func_call->n_args != 1)
			return -1;
		rel = const_str(arg->func_call->args[0]);
		if (!rel)
			return -1;
		ck = &out->v[out->n++];
		memset(ck, 0, sizeof(*ck));
		ck->obj = SQL_OBJ_TABLE;
		ck->any_relation = true;
		/* to_regclass takes SQL syntax: "Name" quoted or a lower-cased bare name */
		if (rel[0] == '"' && strlen(rel) >= 2)
			ck->name = arena_strndup(a, rel + 1, strlen(rel) - 2);
		else
			ck->name = arena_strdup(a, rel);
		ck->negated = (nt->nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NULL) != neg;
		return 0;
	}
	default:
		return -1;
	}
}

int sql_cond_parse(const char *cond, struct arena *a, struct sql_cond *out)
{
	char *sql = xasprintf("SELECT %s", cond);
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(sql);
	PgQuery__ParseResult *pr = NULL;
	int rc = -1;

	free(sql);
	out->n = 0;
	if (!r.error)
		pr = pg_query__parse_result__unpack(NULL, r.parse_tree.len,
						    (const uint8_t *)r.parse_tree.data);
	pg_query_free_protobuf_parse_result(r);
	if (pr && pr->n_stmts == 1 && pr->stmts[0]->stmt &&
	    pr->stmts[0]->stmt->node_case == PG_QUERY__NODE__NODE_SELECT_STMT) {
		const PgQuery__SelectStmt *ss = pr->stmts[0]->stmt->select_stmt;

		if (ss->n_target_list == 1 &&
		    ss->target_list[0]->node_case == PG_QUERY__NODE__NODE_RES_TARGET)
			rc = cond_node(ss->target_list[0]->res_target->val, false, a, out);
	}
	if (pr)
		pg_query__parse_result__free_unpacked(pr, NULL);
	return rc;
}
