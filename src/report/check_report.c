/*
 * check_report.c - the report of 'check' and 'plan': text for people
 * (colour as --color decides; --brief leaves out what needs no look),
 * JSON for machines (doc/json.md). Both are sized by the findings, not
 * by the rows of the history: long runs are shown by their ends.
 */
#include "migdoctor/common.h"
#include "migdoctor/analysis.h"
#include "migdoctor/json.h"
#include "migdoctor/report.h"

#define C_RED "\033[31m"
#define C_YEL "\033[33m"
#define C_DIM "\033[2m"
#define C_BOLD "\033[1m"
#define C_OFF "\033[0m"

static const char *col(const struct report_opts *o, const char *c)
{
	return o->color ? c : "";
}

/* --brief: report lines are broken at spaces to fit this many columns */
#define BRIEF_WIDTH 100

static void put_spaces(struct sbuf *out, size_t n)
{
	while (n--)
		sb_putc(out, ' ');
}

/*
 * One line of n bytes, broken at spaces where it passes BRIEF_WIDTH
 * columns and continued under indent. A word longer than the room (a
 * path) stays whole, and so does the text before indent (the kind of an
 * evidence); colour sequences and UTF-8 continuation bytes take no column.
 */
static void put_wrapped(struct sbuf *out, const char *s, size_t n, size_t indent)
{
	size_t col0 = 0, lead = 0;

	while (lead < n && s[lead] == ' ')
		lead++;
	for (;;) {
		size_t c = col0, brk = 0;
		bool over = false;

		for (size_t p = 0; p < n; p++) {
			unsigned char ch = (unsigned char)s[p];

			if (ch == '\033') {
				while (p < n && s[p] != 'm')
					p++;
				continue;
			}
			/* not inside the leading spaces, nor before the column text continues under */
			if (ch == ' ' && p > lead && c > indent) {
				if (c <= BRIEF_WIDTH || !brk)
					brk = p;
				if (c > BRIEF_WIDTH) {
					over = true;
					break;
				}
			}
			c += (ch & 0xc0) != 0x80;
		}
		over |= c > BRIEF_WIDTH;
		if (!over || !brk) {
			sb_putn(out, s, n);
			sb_putc(out, '\n');
			return;
		}
		for (c = brk; c > 0 && s[c - 1] == ' '; c--)
			;
		sb_putn(out, s, c);
		sb_putc(out, '\n');
		put_spaces(out, indent);
		while (brk < n && s[brk] == ' ')
			brk++;
		s += brk;
		n -= brk;
		col0 = indent;
		lead = 0;
	}
}

/*
 * --brief: rewrite out from start with its long lines wrapped. A line
 * continues under the text it started: 20 columns for evidence and fixes
 * (indented 10), 16 for a finding's title, 13 for an input, after "  - "
 * for a list item.
 */
enum wrap_part { WRAP_INPUTS, WRAP_FINDINGS, WRAP_OTHER };

static void wrap_from(struct sbuf *out, size_t start, enum wrap_part part)
{
	bool findings = part == WRAP_FINDINGS;
	char *text = xstrndup(out->buf + start, out->len - start);
	const char *p = text;

	sbuf_setlen(out, start);
	while (*p) {
		size_t n = strcspn(p, "\n"), lead = strspn(p, " ");
		size_t indent = part == WRAP_INPUTS && lead == 2 ? 13 :
				lead >= 10 ? 20 : findings && lead == 2 ? 16 :
				lead == 2 && p[2] == '-' ? 4 : lead + 2;

		put_wrapped(out, p, n, indent);
		p += n + (p[n] == '\n');
	}
	free(text);
}

static const char *status_name(enum mig_status s)
{
	static const char *const n[] = { "pending", "applied", "FAILED", "rolled back" };

	return n[s];
}

static const char *origin_name(enum row_origin o)
{
	static const char *const n[] = { "local", "litellm-local", "newer-version", "historical",
					 "unknown", "litellm" };

	return n[o];
}

static const char *plan_name(enum plan_outcome p)
{
	static const char *const n[] = { "nothing-to-apply", "applies", "fails", "refused-P3009",
					 "refused-P3005", "stops-P3015", "stops-P3019", "unknown" };

	return n[p];
}

