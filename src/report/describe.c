/*
 * describe.c - effects and statements in words, for people.
 */
#include "migdoctor/common.h"
#include "migdoctor/quote.h"
#include "migdoctor/report.h"

static void qi(struct sbuf *out, const char *s)
{
	/* shown as Prisma writes names: always quoted, so case is visible */
	if (!s || sql_quote_ident_always(out, s))
		sb_puts(out, "\"?\"");
}

static void rel(struct sbuf *out, const char *schema, const char *name)
{
	if (schema) {
		qi(out, schema);
		sb_putc(out, '.');
	}
	qi(out, name);
}

static void cols(struct sbuf *out, const char *const *v, size_t n)
{
	sb_puts(out, " (");
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_puts(out, ", ");
		sb_puts(out, v[i]);
	}
	sb_putc(out, ')');
}

static const char *constraint_kind(char c)
{
	switch (c) {
	case 'p': return "primary key";
	case 'u': return "unique constraint";
	case 'f': return "foreign key";
	case 'c': return "check constraint";
	case 'x': return "exclusion constraint";
	default: return "constraint";
	}
}

static void column_def(struct sbuf *out, const struct sql_effect *e)
{
	sb_puts(out, e->sub ? e->sub : "?");
	if (e->type)
		sb_printf(out, " %s", e->type);
	if (e->flags & SQL_NOT_NULL)
		sb_puts(out, " not null");
	if (e->default_expr)
		sb_printf(out, " default %s", e->default_expr);
}

