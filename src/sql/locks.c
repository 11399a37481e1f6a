/*
 * locks.c - the table locks a statement takes and the work it does on
 * each table (scan, index build, rewrite), from its parse tree. The lock
 * levels follow PostgreSQL's documentation: "Explicit Locking"
 * (https://www.postgresql.org/docs/current/explicit-locking.html) and
 * ALTER TABLE's per-subcommand levels
 * (https://www.postgresql.org/docs/current/sql-altertable.html); the
 * rewrites its "Notes" section. What it costs on a given table is the
 * analysis' business (src/analysis/hazards.c).
 */
#include "migdoctor/common.h"
#include "internal.h"

#define NODES(x) ((const PgQuery__Node *const *)(x))

struct lk_ctx {
	struct arena *a;
	struct sql_locks *out;
	uint32_t max;
};

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

static struct sql_lock_op *op_on(struct lk_ctx *c, const char *schema, const char *table,
				 enum sql_lock lock, enum sql_work work, const char *why)
{
	struct sql_lock_op *o;

	if (c->out->n == c->max) {
		c->out->truncated = true;
		return NULL;
	}
	o = &c->out->v[c->out->n++];
	memset(o, 0, sizeof(*o));
	o->schema = nz(schema) ? arena_strdup(c->a, schema) : NULL;
	o->table = arena_strdup(c->a, table ? table : "");
	o->lock = lock;
	o->work = work;
	o->why = why;
	return o;
}

static struct sql_lock_op *op(struct lk_ctx *c, const PgQuery__RangeVar *rv, enum sql_lock lock,
			      enum sql_work work, const char *why)
{
	return op_on(c, rv ? rv->schemaname : NULL, rv ? rv->relname : NULL, lock, work, why);
}

/* Functions PostgreSQL marks volatile that defaults use: a new column with one rewrites. */
static bool volatile_func(const char *name)
{
	static const char *const v[] = { "random",	     "gen_random_uuid",
					 "uuid_generate_v1", "uuid_generate_v1mc",
					 "uuid_generate_v4", "clock_timestamp",
					 "timeofday",	     "nextval",
					 "txid_current",     "setseed" };

	for (size_t i = 0; i < MD_ARRAY_LEN(v); i++)
		if (!strcmp(name, v[i]))
			return true;
	return false;
}

/* Stable or immutable functions common in defaults: no rewrite (PostgreSQL 11 and later). */
static bool steady_func(const char *name)
{
	static const char *const v[] = { "now",
					 "transaction_timestamp",
					 "statement_timestamp",
					 "lower",
					 "upper",
					 "jsonb_build_object",
					 "json_build_object",
					 "jsonb_build_array",
					 "array",
					 "to_jsonb",
					 "current_setting" };

	for (size_t i = 0; i < MD_ARRAY_LEN(v); i++)
		if (!strcmp(name, v[i]))
			return true;
	return false;
}

struct vol {
	struct arena *a;
	const char *func;  /* the first volatile one */
	const char *other; /* the first one not known either way */
};

static void vol_cb(const ProtobufCMessage *m, void *ctx)
{
	struct vol *v = ctx;
	const PgQuery__FuncCall *fc;
	const char *name;

	if (m->descriptor != &pg_query__func_call__descriptor)
		return;
	fc = (const PgQuery__FuncCall *)m;
	name = sql_list_last(NODES(fc->funcname), fc->n_funcname);
	if (!name)
		return;
	if (volatile_func(name) && !v->func)
		v->func = arena_strdup(v->a, name);
	else if (!volatile_func(name) && !steady_func(name) && !v->other)
		v->other = arena_strdup(v->a, name);
}

/*
 * ADD COLUMN: instant on PostgreSQL 11+ unless the default is volatile
 * (or the column is an identity, a serial or a stored generated column),
 * which fills every row: a rewrite. A CHECK or REFERENCES on the column
 * scans the table to validate it.
 */
