/*
 * inserts.c - INSERT statements (pg_dump --inserts, --column-inserts,
 * --rows-per-insert) and the CREATE TABLE of _prisma_migrations, read with
 * the real PostgreSQL parser (libpg_query), never by hand.
 *
 * Values arrive as constants: NULL, a string literal (timestamps too), a
 * bare number, sometimes under a cast; a negative number may be a unary
 * minus over a constant. Anything else is not what pg_dump writes.
 */
#include "migdoctor/common.h"
#include "hist_internal.h"
#include "hist_sql.h"

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

/* The text of a constant value, or an error for anything else. */
static int const_text(PgQuery__Node *n, struct sbuf *out, bool *null, bool *numeric)
{
	*numeric = false;
	if (!n)
		return -1;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_A_CONST: {
		PgQuery__AConst *c = n->a_const;

		if (c->isnull) {
			*null = true;
			return 0;
		}
		*null = false;
		switch (c->val_case) {
		case PG_QUERY__A__CONST__VAL_SVAL:
			sb_puts(out, c->sval->sval);
			return 0;
		case PG_QUERY__A__CONST__VAL_IVAL:
			*numeric = true;
			sb_printf(out, "%d", (int)c->ival->ival);
			return 0;
		case PG_QUERY__A__CONST__VAL_FVAL:
			*numeric = true;
			sb_puts(out, c->fval->fval);
			return 0;
		case PG_QUERY__A__CONST__VAL_BOOLVAL:
			sb_puts(out, c->boolval->boolval ? "true" : "false");
			return 0;
		default:
			return -1;
		}
	}
	case PG_QUERY__NODE__NODE_TYPE_CAST:
		return const_text(n->type_cast->arg, out, null, numeric);
	case PG_QUERY__NODE__NODE_A_EXPR: {
		PgQuery__AExpr *e = n->a_expr;

		if (e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP && !e->lexpr && e->n_name == 1 &&
		    e->name[0]->node_case == PG_QUERY__NODE__NODE_STRING &&
		    !strcmp(e->name[0]->string->sval, "-")) {
			sb_putc(out, '-');
			return const_text(e->rexpr, out, null, numeric);
		}
		return -1;
	}
	default:
		return -1;
	}
}

static bool is_our_table(const PgQuery__RangeVar *rv)
{
	return rv && rv->relname && !strcmp(rv->relname, "_prisma_migrations");
}

