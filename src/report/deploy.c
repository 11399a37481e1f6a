/*
 * deploy.c - the deploy script: what native 'prisma migrate deploy' would
 * do on this database, as a psql script for a DBA to review and run where
 * Prisma cannot (doc/deploy-script.md). Each migration's row is written as
 * the engine writes it, and its migration.sql is sent as one query, byte
 * for byte, as the engine sends it.
 */
#include "migdoctor/common.h"
#include "migdoctor/analysis.h"
#include "migdoctor/migrations.h"
#include "migdoctor/quote.h"
#include "migdoctor/report.h"
#include "script_int.h"

/* Prisma's advisory lock key, and how long the engine waits for it. */
#define PRISMA_LOCK "72707369"
#define PRISMA_LOCK_TIMEOUT "10s"

struct writer {
	struct sbuf *out;
	const struct analysis *a;
	const struct repair_opts *o;
	int bad;               /* a name that cannot be quoted */
	const char *schema;    /* the export's schema of _prisma_migrations, or NULL */
	struct sbuf table;     /* the table in SQL psql reads: "schema" or :"migdoctor_schema" */
	struct sbuf dotable;   /* the table inside a DO block, which psql does not read */
	struct sbuf body;      /* a DO block's body, before its tag is chosen */
	struct arena ar;
};

static const char *refusal_of_plan(const struct plan *p, struct arena *ar)
{
	switch (p->outcome) {
	case PLAN_NOTHING:
	case PLAN_APPLIES:
		return NULL;
	case PLAN_FAILS:
		return arena_printf(ar, "'migrate deploy' is predicted to fail at %s line %u "
				    "(%s: %s)",
				    p->fails->name, p->stmt ? p->stmt->line : 0,
				    p->error.sqlstate ? p->error.sqlstate : "?", p->error.message);
	case PLAN_P3009:
		return "'migrate deploy' is predicted to refuse this database with P3009 "
		       "(failed migrations in _prisma_migrations)";
	case PLAN_P3005:
		return "'migrate deploy' is predicted to refuse this database with P3005 "
		       "(a schema without _prisma_migrations: not baselined)";
	case PLAN_P3015:
		return arena_printf(ar, "'migrate deploy' is predicted to stop with P3015 "
				    "(%s has no migration.sql)", p->fails->name);
	case PLAN_P3019:
		return "'migrate deploy' is predicted to stop with P3019 "
		       "(migration_lock.toml names another provider)";
	case PLAN_UNKNOWN:
		break;
	}
	return "what 'migrate deploy' would do is not known from these inputs";
}

int deploy_refusal(const struct analysis *a, struct md_error *err)
{
	struct arena ar;
	const char *why;
	int rc = 0;

	arena_init(&ar);
	why = refusal_of_plan(&a->plan, &ar);
	if (why) {
		rc = md_fail(err, "%s; the repair comes first: 'migdoctor check' on the same "
			     "inputs says what to do and writes a repair script (-o repair.sql); "
			     "then export again and plan", why);
	} else if (!a->in->hist) {
		rc = md_fail(err, "the script checks the rows of _prisma_migrations before it "
			     "adds any, but none were given; give them with -H (a pg_dump, CSV "
			     "or psql output)");
	} else {
		for (size_t i = 0; i < a->plan.napply && !rc; i++)
			if (a->plan.apply[i]->m->invalid_utf8)
				rc = md_fail(err, "%s is not UTF-8: Prisma 5 cannot read it, and "
					     "psql would not send it as it is",
					     a->plan.apply[i]->m->path);
	}
	arena_release(&ar);
	return rc;
}

/* Stop the script before any change: a DO block that raises (why: a constant, no quote). */
static void stop_unchanged(struct sbuf *sb, const char *why)
{
	struct sbuf body = SBUF_INIT;

	sb_printf(&body, "    RAISE EXCEPTION 'migdoctor: %s; nothing was changed';\n", why);
	script_guard_block(sb, "", body.buf);
	sbuf_release(&body);
}

/*
 * What the script needs of psql, checked before anything changes: \if
 * (psql 10) and the ERROR variable (psql 11), which tells a failed
 * migration from one that succeeded. psql 9.6 and older stop at the first
 * \if ("invalid command", an error under ON_ERROR_STOP), before any
 * statement. psql 10 would read "\if :ERROR" as false (an unknown
 * variable is no boolean) and record a failed migration as finished: it
 * has no ERROR variable, so it takes the \else and stops.
 */