static void add_column(struct lk_ctx *c, const PgQuery__RangeVar *rv, const PgQuery__ColumnDef *cd)
{
	struct vol v = { c->a, NULL, NULL };
	const char *rewrite = NULL, *maybe = NULL, *col = cd->colname ? cd->colname : "?";
	bool scan = false, index = false;
	struct sql_lock_op *o;

	if (cd->raw_default)
		sql_walk(&cd->raw_default->base, vol_cb, &v);
	if (cd->type_name && cd->type_name->n_names) {
		const char *tn = sql_list_last(NODES(cd->type_name->names), cd->type_name->n_names);

		if (tn && (!strcmp(tn, "serial") || !strcmp(tn, "bigserial") ||
			   !strcmp(tn, "smallserial") || !strcmp(tn, "serial4") ||
			   !strcmp(tn, "serial8") || !strcmp(tn, "serial2")))
			rewrite = "a serial (nextval() for every row)";
	}
	for (size_t i = 0; i < cd->n_constraints; i++) {
		const PgQuery__Node *n = cd->constraints[i];
		const PgQuery__Constraint *k;

		if (n->node_case != PG_QUERY__NODE__NODE_CONSTRAINT)
			continue;
		k = n->constraint;
		switch (k->contype) {
		case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
			if (k->raw_expr)
				sql_walk(&k->raw_expr->base, vol_cb, &v);
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY: rewrite = "an identity column"; break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED:
			rewrite = "a stored generated column";
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK: scan = true; break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
			if (k->pktable)
				op(c, k->pktable, SQL_LOCK_SHARE_ROW_EXCLUSIVE, SQL_WORK_NONE,
				   "referenced by a new foreign key");
			scan = true;
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
		case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE: index = true; break;
		default: break;
		}
	}
	if (!rewrite && v.func)
		rewrite = arena_printf(c->a, "a volatile default (%s())", v.func);
	if (!rewrite && v.other)
		maybe = arena_printf(c->a, "a default calling %s(): a rewrite if it is volatile",
				     v.other);
	if (rewrite)
		o = op(c, rv, SQL_LOCK_ACCESS_EXCLUSIVE, SQL_WORK_REWRITE,
		       arena_printf(c->a, "ADD COLUMN \"%s\" with %s", col, rewrite));
	else if (maybe)
		o = op(c, rv, SQL_LOCK_ACCESS_EXCLUSIVE, SQL_WORK_REWRITE_MAYBE,
		       arena_printf(c->a, "ADD COLUMN \"%s\" with %s", col, maybe));
	else
		o = op(c, rv, SQL_LOCK_ACCESS_EXCLUSIVE,
		       index  ? SQL_WORK_INDEX
		       : scan ? SQL_WORK_SCAN
			      : SQL_WORK_NONE,
		       arena_printf(c->a, "ADD COLUMN \"%s\"%s", col,
				    index  ? " with its index to build"
				    : scan ? " with a constraint to validate"
					   : " (no rewrite since PostgreSQL 11)"));
	if (o)
		o->column = arena_strdup(c->a, col);
}

static void add_constraint(struct lk_ctx *c, const PgQuery__RangeVar *rv,
			   const PgQuery__Constraint *k)
{
	const char *name = nz(k->conname) ? k->conname : "unnamed";
	struct sql_lock_op *o;

	switch (k->contype) {
	case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
		/* both tables SHARE ROW EXCLUSIVE; NOT VALID skips the scan (VALIDATE later) */
		op(c, rv, SQL_LOCK_SHARE_ROW_EXCLUSIVE,
		   k->skip_validation ? SQL_WORK_NONE : SQL_WORK_SCAN,
		   arena_printf(c->a, "ADD CONSTRAINT \"%s\" FOREIGN KEY%s", name,
				k->skip_validation ? " NOT VALID" : " (validated: a scan)"));
		if (k->pktable)
			op(c, k->pktable, SQL_LOCK_SHARE_ROW_EXCLUSIVE, SQL_WORK_NONE,
			   arena_printf(c->a, "referenced by foreign key \"%s\"", name));
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
		op(c, rv, SQL_LOCK_ACCESS_EXCLUSIVE,
		   k->skip_validation ? SQL_WORK_NONE : SQL_WORK_SCAN,
		   arena_printf(c->a, "ADD CONSTRAINT \"%s\" CHECK%s", name,
				k->skip_validation ? " NOT VALID" : " (validated: a scan)"));
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
	case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
	case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
		if (nz(k->indexname)) {
			op(c, rv, SQL_LOCK_ACCESS_EXCLUSIVE, SQL_WORK_NONE,
			   arena_printf(c->a, "ADD CONSTRAINT \"%s\" USING INDEX", name));
			break;
		}
		o = op(c, rv, SQL_LOCK_ACCESS_EXCLUSIVE, SQL_WORK_INDEX,
		       arena_printf(
			       c->a, "ADD CONSTRAINT \"%s\" %s (builds its index)", name,
			       k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY  ? "PRIMARY KEY"
			       : k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE ? "UNIQUE"
										    : "EXCLUDE"));
		if (o)
			o->index = arena_strdup(c->a, name);
		break;
	default:
		op(c, rv, SQL_LOCK_ACCESS_EXCLUSIVE, SQL_WORK_NONE,
		   arena_printf(c->a, "ADD CONSTRAINT \"%s\"", name));
		break;
	}
}

