/*
 * cond.c - evaluate DO-block conditions (catalog checks) on the model.
 */
#include "migdoctor/common.h"
#include "migdoctor/catalog.h"

static bool check(const struct catalog *c, const struct sql_check *ck)
{
	switch (ck->obj) {
	case SQL_OBJ_TABLE:
		if (catalog_table(c, ck->schema, ck->name))
			return true;
		return ck->any_relation && (catalog_index(c, ck->schema, ck->name) ||
					    catalog_object(c, SQL_OBJ_SEQUENCE, ck->schema, ck->name));
	case SQL_OBJ_COLUMN:
		return cat_table_column(catalog_table(c, ck->schema, ck->table), ck->name) != NULL;
	case SQL_OBJ_TYPE:
		return catalog_object(c, SQL_OBJ_TYPE, ck->schema, ck->name) != NULL;
	case SQL_OBJ_INDEX:
		return catalog_index(c, ck->schema, ck->name) != NULL;
	case SQL_OBJ_EXTENSION:
		return catalog_object(c, SQL_OBJ_EXTENSION, NULL, ck->name) != NULL;
	case SQL_OBJ_CONSTRAINT:
		for (size_t i = 0; i < c->ntables; i++) {
			const struct cat_table *t = c->tables[i];

			if (ck->table && strcmp(t->name, ck->table))
				continue;
			for (size_t k = 0; k < t->ncons; k++)
				if (!strcmp(t->cons[k].name, ck->name))
					return true;
		}
		return false;
	default:
		return false;
	}
}

int catalog_eval_cond(const struct catalog *c, const char *cond)
{
	struct arena a = ARENA_INIT;
	struct sql_cond sc;
	int r = 1;

	if (sql_cond_parse(cond, &a, &sc) || sc.n == 0) {
		arena_release(&a);
		return -1;
	}
	for (size_t i = 0; i < sc.n && r; i++)
		if (check(c, &sc.v[i]) == sc.v[i].negated)
			r = 0;
	arena_release(&a);
	return r;
}
