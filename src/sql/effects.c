/*
 * effects.c - what one parsed statement does to schema objects.
 *
 * Each statement kind that Prisma, LiteLLM and hand-written migrations
 * use is reduced to REQUIRES / PROVIDES / REMOVES / ALTERS / RENAMES /
 * DATA effects (sql.h). PostgreSQL's implicit objects are made explicit:
 * a primary key or unique constraint also provides its index and makes
 * its columns NOT NULL; a foreign key requires the referenced table; a
 * column of a user-defined type requires the type; an unnamed index or
 * constraint gets the name PostgreSQL would choose.
 */
#include "migdoctor/common.h"
#include "migdoctor/sbuf.h"
#include "internal.h"

#define NODES(x) ((const PgQuery__Node *const *)(x))

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

static struct sql_effect *add(struct fx_ctx *cx, enum sql_action act, enum sql_obj obj)
{
	struct sql_script *s = cx->s;
	struct sql_effect *e;

	MD_GROW(s->effects, s->neffects, s->effects_cap);
	e = &s->effects[s->neffects++];
	memset(e, 0, sizeof(*e));
	e->action = act;
	e->obj = obj;
	e->flags = cx->flags;
	e->stmt = cx->stmt;
	e->line = cx->line;
	return e;
}

static const char *dup(struct fx_ctx *cx, const char *s)
{
	return s ? arena_strdup(&cx->s->arena, s) : NULL;
}

static struct sql_effect *add_rel(struct fx_ctx *cx, enum sql_action act, enum sql_obj obj,
				  const PgQuery__RangeVar *rv)
{
	struct sql_effect *e = add(cx, act, obj);

	if (rv) {
		e->schema = dup(cx, nz(rv->schemaname));
		e->name = dup(cx, rv->relname);
	}
	return e;
}

static const char *strval(const PgQuery__Node *n)
{
	return n && n->node_case == PG_QUERY__NODE__NODE_STRING ? n->string->sval : NULL;
}

/* Column names of a key list (String nodes) into the arena. */
static const char **name_list(struct fx_ctx *cx, PgQuery__Node **keys, size_t n, size_t *out_n)
{
	const char **v = arena_alloc(&cx->s->arena, (n ? n : 1) * sizeof(*v));
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		const char *s = strval(keys[i]);

		if (s)
			v[k++] = dup(cx, s);
	}
	*out_n = k;
	return v;
}

static const char *join_cols(struct fx_ctx *cx, const char *const *cols, size_t n)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_putc(&sb, '_');
		sb_puts(&sb, cols[i]);
	}
	r = arena_strndup(&cx->s->arena, sb.buf, sb.len);
	sbuf_release(&sb);
	return r;
}

/* The column a table-level action applies to must exist. */
static void require_column(struct fx_ctx *cx, const PgQuery__RangeVar *rv, const char *col,
			   unsigned flags)
{
	struct sql_effect *e = add(cx, SQL_REQUIRES, SQL_OBJ_COLUMN);

	e->schema = dup(cx, nz(rv->schemaname));
	e->table = dup(cx, rv->relname);
	e->sub = dup(cx, col);
	e->flags |= flags;
}

/*
 * A constraint on table rv: the constraint itself, its implied index (p/u),
 * NOT NULL on primary-key columns, and the referenced table of a foreign key.
 * colname is set for a column constraint (its key list is empty then).
 */
static void constraint_fx(struct fx_ctx *cx, const PgQuery__RangeVar *rv, const PgQuery__Constraint *c,
			  const char *colname, bool in_create)
{
	struct sql_effect *e;
	const char **cols;
	size_t ncols, ei;
	char ct;

	switch (c->contype) {
	case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY: ct = 'p'; break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE: ct = 'u'; break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN: ct = 'f'; break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK: ct = 'c'; break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION: ct = 'x'; break;
	default: return; /* NOT NULL, DEFAULT ...: column properties */
	}
	if (colname) {
		cols = arena_alloc(&cx->s->arena, sizeof(*cols));
		cols[0] = dup(cx, colname);
		ncols = 1;
	} else if (ct == 'f') {
		cols = name_list(cx, c->fk_attrs, c->n_fk_attrs, &ncols);
	} else {
		cols = name_list(cx, c->keys, c->n_keys, &ncols);
	}
	e = add_rel(cx, SQL_PROVIDES, SQL_OBJ_CONSTRAINT, rv);
	/* later add() calls may move the array: keep the index, not the pointer */
	ei = (size_t)(e - cx->s->effects);
	e->table = e->name;
	e->contype = ct;
	e->cols = cols;
	e->ncols = ncols;
	if (nz(c->conname))
		e->sub = dup(cx, c->conname);
	else if (ct == 'p')
		e->sub = sql_default_name(&cx->s->arena, rv->relname, NULL, "pkey");
	else if (ct == 'u')
		e->sub = sql_default_name(&cx->s->arena, rv->relname, join_cols(cx, cols, ncols), "key");
	else if (ct == 'f')
		e->sub = sql_default_name(&cx->s->arena, rv->relname, ncols ? cols[0] : NULL, "fkey");
	else if (ct == 'c')
		e->sub = sql_default_name(&cx->s->arena, rv->relname, ncols ? cols[0] : NULL, "check");
	else
		e->sub = sql_default_name(&cx->s->arena, rv->relname, ncols ? cols[0] : NULL, "excl");
	e->name = e->sub;

	if (ct == 'f' && c->pktable) {
		struct sql_effect *r;

		e->ref_schema = dup(cx, nz(c->pktable->schemaname));
		e->ref_table = dup(cx, c->pktable->relname);
		e->ref_cols = name_list(cx, c->pk_attrs, c->n_pk_attrs, &e->nref_cols);
		/* a foreign key needs the referenced table (42P01 otherwise) */
		r = add_rel(cx, SQL_REQUIRES, SQL_OBJ_TABLE, c->pktable);
		r->flags |= SQL_IMPLIED; /* said by the constraint's "-> table" */
		for (size_t i = 0; i < cx->s->effects[ei].nref_cols; i++)
			require_column(cx, c->pktable, cx->s->effects[ei].ref_cols[i], SQL_IMPLIED);
	}
	if (!in_create && !colname)
		for (size_t i = 0; i < ncols; i++)
			require_column(cx, rv, cols[i], SQL_IMPLIED);
	if (ct == 'p' || ct == 'u') {
		struct sql_effect *ix = add_rel(cx, SQL_PROVIDES, SQL_OBJ_INDEX, rv);

		ix->table = ix->name;
		ix->name = cx->s->effects[ei].sub;
		ix->flags |= SQL_IMPLIED | (ct == 'p' || ct == 'u' ? SQL_UNIQUE : 0);
		ix->cols = cols;
		ix->ncols = ncols;
	}
	if (ct == 'p' && !in_create) {
		for (size_t i = 0; i < ncols; i++) {
			struct sql_effect *nn = add_rel(cx, SQL_ALTERS, SQL_OBJ_COLUMN, rv);

			nn->table = nn->name;
			nn->name = NULL;
			nn->sub = cols[i];
			nn->prop = SQL_PROP_SET_NOT_NULL;
			nn->flags |= SQL_IMPLIED;
		}
	}
}

