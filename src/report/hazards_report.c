/*
 * hazards_report.c - the hazards of each statement a deploy would run
 * (src/analysis/hazards.c), in the report of 'plan' and 'check': the
 * lock, the work, the table's size, the estimate (a model), the advice,
 * and what breaks the running version; text and JSON.
 */
#include "migdoctor/common.h"
#include "migdoctor/analysis.h"
#include "migdoctor/json.h"
#include "migdoctor/report.h"
#include "migdoctor/sbuf.h"

#define C_YEL "\033[33m"
#define C_OFF "\033[0m"

static const char *lock_effect(enum sql_lock l)
{
	return l == SQL_LOCK_ACCESS_EXCLUSIVE ? "reads and writes wait"
	       : sql_lock_blocks_writes(l)    ? "writes wait"
					      : "writes go on";
}

static const char *work_text(enum sql_work w)
{
	static const char *const n[] = { "catalog only",
					 "a scan of every row",
					 "an index build (scan and sort)",
					 "an update of rows",
					 "a rewrite unless binary-coercible",
					 "a rewrite of the table and its indexes" };

	return n[w];
}

static void size_text(struct sbuf *out, const struct hazard_stmt *h)
{
	if (h->bytes < 1000000)
		sb_printf(out, "%.1f kB", (double)h->bytes / 1e3);
	else
		sb_printf(out, "%.1f MB", (double)h->bytes / 1e6);
	if (h->compressed)
		sb_puts(out, " compressed");
	if (h->rows_known)
		sb_printf(out, ", %llu row%s", (unsigned long long)h->rows,
			  h->rows == 1 ? "" : "s");
}

static void seconds_text(struct sbuf *out, double s)
{
	if (s < 0.1)
		sb_puts(out, "under 0.1 s");
	else
		sb_printf(out, "about %.1f s", s);
}

/* The hazards of each statement the plan runs, and what breaks the running version. */
void report_hazards_text(struct sbuf *out, const struct analysis *a, bool color)
{
	const struct hazards *hz = &a->hz;
	const char *warn = color ? C_YEL : "", *off = color ? C_OFF : "";

	/* nothing on a table the database has: no section (JSON says so with empty lists) */
	if (!hz->on || (!hz->n && !hz->nbr))
		return;
	if (hz->n)
		sb_puts(out,
			"\nHazards of each pending statement on existing tables (durations are a "
			"model: BENCHMARKS.md)\n");
	for (size_t i = 0; i < hz->n; i++) {
		const struct hazard_stmt *h = &hz->v[i];

		sb_printf(out, "  %s:%u \"%s\": %s (%s), %s\n", h->ms->name, h->stmt->line,
			  h->table, sql_lock_name(h->lock), lock_effect(h->lock),
			  work_text(h->work));
		sb_printf(out, "      %s\n", h->what);
		if (h->other_locks)
			sb_printf(out, "      also %s\n", h->other_locks);
		if (h->work == SQL_WORK_NONE) {
			sb_puts(out, "      instant once it has the lock (it waits behind running "
				     "queries, and what comes after waits behind it)\n");
		} else if (h->size_known) {
			sb_puts(out, "      table in the dump: ");
			size_text(out, h);
			sb_puts(out, "; ");
			seconds_text(out, h->estimate);
			sb_putc(out, '\n');
		} else {
			sb_puts(out,
				"      table size unknown (give a dump with data): no estimate\n");
		}
		if (h->over_timeout)
			sb_printf(out, "      %sMD024 passes the deploy timeout (%g s)%s: %s\n",
				  warn, hz->timeout, off, h->advice);
		if (h->hot_lock)
			sb_printf(out,
				  "      %sMD025 the proxy writes \"%s\" on every request: its "
				  "writes wait%s\n",
				  warn, h->hot ? h->table : h->other_hot, off);
	}
	if (hz->total > 0)
		sb_printf(
			out,
			"  in all about %.1f s of work; the deploy timeout: %g s (LiteLLM's fixed "
			"60 s, or LITELLM_PRISMA_MIGRATE_DEPLOY_TIMEOUT where it exists)\n",
			hz->total, hz->timeout);
	if (hz->nunknown)
		sb_printf(out, "  %zu DO block%s not looked into\n", hz->nunknown,
			  hz->nunknown == 1 ? "" : "s");
	if (hz->nbr) {
		sb_puts(out, "\nRolling upgrade: statements that break the running version while "
			     "its pods "
			     "still serve\n");
		for (size_t i = 0; i < hz->nbr; i++)
			sb_printf(out, "  MD026 %s:%u: %s\n", hz->br[i].ms->name,
				  hz->br[i].stmt->line, hz->br[i].why);
	}
}