int hist_read_inserts_cols(struct history *h, const char *sql, const struct md_pos *pos,
			   const char *const *dflt, size_t ndflt, struct md_error *err)
{
	struct parsed ps;
	struct sbuf vals[HIST_MAX_COLS];
	int rc = -1;

	if (parse_sql(&ps, sql, pos, err) < 0)
		return -1;
	for (size_t i = 0; i < HIST_MAX_COLS; i++)
		sbuf_init(&vals[i], 0);
	for (size_t s = 0; s < ps.tree->n_stmts; s++) {
		PgQuery__Node *node = ps.tree->stmts[s]->stmt;
		PgQuery__InsertStmt *ins;
		PgQuery__SelectStmt *sel;
		struct hist_colmap m;
		const char *names[HIST_MAX_COLS];
		size_t lens[HIST_MAX_COLS];

		if (!node || node->node_case != PG_QUERY__NODE__NODE_INSERT_STMT)
			continue;
		ins = node->insert_stmt;
		if (!is_our_table(ins->relation))
			continue;
		if (ins->n_cols) {
			if (ins->n_cols > HIST_MAX_COLS) {
				md_fail_at(err, pos, "%zu columns in the INSERT; expected at most %d "
					   "(HIST_MAX_COLS)", ins->n_cols, HIST_MAX_COLS);
				goto out;
			}
			for (size_t i = 0; i < ins->n_cols; i++) {
				PgQuery__Node *c = ins->cols[i];

				names[i] = c->node_case == PG_QUERY__NODE__NODE_RES_TARGET
						   ? c->res_target->name : "";
				lens[i] = strlen(names[i]);
			}
			if (hist_colmap_build(&m, names, lens, ins->n_cols, false, pos, err) < 0)
				goto out;
		} else if (dflt && ndflt) {
			for (size_t i = 0; i < ndflt; i++)
				lens[i] = strlen(dflt[i]);
			if (hist_colmap_build(&m, dflt, lens, ndflt, false, pos, err) < 0)
				goto out;
		} else {
			hist_colmap_prisma(&m);
			h->flags |= HIST_BY_POSITION;
		}
		hist_note_missing(h, &m);
		h->flags |= HIST_TABLE_SEEN;
		if (!ins->select_stmt || ins->select_stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT ||
		    ins->select_stmt->select_stmt->n_values_lists == 0) {
			md_fail_at(err, pos, "INSERT INTO _prisma_migrations without a VALUES list; "
				   "expected the INSERT statements pg_dump --inserts writes");
			goto out;
		}
		sel = ins->select_stmt->select_stmt;
		for (size_t r = 0; r < sel->n_values_lists; r++) {
			PgQuery__Node *ln = sel->values_lists[r];
			struct hist_field f[HC_NCOLS];
			PgQuery__List *list;

			if (ln->node_case != PG_QUERY__NODE__NODE_LIST)
				continue;
			list = ln->list;
			if (list->n_items != m.ncols) {
				md_fail_at(err, pos, "%zu values in row %zu of an INSERT; expected %zu "
					   "(the column list)", list->n_items, r + 1, m.ncols);
				goto out;
			}
			for (int k = 0; k < HC_NCOLS; k++)
				f[k] = (struct hist_field){ "", 0, true, false };
			for (size_t i = 0; i < list->n_items; i++) {
				bool null = false, numeric;
				int col = m.map[i];

				sbuf_reset(&vals[i]);
				if (const_text(list->items[i], &vals[i], &null, &numeric) < 0) {
					md_fail_at(err, pos, "value %zu of row %zu of an INSERT is not a "
						   "constant; expected NULL, a string or a number", i + 1,
						   r + 1);
					goto out;
				}
				if (col >= 0)
					f[col] = (struct hist_field){ vals[i].buf, vals[i].len, null, false };
			}
			if (hist_add_row(h, f, pos, err) < 0)
				goto out;
		}
	}
	rc = 0;
out:
	for (size_t i = 0; i < HIST_MAX_COLS; i++)
		sbuf_release(&vals[i]);
	parsed_free(&ps);
	return rc;
}

int history_read_inserts(struct history *h, const char *sql, const struct md_pos *pos,
			 struct md_error *err)
{
	return hist_read_inserts_cols(h, sql, pos, NULL, 0, err);
}

int hist_create_table_cols(const char *sql, const struct md_pos *pos, struct arena *a,
			   const char ***cols, size_t *ncols, struct md_error *err)
{
	struct parsed ps;
	int rc = -1;

	*cols = NULL;
	*ncols = 0;
	if (parse_sql(&ps, sql, pos, err) < 0)
		return -1;
	for (size_t s = 0; s < ps.tree->n_stmts; s++) {
		PgQuery__Node *node = ps.tree->stmts[s]->stmt;
		PgQuery__CreateStmt *cs;
		size_t n = 0;

		if (!node || node->node_case != PG_QUERY__NODE__NODE_CREATE_STMT)
			continue;
		cs = node->create_stmt;
		if (!is_our_table(cs->relation))
			continue;
		*cols = arena_alloc(a, sizeof(char *) * (cs->n_table_elts + 1));
		for (size_t i = 0; i < cs->n_table_elts && n < HIST_MAX_COLS; i++) {
			PgQuery__Node *e = cs->table_elts[i];

			if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
				(*cols)[n++] = arena_strdup(a, e->column_def->colname);
		}
		*ncols = n;
		break;
	}
	rc = 0;
	parsed_free(&ps);
	return rc;
}