/* A column definition (CREATE TABLE or ADD COLUMN) and its inline constraints. */
static void column_fx(struct fx_ctx *cx, const PgQuery__RangeVar *rv, const PgQuery__ColumnDef *cd,
		      unsigned flags, bool in_create, bool table_pkey_has_col)
{
	struct sql_effect *e = add_rel(cx, SQL_PROVIDES, SQL_OBJ_COLUMN, rv);
	bool builtin = true;

	e->table = e->name;
	e->name = NULL;
	e->sub = dup(cx, cd->colname);
	e->flags |= flags;
	if (cd->type_name) {
		const char *tn = strval(cd->type_name->n_names ? cd->type_name->names[cd->type_name->n_names - 1] : NULL);

		e->type = sql_type_text(&cx->s->arena, cd->type_name, &builtin);
		if (tn && (!strcmp(tn, "serial") || !strcmp(tn, "bigserial") || !strcmp(tn, "smallserial") ||
			   !strncmp(tn, "serial", 6))) {
			e->flags |= SQL_NOT_NULL | SQL_HAS_DEFAULT;
			e->default_expr = "nextval(...)";
		}
	}
	if (cd->is_not_null || table_pkey_has_col)
		e->flags |= SQL_NOT_NULL;
	if (cd->raw_default) {
		e->flags |= SQL_HAS_DEFAULT;
		e->default_expr = sql_expr_text(&cx->s->arena, cd->raw_default);
		e->default_sql = sql_default_text(&cx->s->arena, cd->raw_default);
	}
	for (size_t i = 0; i < cd->n_constraints; i++) {
		const PgQuery__Node *n = cd->constraints[i];
		const PgQuery__Constraint *c;

		if (n->node_case != PG_QUERY__NODE__NODE_CONSTRAINT)
			continue;
		c = n->constraint;
		switch (c->contype) {
		case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
		case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
			e->flags |= SQL_NOT_NULL;
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
			e->flags |= SQL_HAS_DEFAULT;
			e->default_expr = sql_expr_text(&cx->s->arena, c->raw_expr);
			e->default_sql = sql_default_text(&cx->s->arena, c->raw_expr);
			break;
		case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
			e->flags |= SQL_NOT_NULL | SQL_HAS_DEFAULT;
			e->default_expr = "identity";
			break;
		default:
			break;
		}
	}
	/* the column's type must exist when it is not built in (42704) */
	if (!builtin && cd->type_name) {
		struct sql_effect *t = add(cx, SQL_REQUIRES, SQL_OBJ_TYPE);
		const PgQuery__TypeName *tn = cd->type_name;

		t->schema = dup(cx, sql_list_schema(NODES(tn->names), tn->n_names));
		t->name = dup(cx, sql_list_last(NODES(tn->names), tn->n_names));
	}
	for (size_t i = 0; i < cd->n_constraints; i++) {
		const PgQuery__Node *n = cd->constraints[i];

		if (n->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
			constraint_fx(cx, rv, n->constraint, cd->colname, in_create);
	}
}

static bool pkey_has(const PgQuery__CreateStmt *cs, const char *col)
{
	for (size_t i = 0; i < cs->n_table_elts; i++) {
		const PgQuery__Node *n = cs->table_elts[i];

		if (n->node_case != PG_QUERY__NODE__NODE_CONSTRAINT ||
		    n->constraint->contype != PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY)
			continue;
		for (size_t k = 0; k < n->constraint->n_keys; k++) {
			const char *s = strval(n->constraint->keys[k]);

			if (s && !strcmp(s, col))
				return true;
		}
	}
	return false;
}

static void create_table_fx(struct fx_ctx *cx, const PgQuery__CreateStmt *cs)
{
	struct sql_effect *t = add_rel(cx, SQL_PROVIDES, SQL_OBJ_TABLE, cs->relation);

	if (cs->if_not_exists)
		t->flags |= SQL_IF_NOT_EXISTS;
	for (size_t i = 0; i < cs->n_table_elts; i++) {
		const PgQuery__Node *n = cs->table_elts[i];

		if (n->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
			column_fx(cx, cs->relation, n->column_def, 0, true,
				  pkey_has(cs, n->column_def->colname));
	}
	for (size_t i = 0; i < cs->n_table_elts; i++) {
		const PgQuery__Node *n = cs->table_elts[i];

		if (n->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
			constraint_fx(cx, cs->relation, n->constraint, NULL, true);
	}
	for (size_t i = 0; i < cs->n_constraints; i++) {
		const PgQuery__Node *n = cs->constraints[i];

		if (n->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
			constraint_fx(cx, cs->relation, n->constraint, NULL, true);
	}
}

static bool is_column(const PgQuery__Node *n, const char *col)
{
	const char *name;

	if (!n || n->node_case != PG_QUERY__NODE__NODE_COLUMN_REF || n->column_ref->n_fields != 1)
		return false;
	name = strval(n->column_ref->fields[0]);
	return name && col && !strcmp(name, col);
}

static bool same_type(struct arena *a, const PgQuery__TypeName *x, const PgQuery__TypeName *y)
{
	bool bx, by;

	return x && y && !strcmp(sql_type_text(a, x, &bx), sql_type_text(a, y, &by));
}

/*
 * ALTER COLUMN col TYPE target USING u: is u the type change itself, so
 * that the values are those a plain TYPE target gives? Only three forms
 * are: no USING or the column itself, one cast of the column to target,
 * and Prisma's enum swap col::text::"E" (through text to a type that is
 * not built in). Any other expression computes values: amount * 100, and
 * a chain of casts too, since a cast on the way can round or cut
 * (price::integer::numeric(12,2) rounds 12.75 to 13.00; review-2 N4).
 */
bool sql_using_keeps_values(struct arena *a, const PgQuery__Node *u, const char *col,
			    const PgQuery__TypeName *target)
{
	const PgQuery__TypeCast *tc, *in;
	bool builtin = true;

	if (!u || is_column(u, col))
		return true;
	if (u->node_case != PG_QUERY__NODE__NODE_TYPE_CAST || !target)
		return false;
	tc = u->type_cast;
	if (!same_type(a, tc->type_name, target))
		return false;
	if (is_column(tc->arg, col))
		return true;
	if (!tc->arg || tc->arg->node_case != PG_QUERY__NODE__NODE_TYPE_CAST)
		return false;
	in = tc->arg->type_cast;
	sql_type_text(a, target, &builtin);
	return !builtin && in->type_name && !in->type_name->n_array_bounds &&
	       !strcmp(sql_type_text(a, in->type_name, &builtin), "text") &&
	       is_column(in->arg, col);
}

static void column_prop(struct fx_ctx *cx, const PgQuery__RangeVar *rv, const char *col,
			enum sql_prop prop, const char *type, const char *def)
{
	struct sql_effect *e = add_rel(cx, SQL_ALTERS, SQL_OBJ_COLUMN, rv);

	e->table = e->name;
	e->name = NULL;
	e->sub = dup(cx, col);
	e->prop = prop;
	e->type = type;
	e->default_expr = def;
}

/*
 * RESTART among a sequence's options (ALTER SEQUENCE, or an identity's
 * ALTER COLUMN ... RESTART): the position of a sequence is data. Run twice
 * it hands out numbers again (duplicate keys); skipped, it never moved.
 */
static bool restarts(PgQuery__Node **opts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const PgQuery__Node *o = opts[i];

		if (o->node_case == PG_QUERY__NODE__NODE_DEF_ELEM && o->def_elem->defname &&
		    !strcmp(o->def_elem->defname, "restart"))
			return true;
	}
	return false;
}

static void alter_table_fx(struct fx_ctx *cx, const PgQuery__AlterTableStmt *as)
{
	const PgQuery__RangeVar *rv = as->relation;
	enum sql_obj obj = SQL_OBJ_TABLE;
	struct sql_effect *req;

	if (as->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX)
		obj = SQL_OBJ_INDEX;
	else if (as->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_VIEW ||
		 as->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW)
		obj = SQL_OBJ_VIEW;
	else if (as->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE)
		obj = SQL_OBJ_SEQUENCE;
	req = add_rel(cx, SQL_REQUIRES, obj, rv);
	req->flags |= SQL_IMPLIED; /* "alters table T" says it */
	if (as->missing_ok)
		req->flags |= SQL_IF_EXISTS;
	if (obj != SQL_OBJ_TABLE)
		return;

	for (size_t i = 0; i < as->n_cmds; i++) {
		const PgQuery__AlterTableCmd *cmd;
		struct sql_effect *e;

		if (as->cmds[i]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
			continue;
		cmd = as->cmds[i]->alter_table_cmd;
		switch (cmd->subtype) {
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumnRecurse:
			if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
				column_fx(cx, rv, cmd->def->column_def,
					  cmd->missing_ok ? SQL_IF_NOT_EXISTS : 0, false, false);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumnRecurse:
			e = add_rel(cx, SQL_REMOVES, SQL_OBJ_COLUMN, rv);
			e->table = e->name;
			e->name = NULL;
			e->sub = dup(cx, cmd->name);
			if (cmd->missing_ok)
				e->flags |= SQL_IF_EXISTS;
			if (cmd->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE)
				e->flags |= SQL_CASCADE;
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType: {
			const char *type = NULL;
			bool builtin = true;

			if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF &&
			    cmd->def->column_def->type_name)
				type = sql_type_text(&cx->s->arena, cmd->def->column_def->type_name, &builtin);
			column_prop(cx, rv, cmd->name, SQL_PROP_TYPE, type, NULL);
			if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF &&
			    !sql_using_keeps_values(&cx->s->arena,
						    cmd->def->column_def->raw_default, cmd->name,
						    cmd->def->column_def->type_name))
				sql_fx_data(cx, "ALTER COLUMN ... TYPE ... USING an expression");
			if (!builtin) {
				const PgQuery__TypeName *tn = cmd->def->column_def->type_name;

				e = add(cx, SQL_REQUIRES, SQL_OBJ_TYPE);
				e->schema = dup(cx, sql_list_schema(NODES(tn->names), tn->n_names));
				e->name = dup(cx, sql_list_last(NODES(tn->names), tn->n_names));
			}
			break;
		}
		case PG_QUERY__ALTER_TABLE_TYPE__AT_SetIdentity:
			if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_LIST &&
			    restarts(cmd->def->list->items, cmd->def->list->n_items))
				sql_fx_data(cx, "ALTER COLUMN ... RESTART (a sequence's position)");
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
			column_prop(cx, rv, cmd->name, SQL_PROP_SET_NOT_NULL, NULL, NULL);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
			column_prop(cx, rv, cmd->name, SQL_PROP_DROP_NOT_NULL, NULL, NULL);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault:
			if (cmd->def) {
				column_prop(cx, rv, cmd->name, SQL_PROP_SET_DEFAULT, NULL,
					    sql_expr_text(&cx->s->arena, cmd->def));
				cx->s->effects[cx->s->neffects - 1].default_sql =
					sql_default_text(&cx->s->arena, cmd->def);
			} else
				column_prop(cx, rv, cmd->name, SQL_PROP_DROP_DEFAULT, NULL, NULL);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraintRecurse:
			if (cmd->def && cmd->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
				constraint_fx(cx, rv, cmd->def->constraint, NULL, false);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraintRecurse:
			e = add_rel(cx, SQL_REMOVES, SQL_OBJ_CONSTRAINT, rv);
			e->table = e->name;
			e->name = dup(cx, cmd->name);
			e->sub = e->name;
			if (cmd->missing_ok)
				e->flags |= SQL_IF_EXISTS;
			if (cmd->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE)
				e->flags |= SQL_CASCADE;
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraintRecurse:
			/* its name is a constraint's, not a column's */
			e = add_rel(cx, SQL_REQUIRES, SQL_OBJ_CONSTRAINT, rv);
			e->table = e->name;
			e->name = dup(cx, cmd->name);
			e->sub = e->name;
			break;
		default:
			if (nz(cmd->name)) {
				/* column-level settings (statistics, storage ...) need the column */
				require_column(cx, rv, cmd->name, 0);
			}
			break;
		}
	}
}

static void index_fx(struct fx_ctx *cx, const PgQuery__IndexStmt *is)
{
	struct sql_effect *e;
	const char **cols = arena_alloc(&cx->s->arena, (is->n_index_params + 1) * sizeof(*cols));
	size_t n = 0;
	struct sbuf sb = SBUF_INIT;

	add_rel(cx, SQL_REQUIRES, SQL_OBJ_TABLE, is->relation)->flags |= SQL_IMPLIED;
	for (size_t i = 0; i < is->n_index_params; i++) {
		const PgQuery__Node *p = is->index_params[i];
		const PgQuery__IndexElem *ie;

		if (p->node_case != PG_QUERY__NODE__NODE_INDEX_ELEM)
			continue;
		ie = p->index_elem;
		if (nz(ie->name)) {
			cols[n++] = dup(cx, ie->name);
			require_column(cx, is->relation, ie->name, SQL_IMPLIED);
			if (sb.len)
				sb_putc(&sb, '_');
			sb_puts(&sb, ie->name);
		} else {
			cols[n++] = sql_expr_text(&cx->s->arena, ie->expr);
			/* PostgreSQL names an expression column after its function */
			if (sb.len)
				sb_putc(&sb, '_');
			if (ie->expr && ie->expr->node_case == PG_QUERY__NODE__NODE_FUNC_CALL) {
				const PgQuery__FuncCall *f = ie->expr->func_call;
				const char *fn = sql_list_last(NODES(f->funcname), f->n_funcname);

				sb_puts(&sb, fn ? fn : "expr");
				for (size_t k = 0; k < f->n_args; k++) {
					const PgQuery__Node *a = f->args[k];

					if (a->node_case == PG_QUERY__NODE__NODE_COLUMN_REF &&
					    a->column_ref->n_fields) {
						const char *c = strval(a->column_ref->fields[a->column_ref->n_fields - 1]);

						if (c)
							require_column(cx, is->relation, c, SQL_IMPLIED);
					}
				}
			} else {
				sb_puts(&sb, "expr");
			}
		}
	}
	e = add_rel(cx, SQL_PROVIDES, SQL_OBJ_INDEX, is->relation);
	e->table = e->name;
	e->name = nz(is->idxname) ? dup(cx, is->idxname)
				 : sql_default_name(&cx->s->arena, is->relation->relname,
						    sb.buf, "idx"); /* ChooseIndexName: "key" is for constraints only */
	e->cols = cols;
	e->ncols = n;
	if (is->unique)
		e->flags |= SQL_UNIQUE;
	if (is->if_not_exists)
		e->flags |= SQL_IF_NOT_EXISTS;
	if (is->concurrent)
		e->flags |= SQL_CONCURRENTLY;
	sbuf_release(&sb);
}

static enum sql_obj drop_obj(PgQuery__ObjectType t, bool *known)
{
	*known = true;
	switch (t) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE: return SQL_OBJ_TABLE;
	case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX: return SQL_OBJ_INDEX;
	case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN: return SQL_OBJ_TYPE;
	case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
	case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW: return SQL_OBJ_VIEW;
	case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE: return SQL_OBJ_SEQUENCE;
	case PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION: return SQL_OBJ_EXTENSION;
	case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA: return SQL_OBJ_SCHEMA;
	case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION:
	case PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE: return SQL_OBJ_FUNCTION;
	case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER: return SQL_OBJ_TRIGGER;
	default: *known = false; return SQL_OBJ_TABLE;
	}
}

static void drop_fx(struct fx_ctx *cx, const PgQuery__DropStmt *ds)
{
	bool known;
	enum sql_obj obj = drop_obj(ds->remove_type, &known);

	if (!known)
		return;
	for (size_t i = 0; i < ds->n_objects; i++) {
		const PgQuery__Node *o = ds->objects[i];
		struct sql_effect *e = add(cx, SQL_REMOVES, obj);

		if (ds->missing_ok)
			e->flags |= SQL_IF_EXISTS;
		if (ds->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE)
			e->flags |= SQL_CASCADE;
		if (ds->concurrent)
			e->flags |= SQL_CONCURRENTLY;
		if (o->node_case == PG_QUERY__NODE__NODE_LIST) {
			const PgQuery__List *l = o->list;

			if (obj == SQL_OBJ_TRIGGER && l->n_items >= 2) {
				e->name = dup(cx, sql_list_last(NODES(l->items), l->n_items));
				e->table = dup(cx, sql_list_last(NODES(l->items), l->n_items - 1));
				e->schema = dup(cx, sql_list_schema(NODES(l->items), l->n_items - 1));
			} else {
				e->name = dup(cx, sql_list_last(NODES(l->items), l->n_items));
				e->schema = dup(cx, sql_list_schema(NODES(l->items), l->n_items));
			}
		} else if (o->node_case == PG_QUERY__NODE__NODE_STRING) {
			e->name = dup(cx, o->string->sval);
		} else if (o->node_case == PG_QUERY__NODE__NODE_TYPE_NAME) {
			const PgQuery__TypeName *tn = o->type_name;

			e->name = dup(cx, sql_list_last(NODES(tn->names), tn->n_names));
			e->schema = dup(cx, sql_list_schema(NODES(tn->names), tn->n_names));
		} else if (o->node_case == PG_QUERY__NODE__NODE_OBJECT_WITH_ARGS) {
			const PgQuery__ObjectWithArgs *ow = o->object_with_args;

			e->name = dup(cx, sql_list_last(NODES(ow->objname), ow->n_objname));
			e->schema = dup(cx, sql_list_schema(NODES(ow->objname), ow->n_objname));
		}
	}
}

static void rename_fx(struct fx_ctx *cx, const PgQuery__RenameStmt *rs)
{
	struct sql_effect *e;

	switch (rs->rename_type) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
	case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX: {
		bool known;

		e = add_rel(cx, SQL_RENAMES, drop_obj(rs->rename_type, &known), rs->relation);
		e->new_name = dup(cx, rs->newname);
		break;
	}
	case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
		e = add_rel(cx, SQL_RENAMES, SQL_OBJ_COLUMN, rs->relation);
		e->table = e->name;
		e->name = NULL;
		e->sub = dup(cx, rs->subname);
		e->new_name = dup(cx, rs->newname);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT:
		e = add_rel(cx, SQL_RENAMES, SQL_OBJ_CONSTRAINT, rs->relation);
		e->table = e->name;
		e->name = dup(cx, rs->subname);
		e->sub = e->name;
		e->new_name = dup(cx, rs->newname);
		break;
	case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN:
		e = add(cx, SQL_RENAMES, SQL_OBJ_TYPE);
		if (rs->object && rs->object->node_case == PG_QUERY__NODE__NODE_LIST) {
			const PgQuery__List *l = rs->object->list;

			e->name = dup(cx, sql_list_last(NODES(l->items), l->n_items));
			e->schema = dup(cx, sql_list_schema(NODES(l->items), l->n_items));
		}
		e->new_name = dup(cx, rs->newname);
		break;
	default:
		return;
	}
	if (rs->missing_ok)
		e->flags |= SQL_IF_EXISTS;
}