void report_hazards_json(struct sbuf *out, const struct hazards *hz)
{
	bool f = true;

	sb_putc(out, '{');
	json_key(out, "model", &f);
	json_str(out,
		 "bytes of the table's COPY text / a throughput per kind of work (BENCHMARKS.md)");
	json_key(out, "deploy_timeout_seconds", &f);
	sb_printf(out, "%g", hz->timeout);
	json_key(out, "table_sizes_known", &f);
	sb_puts(out, hz->sizes ? "true" : "false");
	json_key(out, "estimate_total_seconds", &f);
	sb_printf(out, "%.1f", hz->total);
	json_key(out, "do_blocks_not_modelled", &f);
	sb_printf(out, "%zu", hz->nunknown);
	json_key(out, "statements", &f);
	sb_putc(out, '[');
	for (size_t i = 0; i < hz->n; i++) {
		const struct hazard_stmt *h = &hz->v[i];
		bool g = true;

		sb_puts(out, i ? ",{" : "{");
		json_key(out, "migration", &g);
		json_str(out, h->ms->name);
		json_key(out, "line", &g);
		sb_printf(out, "%u", h->stmt->line);
		json_key(out, "table", &g);
		json_str(out, h->table);
		json_key(out, "lock", &g);
		json_str(out, sql_lock_name(h->lock));
		json_key(out, "blocks_writes", &g);
		sb_puts(out, sql_lock_blocks_writes(h->lock) ? "true" : "false");
		json_key(out, "work", &g);
		json_str(out, sql_work_name(h->work));
		json_key(out, "what", &g);
		json_str(out, h->what);
		json_key(out, "other_locks", &g);
		json_str(out, h->other_locks);
		json_key(out, "written_every_request", &g);
		sb_puts(out, h->hot ? "true" : "false");
		json_key(out, "table_bytes", &g);
		if (h->size_known)
			sb_printf(out, "%llu", (unsigned long long)h->bytes);
		else
			sb_puts(out, "null");
		json_key(out, "table_bytes_compressed", &g);
		sb_puts(out, h->compressed ? "true" : "false");
		json_key(out, "table_rows", &g);
		if (h->rows_known)
			sb_printf(out, "%llu", (unsigned long long)h->rows);
		else
			sb_puts(out, "null");
		json_key(out, "estimate_seconds", &g);
		if (h->estimate >= 0)
			sb_printf(out, "%.2f", h->estimate);
		else
			sb_puts(out, "null");
		json_key(out, "over_timeout", &g);
		sb_puts(out, h->over_timeout ? "true" : "false");
		json_key(out, "advice", &g);
		json_str(out, h->advice);
		sb_putc(out, '}');
	}
	sb_putc(out, ']');
	json_key(out, "breaks_running_version", &f);
	sb_putc(out, '[');
	for (size_t i = 0; i < hz->nbr; i++) {
		bool g = true;

		sb_puts(out, i ? ",{" : "{");
		json_key(out, "migration", &g);
		json_str(out, hz->br[i].ms->name);
		json_key(out, "line", &g);
		sb_printf(out, "%u", hz->br[i].stmt->line);
		json_key(out, "why", &g);
		json_str(out, hz->br[i].why);
		sb_putc(out, '}');
	}
	sb_puts(out, "]}");
}