void describe_effect(struct sbuf *out, const struct sql_effect *e)
{
	switch (e->action) {
	case SQL_PROVIDES:
		switch (e->obj) {
		case SQL_OBJ_COLUMN:
			sb_puts(out, "adds column ");
			column_def(out, e);
			break;
		case SQL_OBJ_CONSTRAINT:
			sb_printf(out, "adds %s ", constraint_kind(e->contype));
			qi(out, e->sub);
			cols(out, e->cols, e->ncols);
			if (e->contype == 'f') {
				sb_puts(out, " -> ");
				rel(out, e->ref_schema, e->ref_table);
				if (e->nref_cols)
					cols(out, e->ref_cols, e->nref_cols);
			}
			break;
		case SQL_OBJ_INDEX:
			sb_printf(out, "creates %sindex ", (e->flags & SQL_UNIQUE) ? "unique " : "");
			qi(out, e->name);
			sb_puts(out, " on ");
			rel(out, e->schema, e->table);
			cols(out, e->cols, e->ncols);
			break;
		case SQL_OBJ_TYPE:
			sb_printf(out, "creates %s ", e->type && !strcmp(e->type, "enum") ? "enum" : "type");
			rel(out, e->schema, e->name);
			if (e->ncols)
				cols(out, e->cols, e->ncols);
			break;
		case SQL_OBJ_ENUM_VALUE:
			sb_printf(out, "adds value '%s' to enum ", e->sub ? e->sub : "?");
			rel(out, e->schema, e->name);
			break;
		case SQL_OBJ_TRIGGER:
			sb_puts(out, "creates trigger ");
			qi(out, e->name);
			sb_puts(out, " on ");
			rel(out, e->schema, e->table);
			break;
		default:
			sb_printf(out, "creates %s ", sql_obj_name(e->obj));
			rel(out, e->schema, e->name);
		}
		if (e->flags & SQL_IF_NOT_EXISTS)
			sb_puts(out, " if not exists");
		break;
	case SQL_REQUIRES:
		sb_printf(out, "needs %s ", sql_obj_name(e->obj));
		if (e->obj == SQL_OBJ_COLUMN) {
			rel(out, e->schema, e->table);
			sb_putc(out, '.');
			qi(out, e->sub);
		} else {
			rel(out, e->schema, e->name);
		}
		if (e->flags & SQL_IF_EXISTS)
			sb_puts(out, " if it exists");
		break;
	case SQL_REMOVES:
		sb_printf(out, "drops %s ", sql_obj_name(e->obj));
		if (e->obj == SQL_OBJ_COLUMN || e->obj == SQL_OBJ_CONSTRAINT) {
			qi(out, e->sub);
		} else {
			rel(out, e->schema, e->name);
			if (e->table) {
				sb_puts(out, " on ");
				qi(out, e->table);
			}
		}
		if (e->flags & SQL_IF_EXISTS)
			sb_puts(out, " if exists");
		if (e->flags & SQL_CASCADE)
			sb_puts(out, " cascade");
		break;
	case SQL_ALTERS:
		switch (e->prop) {
		case SQL_PROP_TYPE:
			sb_printf(out, "sets type of %s to %s", e->sub, e->type ? e->type : "?");
			break;
		case SQL_PROP_SET_NOT_NULL:
			sb_printf(out, "sets %s not null", e->sub);
			break;
		case SQL_PROP_DROP_NOT_NULL:
			sb_printf(out, "drops not null on %s", e->sub);
			break;
		case SQL_PROP_SET_DEFAULT:
			sb_printf(out, "sets default of %s to %s", e->sub,
				  e->default_expr ? e->default_expr : "?");
			break;
		case SQL_PROP_DROP_DEFAULT:
			sb_printf(out, "drops default of %s", e->sub);
			break;
		default:
			sb_printf(out, "alters %s", e->sub ? e->sub : "?");
		}
		break;
	case SQL_RENAMES:
		sb_printf(out, "renames %s ", sql_obj_name(e->obj));
		if (e->obj == SQL_OBJ_COLUMN || e->obj == SQL_OBJ_CONSTRAINT || e->obj == SQL_OBJ_ENUM_VALUE) {
			qi(out, e->obj == SQL_OBJ_ENUM_VALUE ? e->sub : e->sub);
			sb_puts(out, " of ");
			rel(out, e->schema, e->obj == SQL_OBJ_ENUM_VALUE ? e->name : e->table);
		} else {
			rel(out, e->schema, e->name);
		}
		sb_puts(out, " to ");
		qi(out, e->new_name);
		break;
	case SQL_DATA:
		sb_puts(out, "writes rows of ");
		rel(out, e->schema, e->name);
		break;
	}
	if (e->flags & SQL_CONDITIONAL)
		sb_puts(out, e->flags & SQL_DYNAMIC ? " [conditional, EXECUTE]" : " [conditional]");
	else if (e->flags & SQL_DYNAMIC)
		sb_puts(out, " [EXECUTE]");
}

static const char *effect_relation(const struct sql_effect *e)
{
	switch (e->obj) {
	case SQL_OBJ_COLUMN:
	case SQL_OBJ_CONSTRAINT:
	case SQL_OBJ_TRIGGER:
		return e->table;
	case SQL_OBJ_INDEX:
		return e->table ? e->table : e->name;
	default:
		return e->name;
	}
}

bool effect_touches(const struct sql_effect *e, const char *relation)
{
	const char *r = effect_relation(e);

	if (!relation)
		return true;
	if ((r && !strcmp(r, relation)) || (e->name && !strcmp(e->name, relation)))
		return true;
	if (e->ref_table && !strcmp(e->ref_table, relation))
		return true;
	return e->new_name && !strcmp(e->new_name, relation) && e->obj != SQL_OBJ_COLUMN &&
	       e->obj != SQL_OBJ_ENUM_VALUE;
}

