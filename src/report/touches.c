/*
 * touches.c - the 'touches' listing: per migration, per statement, what
 * it does to which relation; text for people, JSON for machines.
 */
#include "migdoctor/common.h"
#include "migdoctor/json.h"
#include "migdoctor/report.h"

static bool stmt_matches(const struct sql_script *s, const struct sql_stmt *st, const char *relation)
{
	if (!relation)
		return st->neffects > 0 || st->parse_error;
	for (size_t k = 0; k < st->neffects; k++)
		if (effect_touches(&s->effects[st->first_effect + k], relation))
			return true;
	return false;
}

void touches_render_text(struct sbuf *out, const struct migration_dir *d, const struct touches_opts *o)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct migration *m = &d->v[i];
		const struct sql_script *s = &m->script;
		bool header = false;

		if (m->missing_sql) {
			if (!o->relation)
				sb_printf(out, "%s\n  (no migration.sql: 'migrate deploy' stops with P3015 "
					  "when it reaches this folder)\n", m->name);
			continue;
		}
		for (size_t k = 0; k < s->nstmts; k++) {
			const struct sql_stmt *st = &s->stmts[k];

			if (!stmt_matches(s, st, o->relation))
				continue;
			if (o->relation) {
				sb_printf(out, "%s:%u  ", m->name, st->line);
			} else {
				if (!header)
					sb_printf(out, "%s\n", m->name);
				header = true;
				sb_printf(out, "  %-5u ", st->line);
			}
			if (st->parse_error && s->rejected && st == &s->stmts[s->reject_stmt])
				/* where PostgreSQL points, and what it means for the file */
				sb_printf(out, "does not parse (%u:%u): %s %s; PostgreSQL runs none of this file",
					  st->error_line, st->error_column, s->reject_sqlstate, st->error);
			else
				describe_stmt(out, s, st, o->relation);
			sb_putc(out, '\n');
		}
		if (!header && !o->relation)
			sb_printf(out, "%s\n  (no schema effect)\n", m->name);
	}
}

static void flag(struct sbuf *out, unsigned flags, unsigned bit, const char *name, bool *first)
{
	if (!(flags & bit))
		return;
	if (!*first)
		sb_putc(out, ',');
	*first = false;
	json_str(out, name);
}

void effect_render_json(struct sbuf *out, const struct sql_effect *e)
{
	bool first = true, ff = true;

	sb_putc(out, '{');
	json_key(out, "action", &first);
	json_str(out, sql_action_name(e->action));
	json_key(out, "object", &first);
	json_str(out, sql_obj_name(e->obj));
	json_key(out, "schema", &first);
	json_str(out, e->schema);
	json_key(out, "name", &first);
	json_str(out, e->name);
	if (e->table) {
		json_key(out, "table", &first);
		json_str(out, e->table);
	}
	if (e->sub) {
		json_key(out, e->obj == SQL_OBJ_COLUMN ? "column" :
			      e->obj == SQL_OBJ_ENUM_VALUE ? "value" : "constraint", &first);
		json_str(out, e->sub);
	}
	if (e->new_name) {
		json_key(out, "new_name", &first);
		json_str(out, e->new_name);
	}
	if (e->action == SQL_ALTERS) {
		json_key(out, "property", &first);
		json_str(out, sql_prop_name(e->prop));
	}
	if (e->type) {
		json_key(out, "type", &first);
		json_str(out, e->type);
	}
	if (e->default_expr) {
		json_key(out, "default", &first);
		json_str(out, e->default_expr);
	}
	if (e->contype) {
		char ct[2] = { e->contype, 0 };

		json_key(out, "constraint_type", &first);
		json_str(out, ct);
	}
	if (e->ref_table) {
		json_key(out, "references", &first);
		sb_putc(out, '{');
		ff = true;
		json_key(out, "schema", &ff);
		json_str(out, e->ref_schema);
		json_key(out, "table", &ff);
		json_str(out, e->ref_table);
		json_key(out, "columns", &ff);
		json_str_array(out, e->ref_cols, e->nref_cols);
		sb_putc(out, '}');
	}
	if (e->ncols) {
		json_key(out, e->obj == SQL_OBJ_TYPE ? "values" : "columns", &first);
		json_str_array(out, e->cols, e->ncols);
	}
	if (e->cond) {
		json_key(out, "condition", &first);
		json_str(out, e->cond);
		json_key(out, "condition_negated", &first);
		sb_puts(out, e->cond_negated ? "true" : "false");
	}
	json_key(out, "flags", &first);
	sb_putc(out, '[');
	ff = true;
	flag(out, e->flags, SQL_IF_NOT_EXISTS, "if_not_exists", &ff);
	flag(out, e->flags, SQL_IF_EXISTS, "if_exists", &ff);
	flag(out, e->flags, SQL_CONDITIONAL, "conditional", &ff);
	flag(out, e->flags, SQL_NOT_NULL, "not_null", &ff);
	flag(out, e->flags, SQL_UNIQUE, "unique", &ff);
	flag(out, e->flags, SQL_HAS_DEFAULT, "has_default", &ff);
	flag(out, e->flags, SQL_CASCADE, "cascade", &ff);
	flag(out, e->flags, SQL_CONCURRENTLY, "concurrently", &ff);
	flag(out, e->flags, SQL_IMPLIED, "implied", &ff);
	flag(out, e->flags, SQL_DYNAMIC, "dynamic", &ff);
	flag(out, e->flags, SQL_OR_REPLACE, "or_replace", &ff);
	sb_putc(out, ']');
	json_key(out, "line", &first);
	sb_printf(out, "%u", e->line);
	sb_putc(out, '}');
}