static void alter_cmd(struct lk_ctx *c, const PgQuery__RangeVar *rv,
		      const PgQuery__AlterTableCmd *cmd)
{
	const char *col = cmd->name && *cmd->name ? cmd->name : "?";
	struct sql_lock_op *o;

	switch (cmd->subtype) {
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse:
		if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
			add_column(c, rv, cmd->def->column_def);
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
		o = op(c, rv, SQL_LOCK_ACCESS_EXCLUSIVE, SQL_WORK_SCAN,
		       arena_printf(c->a, "ALTER COLUMN \"%s\" SET NOT NULL (a full scan)", col));
		if (o)
			o->column = arena_strdup(c->a, col);
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType: {
		const PgQuery__ColumnDef *cd =
			cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF
				? cmd->def->column_def
				: NULL;
		bool builtin;

		o = op(c, rv, SQL_LOCK_ACCESS_EXCLUSIVE, SQL_WORK_REWRITE_MAYBE,
		       arena_printf(c->a, "ALTER COLUMN \"%s\" TYPE", col));
		if (!o)
			break;
		o->column = arena_strdup(c->a, col);
		if (cd && cd->type_name)
			o->new_type = sql_type_text(c->a, cd->type_name, &builtin);
		o->using_expr = cd && cd->raw_default;
		if (o->using_expr)
			o->work = SQL_WORK_REWRITE;
		break;
	}
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraintRecurse:
		if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
			add_constraint(c, rv, cmd->def->constraint);
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraintRecurse:
		op(c, rv, SQL_LOCK_SHARE_UPDATE_EXCLUSIVE, SQL_WORK_SCAN,
		   arena_printf(c->a, "VALIDATE CONSTRAINT \"%s\" (a scan; writes go on)", col));
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetStatistics:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetOptions:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ResetOptions:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ClusterOn:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropCluster:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetRelOptions:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ResetRelOptions:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition:
		op(c, rv, SQL_LOCK_SHARE_UPDATE_EXCLUSIVE, SQL_WORK_NONE,
		   "ALTER TABLE (options, statistics)");
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrig:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableAlwaysTrig:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableReplicaTrig:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrig:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrigAll:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrigAll:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrigUser:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrigUser:
		op(c, rv, SQL_LOCK_SHARE_ROW_EXCLUSIVE, SQL_WORK_NONE, "ENABLE/DISABLE TRIGGER");
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetLogged:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetTableSpace:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetAccessMethod:
		op(c, rv, SQL_LOCK_ACCESS_EXCLUSIVE, SQL_WORK_REWRITE,
		   "ALTER TABLE SET LOGGED/TABLESPACE "
		   "(rewrites the table)");
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumnRecurse:
		op(c, rv, SQL_LOCK_ACCESS_EXCLUSIVE, SQL_WORK_NONE,
		   arena_printf(c->a, "DROP COLUMN \"%s\"", col));
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
		op(c, rv, SQL_LOCK_ACCESS_EXCLUSIVE, SQL_WORK_NONE,
		   arena_printf(c->a, "ALTER COLUMN \"%s\" DROP NOT NULL", col));
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault:
		op(c, rv, SQL_LOCK_ACCESS_EXCLUSIVE, SQL_WORK_NONE,
		   arena_printf(c->a, "ALTER COLUMN \"%s\" SET/DROP DEFAULT", col));
		break;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraintRecurse:
		op(c, rv, SQL_LOCK_ACCESS_EXCLUSIVE, SQL_WORK_NONE,
		   arena_printf(c->a, "DROP CONSTRAINT \"%s\"", col));
		break;
	default: op(c, rv, SQL_LOCK_ACCESS_EXCLUSIVE, SQL_WORK_NONE, "ALTER TABLE"); break;
	}
}