static void psql_probe(struct sbuf *sb)
{
	sb_puts(sb, "\\set ON_ERROR_STOP on\n"
		"-- psql 11 or later. psql 9.6 and older know no \\if: they stop here\n"
		"-- (\"invalid command\"), before any statement.\n"
		"\\if true\n\\endif\n"
		"\\set AUTOCOMMIT on\n"
		"-- DISCARD ALL fails inside a transaction block: each migration must\n"
		"-- commit on its own, as with Prisma, so this stops under psql -1.\n"
		"DISCARD ALL;\n"
		"-- psql 10 has \\if but not ERROR (set after each query from psql 11 on),\n"
		"-- which tells a failed migration from one that succeeded: stop.\n"
		"\\if :{?ERROR}\n\\else\n");
	stop_unchanged(sb, "this script needs psql 11 or later (the ERROR and ROW_COUNT "
		       "variables)");
	sb_puts(sb, "\\endif\n");
}

/*
 * Prisma's session: UTF-8, and the schema of _prisma_migrations as the
 * search_path (Prisma sets it from the URL). The schema is fixed once,
 * here, before any change: the export's when it names one (a dump),
 * else the session's current schema, kept in the psql variable
 * migdoctor_schema. Every reference to the table outside a DO block is
 * qualified with it; the guards' DO blocks (which psql does not read) run
 * before any migration, with this one schema as the search_path.
 */
static void session(struct writer *w)
{
	struct sbuf *sb = w->out;

	sb_puts(sb, "-- Prisma's session: UTF-8, the schema of _prisma_migrations in the path.\n"
		"SET client_encoding TO 'UTF8';\n");
	if (w->schema) {
		sb_puts(sb, "SET search_path TO ");
		script_ident(&w->bad, sb, w->schema);
		sb_puts(sb, ";\n");
	} else {
		sb_puts(sb, "-- The history names no schema (a CSV or JSON export): the table\n"
			"-- is in the session's current schema, read once here (PGOPTIONS=\n"
			"-- '-c search_path=NAME' chooses another); every use of the table\n"
			"-- below is qualified with it, whatever a migration does to search_path.\n"
			"SELECT pg_catalog.current_schema() AS migdoctor_schema \\gset\n"
			"\\if :{?migdoctor_schema}\n\\else\n");
		stop_unchanged(sb, "search_path names no schema that exists");
		sb_puts(sb, "\\endif\n"
			"\\echo 'migdoctor: _prisma_migrations in schema' :\"migdoctor_schema\"\n"
			"SET search_path TO :\"migdoctor_schema\";\n");
	}
	sb_puts(sb, "-- The role the row bookkeeping runs as, whatever role a migration sets.\n"
		"SELECT current_user AS migdoctor_role \\gset\n");
}

static void header(struct writer *w)
{
	const struct plan *p = &w->a->plan;
	struct sbuf *sb = w->out;

	sb_puts(sb, "-- migdoctor deploy script (migdoctor " MD_VERSION ")\n--\n"
		"-- What native 'prisma migrate deploy' (Prisma 5.4.2, as LiteLLM runs it)\n"
		"-- would do on this database, for where Prisma cannot run. Read it, then\n"
		"-- run it with psql 11 or later, as the user Prisma connects as, in\n"
		"-- autocommit (not psql -1):\n"
		"--   psql -v ON_ERROR_STOP=1 -f deploy.sql \"$DATABASE_URL\"\n"
		"-- It holds Prisma's advisory lock while it runs, and first checks that the\n"
		"-- database is as the inputs showed; else it stops with nothing changed.\n"
		"-- For each migration, as the engine does: the _prisma_migrations row is\n"
		"-- inserted and committed (started_at, 0 steps); migration.sql is sent as\n"
		"-- ONE query, byte for byte (the server runs it as one implicit\n"
		"-- transaction); then applied_steps_count = 1 and finished_at. If a\n"
		"-- migration fails, nothing of it stays (unless it commits on its own),\n"
		"-- its row stays failed with the error in logs, as Prisma leaves it (the\n"
		"-- next deploy stops with P3009), and the script stops. The row's id\n"
		"-- stays in psql and its table is qualified: what a migration does to\n"
		"-- the session (search_path, role, settings) does not reach the row.\n"
		"-- See doc/deploy-script.md.\n--\n");
	script_inputs(sb, w->o->inputs, w->o->ninputs);
	sb_puts(sb, "--\n");
	script_commentf(sb, "Predicted, on %s: 'migrate deploy' applies %zu migration%s, "
			"and succeeds:",
			p->on_real_schema ? "the schema of the dump" :
			"the schema the history implies",
			p->napply, p->napply == 1 ? "" : "s");
	for (size_t i = 0; i < p->napply; i++)
		script_commentf(sb, "  %s", p->apply[i]->name);
	sb_puts(sb, "\n");
	psql_probe(sb);
	session(w);
	sb_puts(sb, "-- Prisma's advisory lock, waited for as long as the engine waits (then\n"
		"-- it fails), held until the end: a LiteLLM starting now waits for it.\n"
		"SET lock_timeout TO '" PRISMA_LOCK_TIMEOUT "';\n"
		"DO $migdoctor$ BEGIN PERFORM pg_catalog.pg_advisory_lock(" PRISMA_LOCK "); "
		"END $migdoctor$;\n"
		"RESET lock_timeout;\n");
}