static void enum_fx(struct fx_ctx *cx, const PgQuery__CreateEnumStmt *ce)
{
	struct sql_effect *e = add(cx, SQL_PROVIDES, SQL_OBJ_TYPE);

	e->name = dup(cx, sql_list_last(NODES(ce->type_name), ce->n_type_name));
	e->schema = dup(cx, sql_list_schema(NODES(ce->type_name), ce->n_type_name));
	e->cols = name_list(cx, ce->vals, ce->n_vals, &e->ncols);
	e->type = "enum";
}

static void alter_enum_fx(struct fx_ctx *cx, const PgQuery__AlterEnumStmt *ae)
{
	const char *name = dup(cx, sql_list_last(NODES(ae->type_name), ae->n_type_name));
	const char *schema = dup(cx, sql_list_schema(NODES(ae->type_name), ae->n_type_name));
	struct sql_effect *e = add(cx, SQL_REQUIRES, SQL_OBJ_TYPE);

	e->name = name;
	e->schema = schema;
	e->flags |= SQL_IMPLIED;
	if (nz(ae->old_val)) {
		e = add(cx, SQL_RENAMES, SQL_OBJ_ENUM_VALUE);
		e->sub = dup(cx, ae->old_val);
		e->new_name = dup(cx, ae->new_val);
	} else {
		e = add(cx, SQL_PROVIDES, SQL_OBJ_ENUM_VALUE);
		e->sub = dup(cx, ae->new_val);
		if (ae->skip_if_new_val_exists)
			e->flags |= SQL_IF_NOT_EXISTS;
		if (nz(ae->new_val_neighbor)) {
			/* position: keep "BEFORE x"/"AFTER x" for the model's value order */
			e->default_expr = arena_printf(&cx->s->arena, "%s %s",
						       ae->new_val_is_after ? "AFTER" : "BEFORE",
						       ae->new_val_neighbor);
		}
	}
	e->name = name;
	e->schema = schema;
}