static void alter_table(struct lk_ctx *c, const PgQuery__AlterTableStmt *as)
{
	if (as->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX) {
		struct sql_lock_op *o = op(c, as->relation, SQL_LOCK_SHARE_UPDATE_EXCLUSIVE,
					   SQL_WORK_NONE, "ALTER INDEX");

		if (o)
			o->on_index = true;
		return;
	}
	if (as->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
		return;
	for (size_t i = 0; i < as->n_cmds; i++)
		if (as->cmds[i]->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
			alter_cmd(c, as->relation, as->cmds[i]->alter_table_cmd);
}

static void create_index(struct lk_ctx *c, const PgQuery__IndexStmt *is)
{
	struct sql_lock_op *o = op(
		c, is->relation, is->concurrent ? SQL_LOCK_SHARE_UPDATE_EXCLUSIVE : SQL_LOCK_SHARE,
		SQL_WORK_INDEX,
		is->concurrent ? "CREATE INDEX CONCURRENTLY (two scans; writes go on)"
			       : "CREATE INDEX (a scan and a sort; writes wait)");

	if (!o)
		return;
	o->index = nz(is->idxname) ? arena_strdup(c->a, is->idxname) : NULL;
	o->if_not_exists = is->if_not_exists;
	o->concurrently = is->concurrent;
	o->unique = is->unique;
}

/* CREATE TABLE ... REFERENCES t: t is locked SHARE ROW EXCLUSIVE while the trigger is made. */
static void create_table(struct lk_ctx *c, const PgQuery__CreateStmt *cs)
{
	for (size_t i = 0; i < cs->n_table_elts; i++) {
		const PgQuery__Node *n = cs->table_elts[i];

		if (n->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
		    n->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN &&
		    n->constraint->pktable)
			op(c, n->constraint->pktable, SQL_LOCK_SHARE_ROW_EXCLUSIVE, SQL_WORK_NONE,
			   "referenced by a foreign key of a new table");
		if (n->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
			continue;
		for (size_t k = 0; k < n->column_def->n_constraints; k++) {
			const PgQuery__Node *kn = n->column_def->constraints[k];

			if (kn->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
			    kn->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN &&
			    kn->constraint->pktable)
				op(c, kn->constraint->pktable, SQL_LOCK_SHARE_ROW_EXCLUSIVE,
				   SQL_WORK_NONE, "referenced by a foreign key of a new table");
		}
	}
}

static void drop_locks(struct lk_ctx *c, const PgQuery__DropStmt *ds)
{
	bool index = ds->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX;

	if (!index && ds->remove_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
		return;
	for (size_t i = 0; i < ds->n_objects; i++) {
		const PgQuery__Node *o = ds->objects[i];
		struct sql_lock_op *x;

		if (o->node_case != PG_QUERY__NODE__NODE_LIST || !o->list->n_items)
			continue;
		x = op_on(c, sql_list_schema(NODES(o->list->items), o->list->n_items),
			  sql_list_last(NODES(o->list->items), o->list->n_items),
			  index && ds->concurrent ? SQL_LOCK_SHARE_UPDATE_EXCLUSIVE
						  : SQL_LOCK_ACCESS_EXCLUSIVE,
			  SQL_WORK_NONE,
			  !index	   ? "DROP TABLE"
			  : ds->concurrent ? "DROP INDEX CONCURRENTLY"
					   : "DROP INDEX");
		if (x)
			x->on_index = index;
	}
}

static void rename_locks(struct lk_ctx *c, const PgQuery__RenameStmt *rs)
{
	struct sql_lock_op *o;

	switch (rs->rename_type) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
		op(c, rs->relation, SQL_LOCK_ACCESS_EXCLUSIVE, SQL_WORK_NONE,
		   arena_printf(c->a, "RENAME TO \"%s\"", rs->newname ? rs->newname : "?"));
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
		o = op(c, rs->relation, SQL_LOCK_ACCESS_EXCLUSIVE, SQL_WORK_NONE,
		       arena_printf(c->a, "RENAME COLUMN \"%s\" TO \"%s\"",
				    rs->subname ? rs->subname : "?",
				    rs->newname ? rs->newname : "?"));
		if (o)
			o->column = arena_strdup(c->a, rs->subname ? rs->subname : "?");
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT:
		op(c, rs->relation, SQL_LOCK_ACCESS_EXCLUSIVE, SQL_WORK_NONE, "RENAME CONSTRAINT");
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
		/* since PostgreSQL 12 */
		o = op(c, rs->relation, SQL_LOCK_SHARE_UPDATE_EXCLUSIVE, SQL_WORK_NONE,
		       "ALTER INDEX RENAME");
		if (o)
			o->on_index = true;
		break;
	default: break;
	}
}

static void stmt(struct lk_ctx *c, const PgQuery__Node *n)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT: alter_table(c, n->alter_table_stmt); break;
	case PG_QUERY__NODE__NODE_INDEX_STMT: create_index(c, n->index_stmt); break;
	case PG_QUERY__NODE__NODE_CREATE_STMT: create_table(c, n->create_stmt); break;
	case PG_QUERY__NODE__NODE_DROP_STMT: drop_locks(c, n->drop_stmt); break;
	case PG_QUERY__NODE__NODE_RENAME_STMT: rename_locks(c, n->rename_stmt); break;
	case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
		for (size_t i = 0; i < n->truncate_stmt->n_relations; i++)
			if (n->truncate_stmt->relations[i]->node_case ==
			    PG_QUERY__NODE__NODE_RANGE_VAR)
				op(c, n->truncate_stmt->relations[i]->range_var,
				   SQL_LOCK_ACCESS_EXCLUSIVE, SQL_WORK_NONE, "TRUNCATE");
		break;
	case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT:
		op(c, n->create_trig_stmt->relation, SQL_LOCK_SHARE_ROW_EXCLUSIVE, SQL_WORK_NONE,
		   "CREATE TRIGGER");
		break;
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
		op(c, n->update_stmt->relation, SQL_LOCK_ROW_EXCLUSIVE, SQL_WORK_UPDATE,
		   n->update_stmt->where_clause ? "UPDATE (rows that match; a scan at least)"
						: "UPDATE of every row");
		break;
	case PG_QUERY__NODE__NODE_DELETE_STMT:
		op(c, n->delete_stmt->relation, SQL_LOCK_ROW_EXCLUSIVE, SQL_WORK_SCAN,
		   "DELETE (a scan)");
		break;
	case PG_QUERY__NODE__NODE_DO_STMT: c->out->unknown = true; break;
	default: break;
	}
}

int sql_stmt_locks(const struct sql_stmt *st, struct arena *a, struct sql_locks *out)
{
	PgQuery__ParseResult *pr;
	struct lk_ctx c = { a, out, SQL_MAX_LOCK_OPS };
	struct md_error err;

	memset(out, 0, sizeof(*out));
	out->v = arena_alloc(a, SQL_MAX_LOCK_OPS * sizeof(*out->v));
	if (st->parse_error || !st->text || !(pr = sql_tree(st->text, st->line, &err)))
		return -1;
	for (size_t i = 0; i < pr->n_stmts; i++)
		if (pr->stmts[i]->stmt)
			stmt(&c, pr->stmts[i]->stmt);
	pg_query__parse_result__free_unpacked(pr, NULL);
	return 0;
}

const char *sql_lock_name(enum sql_lock l)
{
	static const char *const n[] = { "none",
					 "ACCESS SHARE",
					 "ROW SHARE",
					 "ROW EXCLUSIVE",
					 "SHARE UPDATE EXCLUSIVE",
					 "SHARE",
					 "SHARE ROW EXCLUSIVE",
					 "EXCLUSIVE",
					 "ACCESS EXCLUSIVE" };

	return n[l];
}

bool sql_lock_blocks_writes(enum sql_lock l)
{
	return l >= SQL_LOCK_SHARE;
}

const char *sql_work_name(enum sql_work w)
{
	static const char *const n[] = {
		"none", "scan", "index", "update", "rewrite-unless-coercible", "rewrite"
	};

	return n[w];
}
