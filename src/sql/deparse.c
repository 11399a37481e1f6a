/*
 * deparse.c - idempotent DDL from a migration's own statements, by
 * editing the parse tree and deparsing it (libpg_query), never by
 * editing text.
 */
#include "migdoctor/common.h"
#include "migdoctor/quote.h"
#include "migdoctor/sbuf.h"
#include "internal.h"

/*
 * libpg_query 15-4.0.0's deparser prints constraint and index names as
 * they are, without quotes: "Team_budget_id_fkey" would come out as
 * team_budget_id_fkey once PostgreSQL folds it. Give it names already
 * quoted (by the one quoting function), and check the result by parsing
 * it back.
 */
struct names {
	char **v;
	size_t n, cap;
};

static void requote(char **field, struct names *orig)
{
	struct sbuf q = SBUF_INIT;

	if (!*field || !**field)
		return;
	MD_GROW(orig->v, orig->n, orig->cap);
	orig->v[orig->n++] = xstrdup(*field);
	if (!sql_ident_needs_quotes(*field) || sql_quote_ident_always(&q, *field)) {
		sbuf_release(&q);
		return;
	}
	free(*field); /* protobuf-c's default allocator is malloc/free */
	*field = sbuf_detach(&q, NULL);
}

static void requote_cb(const ProtobufCMessage *m, void *ctx)
{
	if (m->descriptor == &pg_query__constraint__descriptor)
		requote(&((PgQuery__Constraint *)m)->conname, ctx);
	else if (m->descriptor == &pg_query__index_stmt__descriptor)
		requote(&((PgQuery__IndexStmt *)m)->idxname, ctx);
}

static void collect_cb(const ProtobufCMessage *m, void *ctx)
{
	struct names *got = ctx;
	const char *name = NULL;

	if (m->descriptor == &pg_query__constraint__descriptor)
		name = ((const PgQuery__Constraint *)m)->conname;
	else if (m->descriptor == &pg_query__index_stmt__descriptor)
		name = ((const PgQuery__IndexStmt *)m)->idxname;
	if (name && *name) {
		MD_GROW(got->v, got->n, got->cap);
		got->v[got->n++] = xstrdup(name);
	}
}

static void names_release(struct names *n)
{
	for (size_t i = 0; i < n->n; i++)
		free(n->v[i]);
	free(n->v);
}

/* Parse sql back: the names it holds must be exactly the original ones. */
static int names_survive(const char *sql, const struct names *orig)
{
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(sql);
	PgQuery__ParseResult *pr = NULL;
	struct names got = { 0 };
	int ok = 0;

	if (!r.error)
		pr = pg_query__parse_result__unpack(NULL, r.parse_tree.len, (const uint8_t *)r.parse_tree.data);
	pg_query_free_protobuf_parse_result(r);
	if (pr) {
		sql_walk((const ProtobufCMessage *)pr, collect_cb, &got);
		ok = got.n == orig->n;
		for (size_t i = 0; ok && i < got.n; i++)
			ok = !strcmp(got.v[i], orig->v[i]);
		pg_query__parse_result__free_unpacked(pr, NULL);
	}
	names_release(&got);
	return ok;
}

static char *deparse(PgQuery__ParseResult *pr, struct md_error *err)
{
	size_t len = pg_query__parse_result__get_packed_size(pr);
	uint8_t *buf = xmalloc(len ? len : 1);
	PgQueryProtobuf pb;
	PgQueryDeparseResult dr;
	char *sql = NULL;

	pg_query__parse_result__pack(pr, buf);
	pb.len = len;
	pb.data = (char *)buf;
	dr = pg_query_deparse_protobuf(pb);
	if (dr.error)
		md_fail_code(err, MD_EXIT_INTERNAL, "libpg_query could not deparse a statement: %s",
			     dr.error->message);
	else
		sql = xstrdup(dr.query);
	pg_query_free_deparse_result(dr);
	free(buf);
	return sql;
}

/* Deparse with constraint and index names protected, and verified. */
static char *deparse_checked(PgQuery__ParseResult *pr, struct md_error *err)
{
	struct names orig = { 0 };
	char *sql;

	sql_walk((const ProtobufCMessage *)pr, requote_cb, &orig);
	sql = deparse(pr, err);
	if (sql && !names_survive(sql, &orig)) {
		md_fail_code(err, MD_EXIT_INTERNAL, "libpg_query's deparser changed a name in: %s", sql);
		free(sql);
		sql = NULL;
	}
	names_release(&orig);
	return sql;
}

