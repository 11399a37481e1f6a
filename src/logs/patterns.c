/*
 * patterns.c - every log pattern, compiled once with PCRE2 JIT.
 *
 * The texts are those Prisma's CLI and schema engine print (error codes:
 * https://www.prisma.io/docs/orm/reference/error-reference; sources:
 * https://github.com/prisma/prisma-engines) and those LiteLLM's proxy and
 * litellm-proxy-extras log (https://github.com/BerriAI/litellm). The
 * logs under fixtures/logs/ hold real examples. Where versions differ,
 * one pattern accepts each form. Patterns are matched on
 * one line at a time, after the wrappers (container prefix, ANSI codes,
 * logger prefix, JSON) are gone. No PCRE2_UTF: logs may hold invalid
 * UTF-8 and bytes are fine for these literals ("└─" included).
 */
#include "migdoctor/common.h"
#include "logs_internal.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#define BT "\\x60" /* a backtick */

/*
 * need: a literal every match contains. A candidate line that has a
 * prefilter literal but none of the events (a router line saying "Request
 * timed out. Retrying") would otherwise run through every pattern; with
 * need, a pattern whose literal the line lacks is skipped after one
 * memmem per distinct literal and line.
 */
static const struct {
	enum lp_id id;
	const char *re;
	uint32_t flags;
	const char *need;
} lp_table[] = {
	/* wrappers: stripped from the start of a line, in a loop */
	/* kubectl logs --timestamps, docker logs -t, CloudWatch exports (tab) */
	{ LP_KUBECTL_TS, "^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)?)[ \\t]", 0, NULL },
	/* journalctl / syslog: "Feb 17 11:31:29 host litellm[1234]: " */
	{ LP_SYSLOG, "^([A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d) [\\w.-]+ [\\w.@/-]+(?:\\[\\d+\\])?: ", 0, NULL },
	{ LP_COMPOSE, "^[A-Za-z0-9][\\w.-]* +\\| ?", 0, NULL },
	{ LP_BRACKET_TS, "^\\[(\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d[^\\]]{0,16})\\] ?",
	  0, NULL },
	{ LP_EXTRAS, "^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:,\\d+)?) - ([\\w.]+) - ([A-Z]+) - ?", 0, NULL },
	{ LP_PROXY, "^(\\d\\d:\\d\\d:\\d\\d) - (LiteLLM[\\w ]*):([A-Z]+): ?(?:[\\w.]+:\\d+ - )?",
	  0, NULL },
	/* uvicorn pads the level ("INFO:     "); Python's basicConfig says "INFO:name:" */
	{ LP_LEVEL, "^(?:INFO|WARNING|ERROR|DEBUG|CRITICAL):(?: {2,}|[\\w.]+:)", 0, NULL },
	/* an application's own logger: "2026-02-17 11:31:29 " (not LiteLLM's " - name - ") */
	{ LP_APP_TS,
	  "^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:[.,]\\d+)?(?: ?(?:UTC|Z|"
	  "[+-]\\d\\d:?\\d\\d))?)[ \\t](?!- )", 0, NULL },
	/* kubectl logs --prefix (a Helm migrations job): "[pod/NAME/CONTAINER] " */
	{ LP_POD_PREFIX, "^\\[pod/[\\w.-]+(?:/[\\w.-]+)?\\] ?", 0, NULL },
	/* a "> "-quoted paste, npm's "> pkg@1.0 start" header, yarn's "$ prisma ..." line */
	{ LP_QUOTE, "^[>$](?: |$)", 0, NULL },

	/* Prisma CLI: migrate deploy / resolve */
	{ LP_PRISMA_ERROR, "^(?:Error: )(P\\d{4})\\b:?\\s*(.*)$", 0, "Error: P" },
	{ LP_SCHEMA_LOADED, "Prisma schema loaded from (\\S+?)\\.?\\s*$", 0, "Prisma schema" },
	{ LP_DATASOURCE, "^Datasource \"([^\"]*)\": (.*?)\\s*$", 0, "Datasource" },
	{ LP_FOUND, "^(\\d+) migrations? found in (\\S+)", 0, "found in" },
	{ LP_NONE_FOUND, "^No migration found in (\\S+)", 0, "found in" },
	{ LP_APPLYING, "^Applying migration " BT "([^\\x60]+)" BT, 0, "Applying migration" },
	{ LP_APPLIED_HDR, "^The following migration(?:s|\\(s\\))? have been applied",
	  0, "applied" },
	{ LP_TREE_NAME, "^\\s*\xe2\x94\x94\xe2\x94\x80 (.+?)/\\s*$", 0, NULL },
	{ LP_ALL_APPLIED, "^All migrations have been successfully applied", 0, "applied" },
	{ LP_NO_PENDING, "^No pending migrations to apply", 0, "igrat" },
	/* P3018 and what it carries: migration name, SQLSTATE, the database's message */
	{ LP_P3018_TEXT, "^A migration failed to apply\\. New migrations cannot be applied",
	  0, "failed to apply" },
	{ LP_MIG_NAME, "^Migration name: (.+?)\\s*$", 0, "Migration name" },
	{ LP_DB_CODE, "^Database error code: (\\S+)", 0, "Database error" },
	{ LP_DB_ERROR, "^Database error:\\s*$", 0, "Database error" },
	{ LP_DBERROR_DEBUG, "^DbError \\{.*?code: SqlState\\(E?(\\w+)\\), message: \"((?:[^\"\\\\]|\\\\.)*)\"", 0, "DbError" },
	{ LP_SPAN_NAME, "with migration_name=\"([^\"]+)\"", 0, "migration_name" },
	{ LP_CONNECTOR, "^(?:Error: )?external connector error\\s*(.*)$", 0, "external connector" },
	/* P3009, one line per failed row */
	{ LP_P3009_LINE, "The " BT "([^\\x60]+)" BT " migration started at (.+?)(?: failed\\b.*)?$",
	  0, "started at" },
	{ LP_P3005_TEXT, "^The database schema is not empty\\.", 0, "schema is not empty" },
	{ LP_P3015_TEXT, "Could not find the migration file at (.+?)\\.? Please delete",
	  0, "migration file" },
	{ LP_P3019_TEXT, "The datasource provider " BT "([^\\x60]*)" BT " specified in your schema does not match the one specified in the migration_lock\\.toml, " BT "([^\\x60]*)" BT, 0, "datasource provider" },
	{ LP_P1001_TEXT, "Can't reach database server at (.+?)\\s*$", 0, "database server" },
	{ LP_P1002_TEXT, "The database server (?:at (.+?) )?was reached but timed out",
	  0, "database server" },
	{ LP_P1002_CONTEXT, "^Context: (.+?)\\s*$", 0, NULL },
	{ LP_LOCK_TEXT, "Timed out trying to acquire a postgres advisory lock.*$", 0, "Timed out" },
	{ LP_P3008_TEXT, "The migration " BT "([^\\x60]+)" BT " is already recorded as applied in the database", 0, "applied" },
	{ LP_P3011_TEXT, "Migration " BT "([^\\x60]+)" BT " cannot be rolled back because it was never applied", 0, "rolled back" },
	{ LP_P3012_TEXT, "Migration " BT "([^\\x60]+)" BT " cannot be rolled back because it is not in a failed state", 0, "rolled back" },
	{ LP_P3017_TEXT, "The migration (.+?) could not be found\\. Please make sure",
	  0, "could not be found" },
	{ LP_MARKED, "Migration (.+?) marked as (applied|rolled back)", 0, "marked as" },
	/* prisma migrate status */
	{ LP_STATUS_HDR, "^Following migration(?:s|\\(s\\))? have (failed|not yet been applied):",
	  0, "Following migration" },
	/* a name: digits_anything (LiteLLM names have spaces) or one word */
	{ LP_STATUS_NAME, "^(\\d+_[^:]*?|[^\\s:]+?)/?\\s*$", 0, NULL },
	{ LP_STATUS_OK, "^Database schema is up to date!", 0, "up to date!" },
	{ LP_STATUS_UNMANAGED, "^The current database is not managed by Prisma Migrate",
	  0, "igrat" },
	{ LP_UPDATE_AVAILABLE, "Update available (\\d+\\.\\d+\\.\\d+\\S*) -> (\\d+\\.\\d+\\.\\d+\\S*)", 0, "Update available" },
	{ LP_LITELLM_VERSION, "LiteLLM: Current Version = (\\S+)", 0, "Current Version" },

	/* LiteLLM: litellm-proxy-extras/litellm_proxy_extras/utils.py */
	{ LP_L_DEPLOY, "^Running prisma migrate deploy\\s*$", 0, "migrate deploy" },
	{ LP_L_DEPLOY_DONE, "^prisma migrate deploy completed", 0, "migrate deploy" },
	{ LP_L_STDOUT, "^prisma (?:migrate deploy|db execute) stdout:\\s?(.*)$", 0, NULL },
	{ LP_L_DBERROR, "^prisma db error:\\s?(.*)$", 0, "prisma db" },
	{ LP_L_IDEM_NAMED, "Migration (.+?) failed due to idempotent error", 0, "idempotent" },
	{ LP_L_IDEM_ANON, "Migration failed due to idempotent error", 0, "idempotent" },
	{ LP_L_IDEM_OLD, "Migration already exists, resolving specific migration", 0, "igrat" },
	{ LP_L_IDEM_V2, "Migration (.+?) (?:failed idempotently|SQL hit idempotent error)",
	  0, "idempotent" },
	{ LP_L_ROLLING_BACK, "^Rolling back migration (.+?)\\s*$", 0, "Rolling back" },
	{ LP_L_FOUND_FAILED, "Found failed migration: (.+?), marking as rolled back",
	  0, "rolled back" },
	{ LP_L_RESOLVING_EXISTING, "Resolving migration (.+?) that failed due to existing",
	  0, "Resolving migration" },
	{ LP_L_RESOLVING, "^Resolving migration: (.+?)\\s*$", 0, "Resolving migration" },
	{ LP_L_RESOLVE_FAILED, "Failed to resolve migration (.+?): (.*)$", 0, "Failed to resolve" },
	{ LP_L_RESOLVED, "Migration (?:(.+?) )?resolved\\.", 0, "resolved." },
	{ LP_L_PERM, "Migration (.+?) failed due to insufficient permissions",
	  0, "insufficient perm" },
	{ LP_L_PERM_RAISE, "Migration failed due to permission error\\. Migration (.+?) was NOT applied", 0, "permission error" },
	{ LP_L_PERM_V2, "Database migration failed due to insufficient permissions",
	  0, "insufficient perm" },
	{ LP_L_UNCLASSIFIED, "P3018 error encountered but could not classify",
	  0, "could not classify" },
	{ LP_L_BASELINE, "Database schema is not empty, creating baseline migration",
	  0, "aseline" },
	{ LP_L_BASELINE_DONE, "Baseline migration created, resolving all migrations",
	  0, "aseline" },
	{ LP_L_BASELINE_V2, "Schema exists but no migrations ledger", 0, "igrat" },
	{ LP_L_BASELINE_ADOPTED, "adopted (\\d+) packaged migrations as a baseline", 0, "aseline" },
	{ LP_L_BASELINE_REFUSED, "Cannot automatically baseline this database", 0, "aseline" },
	{ LP_L_BASELINE_ERROR, "Error creating baseline migration: (.*)$", 0, "aseline" },
	{ LP_L_BASELINE_OLD, "^Error: Database schema is not empty", 0, "schema is not empty" },
	{ LP_L_SANITY, "Running post-migration sanity check", 0, "sanity check" },
	{ LP_L_SANITY_DONE, "Post-migration sanity check completed", 0, "sanity check" },
	{ LP_L_DIFF_CREATED, "Migration diff created at (.+?)\\s*$", 0, "igration diff" },
	{ LP_L_DIFF_PERM, "Permission denied - .*unable to baseline db", 0, "aseline" },
	{ LP_L_DIFF_RUN, "Running prisma db execute to apply the migration diff",
	  0, "igration diff" },
	{ LP_L_DIFF_OK, "Migration diff applied successfully", 0, "igration diff" },
	{ LP_L_DIFF_FAIL, "Failed to apply migration diff: ?(.*)$", 0, "igration diff" },
	{ LP_L_DIFF_TIMEOUT, "Migration diff application timed out", 0, "igration diff" },
	{ LP_L_RETRY, "Retrying\\.\\.\\. \\((\\d+) attempts? left\\)", 0, "Retrying" },
	{ LP_L_TIMEOUT, "Attempt (\\d+) timed out", 0, "timed out" },
	/* "LiteLLM Proxy: Database migration failed but continuing startup." */
	{ LP_L_CONTINUING, "[Mm]igration failed but continuing startup", 0, "continuing" },
	{ LP_L_EXHAUSTED, "Database migration failed after (\\d+) attempts", 0, "failed after" },
	{ LP_L_DB_AHEAD, "Database has (\\d+) migration\\(s\\) applied that are NEWER(?:.*Unknown: (.*?)\\s*$)?", 0, "NEWER" },
	{ LP_L_RECOVERED, "Completed migration (.+?) using its successful SQL step", 0, "igrat" },

	{ LP_L_BASELINE_TIMEOUT, "^Migration timed out - the database might be under heavy load",
	  0, "igrat" },
	{ LP_L_MANUAL, "Database migration failed and cannot be auto-recovered", 0, "igrat" },
	/* LiteLLM start-up: proxy_cli.py, check_migration.py, prisma_client.py */
	{ LP_L_DRIFT, "Changes to DB Schema detected", 0, "DB Schema" },
	{ LP_L_DRIFT_SYNC, "prisma schema out of sync with db", 0, "out of sync" },
	{ LP_L_DRIFT_FAIL, "Failed to generate migration diff\\. Error: ?(.*)$",
	  0, "igration diff" },
	{ LP_L_NO_PRISMA, "Unable to connect to DB\\. DATABASE_URL found in environment, but prisma package not found", 0, "prisma package" },
	{ LP_L_NO_EXTRAS, "LiteLLM: Failed to import proxy extras\\. Got (.*?)\\s*$",
	  0, "proxy extras" },

	/* the command itself, from a package script ("$ prisma migrate deploy && node x") */
	{ LP_CLI_DEPLOY,
	  "^(?:npx |yarn |pnpm (?:exec )?|bunx )?prisma migrate deploy"
	  "(?:\\s+--[\\w-]+(?:[ =][^\\s-]\\S*)?)*\\s*(?:&&.*)?$", 0, "migrate deploy" },
	/* the Prisma CLI never ran (prisma-client-py bootstraps it with npm) */
	{ LP_NR_NPM,
	  "CalledProcessError: Command '.*?\\binstall\\b.*?\\b(prisma@[\\w.^~-]+)"
	  ".*?' returned non-zero exit status (\\d+)", 0, "CalledProcessError" },
	{ LP_NR_NOT_FOUND, "\\bprisma: (?:command )?not found", 0, "prisma: " },
	{ LP_NR_EXIT127,
	  "CalledProcessError: Command '(.*?)' returned non-zero exit status 127\\b",
	  0, "CalledProcessError" },
	{ LP_NR_SHLIB, "error while loading shared libraries: ([^:\\s]+)", 0, "shared librar" },
	{ LP_NR_DOWNLOAD,
	  "binaries\\.prisma\\.sh.*?(?:ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED"
	  "|ECONNRESET|timed out|failed|[Ee]rror|\\b40[34]\\b)"
	  "|(?:[Ff]ailed to fetch|[Ee]rror (?:fetching|downloading)|request to)"
	  " \\S*binaries\\.prisma\\.sh",
	  0, "binaries.prisma" },
	{ LP_NR_EACCES, "EACCES: permission denied, \\w+ '([^']*[Pp]risma[^']*)'", 0, "EACCES" },
	{ LP_NR_CANT_WRITE, "Can't write to (\\S+?)\\.? please make sure", 0, "Can't write to" },
	{ LP_NR_EROFS, "EROFS: read-only file system, \\w+ '([^']*)'", 0, "EROFS" },
	{ LP_NR_NO_ENGINE,
	  "(?:[Ss]chema|[Mm]igration)[- ]engine binary (?:for (?:the )?(?:current"
	  " )?platform \"?([\\w.-]+?)\"? )?(?:could not be found|not found|is mis"
	  "sing)|Could not find (?:the )?(?:schema|migration)[- ]engine binary",
	  0, "engine binary" },
	/* prisma db push: the command, its two good ends, its failures, its data-loss warning */
	{ LP_PUSH_CMD,
	  "^(?:npx |yarn |pnpm (?:exec )?|bunx )?prisma db push(?:\\s+--[\\w-]+(?"
	  ":[ =][^\\s-]\\S*)?)*\\s*$", 0, "db push" },
	{ LP_PUSH_DONE,
	  "Your database is now in sync with your (?:Prisma )?schema", 0, "in sync with" },
	{ LP_PUSH_SAME, "(?:database|schema) is already in sync with", 0, "in sync with" },
	/* LiteLLM: "The process failed to execute. Details: Command '[...]' returned ..." */
	{ LP_PUSH_FAILED,
	  "Command '\\['prisma', 'db', 'push'[^\\]]*\\]' returned non-zero exit s"
	  "tatus (\\d+)", 0, "'db', 'push'" },
	{ LP_PUSH_REFUSED,
	  "Use the --accept-data-loss flag to ignore the data loss warnings", 0, "data loss" },
	{ LP_PUSH_DROP_COLUMN,
	  "You are about to drop the column " BT "([^\\x60]+)" BT " on the " BT "([^\\x60]+)"
	  BT " table(?:, which still contains (\\d+) non-null values?)?", 0, "about to drop" },
	{ LP_PUSH_DROP_TABLE,
	  "You are about to drop the " BT "([^\\x60]+)" BT
	  " table(?:, which is not empty \\((\\d+) rows?\\))?", 0, "about to drop" },
	/* a client generated from an older schema.prisma than the code that calls it */
	{ LP_STALE_CLIENT, "'Prisma' object has no attribute '(\\w+)'", 0, "no attribute" },

	/* runtime errors: Prisma Client P2022 / P2021 and PostgreSQL 42703 / 42P01 */
	{ LP_RT_COLUMN, "The column " BT "?([^\\x60\\s]+?)" BT "? does not exist in the current database", 0, "does not exist" },
	{ LP_RT_TABLE, "The table " BT "?([^\\x60\\s]+?)" BT "? does not exist in the current database", 0, "does not exist" },
	{ LP_RT_RELATION, "relation \"([^\"]+)\" does not exist", 0, "does not exist" },
	{ LP_RT_PG_COLUMN, "column \"([^\"]+)\"(?: of relation \"([^\"]+)\")? does not exist",
	  0, "does not exist" },

	/* objects a Postgres message names */
	{ LP_OBJ_COL_OF_REL, "column \"([^\"]+)\" of relation \"([^\"]+)\"", 0, NULL },
	{ LP_OBJ_REL, "(?:relation|table|index|view|sequence|materialized view) \"([^\"]+)\"",
	  0, NULL },
	{ LP_OBJ_COL, "column \"([^\"]+)\"", 0, NULL },
	{ LP_OBJ_QUAL_COL, "column ([\\w$]+)\\.([\\w$]+) does not exist", 0, NULL },
};

