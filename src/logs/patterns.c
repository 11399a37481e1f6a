/*
 * patterns.c - every log pattern, compiled once with PCRE2 JIT.
 *
 * The texts come from litellm.md §3-§7 and prisma.md §3.6, §4 (the
 * references quote each string and the versions that print it). Where
 * versions differ, one pattern accepts each form. Patterns are matched on
 * one line at a time, after the wrappers (container prefix, ANSI codes,
 * logger prefix, JSON) are gone. No PCRE2_UTF: logs may hold invalid
 * UTF-8 and bytes are fine for these literals ("└─" included).
 */
#include "migdoctor/common.h"
#include "logs_internal.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#define BT "\\x60" /* a backtick */

static const struct {
	enum lp_id id;
	const char *re;
	uint32_t flags;
} lp_table[] = {
	/* wrappers: stripped from the start of a line, in a loop */
	{ LP_KUBECTL_TS, "^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)?) ", 0 },
	{ LP_COMPOSE, "^[A-Za-z0-9][\\w.-]* +\\| ?", 0 },
	{ LP_BRACKET_TS, "^\\[(\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d[^\\]]{0,16})\\] ?", 0 },
	{ LP_EXTRAS, "^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:,\\d+)?) - ([\\w.]+) - ([A-Z]+) - ?", 0 },
	{ LP_PROXY, "^(\\d\\d:\\d\\d:\\d\\d) - (LiteLLM[\\w ]*):([A-Z]+): ?(?:[\\w.]+:\\d+ - )?", 0 },
	/* uvicorn pads the level ("INFO:     "); Python's basicConfig says "INFO:name:" */
	{ LP_LEVEL, "^(?:INFO|WARNING|ERROR|DEBUG|CRITICAL):(?: {2,}|[\\w.]+:)", 0 },

	/* Prisma CLI, prisma.md §4.4 */
	{ LP_PRISMA_ERROR, "^(?:Error: )(P\\d{4})\\b:?\\s*(.*)$", 0 },
	{ LP_SCHEMA_LOADED, "Prisma schema loaded from (\\S+?)\\.?\\s*$", 0 },
	{ LP_DATASOURCE, "^Datasource \"([^\"]*)\": (.*?)\\s*$", 0 },
	{ LP_FOUND, "^(\\d+) migrations? found in (\\S+)", 0 },
	{ LP_NONE_FOUND, "^No migration found in (\\S+)", 0 },
	{ LP_APPLYING, "^Applying migration " BT "([^\\x60]+)" BT, 0 },
	{ LP_APPLIED_HDR, "^The following migration(?:s|\\(s\\))? have been applied", 0 },
	{ LP_TREE_NAME, "^\\s*\xe2\x94\x94\xe2\x94\x80 (.+?)/\\s*$", 0 },
	{ LP_ALL_APPLIED, "^All migrations have been successfully applied", 0 },
	{ LP_NO_PENDING, "^No pending migrations to apply", 0 },
	/* P3018 and what it carries, prisma.md §3.6 */
	{ LP_P3018_TEXT, "^A migration failed to apply\\. New migrations cannot be applied", 0 },
	{ LP_MIG_NAME, "^Migration name: (.+?)\\s*$", 0 },
	{ LP_DB_CODE, "^Database error code: (\\S+)", 0 },
	{ LP_DB_ERROR, "^Database error:\\s*$", 0 },
	{ LP_DBERROR_DEBUG, "^DbError \\{.*?code: SqlState\\(E?(\\w+)\\), message: \"((?:[^\"\\\\]|\\\\.)*)\"", 0 },
	{ LP_SPAN_NAME, "with migration_name=\"([^\"]+)\"", 0 },
	{ LP_CONNECTOR, "^(?:Error: )?external connector error\\s*(.*)$", 0 },
	/* P3009, one line per failed row */
	{ LP_P3009_LINE, "The " BT "([^\\x60]+)" BT " migration started at (.+?)(?: failed\\b.*)?$", 0 },
	{ LP_P3005_TEXT, "^The database schema is not empty\\.", 0 },
	{ LP_P3015_TEXT, "Could not find the migration file at (.+?)\\.? Please delete", 0 },
	{ LP_P3019_TEXT, "The datasource provider " BT "([^\\x60]*)" BT " specified in your schema does not match the one specified in the migration_lock\\.toml, " BT "([^\\x60]*)" BT, 0 },
	{ LP_P1001_TEXT, "Can't reach database server at (.+?)\\s*$", 0 },
	{ LP_P1002_TEXT, "The database server (?:at (.+?) )?was reached but timed out", 0 },
	{ LP_P1002_CONTEXT, "^Context: (.+?)\\s*$", 0 },
	{ LP_LOCK_TEXT, "Timed out trying to acquire a postgres advisory lock.*$", 0 },
	{ LP_P3008_TEXT, "The migration " BT "([^\\x60]+)" BT " is already recorded as applied in the database", 0 },
	{ LP_P3011_TEXT, "Migration " BT "([^\\x60]+)" BT " cannot be rolled back because it was never applied", 0 },
	{ LP_P3012_TEXT, "Migration " BT "([^\\x60]+)" BT " cannot be rolled back because it is not in a failed state", 0 },
	{ LP_P3017_TEXT, "The migration (.+?) could not be found\\. Please make sure", 0 },
	{ LP_MARKED, "Migration (.+?) marked as (applied|rolled back)", 0 },
	{ LP_UPDATE_AVAILABLE, "Update available (\\d+\\.\\d+\\.\\d+\\S*) -> (\\d+\\.\\d+\\.\\d+\\S*)", 0 },
	{ LP_LITELLM_VERSION, "LiteLLM: Current Version = (\\S+)", 0 },

	/* LiteLLM litellm_proxy_extras/utils.py, litellm.md §3, §5, §7 */
	{ LP_L_DEPLOY, "^Running prisma migrate deploy\\s*$", 0 },
	{ LP_L_DEPLOY_DONE, "^prisma migrate deploy completed", 0 },
	{ LP_L_STDOUT, "^prisma (?:migrate deploy|db execute) stdout:\\s?(.*)$", 0 },
	{ LP_L_DBERROR, "^prisma db error:\\s?(.*)$", 0 },
	{ LP_L_IDEM_NAMED, "Migration (.+?) failed due to idempotent error", 0 },
	{ LP_L_IDEM_ANON, "Migration failed due to idempotent error", 0 },
	{ LP_L_IDEM_OLD, "Migration already exists, resolving specific migration", 0 },
	{ LP_L_IDEM_V2, "Migration (.+?) (?:failed idempotently|SQL hit idempotent error)", 0 },
	{ LP_L_ROLLING_BACK, "^Rolling back migration (.+?)\\s*$", 0 },
	{ LP_L_FOUND_FAILED, "Found failed migration: (.+?), marking as rolled back", 0 },
	{ LP_L_RESOLVING_EXISTING, "Resolving migration (.+?) that failed due to existing", 0 },
	{ LP_L_RESOLVING, "^Resolving migration: (.+?)\\s*$", 0 },
	{ LP_L_RESOLVE_FAILED, "Failed to resolve migration (.+?): (.*)$", 0 },
	{ LP_L_RESOLVED, "Migration (?:(.+?) )?resolved\\.", 0 },
	{ LP_L_PERM, "Migration (.+?) failed due to insufficient permissions", 0 },
	{ LP_L_PERM_RAISE, "Migration failed due to permission error\\. Migration (.+?) was NOT applied", 0 },
	{ LP_L_PERM_V2, "Database migration failed due to insufficient permissions", 0 },
	{ LP_L_UNCLASSIFIED, "P3018 error encountered but could not classify", 0 },
	{ LP_L_BASELINE, "Database schema is not empty, creating baseline migration", 0 },
	{ LP_L_BASELINE_DONE, "Baseline migration created, resolving all migrations", 0 },
	{ LP_L_BASELINE_V2, "Schema exists but no migrations ledger", 0 },
	{ LP_L_BASELINE_ADOPTED, "adopted (\\d+) packaged migrations as a baseline", 0 },
	{ LP_L_BASELINE_REFUSED, "Cannot automatically baseline this database", 0 },
	{ LP_L_BASELINE_ERROR, "Error creating baseline migration: (.*)$", 0 },
	{ LP_L_BASELINE_OLD, "^Error: Database schema is not empty", 0 },
	{ LP_L_SANITY, "Running post-migration sanity check", 0 },
	{ LP_L_SANITY_DONE, "Post-migration sanity check completed", 0 },
	{ LP_L_DIFF_CREATED, "Migration diff created at (.+?)\\s*$", 0 },
	{ LP_L_DIFF_PERM, "Permission denied - .*unable to baseline db", 0 },
	{ LP_L_DIFF_RUN, "Running prisma db execute to apply the migration diff", 0 },
	{ LP_L_DIFF_OK, "Migration diff applied successfully", 0 },
	{ LP_L_DIFF_FAIL, "Failed to apply migration diff: ?(.*)$", 0 },
	{ LP_L_DIFF_TIMEOUT, "Migration diff application timed out", 0 },
	{ LP_L_RETRY, "Retrying\\.\\.\\. \\((\\d+) attempts? left\\)", 0 },
	{ LP_L_TIMEOUT, "Attempt (\\d+) timed out", 0 },
	{ LP_L_CONTINUING, "migration failed but continuing startup", PCRE2_CASELESS },
	{ LP_L_EXHAUSTED, "Database migration failed after (\\d+) attempts", 0 },
	{ LP_L_DB_AHEAD, "Database has (\\d+) migration\\(s\\) applied that are NEWER(?:.*Unknown: (.*?)\\s*$)?", 0 },
	{ LP_L_RECOVERED, "Completed migration (.+?) using its successful SQL step", 0 },

	/* runtime errors, litellm.md §6 */
	{ LP_RT_COLUMN, "The column " BT "?([^\\x60\\s]+?)" BT "? does not exist in the current database", 0 },
	{ LP_RT_TABLE, "The table " BT "?([^\\x60\\s]+?)" BT "? does not exist in the current database", 0 },
	{ LP_RT_RELATION, "relation \"([^\"]+)\" does not exist", 0 },
	{ LP_RT_PG_COLUMN, "column \"([^\"]+)\"(?: of relation \"([^\"]+)\")? does not exist", 0 },

	/* objects a Postgres message names */
	{ LP_OBJ_COL_OF_REL, "column \"([^\"]+)\" of relation \"([^\"]+)\"", 0 },
	{ LP_OBJ_REL, "(?:relation|table|index|view|sequence|materialized view) \"([^\"]+)\"", 0 },
	{ LP_OBJ_COL, "column \"([^\"]+)\"", 0 },
	{ LP_OBJ_QUAL_COL, "column ([\\w$]+)\\.([\\w$]+) does not exist", 0 },
};