static const char *fix_name(enum fix_kind k)
{
	static const char *const n[] = { "mark-rolled-back", "mark-applied", "recreate-missing",
					 "create-history-table" };

	return n[k];
}

/*
 * A retry loop or a fork can leave 100,000 rows: a run of alike items longer
 * than ELIDE_OVER (evidence lines of one kind, rows of one migration, rows
 * without a local folder that need no look) keeps its first ELIDE_HEAD and
 * last ELIDE_TAIL items, and says how many it leaves out where they were.
 * 'migdoctor history' lists every row.
 */
enum { ELIDE_OVER = 20, ELIDE_HEAD = 10, ELIDE_TAIL = 3 };
#define HIDDEN SIZE_MAX

/* item k of a run of n: 0 shown; else left out (the first says how many: elided_count) */
static int elided(size_t k, size_t n)
{
	if (n <= ELIDE_OVER || k < ELIDE_HEAD || k >= n - ELIDE_TAIL)
		return 0;
	return k == ELIDE_HEAD ? 1 : 2;
}

static size_t elided_count(size_t n)
{
	return n - ELIDE_HEAD - ELIDE_TAIL;
}

/* the end of the run of evidence of one kind that starts at k */
static size_t ev_run_end(const struct finding *f, size_t k)
{
	size_t j = k + 1;

	while (j < f->nev && !strcmp(f->ev[j].kind, f->ev[k].kind))
		j++;
	return j;
}

struct named {
	const char *name;
	size_t i;
};

static int named_cmp(const void *x, const void *y)
{
	return strcmp(((const struct named *)x)->name, ((const struct named *)y)->name);
}

/*
 * The code of each migration's first finding (warning or error) that names
 * it, "" for none, by its index in a->v: one sort and a search per finding,
 * so that a history of 100,000 failed rows (a finding each) is not read
 * 100,000 times over. The caller frees it.
 */
static const char **finding_codes(const struct analysis *a)
{
	const char **code = xcalloc(a->n ? a->n : 1, sizeof(*code));
	struct named *by = xcalloc(a->n ? a->n : 1, sizeof(*by));

	for (size_t i = 0; i < a->n; i++) {
		by[i].name = a->v[i].name;
		by[i].i = i;
		code[i] = "";
	}
	qsort(by, a->n, sizeof(*by), named_cmp);
	for (size_t i = 0; i < a->nfindings; i++) {
		const struct finding *f = a->findings[i];
		struct named key = { f->migration, 0 };
		const struct named *hit;

		if (!f->migration || f->severity < SEV_WARNING)
			continue;
		hit = bsearch(&key, by, a->n, sizeof(*by), named_cmp);
		/* names are unique in a->v; the first finding wins */
		if (hit && !*code[hit->i])
			code[hit->i] = f->code;
	}
	free(by);
	return code;
}

/* a row without a local folder that needs no look: applied, one row, no finding of its own */
static bool quiet_unknown(const struct analysis *a, const char *const *code, size_t i)
{
	const struct mig_state *ms = &a->v[i];

	return !ms->m && ms->status == MS_APPLIED && ms->nrows <= 1 && !*code[i];
}

/*
 * For each migration: 0 shown, else left out of a long run of quiet rows
 * without a local folder: the first one left out holds how many are,
 * the others HIDDEN. NULL when nothing is left out. The caller frees it.
 */
static size_t *elide_migrations(const struct analysis *a, const char *const *code)
{
	size_t *hide = NULL;

	for (size_t i = 0; i < a->n;) {
		size_t j = i;

		while (j < a->n && quiet_unknown(a, code, j))
			j++;
		for (size_t k = i; k < j; k++) {
			int e = elided(k - i, j - i);

			if (e && !hide)
				hide = xcalloc(a->n, sizeof(*hide));
			if (e)
				hide[k] = e == 1 ? elided_count(j - i) : HIDDEN;
		}
		i = j > i ? j : i + 1;
	}
	return hide;
}

static void counts(const struct analysis *a, size_t c[3])
{
	c[0] = c[1] = c[2] = 0;
	for (size_t i = 0; i < a->nfindings; i++)
		c[a->findings[i]->severity]++;
}

/*
 * --brief: the first and the last of a list of migrations that apply in
 * turn, the count of the rest between them.
 */