static pcre2_code *lp_code[LP__COUNT];
int lp_need_key[LP__COUNT] = { [0 ... LP__COUNT - 1] = -1 }; /* index into lp_keys */
static const char *lp_keys[64];
static size_t lp_key_len[64], lp_nkeys;

/*
 * The literals of a line, in one pass: a bit per byte pair that starts a
 * literal (8 KiB, in cache) lets most positions go by with one test; at
 * the others, the literals starting with that byte are compared.
 */
struct lp_gate lp_gate;
static uint64_t lp_start_pair[65536 / 64];
static uint64_t lp_first_byte[256]; /* literals starting with a byte */
static uint32_t lp_key_head[64];     /* the first four bytes of each */
#if TEDDY_AVX2
static struct teddy lp_td;           /* the same, 32 positions at a time */
#endif

static unsigned lp_pair(const unsigned char *p)
{
	return ((unsigned)p[0] << 8) | p[1];
}

static void lp_compile(void);
static bool lp_ready;

uint64_t lp_line_keys(void)
{
	const unsigned char *t = (const unsigned char *)lp_gate.s;
	size_t n = lp_gate.n;
	uint64_t found = 0;

	if (!lp_ready)
		lp_compile();
	if (logs_exhaustive) {
		found = ~(uint64_t)0;
		n = 0;
	}
#if TEDDY_AVX2
	if (lp_td.ok && n) {
		found = teddy_set(&lp_td, lp_gate.s, n, lp_gate.readable);
		n = 0;
	}
#endif
	for (size_t i = 0; i + 1 < n; i++) {
		unsigned h = lp_pair(t + i);
		uint64_t cand;
		uint32_t head;

		if (MD_LIKELY(!(lp_start_pair[h / 64] >> (h % 64) & 1)))
			continue;
		if (n - i < 4)
			break; /* every literal has four bytes or more */
		memcpy(&head, t + i, 4);
		for (cand = lp_first_byte[t[i]] & ~found; cand; cand &= cand - 1) {
			unsigned k = (unsigned)__builtin_ctzll(cand);

			if (head == lp_key_head[k] && lp_key_len[k] <= n - i &&
			    !memcmp(t + i + 4, lp_keys[k] + 4, lp_key_len[k] - 4))
				found |= (uint64_t)1 << k;
		}
	}
	lp_gate.present = found;
	lp_gate.ready = true;
	return found;
}

