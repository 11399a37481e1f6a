/*
 * insert.c - the data and table statements of a dump, read with the real
 * PostgreSQL parser: the rows of INSERT ... VALUES (pg_dump --inserts,
 * --column-inserts, --rows-per-insert) and the column names of a CREATE
 * TABLE, for the readers of src/history, which must not parse SQL
 * themselves.
 *
 * Values arrive as constants: NULL, a string literal (timestamps too), a
 * bare number, sometimes under a cast; a negative number may be a unary
 * minus over a constant. Anything else is SQL_VALUE_OTHER, and the caller
 * says what it expected.
 */
#include "migdoctor/common.h"
#include "migdoctor/sbuf.h"
#include "migdoctor/sql.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

struct parsed {
	PgQueryProtobufParseResult res;
	PgQuery__ParseResult *tree;
};

static int parse_sql(struct parsed *ps, const char *sql, const struct md_pos *pos,
		     struct md_error *err)
{
	ps->tree = NULL;
	ps->res = pg_query_parse_protobuf(sql);
	if (ps->res.error) {
		md_fail_at(err, pos, "SQL statement does not parse: %s (at character %d); expected "
			   "a complete statement as pg_dump writes it", ps->res.error->message,
			   ps->res.error->cursorpos);
		pg_query_free_protobuf_parse_result(ps->res);
		return -1;
	}
	ps->tree = pg_query__parse_result__unpack(NULL, ps->res.parse_tree.len,
						  (const uint8_t *)ps->res.parse_tree.data);
	if (!ps->tree) {
		pg_query_free_protobuf_parse_result(ps->res);
		return md_fail_code(err, MD_EXIT_INTERNAL, "cannot unpack the libpg_query parse tree");
	}
	return 0;
}

static void parsed_free(struct parsed *ps)
{
	if (ps->tree)
		pg_query__parse_result__free_unpacked(ps->tree, NULL);
	pg_query_free_protobuf_parse_result(ps->res);
}

/* The text of a constant value into out; false for anything else. */
static bool const_text(const PgQuery__Node *n, struct sbuf *out, bool *null)
{
	if (!n)
		return false;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_A_CONST: {
		const PgQuery__AConst *c = n->a_const;

		if (c->isnull) {
			*null = true;
			return true;
		}
		switch (c->val_case) {
		case PG_QUERY__A__CONST__VAL_SVAL:
			sb_puts(out, c->sval->sval);
			return true;
		case PG_QUERY__A__CONST__VAL_IVAL:
			sb_printf(out, "%d", (int)c->ival->ival);
			return true;
		case PG_QUERY__A__CONST__VAL_FVAL:
			sb_puts(out, c->fval->fval);
			return true;
		case PG_QUERY__A__CONST__VAL_BOOLVAL:
			sb_puts(out, c->boolval->boolval ? "true" : "false");
			return true;
		default:
			return false;
		}
	}
	case PG_QUERY__NODE__NODE_TYPE_CAST:
		return const_text(n->type_cast->arg, out, null);
	case PG_QUERY__NODE__NODE_A_EXPR: {
		const PgQuery__AExpr *e = n->a_expr;

		if (e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP && !e->lexpr && e->n_name == 1 &&
		    e->name[0]->node_case == PG_QUERY__NODE__NODE_STRING &&
		    !strcmp(e->name[0]->string->sval, "-")) {
			sb_putc(out, '-');
			return const_text(e->rexpr, out, null);
		}
		return false;
	}
	default:
		return false;
	}
}

static bool is_table(const PgQuery__RangeVar *rv, const char *table)
{
	return rv && rv->relname && !strcmp(rv->relname, table);
}

static const char *schema_of(const PgQuery__RangeVar *rv)
{
	return rv->schemaname && *rv->schemaname ? rv->schemaname : NULL;
}