static void apply_list(struct sbuf *out, const struct plan *p, const struct report_opts *o,
		       const char *prefix)
{
	for (size_t i = 0; i < p->napply; i++) {
		if (o->brief && p->napply > 3 && i == 1) {
			sb_printf(out, "%s... %zu more\n", prefix, p->napply - 2);
			i = p->napply - 2;
			continue;
		}
		sb_printf(out, "%s%s\n", prefix, p->apply[i]->name);
	}
}

static void plan_text(struct sbuf *out, const struct analysis *a, const struct plan *p,
		      const struct report_opts *o)
{
	const char *red = col(o, C_RED), *off = col(o, C_OFF);

	switch (p->outcome) {
	case PLAN_NOTHING:
		sb_puts(out, "  No pending migrations to apply.\n");
		break;
	case PLAN_APPLIES:
		sb_printf(out, "  applies %zu migration%s and succeeds:\n", p->napply, p->napply == 1 ? "" : "s");
		apply_list(out, p, o, "    ");
		break;
	case PLAN_FAILS:
		apply_list(out, p, o, "  applies ");
		if (p->error.line) /* a syntax error: where PostgreSQL points */
			sb_printf(out, "  %sFAILS%s at %s, %s:%u:%u: %s %s\n", red, off, p->fails->name,
				  p->fails->m->path, p->error.line, p->error.column, p->error.sqlstate,
				  p->error.message);
		else
			sb_printf(out, "  %sFAILS%s at %s, %s:%u: %s %s\n", red, off, p->fails->name,
				  p->fails->m->path, p->stmt->line, p->error.sqlstate, p->error.message);
		sb_puts(out, "  (P3018: the migration's row is left failed and every later deploy stops with P3009)\n");
		break;
	case PLAN_P3009:
		sb_printf(out, "  %srefused%s with P3009: failed migrations in the database:\n", red, off);
		for (size_t i = 0; i < a->n; i++)
			if (a->v[i].status == MS_FAILED)
				sb_printf(out, "    %s\n", a->v[i].name);
		break;
	case PLAN_P3005:
		sb_printf(out, "  %srefused%s with P3005: the schema is not empty and has no "
			  "_prisma_migrations\n", red, off);
		break;
	case PLAN_P3015:
		sb_printf(out, "  %sstops%s with P3015 at %s: no migration.sql\n", red, off, p->fails->name);
		break;
	case PLAN_P3019:
		sb_printf(out, "  %sstops%s with P3019: migration_lock.toml names another provider\n", red, off);
		break;
	case PLAN_UNKNOWN:
		sb_puts(out, "  unknown without the migrations directory (-m)\n");
		break;
	}
}

/*
 * What --brief leaves out of the migrations table: a migration applied
 * once, with no finding to show, its file unchanged, and (when a schema
 * was given) all its objects there.
 */
static bool routine(const struct analysis *a, const char *const *code, const struct mig_state *ms)
{
	const struct analysis_input *in = a->in;

	if (!in->hist || ms->status != MS_APPLIED || ms->nrows > 1 || *code[ms - a->v])
		return false;
	if (ms->checksum_mismatch || ms->nmissing || ms->nunknown || (ms->m && ms->m->missing_sql))
		return false;
	return !in->schema || ms->presence == PR_ALL || ms->presence == PR_NO_OBJECTS;
}

/*
 * The migrations table of --brief: a block of two lines for each migration
 * that needs a look (its name first, so that lines stay within 100
 * columns), then one line counting the others.
 */