char *sql_do_if(const char *cond, const char *body)
{
	struct sbuf b = SBUF_INIT, out = SBUF_INIT;
	char tag[32] = "migdoctor";

	sb_printf(&b, "\nBEGIN\n    IF %s THEN\n%s    END IF;\nEND\n", cond, body);
	for (int i = 1; strstr(b.buf, tag); i++)
		snprintf(tag, sizeof(tag), "migdoctor%d", i);
	sb_printf(&out, "DO $%s$%s$%s$", tag, b.buf, tag);
	sbuf_release(&b);
	return sbuf_detach(&out, NULL);
}

/* A DO block that runs stmt only when cond (SQL built with the quoting functions) is true. */
static char *guarded(const char *cond, const char *stmt)
{
	struct sbuf body = SBUF_INIT;
	char *r;

	sb_printf(&body, "        %s;\n", stmt);
	r = sql_do_if(cond, body.buf);
	sbuf_release(&body);
	return r;
}

static void qualified_literal(struct sbuf *sb, const char *schema, const char *name)
{
	struct sbuf q = SBUF_INIT;

	/* to_regclass/regtype take SQL syntax: the quoted, qualified name as a literal */
	if (schema) {
		if (sql_quote_ident_always(&q, schema))
			sb_puts(&q, "\"?\"");
		sb_putc(&q, '.');
	}
	if (sql_quote_ident_always(&q, name))
		sb_puts(&q, "\"?\"");
	sql_quote_literal(sb, q.buf, q.len);
	sbuf_release(&q);
}

/* "NOT EXISTS (the constraint on its table)", for guarded(). */
static char *constraint_absent(const struct sql_effect *only)
{
	struct sbuf c = SBUF_INIT;

	sb_puts(&c, "NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = ");
	sql_quote_literal_str(&c, only->sub);
	sb_puts(&c, " AND conrelid = to_regclass(");
	qualified_literal(&c, only->schema, only->table);
	sb_puts(&c, "))");
	return sbuf_detach(&c, NULL);
}

/*
 * A constraint declared inside CREATE TABLE (a primary key, a unique or
 * check constraint), for a table that exists without it (a restore of the
 * table alone): the same constraint node, moved into an ALTER TABLE ADD
 * CONSTRAINT of the same relation, guarded so it runs only when absent.
 * The new nodes live on the stack and point into the parsed tree, which
 * keeps owning what it allocated.
 */
static char *constraint_of_create(PgQuery__ParseResult *pr, const struct sql_stmt *st,
				  const struct sql_effect *only, struct md_error *err)
{
	PgQuery__Node *orig = pr->stmts[0]->stmt;
	PgQuery__CreateStmt *cs = orig->create_stmt;
	PgQuery__Node *def = NULL, node = PG_QUERY__NODE__INIT, cmdnode = PG_QUERY__NODE__INIT;
	PgQuery__Node *cmds[1];
	PgQuery__AlterTableStmt ats = PG_QUERY__ALTER_TABLE_STMT__INIT;
	PgQuery__AlterTableCmd cmd = PG_QUERY__ALTER_TABLE_CMD__INIT;
	char *sql, *cond, *g;

	for (size_t i = 0; i < cs->n_table_elts && !def; i++) {
		PgQuery__Node *e = cs->table_elts[i];

		if (e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT && e->constraint->conname &&
		    !strcmp(e->constraint->conname, only->sub))
			def = e;
	}
	if (!def) {
		md_fail(err, "line %u: constraint \"%s\" is not a named table constraint of this CREATE "
			"TABLE; it cannot be added on its own", st->line, only->sub);
		return NULL;
	}
	cmd.subtype = PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint;
	cmd.def = def;
	cmd.behavior = PG_QUERY__DROP_BEHAVIOR__DROP_RESTRICT;
	cmdnode.node_case = PG_QUERY__NODE__NODE_ALTER_TABLE_CMD;
	cmdnode.alter_table_cmd = &cmd;
	cmds[0] = &cmdnode;
	ats.relation = cs->relation;
	ats.n_cmds = 1;
	ats.cmds = cmds;
	ats.objtype = PG_QUERY__OBJECT_TYPE__OBJECT_TABLE;
	node.node_case = PG_QUERY__NODE__NODE_ALTER_TABLE_STMT;
	node.alter_table_stmt = &ats;
	pr->stmts[0]->stmt = &node;
	sql = deparse_checked(pr, err);
	pr->stmts[0]->stmt = orig;
	if (!sql)
		return NULL;
	cond = constraint_absent(only);
	g = guarded(cond, sql);
	free(cond);
	free(sql);
	return g;
}