/* REQUIRES TABLE for every relation a query reads (views, INSERT ... SELECT). */
struct rv_walk {
	struct fx_ctx *cx;
	unsigned flags;
};

static void rv_cb(const ProtobufCMessage *m, void *ctx)
{
	struct rv_walk *w = ctx;

	if (m->descriptor == &pg_query__range_var__descriptor) {
		const PgQuery__RangeVar *rv = (const PgQuery__RangeVar *)m;
		struct sql_effect *e;

		/* catalog views in conditions are not user relations */
		if (nz(rv->schemaname) && (!strcmp(rv->schemaname, "pg_catalog") ||
					   !strcmp(rv->schemaname, "information_schema")))
			return;
		if (!strncmp(rv->relname, "pg_", 3))
			return;
		e = add_rel(w->cx, SQL_REQUIRES, SQL_OBJ_TABLE, rv);
		e->flags |= w->flags;
	}
}

static void require_relations(struct fx_ctx *cx, const ProtobufCMessage *m, unsigned flags)
{
	struct rv_walk w = { cx, flags };

	sql_walk(m, rv_cb, &w);
}

static void data_fx(struct fx_ctx *cx, const PgQuery__RangeVar *rv, PgQuery__Node **cols,
		    size_t ncols, const ProtobufCMessage *rest)
{
	add_rel(cx, SQL_DATA, SQL_OBJ_TABLE, rv);
	for (size_t i = 0; i < ncols; i++) {
		const PgQuery__Node *c = cols[i];

		if (c->node_case == PG_QUERY__NODE__NODE_RES_TARGET && nz(c->res_target->name))
			require_column(cx, rv, c->res_target->name, 0);
	}
	if (rest)
		require_relations(cx, rest, SQL_IMPLIED);
}