static void brief_table(struct sbuf *out, const struct analysis *a, const char *const *code,
			const struct report_opts *o)
{
	const struct analysis_input *in = a->in;
	size_t shown = 0, quiet = 0, quiet_other = 0;

	for (size_t i = 0; i < a->n; i++) {
		const struct mig_state *ms = &a->v[i];

		if (!routine(a, code, ms))
			shown++;
		else if (ms->m)
			quiet++;
		else
			quiet_other++;
	}
	sb_puts(out, shown ? "\nMigrations that need a look, in deploy order\n" : "\nMigrations\n");
	for (size_t i = 0; i < a->n; i++) {
		const struct mig_state *ms = &a->v[i];
		const char *fc = code[ms - a->v];

		if (routine(a, code, ms))
			continue;
		sb_printf(out, "  %-6s %s\n         history: %s%s%s", fc, ms->name,
			  ms->status == MS_FAILED ? col(o, C_RED) : "",
			  in->hist ? status_name(ms->status) : "not given",
			  ms->status == MS_FAILED ? col(o, C_OFF) : "");
		if (ms->nrows > 1)
			sb_printf(out, " (%zu rows)", ms->nrows);
		if (!ms->m)
			sb_printf(out, "; no local folder (%s)", origin_name(ms->origin));
		else
			sb_printf(out, "; schema: %s", ms->presence != PR_UNKNOWN ? presence_name(ms->presence) :
				  ms->nunknown ? "not in export" : "-");
		if (in->logs)
			sb_printf(out, "; logs: %s", ms->log_outcome ? ms->log_outcome : "-");
		if (ms->shipped_in)
			sb_printf(out, "; LiteLLM %s", ms->shipped_in);
		if (ms->checksum_mismatch)
			sb_puts(out, "; file changed since applied");
		else if (ms->m && ms->m->missing_sql)
			sb_puts(out, "; no migration.sql");
		sb_putc(out, '\n');
	}
	if (quiet || quiet_other) {
		sb_printf(out, "  %s%s%zu migration%s applied%s", col(o, C_DIM), shown ? "and " : "all ", quiet,
			  quiet == 1 ? "" : "s", in->schema ? " and present" : "");
		if (quiet_other)
			sb_printf(out, ", %zu applied row%s without a local folder", quiet_other,
				  quiet_other == 1 ? "" : "s");
		sb_printf(out, " (without --brief: the full table)%s\n", col(o, C_OFF));
	}
}