/*
 * "A view (or any relation) of this name is absent", for guarded(): the
 * statement is kept as the migration wrote it, OR REPLACE or not, and runs
 * only where nothing holds the name. Where the view exists, a later
 * migration may have redefined it: replacing it would bring back the old
 * definition (and CREATE OR REPLACE VIEW cannot drop columns anyway).
 */
static char *view_absent(const PgQuery__RangeVar *rv)
{
	struct sbuf c = SBUF_INIT;

	sb_puts(&c, "to_regclass(");
	qualified_literal(&c, rv && rv->schemaname && *rv->schemaname ? rv->schemaname : NULL,
			  rv && rv->relname ? rv->relname : "?");
	sb_puts(&c, ") IS NULL");
	return sbuf_detach(&c, NULL);
}

/*
 * "No function of this name and number of arguments is in its schema"
 * (a procedure: of this name), for guarded(). Coarser than its exact
 * signature, on purpose: a function that exists with other argument types
 * of the same count keeps it from being made, never from being kept.
 */
static char *function_absent(const PgQuery__CreateFunctionStmt *cf)
{
	const PgQuery__Node *const *names = (const PgQuery__Node *const *)cf->funcname;
	const char *schema = sql_list_schema(names, cf->n_funcname);
	const char *name = sql_list_last(names, cf->n_funcname);
	struct sbuf c = SBUF_INIT;
	size_t nargs = 0;

	for (size_t i = 0; i < cf->n_parameters; i++) {
		const PgQuery__Node *p = cf->parameters[i];
		PgQuery__FunctionParameterMode m;

		if (p->node_case != PG_QUERY__NODE__NODE_FUNCTION_PARAMETER)
			continue;
		m = p->function_parameter->mode;
		/* pronargs counts the input ones: not OUT, not RETURNS TABLE's columns */
		nargs += m != PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_OUT &&
			 m != PG_QUERY__FUNCTION_PARAMETER_MODE__FUNC_PARAM_TABLE;
	}
	sb_puts(&c, "NOT EXISTS (SELECT FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n "
		"ON n.oid = p.pronamespace\n            WHERE n.nspname = ");
	if (schema)
		sql_quote_literal_str(&c, schema);
	else
		sb_puts(&c, "current_schema()");
	sb_puts(&c, " AND p.proname = ");
	sql_quote_literal_str(&c, name ? name : "?");
	if (!cf->is_procedure)
		sb_printf(&c, " AND p.pronargs = %zu", nargs);
	sb_putc(&c, ')');
	return sbuf_detach(&c, NULL);
}