#define NOT_AS_SHOWN "        RAISE EXCEPTION 'migdoctor: the database is not as the export " \
		     "showed: %; nothing was changed',\n            "

/* The table's rows: the script adds exactly its own, where no row is failed. */
static void row_guards(struct writer *w, struct sbuf *body)
{
	const struct plan *p = &w->a->plan;
	const char *schema = w->schema;

	if (!w->a->in->has_history_table) {
		/* the engine creates the table where the schema has no other (P3005 otherwise) */
		sb_puts(body, "    IF ");
		script_rel_exists(body, schema, "_prisma_migrations");
		sb_puts(body, " THEN\n" NOT_AS_SHOWN "'table \"_prisma_migrations\" exists';\n"
			"    END IF;\n"
			"    IF EXISTS (SELECT FROM pg_catalog.pg_class c\n"
			"               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
			"               WHERE n.nspname = current_schema() "
			"AND c.relkind IN ('r', 'p')) THEN\n"
			NOT_AS_SHOWN "'the schema has tables (deploy would stop with P3005)';\n"
			"    END IF;\n");
		return;
	}
	sb_puts(body, "    IF NOT ");
	script_rel_exists(body, schema, "_prisma_migrations");
	sb_puts(body, " THEN\n" NOT_AS_SHOWN "'table \"_prisma_migrations\" is missing';\n"
		"    END IF;\n    IF EXISTS (SELECT FROM ");
	sb_puts(body, w->dotable.buf);
	sb_puts(body, " WHERE finished_at IS NULL AND rolled_back_at IS NULL) THEN\n"
		"        RAISE EXCEPTION 'migdoctor: _prisma_migrations has a failed row "
		"(deploy would stop with P3009); nothing was changed';\n    END IF;\n");
	for (size_t i = 0; i < p->napply; i++) {
		sb_puts(body, "    IF EXISTS (SELECT FROM ");
		sb_puts(body, w->dotable.buf);
		sb_puts(body, " WHERE migration_name = ");
		script_lit(body, p->apply[i]->name);
		sb_puts(body, " AND rolled_back_at IS NULL) THEN\n"
			"        RAISE EXCEPTION 'migdoctor: % is already in _prisma_migrations "
			"(has this script run?); nothing was changed', ");
		script_lit(body, p->apply[i]->name);
		sb_puts(body, ";\n    END IF;\n");
	}
}

static void guards(struct writer *w)
{
	struct sbuf body = SBUF_INIT;

	row_guards(w, &body);
	for (size_t i = 0; i < w->a->plan.npremises; i++)
		script_premise_guard(&body, &w->ar, &w->a->plan.premises[i]);
	script_guard_block(w->out, "\n-- Guards: stop, with nothing changed, unless\n"
			   "-- _prisma_migrations lacks the rows this script adds and has no\n"
			   "-- failed row, and every object the migrations name is present or\n"
			   "-- absent as the export showed (the database this runs on is the\n"
			   "-- truth).\n", body.buf);
	sbuf_release(&body);
	if (!w->a->in->has_history_table) {
		sb_puts(w->out, "\n-- The history table, as the engine creates it.\n"
			"CREATE TABLE ");
		sb_puts(w->out, w->table.buf);
		sb_puts(w->out, script_prisma_table_ddl);
	}
}

