/*
 * from_dump.c - the catalog of a real database, from the DDL of its dump,
 * through the same effects code as the migrations.
 */
#include "migdoctor/common.h"
#include "migdoctor/catalog.h"
#include "migdoctor/history.h"

int catalog_from_dump(struct catalog *c, const struct history *h, struct md_error *err)
{
	(void)err;
	for (size_t i = 0; i < h->nddl; i++) {
		const struct dump_stmt *d = &h->ddl[i];
		struct sql_script s;
		struct md_error e;
		struct replay_error re;

		sql_script_init(&s, d->pos.file);
		/* a statement PostgreSQL itself wrote: a parse failure is a reader bug, not fatal */
		if (!sql_script_parse(&s, d->sql, strlen(d->sql), &e))
			for (size_t k = 0; k < s.neffects; k++)
				catalog_apply(c, &s.effects[k], "dump", &re);
		sql_script_release(&s);
	}
	return 0;
}