char *sql_idempotent(const struct sql_stmt *st, const struct sql_effect *only, struct md_error *err)
{
	PgQuery__ParseResult *pr = sql_tree(st->text, st->line, err);
	PgQuery__Node *n;
	PgQuery__AlterTableStmt *trimmed = NULL; /* n_cmds put back before freeing */
	size_t trimmed_n = 0;
	char *sql = NULL, *cond = NULL;

	if (!pr)
		return NULL;
	if (pr->n_stmts != 1 || !pr->stmts[0]->stmt) {
		md_fail(err, "line %u: expected one statement", st->line);
		goto out;
	}
	n = pr->stmts[0]->stmt;
	if (n->node_case == PG_QUERY__NODE__NODE_CREATE_STMT && only && only->obj == SQL_OBJ_CONSTRAINT) {
		sql = constraint_of_create(pr, st, only, err);
		goto out;
	}
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_CREATE_STMT:
		n->create_stmt->if_not_exists = 1;
		break;
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		if (n->index_stmt->concurrent) {
			/* cannot run inside the repair transaction */
			n->index_stmt->concurrent = 0;
		}
		n->index_stmt->if_not_exists = 1;
		if (only && only->name && (!n->index_stmt->idxname || !*n->index_stmt->idxname)) {
			/* the name PostgreSQL chose; the tree owns what it holds */
			if (n->index_stmt->idxname != protobuf_c_empty_string)
				free(n->index_stmt->idxname);
			n->index_stmt->idxname = xstrdup(only->name);
		}
		break;
	case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
		n->create_seq_stmt->if_not_exists = 1;
		break;
	case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
		n->create_extension_stmt->if_not_exists = 1;
		break;
	case PG_QUERY__NODE__NODE_VIEW_STMT:
		/* never OR REPLACE: a later migration may have redefined it */
		cond = view_absent(n->view_stmt->view);
		break;
	case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
		cond = function_absent(n->create_function_stmt);
		break;
	case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT:
		if (n->alter_enum_stmt->old_val && *n->alter_enum_stmt->old_val) {
			md_fail(err, "line %u: RENAME VALUE cannot be made idempotent", st->line);
			goto out;
		}
		n->alter_enum_stmt->skip_if_new_val_exists = 1;
		break;
	case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT: {
		struct sbuf c = SBUF_INIT;

		sb_puts(&c, "to_regtype(");
		qualified_literal(&c, only ? only->schema : NULL, only ? only->name : "?");
		sb_puts(&c, ") IS NULL");
		cond = sbuf_detach(&c, NULL);
		break;
	}
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT: {
		PgQuery__AlterTableStmt *as = n->alter_table_stmt;
		size_t keep_at = 0;
		PgQuery__Node *keep = NULL;

		for (size_t i = 0; i < as->n_cmds && only; i++) {
			PgQuery__AlterTableCmd *cmd = as->cmds[i]->alter_table_cmd;

			if (as->cmds[i]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD || !cmd->def)
				continue;
			if (only->obj == SQL_OBJ_COLUMN &&
			    (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn ||
			     cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse) &&
			    cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF &&
			    !strcmp(cmd->def->column_def->colname, only->sub)) {
				cmd->missing_ok = 1;
				keep = as->cmds[i];
				keep_at = i;
			} else if (only->obj == SQL_OBJ_CONSTRAINT &&
				   (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint ||
				    cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraintRecurse) &&
				   cmd->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
				const char *cn = cmd->def->constraint->conname;

				if ((cn && *cn && !strcmp(cn, only->sub)) || ((!cn || !*cn) && as->n_cmds == 1)) {
					keep = as->cmds[i];
					keep_at = i;
				}
			}
		}
		if (!keep) {
			md_fail(err, "line %u: no ADD COLUMN/ADD CONSTRAINT in this ALTER TABLE makes the "
				"missing object", st->line);
			goto out;
		}
		/* keep only that command: the others concern objects that exist */
		as->cmds[keep_at] = as->cmds[0];
		as->cmds[0] = keep;
		trimmed = as;
		trimmed_n = as->n_cmds;
		as->n_cmds = 1;
		if (only->obj == SQL_OBJ_CONSTRAINT)
			cond = constraint_absent(only);
		break;
	}
	default:
		md_fail(err, "line %u: a %s statement cannot be made idempotent", st->line, st->tag);
		goto out;
	}
	sql = deparse_checked(pr, err);
	if (sql && cond) {
		char *g = guarded(cond, sql);

		free(sql);
		sql = g;
	}
out:
	free(cond);
	if (trimmed)
		trimmed->n_cmds = trimmed_n;
	if (pr)
		pg_query__parse_result__free_unpacked(pr, NULL);
	return sql;
}

struct type_rename {
	const char *from, *to;
};

static void rename_type(PgQuery__TypeName *tn, const struct type_rename *r)
{
	PgQuery__String *s;

	if (!tn || !tn->n_names ||
	    tn->names[tn->n_names - 1]->node_case != PG_QUERY__NODE__NODE_STRING)
		return;
	s = tn->names[tn->n_names - 1]->string;
	if (!s->sval || strcmp(s->sval, r->from))
		return;
	if (s->sval != protobuf_c_empty_string)
		free(s->sval); /* protobuf-c's default allocator is malloc/free */
	s->sval = xstrdup(r->to);
}

/* The type names of a USING expression: casts, operators and calls. */
static void rename_in_expr(PgQuery__Node *n, const struct type_rename *r, int depth)
{
	if (!n || depth > 64)
		return;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_TYPE_CAST:
		rename_type(n->type_cast->type_name, r);
		rename_in_expr(n->type_cast->arg, r, depth + 1);
		break;
	case PG_QUERY__NODE__NODE_A_EXPR:
		rename_in_expr(n->a_expr->lexpr, r, depth + 1);
		rename_in_expr(n->a_expr->rexpr, r, depth + 1);
		break;
	case PG_QUERY__NODE__NODE_FUNC_CALL:
		for (size_t i = 0; i < n->func_call->n_args; i++)
			rename_in_expr(n->func_call->args[i], r, depth + 1);
		break;
	default:
		break;
	}
}