static const char *kind_name(enum sql_stmt_kind k)
{
	switch (k) {
	case SQL_STMT_DDL: return "ddl";
	case SQL_STMT_DATA: return "data";
	case SQL_STMT_TRANSACTION: return "transaction";
	case SQL_STMT_DO: return "do";
	default: return "other";
	}
}

void touches_render_json(struct sbuf *out, const struct migration_dir *d, const struct touches_opts *o)
{
	bool top = true;

	sb_putc(out, '{');
	json_key(out, "version", &top);
	sb_puts(out, "1");
	json_key(out, "directory", &top);
	json_str(out, d->loose_files ? NULL : d->path);
	json_key(out, "relation", &top);
	json_str(out, o->relation);
	json_key(out, "migrations", &top);
	sb_putc(out, '[');
	for (size_t i = 0, nm = 0; i < d->n; i++) {
		const struct migration *m = &d->v[i];
		const struct sql_script *s = &m->script;
		bool first = true, sfirst = true;

		if (o->relation) {
			bool hit = false;

			for (size_t k = 0; k < s->nstmts && !hit; k++)
				hit = stmt_matches(s, &s->stmts[k], o->relation);
			if (!hit)
				continue;
		}
		if (nm++)
			sb_putc(out, ',');
		sb_putc(out, '{');
		json_key(out, "name", &first);
		json_str(out, m->name);
		json_key(out, "path", &first);
		json_str(out, m->path);
		json_key(out, "missing_sql", &first);
		sb_puts(out, m->missing_sql ? "true" : "false");
		json_key(out, "checksum", &first);
		json_str(out, m->missing_sql ? NULL : m->checksum);
		json_key(out, "statements", &first);
		sb_putc(out, '[');
		for (size_t k = 0; k < s->nstmts; k++) {
			const struct sql_stmt *st = &s->stmts[k];
			bool f2 = true, efirst = true;

			if (o->relation && !stmt_matches(s, st, o->relation))
				continue;
			if (!sfirst)
				sb_putc(out, ',');
			sfirst = false;
			sb_putc(out, '{');
			json_key(out, "line", &f2);
			sb_printf(out, "%u", st->line);
			json_key(out, "column", &f2);
			sb_printf(out, "%u", st->column);
			json_key(out, "tag", &f2);
			json_str(out, st->tag);
			json_key(out, "kind", &f2);
			json_str(out, kind_name(st->kind));
			json_key(out, "summary", &f2);
			{
				struct sbuf sum = SBUF_INIT;

				describe_stmt(&sum, s, st, o->relation);
				json_strn(out, sum.buf, sum.len);
				sbuf_release(&sum);
			}
			json_key(out, "error", &f2);
			if (st->parse_error) {
				bool f3 = true;

				sb_putc(out, '{');
				json_key(out, "message", &f3);
				json_str(out, st->error);
				json_key(out, "line", &f3);
				sb_printf(out, "%u", st->error_line);
				json_key(out, "column", &f3);
				sb_printf(out, "%u", st->error_column);
				/* PostgreSQL refuses the whole file here (a DO body's error is found at run time) */
				json_key(out, "rejects_file", &f3);
				sb_puts(out, s->rejected && st == &s->stmts[s->reject_stmt] ? "true" : "false");
				json_key(out, "sqlstate", &f3);
				json_str(out, s->rejected && st == &s->stmts[s->reject_stmt] ? s->reject_sqlstate : NULL);
				sb_putc(out, '}');
			} else {
				sb_puts(out, "null");
			}
			json_key(out, "effects", &f2);
			sb_putc(out, '[');
			for (size_t j = 0; j < st->neffects; j++) {
				const struct sql_effect *e = &s->effects[st->first_effect + j];

				if (!effect_touches(e, o->relation))
					continue;
				if (!efirst)
					sb_putc(out, ',');
				efirst = false;
				effect_render_json(out, e);
			}
			sb_puts(out, "]}");
		}
		sb_puts(out, "]}");
	}
	sb_puts(out, "]}\n");
}