/* Fill ins from one INSERT; strings in a. */
static void insert_of(const PgQuery__InsertStmt *st, struct arena *a, struct sql_insert *ins)
{
	const PgQuery__SelectStmt *sel;
	const char **cols;
	struct sbuf sb = SBUF_INIT;

	memset(ins, 0, sizeof(*ins));
	ins->schema = schema_of(st->relation);
	ins->table = st->relation->relname;
	cols = arena_alloc(a, sizeof(*cols) * (st->n_cols + 1));
	for (size_t i = 0; i < st->n_cols; i++) {
		const PgQuery__Node *c = st->cols[i];

		cols[i] = c->node_case == PG_QUERY__NODE__NODE_RES_TARGET && c->res_target->name
				  ? c->res_target->name : "";
	}
	ins->cols = cols;
	ins->ncols = st->n_cols;
	if (!st->select_stmt || st->select_stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT ||
	    st->select_stmt->select_stmt->n_values_lists == 0)
		return;
	sel = st->select_stmt->select_stmt;
	ins->has_values = true;
	ins->rows = arena_alloc(a, sizeof(*ins->rows) * sel->n_values_lists);
	for (size_t r = 0; r < sel->n_values_lists; r++) {
		const PgQuery__Node *ln = sel->values_lists[r];
		struct sql_values *row = &ins->rows[ins->nrows];
		const PgQuery__List *list;

		if (ln->node_case != PG_QUERY__NODE__NODE_LIST)
			continue;
		list = ln->list;
		row->v = arena_alloc(a, sizeof(*row->v) * (list->n_items + 1));
		row->n = list->n_items;
		for (size_t i = 0; i < list->n_items; i++) {
			struct sql_value *v = &row->v[i];
			bool null = false;

			sbuf_reset(&sb);
			if (!const_text(list->items[i], &sb, &null)) {
				*v = (struct sql_value){ SQL_VALUE_OTHER, NULL, 0 };
			} else if (null) {
				*v = (struct sql_value){ SQL_VALUE_NULL, NULL, 0 };
			} else {
				v->kind = SQL_VALUE_TEXT;
				v->len = sb.len;
				v->text = arena_strndup(a, sb.buf ? sb.buf : "", sb.len);
			}
		}
		ins->nrows++;
	}
	sbuf_release(&sb);
}

int sql_insert_rows(const char *sql, const char *table, const struct md_pos *pos,
		    sql_insert_fn fn, void *ctx, struct md_error *err)
{
	struct parsed ps;
	int rc = 0;

	if (parse_sql(&ps, sql, pos, err) < 0)
		return -1;
	for (size_t s = 0; s < ps.tree->n_stmts && rc == 0; s++) {
		const PgQuery__Node *node = ps.tree->stmts[s]->stmt;
		struct sql_insert ins;
		struct arena a;

		if (!node || node->node_case != PG_QUERY__NODE__NODE_INSERT_STMT ||
		    !is_table(node->insert_stmt->relation, table))
			continue;
		arena_init(&a);
		insert_of(node->insert_stmt, &a, &ins);
		rc = fn(ctx, &ins, err);
		arena_release(&a);
	}
	parsed_free(&ps);
	return rc;
}

int sql_create_table_cols(const char *sql, const char *table, const struct md_pos *pos,
			  struct arena *a, const char ***cols, size_t *ncols, struct md_error *err)
{
	struct parsed ps;

	*cols = NULL;
	*ncols = 0;
	if (parse_sql(&ps, sql, pos, err) < 0)
		return -1;
	for (size_t s = 0; s < ps.tree->n_stmts; s++) {
		const PgQuery__Node *node = ps.tree->stmts[s]->stmt;
		const PgQuery__CreateStmt *cs;
		size_t n = 0;

		if (!node || node->node_case != PG_QUERY__NODE__NODE_CREATE_STMT)
			continue;
		cs = node->create_stmt;
		if (!is_table(cs->relation, table))
			continue;
		*cols = arena_alloc(a, sizeof(char *) * (cs->n_table_elts + 1));
		for (size_t i = 0; i < cs->n_table_elts; i++) {
			const PgQuery__Node *e = cs->table_elts[i];

			if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
				(*cols)[n++] = arena_strdup(a, e->column_def->colname);
		}
		*ncols = n;
		break;
	}
	parsed_free(&ps);
	return 0;
}