static pcre2_code *lp_code[LP__COUNT];
static pcre2_match_data *lp_md;
static bool lp_ready, lp_jit;

static void lp_compile(void)
{
	for (size_t i = 0; i < MD_ARRAY_LEN(lp_table); i++) {
		int ec;
		PCRE2_SIZE eo;
		pcre2_code *c = pcre2_compile((PCRE2_SPTR)lp_table[i].re, PCRE2_ZERO_TERMINATED,
					      lp_table[i].flags, &ec, &eo, NULL);

		if (!c) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(ec, msg, sizeof(msg));
			MD_BUG("log pattern %zu at offset %zu: %s", i, (size_t)eo, (char *)msg);
		}
		/* JIT is an optimisation: without it (no exec memory) matching still works */
		lp_jit = pcre2_jit_compile(c, PCRE2_JIT_COMPLETE) == 0;
		lp_code[lp_table[i].id] = c;
	}
	for (size_t i = 0; i < LP__COUNT; i++)
		if (!lp_code[i])
			MD_BUG("log pattern %zu has no regular expression", i);
	lp_md = pcre2_match_data_create(LP_MAXCAP + 1, NULL);
	if (!lp_md)
		md_oom(0);
	lp_ready = true;
}

bool lp_match(enum lp_id id, const char *s, size_t n, struct lp_match *m)
{
	int rc;
	PCRE2_SIZE *ov;

	if (!lp_ready)
		lp_compile();
	rc = pcre2_match(lp_code[id], (PCRE2_SPTR)s, n, 0, 0, lp_md, NULL);
	if (rc <= 0)
		return false;
	ov = pcre2_get_ovector_pointer(lp_md);
	m->subject = s;
	m->n = MD_MIN(rc, LP_MAXCAP + 1) - 1;
	for (int i = 0; i < 2 * (LP_MAXCAP + 1); i++)
		m->ov[i] = i < 2 * (m->n + 1) ? ov[i] : PCRE2_UNSET;
	return true;
}

const char *lp_group(const struct lp_match *m, int i, size_t *len)
{
	if (i > m->n || m->ov[2 * i] == PCRE2_UNSET) {
		*len = 0;
		return NULL;
	}
	*len = m->ov[2 * i + 1] - m->ov[2 * i];
	return m->subject + m->ov[2 * i];
}