void report_text(struct sbuf *out, const struct analysis *a, const struct report_opts *o)
{
	const struct analysis_input *in = a->in;
	const char **code = finding_codes(a);
	size_t c[3], start = out->len;
	bool others = false;

	sb_printf(out, "%smigdoctor %s%s\n", col(o, C_BOLD), o->plan_only ? "plan" : "check", col(o, C_OFF));
	for (size_t i = 0; i < o->ninputs; i++)
		sb_printf(out, "  %-10s %s%s%s%s\n", o->inputs[i].role, o->inputs[i].path,
			  o->inputs[i].detail ? " (" : "", o->inputs[i].detail ? o->inputs[i].detail : "",
			  o->inputs[i].detail ? ")" : "");
	if (a->migrated_by)
		sb_printf(out, "  this database was migrated by %s\n", a->migrated_by);
	if (o->brief)
		wrap_from(out, start, WRAP_INPUTS);

	if (!o->plan_only && a->n && o->brief) {
		brief_table(out, a, code, o);
	} else if (!o->plan_only && a->n) {
		sb_printf(out, "\nMigrations, in deploy order%s\n", in->logs ? "" : "");
		if (in->logs)
			sb_printf(out, "  %-12s %-15s %-32s %-6s %s\n", "HISTORY", "SCHEMA", "LOGS", "", "MIGRATION");
		else
			sb_printf(out, "  %-12s %-15s %-6s %s\n", "HISTORY", "SCHEMA", "", "MIGRATION");
		for (size_t i = 0; i < a->n; i++) {
			const struct mig_state *ms = &a->v[i];
			const char *fc = code[ms - a->v];
			char hist[32];

			if (!ms->m) {
				others = true;
				continue;
			}
			snprintf(hist, sizeof(hist), "%s%s", in->hist ? status_name(ms->status) : "?",
				 ms->nrows > 1 ? "*" : "");
			sb_printf(out, "  %s%-12s%s %-15s ", ms->status == MS_FAILED ? col(o, C_RED) : "", hist,
				  ms->status == MS_FAILED ? col(o, C_OFF) : "",
				  ms->presence != PR_UNKNOWN ? presence_name(ms->presence) :
				  ms->nunknown ? "not in export" : "-");
			if (in->logs)
				sb_printf(out, "%-32s ", ms->log_outcome ? ms->log_outcome : "-");
			sb_printf(out, "%-6s %s%s%s%s%s\n", fc, ms->name,
				  ms->shipped_in ? "  (LiteLLM " : "", ms->shipped_in ? ms->shipped_in : "",
				  ms->shipped_in ? ")" : "",
				  ms->checksum_mismatch ? "  (file changed since applied)" :
				  ms->m->missing_sql ? "  (no migration.sql)" : "");
		}
		if (others) {
			size_t *hide = elide_migrations(a, code);

			sb_puts(out, "  rows without a local folder:\n");
			for (size_t i = 0; i < a->n; i++) {
				const struct mig_state *ms = &a->v[i];

				if (ms->m || (hide && hide[i] == HIDDEN))
					continue;
				if (hide && hide[i])
					sb_printf(out, "  ... %zu more rows like these (every row: "
						  "migdoctor history)\n", hide[i]);
				else
					sb_printf(out, "  %-12s %-15s %-6s %s  (%s%s%s)\n", status_name(ms->status),
						  ms->presence == PR_UNKNOWN ? "-" : presence_name(ms->presence),
						  code[ms - a->v], ms->name, origin_name(ms->origin),
						  ms->shipped_in ? ", LiteLLM " : "", ms->shipped_in ? ms->shipped_in : "");
			}
			free(hide);
		}
		for (size_t i = 0; i < a->n; i++)
			if (a->v[i].m && a->v[i].nrows > 1) {
				sb_puts(out, "  (* several rows)\n");
				break;
			}
	}

	start = out->len;
	if (a->nfindings && !o->plan_only) {
		sb_puts(out, "\nFindings\n");
		for (size_t i = 0; i < a->nfindings; i++) {
			const struct finding *f = a->findings[i];
			const char *sc = f->severity == SEV_ERROR ? C_RED : f->severity == SEV_WARNING ? C_YEL : C_DIM;

			sb_printf(out, "  %s%-7s%s %s %s\n", col(o, sc), severity_name(f->severity), col(o, C_OFF),
				  f->code, f->title);
			for (size_t k = 0, run = 0, end = 0; k < f->nev; k++) {
				const struct evidence *e = &f->ev[k];
				int hid;

				if (k == end) {
					run = k;
					end = ev_run_end(f, k);
				}
				hid = elided(k - run, end - run);
				if (hid == 1)
					sb_printf(out, "%10s%-9s ... %zu more like these\n", "",
						  e->kind, elided_count(end - run));
				else if (hid)
					continue;
				else if (e->source && e->line)
					sb_printf(out, "          %-9s %s:%llu: %s\n", e->kind, e->source,
						  (unsigned long long)e->line, e->text);
				else if (e->source)
					sb_printf(out, "          %-9s %s: %s\n", e->kind, e->source, e->text);
				else
					sb_printf(out, "          %-9s %s\n", e->kind, e->text);
			}
			if (f->fix)
				sb_printf(out, "          %sfix%s       %s\n", col(o, C_BOLD), col(o, C_OFF), f->fix);
		}
	}

	if (o->brief)
		wrap_from(out, start, WRAP_FINDINGS);
	start = out->len;
	sb_printf(out, "\nWhat 'prisma migrate deploy' would do now (%s)\n",
		  a->plan.on_real_schema ? "on the schema of the dump" :
		  in->hist ? "on the schema the history implies" : "on an empty database");
	plan_text(out, a, &a->plan, o);
	if (o->plan_only) {
		for (size_t i = 0; i < a->nfindings; i++) {
			const struct finding *f = a->findings[i];

			if (strcmp(f->code, "MD006") && strcmp(f->code, "MD011") && strcmp(f->code, "MD012"))
				continue;
			for (size_t k = 0; k < f->nev; k++)
				if (!strcmp(f->ev[k].kind, "statement"))
					sb_printf(out, "  statement %s:%llu: %s\n", f->ev[k].source,
						  (unsigned long long)f->ev[k].line, f->ev[k].text);
			for (size_t k = 0; k < f->nev; k++)
				if (!strcmp(f->ev[k].kind, "schema"))
					sb_printf(out, "  %s\n", f->ev[k].text);
			if (f->fix)
				sb_printf(out, "  fix: %s\n", f->fix);
		}
	}
	if (a->hz_plan == &a->plan)
		report_hazards_text(out, a, o->color);
	if (o->plan_only && o->repair_path)
		sb_printf(out, "\nDeploy script written to %s: review it, then run it with psql.\n",
			  o->repair_path);
	if (a->has_repair && !o->plan_only) {
		sb_puts(out, "\nAfter the repair script, 'prisma migrate deploy' would\n");
		plan_text(out, a, &a->after, o);
		if (a->hz_plan == &a->after)
			report_hazards_text(out, a, o->color);
	}
	if (a->nunconcluded) {
		sb_puts(out, "\nNot concluded, for lack of input\n");
		for (size_t i = 0; i < a->nunconcluded; i++)
			sb_printf(out, "  - %s\n", a->unconcluded[i]);
	}
	if (o->brief)
		wrap_from(out, start, WRAP_OTHER);
	counts(a, c);
	if (!o->plan_only) {
		sb_puts(out, "\n");
		struct md_error why;

		if (o->repair_path)
			sb_printf(out, "Repair script written to %s: review it, then run it with psql.\n", o->repair_path);
		else if (a->has_repair && repair_refusal(a, &why))
			sb_printf(out, "No repair script: %s.\n", why.msg);
		else if (a->has_repair)
			sb_puts(out, "A repair script can be written with -o FILE.\n");
		else if (!c[SEV_ERROR])
			sb_puts(out, "Nothing to repair.\n");
		sb_printf(out, "%zu error%s, %zu warning%s, %zu note%s\n", c[SEV_ERROR], c[SEV_ERROR] == 1 ? "" : "s",
			  c[SEV_WARNING], c[SEV_WARNING] == 1 ? "" : "s", c[SEV_INFO], c[SEV_INFO] == 1 ? "" : "s");
	}
	free(code);
}