static pcre2_match_data *lp_md;

/*
 * Most patterns are anchored at the start of the line (the wrappers all
 * are), and most lines start with a byte none of them can start with: per
 * pattern and first byte, whether a match may begin so, asked of PCRE2 once
 * (a partial match of that one byte: no match means no line starting with
 * it matches), saves a call per pattern and line.
 */
static bool lp_anchored[LP__COUNT];
uint8_t lp_first[LP__COUNT][256];

static bool lp_first_rejects(enum lp_id id, unsigned char c)
{
	uint8_t *f = &lp_first[id][c];

	if (*f == LP_FIRST_UNKNOWN) {
		int rc = pcre2_match(lp_code[id], &c, 1, 0, PCRE2_PARTIAL_HARD, lp_md, NULL);

		*f = rc == PCRE2_ERROR_NOMATCH ? LP_FIRST_NOT : LP_FIRST_MAY;
	}
	return *f == LP_FIRST_NOT;
}
static bool lp_jit; /* every pattern has JIT code */

static void lp_compile(void)
{
	lp_jit = !LP_UNDER_VALGRIND();
	for (size_t i = 0; i < MD_ARRAY_LEN(lp_table); i++) {
		int ec;
		uint32_t opts;
		PCRE2_SIZE eo;
		pcre2_code *c = pcre2_compile((PCRE2_SPTR)lp_table[i].re, PCRE2_ZERO_TERMINATED,
					      lp_table[i].flags, &ec, &eo, NULL);

		if (!c) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(ec, msg, sizeof(msg));
			MD_BUG("log pattern %zu at offset %zu: %s", i, (size_t)eo,
			       (const char *)msg);
		}
		/* JIT is an optimisation: without it (no exec memory) matching still works */
		if (!LP_UNDER_VALGRIND() && pcre2_jit_compile(c, PCRE2_JIT_COMPLETE) != 0)
			lp_jit = false;
		lp_code[lp_table[i].id] = c;
		if (!pcre2_pattern_info(c, PCRE2_INFO_ALLOPTIONS, &opts))
			lp_anchored[lp_table[i].id] = (opts & PCRE2_ANCHORED) != 0;
		if (lp_table[i].need) {
			size_t k;
			unsigned h;

			for (k = 0; k < lp_nkeys && strcmp(lp_keys[k], lp_table[i].need); k++)
				;
			if (k == lp_nkeys) {
				if (k == MD_ARRAY_LEN(lp_keys))
					MD_BUG("too many pattern literals");
				lp_keys[k] = lp_table[i].need;
				lp_key_len[k] = strlen(lp_table[i].need);
				if (lp_key_len[k] < 4 || strchr(" \t", lp_keys[k][0]))
					MD_BUG("pattern literal '%s': short, or a blank first",
					       lp_keys[k]);
				h = lp_pair((const unsigned char *)lp_keys[k]);
				lp_start_pair[h / 64] |= (uint64_t)1 << (h % 64);
				lp_first_byte[(unsigned char)lp_keys[k][0]] |= (uint64_t)1 << k;
				memcpy(&lp_key_head[k], lp_keys[k], 4);
				lp_nkeys++;
			}
			lp_need_key[lp_table[i].id] = (int)k;
		}
	}
	for (size_t i = 0; i < LP__COUNT; i++)
		if (!lp_code[i])
			MD_BUG("log pattern %zu has no regular expression", i);