/* CREATE TABLE in one phrase: columns, keys and what it references. */
static void describe_create_table(struct sbuf *out, const struct sql_script *s,
				  const struct sql_stmt *st, const struct sql_effect *t)
{
	size_t ncols = 0, nfk = 0;
	bool pkey = false;

	for (size_t k = 0; k < st->neffects; k++) {
		const struct sql_effect *e = &s->effects[st->first_effect + k];

		if (e->action == SQL_PROVIDES && e->obj == SQL_OBJ_COLUMN)
			ncols++;
		if (e->action == SQL_PROVIDES && e->obj == SQL_OBJ_CONSTRAINT) {
			pkey |= e->contype == 'p';
			nfk += e->contype == 'f';
		}
	}
	sb_puts(out, "creates table ");
	rel(out, t->schema, t->name);
	sb_printf(out, " (%zu column%s%s", ncols, ncols == 1 ? "" : "s", pkey ? ", primary key" : "");
	if (nfk) {
		bool first = true;

		sb_printf(out, ", %zu foreign key%s -> ", nfk, nfk == 1 ? "" : "s");
		for (size_t k = 0; k < st->neffects; k++) {
			const struct sql_effect *e = &s->effects[st->first_effect + k];

			if (e->action == SQL_PROVIDES && e->obj == SQL_OBJ_CONSTRAINT && e->contype == 'f') {
				if (!first)
					sb_puts(out, ", ");
				first = false;
				rel(out, e->ref_schema, e->ref_table);
			}
		}
	}
	sb_putc(out, ')');
	if (t->flags & SQL_IF_NOT_EXISTS)
		sb_puts(out, " if not exists");
}

/* Effects that say nothing a reader needs in a summary line. */
static bool quiet(const struct sql_effect *e, const struct sql_effect *head)
{
	if (e->flags & SQL_IMPLIED)
		return true;
	/* ALTER TABLE t ...: "needs table t" is the statement itself */
	return e->action == SQL_REQUIRES && head && e != head && e->obj == SQL_OBJ_TABLE &&
	       head->name && e->name && !strcmp(e->name, head->name) && e->obj == head->obj;
}

void describe_stmt(struct sbuf *out, const struct sql_script *s, const struct sql_stmt *st,
		   const char *relation)
{
	const struct sql_effect *first = st->neffects ? &s->effects[st->first_effect] : NULL;
	bool any = false;

	if (st->parse_error) {
		sb_printf(out, "does not parse: %s", st->error);
		return;
	}
	if (!first) {
		sb_printf(out, "%s (no schema effect)", st->tag);
		return;
	}
	if (st->kind != SQL_STMT_DO && first->action == SQL_PROVIDES && first->obj == SQL_OBJ_TABLE &&
	    !strcmp(st->tag, "CREATE TABLE") && effect_touches(first, relation)) {
		describe_create_table(out, s, st, first);
		return;
	}
	if (st->kind != SQL_STMT_DO && !strcmp(st->tag, "ALTER TABLE") &&
	    first->action == SQL_REQUIRES && first->obj == SQL_OBJ_TABLE) {
		sb_puts(out, "alters table ");
		rel(out, first->schema, first->name);
		if (first->flags & SQL_IF_EXISTS)
			sb_puts(out, " if exists");
		sb_puts(out, ": ");
		for (size_t k = 1; k < st->neffects; k++) {
			const struct sql_effect *e = &s->effects[st->first_effect + k];

			if (quiet(e, first) || (!effect_touches(e, relation) && !effect_touches(first, relation)))
				continue;
			if (any)
				sb_puts(out, ", ");
			any = true;
			describe_effect(out, e);
		}
		if (!any)
			sb_puts(out, "no schema change");
		return;
	}
	if (st->kind == SQL_STMT_DO)
		sb_puts(out, "DO block: ");
	for (size_t k = 0; k < st->neffects; k++) {
		const struct sql_effect *e = &s->effects[st->first_effect + k];

		if ((e->flags & SQL_IMPLIED) || !effect_touches(e, relation))
			continue;
		if (any)
			sb_puts(out, "; ");
		any = true;
		describe_effect(out, e);
	}
	if (!any)
		sb_printf(out, "%s (no schema effect)", st->tag);
}