void sql_fx_data(struct fx_ctx *cx, const char *what)
{
	struct sql_stmt *st = &cx->s->stmts[cx->stmt];

	if (st->data)
		return;
	st->data = true;
	st->data_what = cx->depth ? arena_printf(&cx->s->arena, "%s in a DO block", what) : what;
}

static void func_cb(const ProtobufCMessage *m, void *ctx)
{
	bool *calls = ctx;

	if (m->descriptor == &pg_query__func_call__descriptor)
		*calls = true;
}

/*
 * A SELECT changes rows when it calls a function that does (setval, a
 * backfill function ...): which ones do cannot be told from the text, so
 * any function call counts. SELECT ... INTO a table copies rows.
 */
static void select_data(struct fx_ctx *cx, const PgQuery__SelectStmt *ss)
{
	bool calls = false;

	if (ss->into_clause) {
		sql_fx_data(cx, "SELECT INTO");
		return;
	}
	sql_walk((const ProtobufCMessage *)ss, func_cb, &calls);
	if (calls)
		sql_fx_data(cx, "SELECT calling a function");
}

static void function_fx(struct fx_ctx *cx, const PgQuery__CreateFunctionStmt *cf)
{
	struct sql_effect *e = add(cx, SQL_PROVIDES, SQL_OBJ_FUNCTION);

	e->name = dup(cx, sql_list_last(NODES(cf->funcname), cf->n_funcname));
	e->schema = dup(cx, sql_list_schema(NODES(cf->funcname), cf->n_funcname));
	if (cf->replace)
		e->flags |= SQL_OR_REPLACE;
}

