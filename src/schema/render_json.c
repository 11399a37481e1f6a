/*
 * render_json.c - the catalog as JSON (for 'touches --schema --format json'
 * and 'history --schema').
 */
#include "migdoctor/common.h"
#include "migdoctor/catalog.h"
#include "migdoctor/json.h"

void catalog_render_json(const struct catalog *c, struct sbuf *out)
{
	bool top = true;

	sb_putc(out, '{');
	json_key(out, "version", &top);
	sb_puts(out, "1");
	json_key(out, "tables", &top);
	sb_putc(out, '[');
	for (size_t i = 0; i < c->ntables; i++) {
		const struct cat_table *t = c->tables[i];
		bool f = true;

		if (i)
			sb_putc(out, ',');
		sb_putc(out, '{');
		json_key(out, "schema", &f);
		json_str(out, t->schema);
		json_key(out, "name", &f);
		json_str(out, t->name);
		json_key(out, "kind", &f);
		json_str(out, t->is_view ? "view" : "table");
		json_key(out, "origin", &f);
		json_str(out, t->origin);
		json_key(out, "columns", &f);
		sb_putc(out, '[');
		for (size_t k = 0; k < t->ncols; k++) {
			const struct cat_column *col = &t->cols[k];
			bool g = true;

			if (k)
				sb_putc(out, ',');
			sb_putc(out, '{');
			json_key(out, "name", &g);
			json_str(out, col->name);
			json_key(out, "type", &g);
			json_str(out, col->type);
			json_key(out, "not_null", &g);
			sb_puts(out, col->not_null ? "true" : "false");
			json_key(out, "default", &g);
			json_str(out, col->has_default ? (col->default_expr ? col->default_expr : "") : NULL);
			json_key(out, "origin", &g);
			json_str(out, col->origin);
			sb_putc(out, '}');
		}
		sb_putc(out, ']');
		json_key(out, "constraints", &f);
		sb_putc(out, '[');
		for (size_t k = 0; k < t->ncons; k++) {
			const struct cat_constraint *cn = &t->cons[k];
			char ct[2] = { cn->contype, 0 };
			bool g = true;

			if (k)
				sb_putc(out, ',');
			sb_putc(out, '{');
			json_key(out, "name", &g);
			json_str(out, cn->name);
			json_key(out, "type", &g);
			json_str(out, ct);
			json_key(out, "columns", &g);
			json_str_array(out, cn->cols, cn->ncols);
			if (cn->ref_table) {
				json_key(out, "references", &g);
				json_str(out, cn->ref_table);
			}
			sb_putc(out, '}');
		}
		sb_puts(out, "]}");
	}
	sb_putc(out, ']');
	json_key(out, "indexes", &top);
	sb_putc(out, '[');
	for (size_t i = 0; i < c->nindexes; i++) {
		const struct cat_index *x = c->indexes[i];
		bool f = true;

		if (i)
			sb_putc(out, ',');
		sb_putc(out, '{');
		json_key(out, "schema", &f);
		json_str(out, x->schema);
		json_key(out, "name", &f);
		json_str(out, x->name);
		json_key(out, "table", &f);
		json_str(out, x->table);
		json_key(out, "unique", &f);
		sb_puts(out, x->unique ? "true" : "false");
		json_key(out, "columns", &f);
		json_str_array(out, x->cols, x->ncols);
		json_key(out, "origin", &f);
		json_str(out, x->origin);
		sb_putc(out, '}');
	}
	sb_putc(out, ']');
	json_key(out, "objects", &top);
	sb_putc(out, '[');
	for (size_t i = 0; i < c->nobjects; i++) {
		const struct cat_object *o = c->objects[i];
		bool f = true;

		if (i)
			sb_putc(out, ',');
		sb_putc(out, '{');
		json_key(out, "kind", &f);
		json_str(out, o->kind == SQL_OBJ_TYPE && o->type_kind == 'e' ? "enum" : sql_obj_name(o->kind));
		json_key(out, "schema", &f);
		json_str(out, o->schema);
		json_key(out, "name", &f);
		json_str(out, o->name);
		if (o->nvalues) {
			json_key(out, "values", &f);
			json_str_array(out, o->values, o->nvalues);
		}
		json_key(out, "origin", &f);
		json_str(out, o->origin);
		sb_putc(out, '}');
	}
	sb_puts(out, "]}\n");
}
