/*
 * repair.c - the repair script: read by a careful person before it runs
 * against production (DESIGN.md §5).
 */
#include "migdoctor/common.h"
#include "migdoctor/analysis.h"
#include "migdoctor/migrations.h"
#include "migdoctor/quote.h"
#include "migdoctor/report.h"
#include "script_int.h"
#include "migdoctor/strutil.h"

struct writer {
	struct sbuf *out;
	const struct analysis *a;
	const struct repair_opts *o;
	struct md_error *err;
	int bad;               /* an identifier that cannot be quoted */
	struct sbuf table;     /* "schema"."_prisma_migrations" */
};

static void ident(struct writer *w, struct sbuf *sb, const char *s)
{
	script_ident(&w->bad, sb, s);
}

#define lit script_lit
#define commentf script_commentf

/* A UUID v4-shaped id derived from the inputs: the same inputs give the same script. */
static void row_id(const struct writer *w, const char *name, const char *checksum, char out[37])
{
	char *seed = xasprintf("migdoctor:%s:%s:%s", w->o->history_sha ? w->o->history_sha : "", name,
			       checksum);
	char hex[MD_SHA256_HEX];

	md_sha256_hex(seed, strlen(seed), hex);
	free(seed);
	hex[12] = '4';                                     /* version 4 */
	hex[16] = "89ab"[strchr("0123456789abcdef", hex[16]) ? (hex[16] % 4) : 0]; /* variant */
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

/* Prisma's advisory lock key (as deploy.c takes it), and how long the script waits for it. */
#define PRISMA_LOCK "72707369"
#define PRISMA_LOCK_TIMEOUT "10s"

/* The schema the backup goes to: not the one Prisma manages, whose unknown tables LiteLLM drops. */
#define BACKUP_SCHEMA "migdoctor_backup"

/* The backup table's bare name: _prisma_migrations_backup_<suffix>, per history schema. */
static void backup_table(const struct writer *w, struct sbuf *name)
{
	const char *hs = w->a->in->hist ? w->a->in->hist->schema_name : NULL;

	if (hs && strcmp(hs, "public"))
		sb_printf(name, "%s_", hs);
	sb_puts(name, "_prisma_migrations_backup_");
	if (w->o->backup_suffix) {
		sb_puts(name, w->o->backup_suffix);
	} else if (w->o->dump_time) {
		size_t n = 0;

		for (const char *p = w->o->dump_time; *p && n < 14; p++)
			if (*p >= '0' && *p <= '9') {
				sb_putc(name, *p);
				n++;
			}
	} else if (w->o->history_sha && w->o->history_sha[0]) {
		sb_printf(name, "%.12s", w->o->history_sha);
	} else {
		sb_puts(name, "migdoctor");
	}
	if (name->len > 63) /* NAMEDATALEN - 1: PostgreSQL would truncate it */
		sbuf_setlen(name, 63);
}

static void backup_name(struct writer *w, struct sbuf *sb)
{
	struct sbuf name = SBUF_INIT;

	backup_table(w, &name);
	sb_puts(sb, BACKUP_SCHEMA ".");
	ident(w, sb, name.buf);
	sbuf_release(&name);
}

static bool has_kind(const struct analysis *a, enum fix_kind k)
{
	for (size_t i = 0; i < a->nfindings; i++)
		for (size_t j = 0; j < a->findings[i]->nactions; j++)
			if (a->findings[i]->actions[j].kind == k)
				return true;
	return false;
}

static void header(struct writer *w)
{
	const struct analysis *a = w->a;
	struct sbuf *sb = w->out;

	sb_puts(sb, "-- migdoctor repair script (migdoctor " MD_VERSION ")\n--\n"
		    "-- Read it before running it. It runs in one transaction and stops at the first\n"
		    "-- error. Before it changes anything it checks, on the database it runs on, that\n"
		    "-- the rows it changes are exactly those seen in the inputs and that every schema\n"
		    "-- fact it relies on (this table is missing, that column is there) still holds,\n"
		    "-- and aborts otherwise; then it copies _prisma_migrations to " BACKUP_SCHEMA ".\n"
		    "-- It holds Prisma's advisory lock meanwhile, as 'migrate deploy' does.\n"
		    "--   psql -v ON_ERROR_STOP=1 -f repair.sql \"$DATABASE_URL\"\n"
		    "-- then run 'prisma migrate deploy' (or restart LiteLLM).\n--\n");
	script_inputs(sb, w->o->inputs, w->o->ninputs);
	sb_puts(sb, "--\n-- Findings this script repairs:\n");
	for (size_t i = 0; i < a->nfindings; i++) {
		const struct finding *f = a->findings[i];

		if (!f->nactions)
			continue;
		commentf(sb, "  %s %s: %s", f->code, severity_name(f->severity), f->title);
		commentf(sb, "        fix: %s", f->fix ? f->fix : "");
	}
	if (a->after.outcome == PLAN_APPLIES) {
		sb_puts(sb, "--\n-- After it, 'migrate deploy' is predicted to apply, and succeed:\n");
		for (size_t i = 0; i < a->after.napply; i++)
			commentf(sb, "  %s", a->after.apply[i]->name);
	} else if (a->after.outcome == PLAN_NOTHING) {
		sb_puts(sb, "--\n-- After it, 'migrate deploy' is predicted to find nothing to apply.\n");
	}
	sb_puts(sb, "\n\\set ON_ERROR_STOP on\nBEGIN;\n");
	if (a->in->hist && a->in->hist->schema_name) {
		sb_puts(sb, "SET LOCAL search_path TO ");
		ident(w, sb, a->in->hist->schema_name);
		sb_puts(sb, ";\n");
	}
	sb_puts(sb, "\n-- Prisma's advisory lock, the one 'migrate deploy' holds while it runs,\n"
		    "-- held until COMMIT: a deploy (a LiteLLM starting) waits for this script,\n"
		    "-- and one already running makes it stop, with nothing changed.\n"
		    "SET LOCAL lock_timeout TO '" PRISMA_LOCK_TIMEOUT "';\n"
		    "DO $migdoctor$\nBEGIN\n    PERFORM pg_advisory_xact_lock(" PRISMA_LOCK ");\n"
		    "EXCEPTION WHEN lock_not_available THEN\n"
		    "    RAISE EXCEPTION 'migdoctor: another session holds Prisma''s advisory lock "
		    "(" PRISMA_LOCK "): a migrate deploy (or another script) is running; "
		    "nothing was changed; run this script again once it is done';\n"
		    "END\n$migdoctor$;\n"
		    "SET LOCAL lock_timeout TO DEFAULT;\n");
}

static size_t failed_rows_of(const struct mig_state *ms)
{
	size_t n = 0;

	for (size_t i = 0; i < ms->nrows; i++)
		if (ms->rows[i]->finished_at.kind == MD_TS_NULL && ms->rows[i]->rolled_back_at.kind == MD_TS_NULL)
			n++;
	return n;
}

static bool same_premise(const struct premise *x, const struct premise *y)
{
	return x->obj.kind == y->obj.kind && x->obj.prop == y->obj.prop &&
	       md_same(x->obj.schema, y->obj.schema) && md_same(x->obj.value, y->obj.value) &&
	       md_same(x->obj.table, y->obj.table) && md_same(x->obj.name, y->obj.name);
}

/*
 * Each schema fact the fixes rely on, checked on the live catalog. Two
 * fixes that assume opposite things of one object cannot both be right:
 * the script is refused.
 */
static size_t premise_guards(struct writer *w, struct sbuf *body)
{
	const struct analysis *a = w->a;
	const struct premise **seen = NULL;
	size_t nseen = 0, cap = 0;

	for (size_t i = 0; i < a->nfindings; i++)
		for (size_t j = 0; j < a->findings[i]->nactions; j++) {
			const struct fix_action *x = &a->findings[i]->actions[j];

			for (size_t k = 0; k < x->npremises; k++) {
				const struct premise *p = &x->premises[k];
				bool dup = false;

				for (size_t s = 0; s < nseen && !dup; s++) {
					if (!same_premise(seen[s], p))
						continue;
					dup = true;
					if (seen[s]->present != p->present && !w->bad) {
						md_fail(w->err, "refusing to write the repair script: two fixes assume "
							"opposite things of %s", obj_text(&((struct analysis *)a)->arena,
											  &p->obj));
						w->bad = 2;
					}
				}
				if (dup || !script_premise_guard(body, &((struct analysis *)a)->arena, p))
					continue;
				MD_GROW(seen, nseen, cap);
				seen[nseen++] = p;
			}
		}
	free(seen);
	return nseen;
}

/* Stop unless this row is in the table as the dump shows it: id, name, checksum, state. */
static void row_as_dumped(struct writer *w, struct sbuf *body, const struct history_row *r)
{
	sb_puts(body, "    IF NOT EXISTS (SELECT FROM ");
	sb_puts(body, w->table.buf);
	sb_puts(body, "\n          WHERE id = ");
	lit(body, r->id);
	sb_puts(body, " AND migration_name = ");
	lit(body, r->migration_name);
	if (r->checksum) {
		sb_puts(body, " AND checksum = ");
		lit(body, r->checksum);
	}
	sb_printf(body, "\n            AND finished_at IS %sNULL AND rolled_back_at IS NULL) THEN\n",
		  r->finished_at.kind == MD_TS_NULL ? "" : "NOT ");
	sb_puts(body, "        RAISE EXCEPTION 'migdoctor: row % (%) is not as in the dump; "
		      "nothing was changed', ");
	lit(body, r->id);
	sb_puts(body, ", ");
	lit(body, r->migration_name);
	sb_puts(body, ";\n    END IF;\n");
}

/* The row guards: every row the script changes is as in the dump; no row it adds exists. */
static size_t row_guards(struct writer *w, struct sbuf *body)
{
	const struct analysis *a = w->a;
	size_t n = 0;

	for (size_t i = 0; i < a->nfindings; i++)
		for (size_t j = 0; j < a->findings[i]->nactions; j++) {
			const struct fix_action *x = &a->findings[i]->actions[j];
			const struct history_row *r = x->row;

			if (x->kind == FIX_MARK_ROLLED_BACK && r) {
				row_as_dumped(w, body, r);
				n++;
			} else if (x->kind == FIX_RECREATE && x->ms->applied && a->in->has_history_table) {
				/* it re-creates what a migration recorded as applied made: that row is its premise */
				row_as_dumped(w, body, x->ms->applied);
				n++;
			} else if (x->kind == FIX_MARK_APPLIED && a->in->has_history_table) {
				sb_puts(body, "    IF EXISTS (SELECT 1 FROM ");
				sb_puts(body, w->table.buf);
				sb_puts(body, " WHERE migration_name = ");
				lit(body, x->ms->name);
				sb_puts(body, "\n          AND finished_at IS NOT NULL AND rolled_back_at IS NULL) THEN\n");
				sb_puts(body, "        RAISE EXCEPTION 'migdoctor: % is already recorded as applied; "
					      "nothing was changed', ");
				lit(body, x->ms->name);
				sb_puts(body, ";\n    END IF;\n");
				/* the failed rows it rolls back must be those of the dump, by id */
				for (size_t k = 0; k < x->ms->nrows; k++) {
					const struct history_row *fr = x->ms->rows[k];

					if (fr->finished_at.kind != MD_TS_NULL || fr->rolled_back_at.kind != MD_TS_NULL)
						continue;
					row_as_dumped(w, body, fr);
					n++;
				}
				sb_puts(body, "    IF (SELECT count(*) FROM ");
				sb_puts(body, w->table.buf);
				sb_puts(body, " WHERE migration_name = ");
				lit(body, x->ms->name);
				sb_printf(body, "\n          AND finished_at IS NULL AND rolled_back_at IS NULL) <> %zu THEN\n",
					  failed_rows_of(x->ms));
				sb_puts(body, "        RAISE EXCEPTION 'migdoctor: the failed rows of % are not as "
					      "in the dump; nothing was changed', ");
				lit(body, x->ms->name);
				sb_puts(body, ";\n    END IF;\n");
				n += 2;
			}
		}
	return n;
}

/*
 * The guard block, before anything changes: the script has not run
 * already, the rows are as in the dump, the schema is as the export
 * showed. Returns how many checks it holds.
 */
static size_t guards(struct writer *w)
{
	const struct analysis *a = w->a;
	struct sbuf body = SBUF_INIT, name = SBUF_INIT;
	size_t n = 0;

	if (a->in->has_history_table) {
		/* first, as the row guards below read it */
		sb_puts(&body, "    IF NOT ");
		script_rel_exists(&body, a->in->hist ? a->in->hist->schema_name : NULL, "_prisma_migrations");
		sb_puts(&body, " THEN\n        RAISE EXCEPTION 'migdoctor: the database is not as the export "
			       "showed: %; nothing was changed',\n            'table \"_prisma_migrations\" is "
			       "missing';\n    END IF;\n");
		n++;
		backup_table(w, &name);
		sb_puts(&body, "    IF ");
		script_rel_exists(&body, BACKUP_SCHEMA, name.buf);
		sb_puts(&body, " THEN\n        RAISE EXCEPTION 'migdoctor: this script has already run (its backup "
			       BACKUP_SCHEMA ".% exists); nothing was changed', ");
		lit(&body, name.buf);
		sb_puts(&body, ";\n    END IF;\n");
		n++;
		sbuf_release(&name);
	}
	n += row_guards(w, &body);
	n += premise_guards(w, &body);
	if (n)
		script_guard_block(w->out, "\n-- Guards: stop, with nothing changed, unless the rows this script "
				   "changes are exactly\n-- as in the inputs and the schema is as the export showed "
				   "(an export can be partial\n-- or stale: the database this runs on is the truth).\n",
				   body.buf);
	sbuf_release(&body);
	return n;
}

/* Why the statement below it is there, or what it leaves (rebuild.c decided). */
static const char *recreate_note(const struct obj_ref *o)
{
	if (o->left)
		return "is missing, but the column is left as it is: the change could lose data "
		       "(a person must decide; the block below only says so)";
	if (o->prop == SQL_PROP_TYPE)
		return o->unknown ? "is not in the export (changed only where the live type "
				    "can become it without losing data; otherwise left, with a "
				    "NOTICE)"
				  : "is missing (the change cannot lose data)";
	return o->unknown ? "is not in the export (made only where it is absent)" : "is missing";
}

/* The analysis decided each statement (rebuild.c): print them, with why. */
static void recreate(struct writer *w, const struct finding *f, const struct mig_state *ms)
{
	for (size_t i = 0; i < recreate_count(ms); i++) {
		const struct obj_ref *o = recreate_obj(ms, i);

		if (!o->ddl)
			continue;
		if (o->kind == SQL_OBJ_ENUM_VALUE)
			commentf(w->out, "%s: %s is missing; from %s line %u (the enum it builds and renames to %s)",
				 f->code, obj_text(&((struct analysis *)w->a)->arena, o), ms->name, o->stmt->line,
				 o->table);
		else
			commentf(w->out, "%s: %s %s; from %s line %u", f->code,
				 obj_text(&((struct analysis *)w->a)->arena, o), recreate_note(o),
				 ms->name, o->stmt->line);
		sb_puts(w->out, o->ddl);
		sb_puts(w->out, ";\n");
	}
}

static void mark_rolled_back(struct writer *w, const struct finding *f, const struct fix_action *x)
{
	commentf(w->out, "%s: %s: %s", f->code, x->ms->name, x->why);
	sb_puts(w->out, "UPDATE ");
	sb_puts(w->out, w->table.buf);
	sb_puts(w->out, " SET rolled_back_at = now() WHERE id = ");
	lit(w->out, x->row->id);
	sb_puts(w->out, ";\n");
}

/* As 'prisma migrate resolve --applied' writes it (prisma.md §5). */
static void mark_applied(struct writer *w, const struct finding *f, const struct fix_action *x)
{
	const struct mig_state *ms = x->ms;
	char id[37];

	commentf(w->out, "%s: %s: %s; recorded as 'migrate resolve --applied' records it", f->code,
		 ms->name, x->why);
	if (failed_rows_of(ms)) {
		sb_puts(w->out, "UPDATE ");
		sb_puts(w->out, w->table.buf);
		sb_puts(w->out, " SET rolled_back_at = now() WHERE id IN (");
		for (size_t i = 0, n = 0; i < ms->nrows; i++)
			if (ms->rows[i]->finished_at.kind == MD_TS_NULL &&
			    ms->rows[i]->rolled_back_at.kind == MD_TS_NULL) {
				if (n++)
					sb_puts(w->out, ", ");
				lit(w->out, ms->rows[i]->id);
			}
		sb_puts(w->out, ");\n");
	}
	row_id(w, ms->name, ms->m->checksum, id);
	sb_puts(w->out, "INSERT INTO ");
	sb_puts(w->out, w->table.buf);
	sb_puts(w->out, " (id, checksum, logs, started_at, finished_at, migration_name, applied_steps_count)\n"
			"    VALUES (");
	lit(w->out, id);
	sb_puts(w->out, ", ");
	lit(w->out, ms->m->checksum);
	sb_puts(w->out, ", '', now(), now(), ");
	lit(w->out, ms->name);
	sb_puts(w->out, ", 0);\n");
}

/*
 * The one place that says whether a script may be written at all. Every
 * script changes rows or schema only after its guard block and, when the
 * history table exists, after the backup; a script that could not check
 * its premises is refused, never written without them.
 */
int repair_refusal(const struct analysis *a, struct md_error *err)
{
	bool rows = has_kind(a, FIX_MARK_ROLLED_BACK) || has_kind(a, FIX_MARK_APPLIED);

	if (a->premise_conflict)
		return md_fail(err, "%s", a->premise_conflict);
	for (size_t i = 0; i < a->nfindings; i++)
		for (size_t j = 0; j < a->findings[i]->nactions; j++) {
			const struct fix_action *x = &a->findings[i]->actions[j];
			const struct history_row *r = x->row ? x->row : x->ms ? x->ms->applied : NULL;

			if (r && (!r->id || (r->missing & ((1u << HC_ID) | (1u << HC_FINISHED_AT) |
							   (1u << HC_ROLLED_BACK_AT)))))
				return md_fail(err, "the export lacks the id, finished_at or rolled_back_at of row "
					       "%s: a script changes and checks rows by id and state; export "
					       "every column of _prisma_migrations",
					       r->migration_name ? r->migration_name : "?");
		}
	if (rows && !a->in->hist)
		return md_fail(err, "it would change _prisma_migrations, but no rows of it were given, so "
			       "it could not check them first; give the rows with -H (a pg_dump, CSV or psql "
			       "output)");
	if (has_kind(a, FIX_MARK_APPLIED) && !a->in->has_history_table && !has_kind(a, FIX_CREATE_TABLE))
		return md_fail(err, "it would insert rows into a _prisma_migrations the export does not hold");
	return 0;
}

int repair_write(struct sbuf *out, const struct analysis *a, const struct repair_opts *o,
		 struct md_error *err)
{
	struct writer w = { out, a, o, err, 0, SBUF_INIT };
	size_t start = out->len;

	if (!a->has_repair)
		return 0;
	if (repair_refusal(a, err)) {
		md_error_prefix(err, "refusing to write the repair script: ");
		return -1;
	}
	script_history_table(&w.bad, &w.table, a->in->hist ? a->in->hist->schema_name : NULL);
	header(&w);
	if (!guards(&w) && !w.bad) {
		/* every fix has a row or a premise to check: no guard is a bug, not a script */
		md_fail(err, "internal error: a repair script without guards; refusing to write it");
		w.bad = 2;
	}
	if (a->in->has_history_table) {
		sb_puts(out, "\n-- Backup of _prisma_migrations as it is now, in a schema of its own (LiteLLM\n"
			     "-- drops tables of its schema that schema.prisma does not know). To undo:\n"
			     "-- restore the rows from it.\n"
			     "CREATE SCHEMA IF NOT EXISTS " BACKUP_SCHEMA ";\n"
			     "CREATE TABLE ");
		backup_name(&w, out);
		sb_puts(out, " AS TABLE ");
		sb_puts(out, w.table.buf);
		sb_puts(out, ";\n");
	}
	if (has_kind(a, FIX_CREATE_TABLE)) {
		sb_puts(out, "\n-- MD005: the history table, with Prisma's own DDL (it fails if one exists).\n"
			     "CREATE TABLE ");
		sb_puts(out, w.table.buf);
		sb_puts(out, script_prisma_table_ddl);
	}
	if (has_kind(a, FIX_RECREATE)) {
		sb_puts(out, "\n-- Schema: only objects proven missing, from the migrations' own statements,\n"
			     "-- made idempotent, in migration order. Nothing is dropped or narrowed.\n");
		/* the review's S3: said, not solved (CONCURRENTLY cannot run in a transaction) */
		sb_puts(out, "-- Each keeps its lock until COMMIT: an index build (never\n"
			     "-- CONCURRENTLY in a transaction) or a type change that rewrites a\n"
			     "-- table blocks writes to it meanwhile; on a large one, run this\n"
			     "-- when traffic is low.\n");
		for (size_t m = 0; m < a->n; m++)
			for (size_t i = 0; i < a->nfindings; i++)
				for (size_t j = 0; j < a->findings[i]->nactions; j++) {
					const struct fix_action *x = &a->findings[i]->actions[j];

					if (x->kind == FIX_RECREATE && x->ms == &a->v[m])
						recreate(&w, a->findings[i], x->ms);
				}
	}
	sb_puts(out, "\n-- History rows, changed by id only.\n");
	for (size_t m = 0; m < a->n; m++)
		for (size_t i = 0; i < a->nfindings; i++)
			for (size_t j = 0; j < a->findings[i]->nactions; j++) {
				const struct fix_action *x = &a->findings[i]->actions[j];

				if (x->ms != &a->v[m])
					continue;
				if (x->kind == FIX_MARK_ROLLED_BACK && x->row)
					mark_rolled_back(&w, a->findings[i], x);
				else if (x->kind == FIX_MARK_APPLIED)
					mark_applied(&w, a->findings[i], x);
			}
	sb_puts(out, "\nCOMMIT;\n");
	sbuf_release(&w.table);
	if (w.bad) {
		sbuf_setlen(out, start);
		if (w.bad == 1)
			return md_fail(err, "a name in the inputs holds a control character; refusing to "
				       "write it into SQL");
		return -1;
	}
	return 0;
}