static void trigger_fx(struct fx_ctx *cx, const PgQuery__CreateTrigStmt *ct)
{
	struct sql_effect *e;

	add_rel(cx, SQL_REQUIRES, SQL_OBJ_TABLE, ct->relation)->flags |= SQL_IMPLIED;
	e = add(cx, SQL_REQUIRES, SQL_OBJ_FUNCTION);
	e->name = dup(cx, sql_list_last(NODES(ct->funcname), ct->n_funcname));
	e->schema = dup(cx, sql_list_schema(NODES(ct->funcname), ct->n_funcname));
	e = add_rel(cx, SQL_PROVIDES, SQL_OBJ_TRIGGER, ct->relation);
	e->table = e->name;
	e->name = dup(cx, ct->trigname);
	if (ct->replace)
		e->flags |= SQL_OR_REPLACE;
}

/* The first INSERT/UPDATE/DELETE/MERGE of a tree. */
static void dml_cb(const ProtobufCMessage *m, void *ctx)
{
	const char **what = ctx;
	const ProtobufCMessageDescriptor *d = m->descriptor;

	if (*what)
		return;
	if (d == &pg_query__insert_stmt__descriptor)
		*what = "INSERT";
	else if (d == &pg_query__update_stmt__descriptor)
		*what = "UPDATE";
	else if (d == &pg_query__delete_stmt__descriptor)
		*what = "DELETE";
	else if (d == &pg_query__merge_stmt__descriptor)
		*what = "MERGE";
}

static bool explain_analyzes(const PgQuery__ExplainStmt *es)
{
	for (size_t i = 0; i < es->n_options; i++) {
		const PgQuery__Node *o = es->options[i];

		/* ANALYZE in any form, even "ANALYZE false": when unsure, it runs */
		if (o->node_case == PG_QUERY__NODE__NODE_DEF_ELEM && o->def_elem->defname &&
		    !strcmp(o->def_elem->defname, "analyze"))
			return true;
	}
	return false;
}

/*
 * A statement that changes rows wherever its tree holds one: a
 * data-modifying WITH of a SELECT, TABLE or VALUES (it runs once, whatever
 * the outer query reads), a cursor's query, EXPLAIN ANALYZE, RETURNING ...
 * The whole protobuf tree is walked, not a list of places. Statements that
 * only store a query for later (a function's SQL body, a rule, PREPARE) run
 * nothing now; EXPLAIN without ANALYZE does not run its query. A tree too
 * deep to walk whole counts as changing rows.
 */