/* A v4 UUID (random; 122 bits from md5), the same expression on PostgreSQL 12 and later. */
static const char uuid_sql[] =
	"substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-'\n"
	"           || substr('89ab', 1 + floor(random() * 4)::int, 1) || substr(h, 18, 3)\n"
	"           || '-' || substr(h, 21, 12)";

/* Prisma's P3018 text (the engine's logs), with what psql knows of the error. */
static const char p3018_sql[] =
	"'A migration failed to apply. New migrations cannot be applied before the error is "
	"recovered from. Read more about how to resolve migration issues in a production "
	"database: https://pris.ly/d/migrate-resolve'\n"
	"    || chr(10) || chr(10) || 'Migration name: ' || ";

/*
 * A transaction for the row's bookkeeping, with settings of its own (SET
 * LOCAL ends with it): what a migration left in the session (search_path,
 * role, timeouts, read-only) stays for the next migrations, as under
 * Prisma, but does not reach the row. The table is qualified; functions
 * and operators resolve in pg_catalog; the role is the script's own.
 */
static void bookkeeping_begin(struct sbuf *sb)
{
	sb_puts(sb, "BEGIN READ WRITE;\n"
		"SET LOCAL search_path TO pg_catalog, pg_temp;\n"
		"SET LOCAL ROLE :\"migdoctor_role\";\n"
		"SET LOCAL statement_timeout TO DEFAULT;\n"
		"SET LOCAL lock_timeout TO DEFAULT;\n");
}

/* After an UPDATE of the row: one row, else stop (a no-op must not pass for success). */
static void row_check(struct writer *w, const char *name, const char *what)
{
	struct sbuf *sb = w->out;

	sb_puts(sb, "\\if :ROW_COUNT\n\\else\n");
	sbuf_reset(&w->body);
	sb_printf(&w->body, "    RAISE EXCEPTION 'migdoctor: migration %% %s; see "
		  "doc/deploy-script.md', ", what);
	script_lit(&w->body, name);
	sb_puts(&w->body, ";\n");
	script_guard_block(sb, "", w->body.buf);
	sb_puts(sb, "\\endif\n");
}

/* The UPDATE that records a failure: Prisma's logs, finished_at left NULL. */
static void record_failure(struct writer *w, const char *name)
{
	struct sbuf *sb = w->out;

	sb_puts(sb, "\\if :ERROR\n"
		"-- It failed: PostgreSQL rolled it back (a migration with its own\n"
		"-- BEGIN/COMMIT may have committed part of it; ROLLBACK ends what it left\n"
		"-- open). As the engine does: the error in logs, finished_at left NULL;\n"
		"-- then stop.\n"
		"ROLLBACK;\n");
	bookkeeping_begin(sb);
	sb_puts(sb, "UPDATE ");
	sb_puts(sb, w->table.buf);
	sb_puts(sb, " SET logs = ");
	sb_puts(sb, p3018_sql);
	script_lit(sb, name);
	sb_puts(sb, "\n    || chr(10) || chr(10) || 'Database error code: '\n"
		"    || :'LAST_ERROR_SQLSTATE'\n"
		"    || chr(10) || chr(10) || 'Database error:' || chr(10) || 'ERROR: '\n"
		"    || :'LAST_ERROR_MESSAGE'\n"
		"    || chr(10) || chr(10) || '(migdoctor deploy script)'\n"
		"    WHERE id = :'migdoctor_row';\n");
	row_check(w, name, "failed, and its row was not found to record the error");
	sb_puts(sb, "COMMIT;\n");
	sbuf_reset(&w->body);
	sb_puts(&w->body, "    RAISE EXCEPTION 'migdoctor: migration % failed; its row is left "
		"failed with the error in logs', ");
	script_lit(&w->body, name);
	sb_puts(&w->body, ";\n");
	script_guard_block(sb, "", w->body.buf);
	sb_puts(sb, "\\endif\n");
}

static void record_success(struct writer *w, const char *name)
{
	struct sbuf *sb = w->out;
	const char *what = "ran, but its row was not found to mark it finished";

	sb_puts(sb, "-- It succeeded: as record_successful_step, then "
		"record_migration_finished.\n");
	bookkeeping_begin(sb);
	sb_puts(sb, "UPDATE ");
	sb_puts(sb, w->table.buf);
	sb_puts(sb, " SET applied_steps_count = applied_steps_count + 1\n"
		"    WHERE id = :'migdoctor_row';\n");
	row_check(w, name, what);
	sb_puts(sb, "UPDATE ");
	sb_puts(sb, w->table.buf);
	sb_puts(sb, " SET finished_at = now() WHERE id = :'migdoctor_row';\n");
	row_check(w, name, what);
	sb_puts(sb, "COMMIT;\n");
}