char *sql_alter_type_cmd(const struct sql_stmt *st, const char *column, const char *from_type,
			 const char *to_type, struct md_error *err)
{
	PgQuery__ParseResult *pr = sql_tree(st->text, st->line, err);
	PgQuery__AlterTableStmt *as;
	PgQuery__Node *keep = NULL, *first;
	size_t keep_at = 0, n_cmds;
	char *sql = NULL;

	if (!pr)
		return NULL;
	if (pr->n_stmts != 1 || !pr->stmts[0]->stmt ||
	    pr->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_STMT) {
		md_fail(err, "line %u: expected one ALTER TABLE statement", st->line);
		goto out;
	}
	as = pr->stmts[0]->stmt->alter_table_stmt;
	for (size_t i = 0; i < as->n_cmds; i++) {
		const PgQuery__AlterTableCmd *cmd = as->cmds[i]->alter_table_cmd;

		if (as->cmds[i]->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_CMD &&
		    cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType && cmd->name &&
		    !strcmp(cmd->name, column)) {
			keep = as->cmds[i];
			keep_at = i;
		}
	}
	if (!keep) {
		md_fail(err, "line %u: no ALTER COLUMN \"%s\" TYPE in this ALTER TABLE", st->line,
			column);
		goto out;
	}
	if (from_type && to_type && strcmp(from_type, to_type)) {
		struct type_rename tr = { from_type, to_type };
		PgQuery__Node *def = keep->alter_table_cmd->def;

		if (def && def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
			rename_type(def->column_def->type_name, &tr);
			rename_in_expr(def->column_def->raw_default, &tr, 0);
		}
	}
	/* only that command, put back in place before the tree is freed */
	first = as->cmds[0];
	as->cmds[0] = keep;
	as->cmds[keep_at] = first;
	n_cmds = as->n_cmds;
	as->n_cmds = 1;
	as->missing_ok = 0;
	sql = deparse_checked(pr, err);
	as->n_cmds = n_cmds;
out:
	if (pr)
		pg_query__parse_result__free_unpacked(pr, NULL);
	return sql;
}

bool sql_alter_type_casts_only(const struct sql_stmt *st, const char *column)
{
	struct md_error err;
	PgQuery__ParseResult *pr = sql_tree(st->text, st->line, &err);
	const PgQuery__AlterTableStmt *as;
	struct arena a;
	bool ok = false;

	if (!pr)
		return false;
	arena_init(&a);
	if (pr->n_stmts != 1 || !pr->stmts[0]->stmt ||
	    pr->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_STMT)
		goto out;
	as = pr->stmts[0]->stmt->alter_table_stmt;
	for (size_t i = 0; i < as->n_cmds; i++) {
		const PgQuery__AlterTableCmd *cmd = as->cmds[i]->alter_table_cmd;
		const PgQuery__Node *def;

		if (as->cmds[i]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD ||
		    cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType || !cmd->name ||
		    strcmp(cmd->name, column))
			continue;
		def = cmd->def;
		ok = def && def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF &&
		     sql_using_keeps_values(&a, def->column_def->raw_default, column,
					    def->column_def->type_name);
	}
out:
	arena_release(&a);
	pg_query__parse_result__free_unpacked(pr, NULL);
	return ok;
}

char *sql_index_concurrently(const struct sql_stmt *st, struct md_error *err)
{
	PgQuery__ParseResult *pr = sql_tree(st->text, st->line, err);
	char *sql = NULL;

	if (!pr)
		return NULL;
	if (pr->n_stmts != 1 || !pr->stmts[0]->stmt ||
	    pr->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_INDEX_STMT) {
		md_fail(err, "line %u: expected one CREATE INDEX", st->line);
	} else {
		pr->stmts[0]->stmt->index_stmt->concurrent = 1;
		pr->stmts[0]->stmt->index_stmt->if_not_exists = 1;
		sql = deparse_checked(pr, err);
	}
	if (pr)
		pg_query__parse_result__free_unpacked(pr, NULL);
	return sql;
}