static void nested_data(struct fx_ctx *cx, const PgQuery__Node *n, const char *tag)
{
	const char *what = NULL;

	if (cx->s->stmts[cx->stmt].data)
		return; /* said already (an UPDATE itself, a DO block's earlier statement) */
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
	case PG_QUERY__NODE__NODE_RULE_STMT:
	case PG_QUERY__NODE__NODE_PREPARE_STMT:
		return;
	case PG_QUERY__NODE__NODE_EXPLAIN_STMT:
		if (!explain_analyzes(n->explain_stmt))
			return;
		sql_fx_data(cx, "EXPLAIN ANALYZE (it runs its statement)");
		return;
	case PG_QUERY__NODE__NODE_DECLARE_CURSOR_STMT:
		/* WITH HOLD runs the query at commit: its function calls too */
		if (n->declare_cursor_stmt->query &&
		    n->declare_cursor_stmt->query->node_case == PG_QUERY__NODE__NODE_SELECT_STMT)
			select_data(cx, n->declare_cursor_stmt->query->select_stmt);
		break;
	default:
		break;
	}
	if (!sql_walk(&n->base, dml_cb, &what))
		sql_fx_data(cx, "a statement too deeply nested to read whole");
	else if (what)
		sql_fx_data(cx, arena_printf(&cx->s->arena, "%s inside %s", what, tag));
}