/* --- JSON --- */

static void ts_json(struct sbuf *out, const struct md_ts *t)
{
	char buf[MD_TS_BUFSIZE];

	if (t->kind == MD_TS_NULL) {
		sb_puts(out, "null");
		return;
	}
	md_ts_format(t, buf, sizeof(buf));
	json_str(out, buf);
}

static void row_json(struct sbuf *out, const struct history_row *r)
{
	bool f = true;

	sb_putc(out, '{');
	json_key(out, "id", &f);
	json_str(out, r->id);
	json_key(out, "checksum", &f);
	json_str(out, r->checksum);
	json_key(out, "started_at", &f);
	ts_json(out, &r->started_at);
	json_key(out, "finished_at", &f);
	ts_json(out, &r->finished_at);
	json_key(out, "rolled_back_at", &f);
	ts_json(out, &r->rolled_back_at);
	json_key(out, "logs", &f);
	json_str(out, !r->logs ? "null" : !r->logs[0] ? "empty" : "set");
	json_key(out, "applied_steps_count", &f);
	sb_printf(out, "%lld", (long long)r->applied_steps_count);
	json_key(out, "kind", &f);
	json_str(out, row_kind_name(row_kind_of(r)));
	json_key(out, "source", &f);
	json_str(out, r->pos.file);
	json_key(out, "line", &f);
	sb_printf(out, "%llu", (unsigned long long)r->pos.line);
	sb_putc(out, '}');
}

static void plan_json(struct sbuf *out, const struct analysis *a, const struct plan *p)
{
	bool f = true;

	sb_putc(out, '{');
	json_key(out, "outcome", &f);
	json_str(out, plan_name(p->outcome));
	json_key(out, "on_real_schema", &f);
	sb_puts(out, p->on_real_schema ? "true" : "false");
	json_key(out, "applies", &f);
	sb_putc(out, '[');
	for (size_t i = 0; i < p->napply; i++) {
		if (i)
			sb_putc(out, ',');
		json_str(out, p->apply[i]->name);
	}
	sb_putc(out, ']');
	json_key(out, "fails", &f);
	if (p->fails) {
		bool g = true;

		sb_putc(out, '{');
		json_key(out, "migration", &g);
		json_str(out, p->fails->name);
		if (p->stmt) {
			json_key(out, "line", &g);
			sb_printf(out, "%u", p->stmt->line);
			json_key(out, "statement", &g);
			json_str(out, p->stmt->text);
			json_key(out, "sqlstate", &g);
			json_str(out, p->error.sqlstate);
			json_key(out, "message", &g);
			json_str(out, p->error.message);
			if (p->error.line) {
				json_key(out, "error_line", &g);
				sb_printf(out, "%u", p->error.line);
				json_key(out, "error_column", &g);
				sb_printf(out, "%u", p->error.column);
			}
		}
		sb_putc(out, '}');
	} else {
		sb_puts(out, "null");
	}
	json_key(out, "hazards", &f);
	if (a->hz.on && a->hz_plan == p)
		report_hazards_json(out, &a->hz);
	else
		sb_puts(out, "null");
	sb_putc(out, '}');
}

