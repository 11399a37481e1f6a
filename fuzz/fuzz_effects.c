/*
 * libFuzzer: migration SQL through split, parse, effects (DO blocks
 * included), replay on the catalog, and the idempotent rewrite the repair
 * script uses. Any crash, leak or sanitizer report is a finding.
 */
#include "migdoctor/common.h"
#include "migdoctor/catalog.h"
#include "migdoctor/sql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct sql_script s;
	struct catalog c;
	struct md_error err;
	struct replay_error re;
	size_t stmt;

	sql_script_init(&s, "fuzz.sql");
	catalog_init(&c, NULL);
	if (!sql_script_parse(&s, text, strlen(text), &err)) {
		(void)catalog_apply_script(&c, &s, "fuzz", &re, &stmt);
		for (size_t i = 0; i < s.neffects; i++) {
			const struct sql_effect *e = &s.effects[i];
			char *sql;

			if (e->action != SQL_PROVIDES || (e->flags & (SQL_CONDITIONAL | SQL_DYNAMIC)))
				continue;
			sql = sql_idempotent(&s.stmts[e->stmt], e, &err);
			free(sql);
		}
		{
			struct sbuf out = SBUF_INIT;

			catalog_render_text(&c, &out);
			catalog_render_json(&c, &out);
			sbuf_release(&out);
		}
	}
	catalog_release(&c);
	sql_script_release(&s);
	free(text);
	return 0;
}