#if TEDDY_AVX2
	teddy_build(&lp_td, lp_keys, lp_nkeys);
#endif
	lp_md = pcre2_match_data_create(LP_MAXCAP + 1, NULL);
	if (!lp_md)
		md_oom(0);
	lp_ready = true;
}

const char *logs_jit_status(void)
{
	uint32_t built = 0;

	if (!lp_ready)
		lp_compile();
	if (pcre2_config(PCRE2_CONFIG_JIT, &built) < 0 || !built)
		return "no (PCRE2 built without JIT)";
	if (LP_UNDER_VALGRIND())
		return "no (under valgrind)";
	return lp_jit ? "yes" : "no (JIT compilation failed: no executable memory?)";
}

void lp_line_set(const char *s, size_t n, size_t readable)
{
	lp_gate.s = s;
	lp_gate.n = n;
	lp_gate.readable = MD_MAX(n, readable);
	lp_gate.ready = false;
}

void lp_line_skip_blanks(const char *s, size_t n)
{
	bool tail = s >= lp_gate.s && s + n == lp_gate.s + lp_gate.n;
	size_t readable = tail ? lp_gate.readable - (size_t)(s - lp_gate.s) : n;

	/* no literal starts with a blank: the set found in the longer line holds */
	if (tail && lp_gate.ready) {
		for (const char *p = lp_gate.s; p < s; p++)
			if (*p != ' ' && *p != '\t')
				goto unknown;
		lp_gate.s = s;
		lp_gate.n = n;
		lp_gate.readable = readable;
		return;
	}
unknown:
	lp_line_set(s, n, readable);
}

bool lp_match_run(enum lp_id id, const char *s, size_t n, struct lp_match *m)
{
	int rc;
	PCRE2_SIZE *ov;

	if (!lp_ready)
		lp_compile();
	if (lp_anchored[id] && n > 0 && !logs_exhaustive &&
	    lp_first_rejects(id, (unsigned char)s[0]))
		return false;
	/* with JIT code, the direct entry skips pcre2_match's checks: a call per line counts */
	rc = lp_jit ? pcre2_jit_match(lp_code[id], (PCRE2_SPTR)s, n, 0, 0, lp_md, NULL)
		    : pcre2_match(lp_code[id], (PCRE2_SPTR)s, n, 0, 0, lp_md, NULL);
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