static enum sql_stmt_kind fx_stmt(struct fx_ctx *cx, const PgQuery__Node *n, const char **tag)
{
	struct sql_effect *e;

	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_CREATE_STMT:
		*tag = "CREATE TABLE";
		create_table_fx(cx, n->create_stmt);
		return SQL_STMT_DDL;
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		*tag = n->alter_table_stmt->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX ? "ALTER INDEX"
										     : "ALTER TABLE";
		alter_table_fx(cx, n->alter_table_stmt);
		return SQL_STMT_DDL;
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		*tag = "CREATE INDEX";
		index_fx(cx, n->index_stmt);
		return SQL_STMT_DDL;
	case PG_QUERY__NODE__NODE_DROP_STMT:
		*tag = "DROP";
		drop_fx(cx, n->drop_stmt);
		return SQL_STMT_DDL;
	case PG_QUERY__NODE__NODE_RENAME_STMT:
		*tag = "RENAME";
		rename_fx(cx, n->rename_stmt);
		return SQL_STMT_DDL;
	case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT:
		*tag = "CREATE TYPE";
		enum_fx(cx, n->create_enum_stmt);
		return SQL_STMT_DDL;
	case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT:
		*tag = "ALTER TYPE";
		alter_enum_fx(cx, n->alter_enum_stmt);
		return SQL_STMT_DDL;
	case PG_QUERY__NODE__NODE_COMPOSITE_TYPE_STMT:
		*tag = "CREATE TYPE";
		e = add_rel(cx, SQL_PROVIDES, SQL_OBJ_TYPE, n->composite_type_stmt->typevar);
		e->type = "composite";
		return SQL_STMT_DDL;
	case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT: {
		const PgQuery__CreateDomainStmt *d = n->create_domain_stmt;

		*tag = "CREATE DOMAIN";
		e = add(cx, SQL_PROVIDES, SQL_OBJ_TYPE);
		e->name = dup(cx, sql_list_last(NODES(d->domainname), d->n_domainname));
		e->schema = dup(cx, sql_list_schema(NODES(d->domainname), d->n_domainname));
		e->type = "domain";
		return SQL_STMT_DDL;
	}
	case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
		*tag = "CREATE EXTENSION";
		e = add(cx, SQL_PROVIDES, SQL_OBJ_EXTENSION);
		e->name = dup(cx, n->create_extension_stmt->extname);
		if (n->create_extension_stmt->if_not_exists)
			e->flags |= SQL_IF_NOT_EXISTS;
		return SQL_STMT_DDL;
	case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
		*tag = "CREATE SCHEMA";
		e = add(cx, SQL_PROVIDES, SQL_OBJ_SCHEMA);
		e->name = dup(cx, n->create_schema_stmt->schemaname);
		if (n->create_schema_stmt->if_not_exists)
			e->flags |= SQL_IF_NOT_EXISTS;
		return SQL_STMT_DDL;
	case PG_QUERY__NODE__NODE_VIEW_STMT:
		*tag = "CREATE VIEW";
		require_relations(cx, (const ProtobufCMessage *)n->view_stmt->query, 0);
		e = add_rel(cx, SQL_PROVIDES, SQL_OBJ_VIEW, n->view_stmt->view);
		if (n->view_stmt->replace)
			e->flags |= SQL_OR_REPLACE;
		return SQL_STMT_DDL;
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT: {
		const PgQuery__CreateTableAsStmt *ct = n->create_table_as_stmt;

		*tag = "CREATE TABLE AS";
		require_relations(cx, (const ProtobufCMessage *)ct->query, 0);
		if (ct->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW)
			sql_fx_data(cx, "CREATE TABLE AS (it copies rows)");
		if (ct->into && ct->into->rel) {
			e = add_rel(cx, SQL_PROVIDES,
				    ct->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW ? SQL_OBJ_VIEW
											 : SQL_OBJ_TABLE,
				    ct->into->rel);
			if (ct->if_not_exists)
				e->flags |= SQL_IF_NOT_EXISTS;
		}
		return SQL_STMT_DDL;
	}
	case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
		*tag = n->create_function_stmt->is_procedure ? "CREATE PROCEDURE" : "CREATE FUNCTION";
		function_fx(cx, n->create_function_stmt);
		return SQL_STMT_DDL;
	case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT:
		*tag = "CREATE TRIGGER";
		trigger_fx(cx, n->create_trig_stmt);
		return SQL_STMT_DDL;
	case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
		*tag = "CREATE SEQUENCE";
		e = add_rel(cx, SQL_PROVIDES, SQL_OBJ_SEQUENCE, n->create_seq_stmt->sequence);
		if (n->create_seq_stmt->if_not_exists)
			e->flags |= SQL_IF_NOT_EXISTS;
		return SQL_STMT_DDL;
	case PG_QUERY__NODE__NODE_ALTER_SEQ_STMT:
		*tag = "ALTER SEQUENCE";
		e = add_rel(cx, SQL_REQUIRES, SQL_OBJ_SEQUENCE, n->alter_seq_stmt->sequence);
		if (n->alter_seq_stmt->missing_ok)
			e->flags |= SQL_IF_EXISTS;
		if (restarts(n->alter_seq_stmt->options, n->alter_seq_stmt->n_options))
			sql_fx_data(cx, "ALTER SEQUENCE ... RESTART (a sequence's position)");
		return SQL_STMT_DDL;
	case PG_QUERY__NODE__NODE_INSERT_STMT:
		*tag = "INSERT";
		data_fx(cx, n->insert_stmt->relation, n->insert_stmt->cols, n->insert_stmt->n_cols,
			(const ProtobufCMessage *)n->insert_stmt->select_stmt);
		sql_fx_data(cx, *tag);
		return SQL_STMT_DATA;
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
		*tag = "UPDATE";
		data_fx(cx, n->update_stmt->relation, n->update_stmt->target_list,
			n->update_stmt->n_target_list, NULL);
		for (size_t i = 0; i < n->update_stmt->n_from_clause; i++)
			require_relations(cx, (const ProtobufCMessage *)n->update_stmt->from_clause[i],
					  SQL_IMPLIED);
		sql_fx_data(cx, *tag);
		return SQL_STMT_DATA;
	case PG_QUERY__NODE__NODE_DELETE_STMT:
		*tag = "DELETE";
		data_fx(cx, n->delete_stmt->relation, NULL, 0,
			(const ProtobufCMessage *)n->delete_stmt->where_clause);
		sql_fx_data(cx, *tag);
		return SQL_STMT_DATA;
	case PG_QUERY__NODE__NODE_MERGE_STMT:
		*tag = "MERGE";
		if (n->merge_stmt->relation)
			add_rel(cx, SQL_DATA, SQL_OBJ_TABLE, n->merge_stmt->relation);
		sql_fx_data(cx, *tag);
		return SQL_STMT_DATA;
	case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
		*tag = "TRUNCATE";
		for (size_t i = 0; i < n->truncate_stmt->n_relations; i++) {
			const PgQuery__Node *r = n->truncate_stmt->relations[i];

			if (r->node_case == PG_QUERY__NODE__NODE_RANGE_VAR)
				add_rel(cx, SQL_DATA, SQL_OBJ_TABLE, r->range_var);
		}
		sql_fx_data(cx, *tag);
		return SQL_STMT_DATA;
	case PG_QUERY__NODE__NODE_CALL_STMT:
		*tag = "CALL";
		sql_fx_data(cx, *tag);
		return SQL_STMT_DATA;
	case PG_QUERY__NODE__NODE_EXECUTE_STMT:
		*tag = "EXECUTE";
		sql_fx_data(cx, "EXECUTE of a prepared statement");
		return SQL_STMT_DATA;
	case PG_QUERY__NODE__NODE_SELECT_STMT:
		*tag = "SELECT";
		require_relations(cx, (const ProtobufCMessage *)n->select_stmt, 0);
		select_data(cx, n->select_stmt);
		return SQL_STMT_OTHER;
	case PG_QUERY__NODE__NODE_COPY_STMT:
		*tag = "COPY";
		if (n->copy_stmt->relation)
			add_rel(cx, SQL_DATA, SQL_OBJ_TABLE, n->copy_stmt->relation);
		sql_fx_data(cx, *tag);
		return SQL_STMT_DATA;
	case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
		*tag = "TRANSACTION";
		return SQL_STMT_TRANSACTION;
	case PG_QUERY__NODE__NODE_DO_STMT:
		*tag = "DO";
		for (size_t i = 0; i < n->do_stmt->n_args; i++) {
			const PgQuery__Node *a = n->do_stmt->args[i];

			if (a->node_case == PG_QUERY__NODE__NODE_DEF_ELEM && a->def_elem->defname &&
			    !strcmp(a->def_elem->defname, "as") && a->def_elem->arg &&
			    a->def_elem->arg->node_case == PG_QUERY__NODE__NODE_STRING)
				sql_fx_do(cx, a->def_elem->arg->string->sval);
		}
		return SQL_STMT_DO;
	case PG_QUERY__NODE__NODE_COMMENT_STMT:
		*tag = "COMMENT";
		return SQL_STMT_OTHER;
	case PG_QUERY__NODE__NODE_GRANT_STMT:
		*tag = "GRANT";
		return SQL_STMT_OTHER;
	case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
		*tag = "SET";
		return SQL_STMT_OTHER;
	case PG_QUERY__NODE__NODE_EXPLAIN_STMT:
		*tag = "EXPLAIN";
		return SQL_STMT_OTHER;
	case PG_QUERY__NODE__NODE_DECLARE_CURSOR_STMT:
		*tag = "DECLARE CURSOR";
		return SQL_STMT_OTHER;
	default:
		*tag = "OTHER";
		return SQL_STMT_OTHER;
	}
}

enum sql_stmt_kind sql_fx_stmt(struct fx_ctx *cx, const PgQuery__Node *n, const char **tag)
{
	enum sql_stmt_kind kind = fx_stmt(cx, n, tag);

	nested_data(cx, n, *tag);
	return kind;
}