void report_json(struct sbuf *out, const struct analysis *a, const struct report_opts *o)
{
	bool top = true;
	const char **code = finding_codes(a);
	size_t c[3], omitted = 0, *hide = elide_migrations(a, code);

	sb_putc(out, '{');
	json_key(out, "version", &top);
	sb_puts(out, "1");
	json_key(out, "tool", &top);
	json_str(out, "migdoctor " MD_VERSION);
	json_key(out, "command", &top);
	json_str(out, o->plan_only ? "plan" : "check");
	json_key(out, "inputs", &top);
	sb_putc(out, '[');
	for (size_t i = 0; i < o->ninputs; i++) {
		bool f = true;

		if (i)
			sb_putc(out, ',');
		sb_putc(out, '{');
		json_key(out, "role", &f);
		json_str(out, o->inputs[i].role);
		json_key(out, "path", &f);
		json_str(out, o->inputs[i].path);
		json_key(out, "detail", &f);
		json_str(out, o->inputs[i].detail);
		json_key(out, "sha256", &f);
		json_str(out, o->inputs[i].sha256[0] ? o->inputs[i].sha256 : NULL);
		sb_putc(out, '}');
	}
	sb_putc(out, ']');
	json_key(out, "migrated_by", &top);
	json_str(out, a->migrated_by);
	json_key(out, "migrations", &top);
	sb_putc(out, '[');
	for (size_t i = 0, shown = 0; i < a->n; i++) {
		const struct mig_state *ms = &a->v[i];
		bool f = true;

		if (hide && hide[i]) {
			omitted += hide[i] != HIDDEN ? hide[i] : 0;
			continue;
		}
		if (shown++)
			sb_putc(out, ',');
		sb_putc(out, '{');
		json_key(out, "name", &f);
		json_str(out, ms->name);
		json_key(out, "local", &f);
		sb_puts(out, ms->m ? "true" : "false");
		json_key(out, "origin", &f);
		json_str(out, origin_name(ms->origin));
		json_key(out, "status", &f);
		json_str(out, a->in->hist ? (ms->status == MS_FAILED ? "failed" : status_name(ms->status)) : NULL);
		json_key(out, "schema", &f);
		json_str(out, ms->presence == PR_UNKNOWN ? NULL : presence_name(ms->presence));
		json_key(out, "missing", &f);
		sb_putc(out, '[');
		for (size_t k = 0; k < ms->nmissing; k++) {
			if (k)
				sb_putc(out, ',');
			json_str(out, obj_text((struct arena *)&a->arena, &ms->missing[k]));
		}
		sb_putc(out, ']');
		json_key(out, "unknown", &f);
		sb_putc(out, '[');
		for (size_t k = 0; k < ms->nunknown; k++) {
			if (k)
				sb_putc(out, ',');
			json_str(out, obj_text((struct arena *)&a->arena, &ms->unknown[k]));
		}
		sb_putc(out, ']');
		json_key(out, "logs", &f);
		json_str(out, ms->log_outcome);
		json_key(out, "checksum_matches", &f);
		sb_puts(out, !ms->m || !ms->nrows ? "null" : ms->checksum_mismatch ? "false" : "true");
		json_key(out, "shipped_in", &f);
		json_str(out, ms->shipped_in ? ms->shipped_in : NULL);
		json_key(out, "rows", &f);
		sb_putc(out, '[');
		for (size_t k = 0; k < ms->nrows; k++) {
			if (elided(k, ms->nrows))
				continue;
			if (k)
				sb_putc(out, ',');
			row_json(out, ms->rows[k]);
		}
		sb_putc(out, ']');
		json_key(out, "rows_omitted", &f);
		sb_printf(out, "%zu", ms->nrows > ELIDE_OVER ? elided_count(ms->nrows) : 0);
		sb_putc(out, '}');
	}
	sb_putc(out, ']');
	free(hide);
	free(code);
	json_key(out, "migrations_omitted", &top);
	sb_printf(out, "%zu", omitted);
	json_key(out, "findings", &top);
	sb_putc(out, '[');
	for (size_t i = 0; i < a->nfindings; i++) {
		const struct finding *fd = a->findings[i];
		bool f = true;

		if (i)
			sb_putc(out, ',');
		sb_putc(out, '{');
		json_key(out, "code", &f);
		json_str(out, fd->code);
		json_key(out, "slug", &f);
		json_str(out, fd->slug);
		json_key(out, "severity", &f);
		json_str(out, severity_name(fd->severity));
		json_key(out, "title", &f);
		json_str(out, fd->title);
		json_key(out, "migration", &f);
		json_str(out, fd->migration);
		json_key(out, "relations", &f);
		sb_putc(out, '[');
		for (size_t k = 0; k < fd->nrelations; k++) {
			if (k)
				sb_putc(out, ',');
			json_str(out, fd->relations[k]);
		}
		sb_putc(out, ']');
		json_key(out, "evidence", &f);
		sb_putc(out, '[');
		for (size_t k = 0, run = 0, end = 0; k < fd->nev; k++) {
			bool g = true;
			int hid;

			if (k == end) {
				run = k;
				end = ev_run_end(fd, k);
			}
			hid = elided(k - run, end - run);
			if (hid == 2)
				continue;
			if (k)
				sb_putc(out, ',');
			sb_putc(out, '{');
			json_key(out, "kind", &g);
			json_str(out, fd->ev[k].kind);
			json_key(out, "source", &g);
			json_str(out, hid ? NULL : fd->ev[k].source);
			json_key(out, "line", &g);
			if (fd->ev[k].line && !hid)
				sb_printf(out, "%llu", (unsigned long long)fd->ev[k].line);
			else
				sb_puts(out, "null");
			json_key(out, "text", &g);
			if (hid) {
				size_t n = elided_count(end - run);

				sb_printf(out, "\"... %zu more like these\"", n);
				json_key(out, "omitted", &g);
				sb_printf(out, "%zu", n);
			} else {
				json_str(out, fd->ev[k].text);
			}
			sb_putc(out, '}');
		}
		sb_putc(out, ']');
		json_key(out, "fix", &f);
		json_str(out, fd->fix);
		json_key(out, "actions", &f);
		sb_putc(out, '[');
		for (size_t k = 0; k < fd->nactions; k++) {
			const struct fix_action *x = &fd->actions[k];
			bool g = true;

			if (k)
				sb_putc(out, ',');
			sb_putc(out, '{');
			json_key(out, "kind", &g);
			json_str(out, fix_name(x->kind));
			json_key(out, "migration", &g);
			json_str(out, x->ms ? x->ms->name : NULL);
			json_key(out, "row_id", &g);
			json_str(out, x->row ? x->row->id : NULL);
			json_key(out, "why", &g);
			json_str(out, x->why);
			json_key(out, "premises", &g);
			sb_putc(out, '[');
			for (size_t p = 0; p < x->npremises; p++) {
				bool h = true;

				sb_puts(out, p ? ",{" : "{");
				json_key(out, "object", &h);
				json_str(out, obj_text((struct arena *)&a->arena, &x->premises[p].obj));
				json_key(out, "present", &h);
				sb_puts(out, x->premises[p].present ? "true" : "false");
				sb_putc(out, '}');
			}
			sb_putc(out, ']');
			sb_putc(out, '}');
		}
		sb_puts(out, "]}");
	}
	sb_putc(out, ']');
	json_key(out, "plan", &top);
	plan_json(out, a, &a->plan);
	json_key(out, "after_repair", &top);
	if (a->has_repair)
		plan_json(out, a, &a->after);
	else
		sb_puts(out, "null");
	json_key(out, "unconcluded", &top);
	sb_putc(out, '[');
	for (size_t i = 0; i < a->nunconcluded; i++) {
		if (i)
			sb_putc(out, ',');
		json_str(out, a->unconcluded[i]);
	}
	sb_putc(out, ']');
	json_key(out, "repair_script", &top);
	json_str(out, o->repair_path);
	counts(a, c);
	json_key(out, "summary", &top);
	sb_printf(out, "{\"errors\":%zu,\"warnings\":%zu,\"notes\":%zu}", c[SEV_ERROR], c[SEV_WARNING],
		  c[SEV_INFO]);
	sb_puts(out, "}\n");
}