static void migration(struct writer *w, size_t k)
{
	const struct mig_state *ms = w->a->plan.apply[k];
	const struct migration *m = ms->m;
	struct sbuf *sb = w->out;

	sb_puts(sb, "\n");
	script_commentf(sb, "[%zu/%zu] %s", k + 1, w->a->plan.napply, ms->name);
	script_commentf(sb, "%s, %zu bytes, sha256 %s", m->path, m->len, m->checksum);
	sb_puts(sb, "-- The row, committed before the script runs (record_migration_started).\n"
		"-- psql keeps its id (migdoctor_row), where no SQL can reset it.\n"
		"\\unset migdoctor_row\n");
	bookkeeping_begin(sb);
	/* the line the engine prints, so that a DBA sees where the script is */
	sbuf_reset(&w->body);
	sb_puts(&w->body, "    RAISE NOTICE 'Applying migration `%`', ");
	script_lit(&w->body, ms->name);
	sb_puts(&w->body, ";\n");
	script_guard_block(sb, "", w->body.buf);
	sb_puts(sb, "INSERT INTO ");
	sb_puts(sb, w->table.buf);
	sb_puts(sb, " (id, checksum, started_at, migration_name)\n    SELECT ");
	sb_puts(sb, uuid_sql);
	sb_puts(sb, ",\n           ");
	script_lit(sb, m->checksum);
	sb_puts(sb, ", now(), ");
	script_lit(sb, ms->name);
	sb_puts(sb, "\n    FROM (SELECT md5(random()::text || clock_timestamp()::text"
		" || pg_backend_pid()::text) AS h) AS r\n"
		"    RETURNING id AS migdoctor_row \\gset\nCOMMIT;\n"
		"-- migration.sql, byte for byte, sent as one query by \\gexec (psql reads\n"
		"-- nothing inside the dollar quotes). An error is recorded, not fatal.\n"
		"\\set ON_ERROR_STOP off\nSELECT ");
	if (sql_quote_dollar(sb, m->text, m->len, "migdoctor_sql"))
		w->bad = 2; /* a NUL byte: the parser refuses such files first */
	sb_puts(sb, " \\gexec\n\\set ON_ERROR_STOP on\n");
	record_failure(w, ms->name);
	record_success(w, ms->name);
}

int deploy_write(struct sbuf *out, const struct analysis *a, const struct repair_opts *o,
		 struct md_error *err)
{
	struct writer w = { out, a, o, 0, NULL, SBUF_INIT, SBUF_INIT, SBUF_INIT, { 0 } };
	size_t start = out->len;

	if (deploy_refusal(a, err)) {
		md_error_prefix(err, "refusing to write the deploy script: ");
		return -1;
	}
	if (a->plan.outcome != PLAN_APPLIES)
		return 0;
	arena_init(&w.ar);
	w.schema = a->in->hist->schema_name;
	if (w.schema) {
		script_history_table(&w.bad, &w.table, w.schema);
	} else {
		/* psql quotes the variable as an identifier (it comes from the server) */
		sb_puts(&w.table, ":\"migdoctor_schema\".\"_prisma_migrations\"");
	}
	script_history_table(&w.bad, &w.dotable, w.schema);
	header(&w);
	guards(&w);
	for (size_t i = 0; i < a->plan.napply; i++)
		migration(&w, i);
	sb_printf(out, "\nDO $migdoctor$ BEGIN PERFORM pg_catalog.pg_advisory_unlock(" PRISMA_LOCK
		  "); END $migdoctor$;\n"
		  "\\echo 'migdoctor: %zu migration%s applied'\n", a->plan.napply,
		  a->plan.napply == 1 ? "" : "s");
	sbuf_release(&w.table);
	sbuf_release(&w.dotable);
	sbuf_release(&w.body);
	arena_release(&w.ar);
	if (w.bad) {
		sbuf_setlen(out, start);
		return md_fail(err, "%s", w.bad == 1 ?
			       "a name in the inputs holds a control character; refusing to write "
			       "it into SQL" : "a migration holds a NUL byte; refusing it");
	}
	return 0;
}
