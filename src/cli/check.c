/*
 * check.c - 'migdoctor check' (the diagnosis and the repair script) and
 * 'migdoctor plan' (the dry run of 'migrate deploy', and with -o the deploy
 * as a psql script): gather the inputs, run the analysis, render.
 */
#include "migdoctor/common.h"
#include "migdoctor/analysis.h"
#include "migdoctor/bundle.h"
#include "migdoctor/catalog.h"
#include "migdoctor/history.h"
#include "migdoctor/logs.h"
#include "migdoctor/migrations.h"
#include "migdoctor/report.h"
#include "migdoctor/sniff.h"
#include "cli.h"

#include <sys/stat.h>
#include <unistd.h>

#define INPUT_OPTS(m_help)                                                                     \
	{ 'm', 'm', "migrations", "DIR", m_help, 0, NULL },                                     \
	{ 'H', 'H', "history", "FILE", "_prisma_migrations: pg_dump (plain, -Fc, -Fd, -Ft,\n"    \
	  "gzip), CSV, COPY text, JSON or pasted psql output;\na full pg_dump also gives the "     \
	  "schema; '-' is\nstandard input (one input at most)",                                \
	  0, NULL },                                                                            \
	{ 's', 's', "schema", "FILE", "the real schema: pg_dump -s (or any dump with DDL)",     \
	  0, NULL },                                                                            \
	{ 'l', 'l', "log", "FILE", "LiteLLM start-up log (repeat for rotated logs,\n"           \
	  "oldest first)", 0, NULL }

#define REPORT_OPTS                                                                              \
	{ 'f', 'f', "format", "FORMAT", "text (default) or json", 0, NULL },                      \
	{ CLI_O_BRIEF, 0, "brief", NULL, "problems only: the text report lists the\n"             \
	  "migrations that have a finding or are not applied\nand present, and counts the rest "  \
	  "in one line", 0, NULL },                                                                \
	{ CLI_O_COLOR, 0, "color", "WHEN", "colour in the text report: auto (the default: on\n"   \
	  "a terminal, unless NO_COLOR is set or TERM=dumb),\nalways or never", CLI_ARG_OPTIONAL,  \
	  NULL }

#define DUMP_OPTS                                                                              \
	{ 'n', 'n', "schema-name", "S", "schema of _prisma_migrations when the dump has\n"     \
	  "several", 0, NULL },                                                                  \
	{ 'd', 'd', "database", "D", "database of a pg_dumpall to read", 0, NULL },            \
	{ CLI_O_DEPLOY_TIMEOUT, 0, "deploy-timeout", "SECONDS",                                \
	  "LiteLLM's deploy timeout the hazards are\nweighed against (default 60; LiteLLM's\n"     \
	  "LITELLM_PRISMA_MIGRATE_DEPLOY_TIMEOUT)", 0, NULL }

static const struct cli_opt check_opts[] = {
	{ 0, 0, NULL, NULL,
	  "inputs (positional INPUTs are recognised by content; a folder may hold them all):", 0, NULL },
	INPUT_OPTS("the prisma/migrations directory of the version to run"),
	{ 0, 0, NULL, NULL, "options:", 0, NULL },
	{ 'o', 'o', "output", "FILE", "write the repair script there, atomically: a new\n"
	  "file or a regular file (a symlink: its target); a\nFIFO, device or directory is refused. "
	  "'-' is\nstdout, and the report then goes to stderr. With\nnothing to repair, a script an "
	  "earlier run left\nat FILE is removed", 0, NULL },
	REPORT_OPTS,
	{ CLI_O_FAIL_ON, 0, "fail-on", "LEVEL", "exit 1 when a finding is at least error (default),\n"
	  "warning or info; 'never' to always exit 0 when read", 0, NULL },
	DUMP_OPTS,
	{ CLI_O_BACKUP_SUFFIX, 0, "backup-suffix", "S", "suffix of the backup table the script creates "
	  "in\nthe schema migdoctor_backup (default: the dump's\ntime, else a hash of the history)", 0,
	  NULL },
	{ CLI_O_SCHEMA_COMPLETE, 0, "schema-complete", NULL, "the schema export is whole (no pg_dump "
	  "-t/-T): a\ntable absent from it is missing, not unknown", 0, NULL },
	CLI_OPTS_COMMON,
};

const struct cli_cmd cli_cmd_check = {
	"check",
	"usage: migdoctor check [INPUT...] [-m DIR] [-H FILE] [-s FILE] [-l FILE]... [-o repair.sql]\n"
	"\n"
	"Diagnose a database's Prisma migration state offline, from what can be exported:\n"
	"the migrations directory, the _prisma_migrations rows, the schema, start-up logs.\n"
	"Says, migration by migration, what the history claims, what the schema holds and\n"
	"what the logs saw; each finding has a stable code (see 'man migdoctor'), evidence\n"
	"and a fix; -o writes a repair script to review and run with psql.\n",
	check_opts, MD_ARRAY_LEN(check_opts),
	"--brief is for reading a report, the full table for pasting it into a ticket;\n"
	"--format json is always complete.\n"
	"\n"
	"examples:\n"
	"  migdoctor check customer-bundle/\n"
	"  migdoctor check --brief customer-bundle/\n"
	"  migdoctor check -m migrations/ -H dump.custom -l startup.log -o repair.sql\n"
	"  migdoctor check -m migrations/ -H history.csv -s schema.sql --format json\n"
	"\n"
	"exit status: 0 healthy (or findings below --fail-on); 1 findings at or above\n"
	"--fail-on; 2 usage error; 3 unreadable or invalid input; 4 internal error\n",
};

static const struct cli_opt plan_opts[] = {
	INPUT_OPTS("the migrations directory of the version to deploy"),
	{ 'o', 'o', "output", "FILE", "write the deploy script there (what deploy would\n"
	  "do, as a psql script), atomically, as check -o\nwrites; '-' is stdout. Refused (exit 1, "
	  "the reason\non stderr) when deploy is predicted to fail or be\nrefused; with nothing to "
	  "apply, none is written\nand an earlier one at FILE is removed", 0, NULL },
	REPORT_OPTS,
	{ CLI_O_FAIL_ON, 0, "fail-on", "LEVEL", "'never': exit 0 whenever the inputs were read;\n"
	  "any other level: exit 1 when deploy would fail or\nbe refused (the default); 'warning': "
	  "also when\na statement's hazards are findings (MD024-MD026)", 0, NULL },
	DUMP_OPTS,
	CLI_OPTS_COMMON,
};

const struct cli_cmd cli_cmd_plan = {
	"plan",
	"usage: migdoctor plan -m DIR [-H FILE] [-s FILE] [-l FILE]... [-o deploy.sql] [OPTIONS]\n"
	"\n"
	"Dry run of 'prisma migrate deploy' of DIR on the database the exports describe:\n"
	"which migrations it would apply, and which statement of which migration would\n"
	"fail, with the SQLSTATE PostgreSQL would give (42P01, 42P07, 42701, 42703, 42704\n"
	"...) and why. Before touching production, with the new version's migrations.\n"
	"Without -s, the schema the history implies is used. Then the hazards of each\n"
	"statement on an existing table: its lock, a scan or rewrite, the table's size in\n"
	"the dump, an estimated duration (a model: BENCHMARKS.md), and what breaks the\n"
	"running version during a rolling upgrade (warnings MD024-MD026). With -o, the\n"
	"deploy itself as a psql script, for where Prisma cannot run: each migration's\n"
	"_prisma_migrations row as Prisma writes it, and its SQL byte for byte, after\n"
	"guards that the database is as the inputs showed (see 'man migdoctor').\n",
	plan_opts, MD_ARRAY_LEN(plan_opts),
	"examples:\n"
	"  migdoctor plan -m new-version/migrations -H dump.sql\n"
	"  migdoctor plan -m new-version/migrations -H dump.custom -o deploy.sql\n"
	"\n"
	"exit status: 0 deploy would succeed (or apply nothing); 1 it would fail or be\n"
	"refused (with -o: no script); 2 usage error; 3 unreadable or invalid input;\n"
	"4 internal error\n",
};

struct inputs {
	bool hash;           /* sha256 of each input: only for the repair script's header */
	const char *migrations;
	const char *history;
	const char *schema;
	const char *dump;    /* a pg_dump recognised by content */
	const char *export;  /* a CSV/COPY/psql export recognised by content */
	bool schema_complete;
	const char **logs;
	size_t nlogs, logs_cap;
	struct input_desc *desc;
	size_t ndesc, desc_cap;
	const char *packed;  /* a bundle written by 'migdoctor bundle' (bundle.h) */
	struct bundle_manifest pm;
};

static int assign(const char *cmd, struct inputs *in, const char *path, enum input_role role)
{
	switch (role) {
	case ROLE_MIGRATIONS:
		return cli_set_role(cmd, &in->migrations, path, "migrations directories", "give one with -m");
	case ROLE_DUMP:
		return cli_set_role(cmd, &in->dump, path, "dumps", "choose with -H and -s");
	case ROLE_HISTORY:
		return cli_set_role(cmd, &in->export, path, "exports of _prisma_migrations", "choose one with -H");
	case ROLE_LOG:
		MD_GROW(in->logs, in->nlogs, in->logs_cap);
		in->logs[in->nlogs++] = path;
		return 0;
	default:
		return 0;
	}
}

/*
 * Inputs recognised by content take the roles the flags left: an export
 * is the history; a dump is the schema (and its rows the history, when it
 * has them: load() decides once it is read), or the history when -s named
 * another schema.
 */
static int resolve_roles(const char *cmd, struct inputs *in)
{
	if (in->export && cli_set_role(cmd, &in->history, in->export, "histories",
				   "give one with -H"))
		return MD_EXIT_USAGE;
	if (!in->dump)
		return 0;
	if (!in->schema || cli_same_input(in->schema, in->dump)) {
		in->schema = in->dump;
		return 0;
	}
	if (cli_set_role(cmd, &in->history, in->dump, "histories", "give one with -H"))
		return MD_EXIT_USAGE;
	return 0;
}

/*
 * A bundle: its dump.sql is a dump (or, without DDL, a history export)
 * that history_read() reads; its logs are read in load() (packed_logs).
 */
static int packed_assign(const char *cmd, struct inputs *in, const char *path, struct md_error *err)
{
	if (in->packed && !cli_same_input(in->packed, path))
		return cli_usage_error(cmd, "two bundles ('%s', '%s'); give one", in->packed, path);
	if (in->packed)
		return 0;
	if (bundle_manifest_read(&in->pm, path, err))
		return -1;
	in->packed = path;
	/* the rows were a history of their own (-H): read them as one, as check read that file */
	if (in->pm.has_rows && in->pm.hist_separate)
		return cli_set_role(cmd, &in->history, path, "histories", "give one with -H");
	if (in->pm.has_ddl)
		return assign(cmd, in, path, ROLE_DUMP);
	return in->pm.has_rows ? assign(cmd, in, path, ROLE_HISTORY) : 0;
}

/* A folder of inputs: each entry recognised by its content. */
static int bundle(const char *cmd, struct inputs *in, const char *dir, char ***keep, size_t *nkeep,
		  size_t *keep_cap, struct md_error *err)
{
	char **names = NULL;
	size_t n = 0;
	int rc = 0;

	if (cli_folder_entries(dir, &names, &n, err))
		return -1;
	for (size_t i = 0; i < n; i++) {
		enum input_role role;
		struct md_error e;

		MD_GROW(*keep, *nkeep, *keep_cap);
		(*keep)[(*nkeep)++] = names[i];
		if (input_sniff(names[i], &role, &e)) {
			md_warnf("%s: skipped: %s", dir, e.msg);
			continue;
		}
		if (role == ROLE_BUNDLE)
			continue;
		rc = role == ROLE_PACKED ? packed_assign(cmd, in, names[i], err)
					 : assign(cmd, in, names[i], role);
		if (rc)
			break;
	}
	free(names);
	if (rc < 0)
		return -1;
	if (!rc && !in->migrations && !in->history && !in->dump && !in->export && !in->nlogs)
		return md_fail(err, "'%s' holds no migrations folder, dump, export or log", dir);
	return rc ? MD_EXIT_USAGE : 0;
}

static void add_desc(struct inputs *in, const char *role, const char *path, const char *detail,
		     bool hash)
{
	struct input_desc *d;
	struct md_error e;

	MD_GROW(in->desc, in->ndesc, in->desc_cap);
	d = &in->desc[in->ndesc++];
	memset(d, 0, sizeof(*d));
	d->role = role;
	d->path = path;
	d->detail = detail;
	/* a full read of every input: worth it only when a script will name them */
	if (hash && in->hash && md_sha256_file(path, d->sha256, &e))
		d->sha256[0] = '\0';
}

struct state {
	struct migration_dir dir;
	struct history hist, schema_hist;
	struct catalog schema;
	struct log_events logs;
	bool have_dir, have_hist, have_schema, have_logs;
	struct arena arena;
	struct bundle_sizes sizes;  /* of the dump's tables (the hazards' estimates) */
};

/* The rows of _prisma_migrations are in it (not a schema-only dump, not one without the table). */
static bool has_rows(const struct history *h)
{
	return (h->flags & HIST_TABLE_SEEN) && !(h->flags & HIST_NO_ROW_DATA);
}

/* A dump that holds no table but _prisma_migrations ('pg_dump -t'): history only. */
static bool history_only(const struct catalog *c)
{
	for (size_t i = 0; i < c->ntables; i++)
		if (strcmp(c->tables[i]->name, "_prisma_migrations"))
			return false;
	return true;
}

static int load_schema(struct inputs *in, struct state *st, const struct history *h, const char *path,
		       bool same_file, struct analysis_input *ai)
{
	catalog_init(&st->schema, h->schema_name);
	catalog_from_dump(&st->schema, h->ddl, h->nddl, h->source);
	st->have_schema = true;
	if (st->schema.nunparsed)
		md_warnf("%s: %zu schema statement%s did not parse and were left out of the schema", path,
			 st->schema.nunparsed, st->schema.nunparsed == 1 ? "" : "s");
	if (history_only(&st->schema)) {
		ai->schema_note = arena_printf(&st->arena, "%s holds no table but _prisma_migrations "
					       "(pg_dump -t): it is the history only", path);
		return 0;
	}
	ai->schema = &st->schema;
	ai->schema_source = path;
	add_desc(in, "schema", path, same_file ?
		 arena_printf(&st->arena, "from the same dump, %zu tables", st->schema.ntables) :
		 arena_printf(&st->arena, "%zu tables", st->schema.ntables), !same_file);
	return 0;
}

/* The bundle, and the files it was made from (its manifest), in the report's inputs. */
static void packed_desc(struct inputs *in, struct state *st)
{
	struct sbuf sb = SBUF_INIT;

	sb_printf(&sb, "written by migdoctor %s from", in->pm.version ? in->pm.version : "?");
	for (size_t i = 0; i < in->pm.nsources; i++)
		sb_printf(&sb, "%s %s %s (%llu bytes%s%.12s)", i ? "," : "", in->pm.sources[i].role,
			  in->pm.sources[i].name, (unsigned long long)in->pm.sources[i].size,
			  *in->pm.sources[i].sha256 ? ", sha256 " : "", in->pm.sources[i].sha256);
	add_desc(in, "bundle", in->packed, arena_strdup(&st->arena, sb.buf), true);
	sbuf_release(&sb);
}

/* The bundle's logs, at their original line numbers; each named as bundle[log]. */
static int packed_logs(struct inputs *in, struct state *st, struct analysis_input *ai,
		       struct md_error *err)
{
	if (!in->pm.nlogs)
		return 0;
	if (logs_read_bundle(&st->logs, &in->pm, in->packed, err))
		return -1;
	st->have_logs = true;
	ai->logs = &st->logs;
	for (size_t i = 0; i < in->pm.nlogs; i++) {
		struct input_desc *d;

		add_desc(in, "log", arena_printf(&st->arena, "%s[%s]", in->packed, in->pm.logs[i].source),
			 NULL, false);
		d = &in->desc[in->ndesc - 1];
		for (size_t k = 0; k < in->pm.nsources; k++)
			if (in->hash && !strcmp(in->pm.sources[k].role, "log") &&
			    !strcmp(in->pm.sources[k].name, in->pm.logs[i].source))
				snprintf(d->sha256, sizeof(d->sha256), "%s", in->pm.sources[k].sha256);
	}
	return 0;
}

static int load(struct inputs *in, struct state *st, const struct history_opts *hopts,
		struct analysis_input *ai, struct md_error *err)
{
	const struct history *hist = NULL, *schema = NULL;
	bool hist_is_schema = false;

	memset(ai, 0, sizeof(*ai));
	ai->schema_complete = in->schema_complete;
	if (in->packed)
		packed_desc(in, st);
	if (in->migrations) {
		if (migration_dir_load(&st->dir, in->migrations, err))
			return -1;
		st->have_dir = true;
		ai->dir = &st->dir;
		for (size_t i = 0; i < st->dir.n; i++) {
			const struct sql_script *sc = &st->dir.v[i].script;

			if (sc->rejected)
				md_warnf("%s:%u:%u: PostgreSQL would reject this file (%s: %s); deploy fails "
					 "there", st->dir.v[i].path, sc->reject_line, sc->reject_column,
					 sc->reject_sqlstate, sql_error_brief(&st->arena, sc->reject_message));
			else if (sc->nerrors)
				md_warnf("%s: %zu statement%s not parse (see 'migdoctor touches')",
					 st->dir.v[i].path, sc->nerrors, sc->nerrors == 1 ? " does" : "s do");
		}
		add_desc(in, "migrations", in->migrations,
			 arena_printf(&st->arena, "%zu migrations", st->dir.n), false);
	}
	if (in->schema) {
		struct history_opts so = *hopts;

		so.allow_no_rows = true;
		so.tap = bundle_sizes_tap;
		so.tap_ctx = &st->sizes;
		if (history_read(&st->schema_hist, in->schema, &so, err))
			return -1;
		if (!st->schema_hist.nddl)
			return md_fail(err, "%s holds no schema statements (CREATE TABLE ...); expected "
				       "pg_dump -s output or a dump with DDL", in->schema);
		schema = &st->schema_hist;
	}
	if (in->history && schema && cli_same_input(in->history, in->schema)) {
		hist = schema;
	} else if (in->history && schema && in->history == in->export && has_rows(schema)) {
		/* a folder with a dump and a CSV of the same table: the dump tells NULL from '' */
		md_warnf("%s: not read: the rows of %s are used (a dump tells NULL from '', a CSV "
			 "cannot)", in->export, in->schema);
		hist = schema;
	} else if (in->history) {
		struct history_opts ho = *hopts;

		if (!schema) {
			ho.tap = bundle_sizes_tap;
			ho.tap_ctx = &st->sizes;
		}
		if (history_read(&st->hist, in->history, &ho, err))
			return -1;
		if (st->hist.flags & HIST_NO_ROW_DATA)
			return md_fail(err, "%s holds the _prisma_migrations table but no rows (%s); expected "
				       "a dump with data, a CSV or psql output (give a schema-only dump with -s)",
				       in->history, st->hist.format ? st->hist.format : "no data");
		hist = &st->hist;
	} else if (schema && (has_rows(schema) || !(schema->flags & HIST_TABLE_SEEN))) {
		/* a full dump given as the schema holds the rows too, or says there is no table (P3005) */
		hist = schema;
	}
	if (hist) {
		const char *path = hist == schema ? in->schema : in->history;

		st->have_hist = true;
		ai->hist = hist;
		ai->has_history_table = (hist->flags & HIST_TABLE_SEEN) || hist->nrows;
		add_desc(in, "history", path,
			 arena_printf(&st->arena, "%s, %zu row%s%s%s",
				      hist->format ? hist->format : "?", hist->nrows, hist->nrows == 1 ? "" : "s",
				      hist->schema_name ? ", schema " : "",
				      hist->schema_name ? hist->schema_name : ""), true);
		/* the rows' file is the one the bundle names: the script's row ids come from its sha256 */
		if (in->packed && path == in->packed && in->hash)
			snprintf(in->desc[in->ndesc - 1].sha256, 65, "%s",
				 in->pm.hist_sha256 ? in->pm.hist_sha256 : "");
		if (hist->flags & HIST_NULL_AMBIGUOUS)
			md_warnf("%s: this format cannot tell NULL from '' in some values; the row "
				 "fingerprints that depend on it are uncertain", path);
		hist_is_schema = hist == schema;
	} else if (schema && (schema->flags & HIST_TABLE_SEEN)) {
		ai->schema_note_rows = arena_printf(&st->arena, "%s holds _prisma_migrations without its "
						    "rows (pg_dump -s)", in->schema);
	}
	/*
	 * An archive's sizes come from its TOC (a text dump's were measured
	 * while it was read). They only feed the hazards' estimates: a dump
	 * they cannot be read from has none, and is no error.
	 */
	{
		const char *sz = in->schema ? in->schema : in->history;
		struct md_error ignored;

		if (sz && !md_path_is_stdin(sz) && sz != in->packed &&
		    bundle_sizes_archive(&st->sizes, sz, &ignored)) {
			bundle_sizes_release(&st->sizes);
			bundle_sizes_init(&st->sizes);
		}
		/* a bundle holds the sizes its dump had, measured when it was made */
		if (in->packed && !st->sizes.n &&
		    bundle_sizes_read(&st->sizes, in->packed, &ignored))
			md_warnf("%s; the hazards get no size estimates", ignored.msg);
	}
	ai->sizes = &st->sizes;
	if (schema)
		load_schema(in, st, schema, in->schema, hist_is_schema, ai);
	else if (hist && hist->nddl)
		load_schema(in, st, hist, in->history, true, ai); /* a full dump is the schema too */
	for (size_t i = 0; i < in->nlogs; i++) {
		if (logs_read(&st->logs, in->logs[i], err))
			return -1;
		st->have_logs = true;
		ai->logs = &st->logs;
		add_desc(in, "log", in->logs[i], NULL, true);
	}
	if (in->packed && packed_logs(in, st, ai, err))
		return -1;
	if (ai->logs && st->logs.n)
		in->desc[in->ndesc - 1].detail = arena_printf(&st->arena, "%zu migration events in %zu file%s",
							      st->logs.n, in->nlogs + in->pm.nlogs,
							      in->nlogs + in->pm.nlogs == 1 ? "" : "s");
	return 0;
}

/*
 * plan -o: the deploy script, or why not (on stderr; exit 1). Where none
 * is written, a script an earlier run left at the path is removed, so
 * that no stale deploy can be run by mistake.
 */
static int plan_script(const char *output, const struct analysis *a, const struct repair_opts *ro,
		       struct sbuf *script, bool *refused)
{
	struct md_error err;

	md_error_clear(&err);
	if (deploy_write(script, a, ro, &err)) {
		md_errorf("%s", err.msg);
		*refused = true;
		sbuf_reset(script);
	}
	if (!script->len)
		return cli_output_remove_stale(output, "deploy", *refused ? "refused" :
					       "nothing to deploy now");
	return cli_output_write(output, script->buf, script->len);
}

/* plan --fail-on warning: the hazards of its statements count too */
static bool hazard_findings(const struct analysis *a)
{
	for (size_t i = 0; i < a->nfindings; i++) {
		const char *c = a->findings[i]->code;

		if (!strcmp(c, "MD024") || !strcmp(c, "MD025") || !strcmp(c, "MD026"))
			return true;
	}
	return false;
}

static int run(int argc, char **argv, bool plan)
{
	const struct cli_cmd *cc = plan ? &cli_cmd_plan : &cli_cmd_check;
	const char *cmd = cc->name;
	struct cli_parser p;
	struct inputs in = { 0 };
	struct history_opts hopts = { 0 };
	enum cli_format fmt = CLI_FORMAT_TEXT;
	const char *output = NULL, *backup = NULL;
	int fail_on = SEV_ERROR, c, rc = MD_EXIT_OK;
	enum cli_color color = CLI_COLOR_AUTO;
	bool brief = false, refused = false;
	double deploy_timeout = 0;
	char **keep = NULL;
	size_t nkeep = 0, keep_cap = 0;
	struct state st;
	struct analysis_input ai;
	struct analysis a;
	struct md_error err;
	struct sbuf out = SBUF_INIT, script = SBUF_INIT;

	bundle_manifest_init(&in.pm);
	hopts.want_ddl = true;
	hopts.allow_no_rows = true;
	cli_parser_init(&p, cc, argc, argv);
	while ((c = cli_next(&p)) != CLI_END) {
		const char *arg = p.arg;

		switch (c) {
		case 'm':
			if (cli_set_role(cmd, &in.migrations, arg, "migrations directories", "give one -m"))
				return MD_EXIT_USAGE;
			break;
		case 'H':
			if (cli_set_role(cmd, &in.history, arg, "histories", "give one -H"))
				return MD_EXIT_USAGE;
			break;
		case 's':
			if (cli_set_role(cmd, &in.schema, arg, "schemas", "give one -s"))
				return MD_EXIT_USAGE;
			break;
		case CLI_O_SCHEMA_COMPLETE: in.schema_complete = true; break;
		case 'l':
			MD_GROW(in.logs, in.nlogs, in.logs_cap);
			in.logs[in.nlogs++] = arg;
			break;
		case 'o': output = arg; break;
		case 'n': hopts.schema_name = arg; break;
		case 'd': hopts.database = arg; break;
		case CLI_O_BACKUP_SUFFIX: backup = arg; break;
		case CLI_O_DEPLOY_TIMEOUT: {
			char *end;

			deploy_timeout = strtod(arg, &end);
			if (end == arg || *end || !(deploy_timeout > 0) || deploy_timeout > 1e7)
				return cli_usage_error(cmd, "--deploy-timeout takes seconds (a "
						       "number above 0), not '%s'", arg);
			break;
		}
		case 'f':
			if (cli_parse_format(cmd, arg, 1u << CLI_FORMAT_TEXT | 1u << CLI_FORMAT_JSON, &fmt))
				return MD_EXIT_USAGE;
			break;
		case CLI_O_FAIL_ON: {
			enum severity s;

			if (!strcmp(arg, "never"))
				fail_on = SEV_ERROR + 1;
			else if (severity_parse(arg, &s))
				return cli_usage_error(cmd, "unknown --fail-on '%s'; expected error, warning, "
						       "info or never", arg);
			else
				fail_on = (int)s;
			break;
		}
		case CLI_O_BRIEF: brief = true; break;
		case CLI_O_COLOR:
			if (cli_parse_color(cmd, arg, &color))
				return MD_EXIT_USAGE;
			break;
		case CLI_EXIT: return p.rc;
		default: md_bug(__FILE__, __LINE__, "option %d not handled", c);
		}
	}
	/* a FIFO, a device or a directory fails now, not after reading a multi-GB dump */
	if (output && (rc = cli_output_check(cmd, output)))
		return rc;
	if (backup && (!*backup || strspn(backup, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(backup)))
		return cli_usage_error(cmd, "--backup-suffix takes lower-case letters, digits and '_'");
	{
		/* standard input can be read once */
		int stdin_uses = md_path_is_stdin(in.history) + md_path_is_stdin(in.schema);

		for (size_t i = 0; i < in.nlogs; i++)
			stdin_uses += md_path_is_stdin(in.logs[i]);
		for (int i = optind; i < argc; i++)
			stdin_uses += md_path_is_stdin(argv[i]);
		if (stdin_uses > 1) {
			rc = cli_usage_error(cmd, "'-' (standard input) is given %d times; it can be "
					     "read once: give one input with '-'", stdin_uses);
			goto out_free;
		}
	}
	md_error_clear(&err);
	for (int i = optind; i < argc; i++) {
		enum input_role role;

		if (input_sniff(argv[i], &role, &err)) {
			md_errorf("%s", err.msg);
			return MD_EXIT_INPUT;
		}
		if (role == ROLE_BUNDLE || role == ROLE_PACKED) {
			rc = role == ROLE_PACKED ? packed_assign(cmd, &in, argv[i], &err)
						 : bundle(cmd, &in, argv[i], &keep, &nkeep, &keep_cap, &err);
			if (rc < 0) {
				md_errorf("%s", err.msg);
				rc = MD_EXIT_INPUT;
			}
		} else {
			rc = assign(cmd, &in, argv[i], role);
		}
		if (rc)
			goto out_free;
	}
	if ((rc = resolve_roles(cmd, &in)))
		goto out_free;
	in.hash = output != NULL;
	md_stream_hash_files(in.hash); /* add_desc's sha256 from the analysis' own read */
	if (plan && !in.migrations) {
		rc = cli_usage_error(cmd, "expected the migrations directory to deploy (-m DIR)");
		goto out_free;
	}
	if (!in.migrations && !in.history && !in.schema && !in.nlogs && !in.packed) {
		rc = cli_usage_error(cmd, "expected inputs: a bundle folder, or -m, -H, -s, -l");
		goto out_free;
	}

	memset(&st, 0, sizeof(st));
	migration_dir_init(&st.dir);
	history_init(&st.hist);
	history_init(&st.schema_hist);
	log_events_init(&st.logs);
	arena_init(&st.arena);
	bundle_sizes_init(&st.sizes);
	if (load(&in, &st, &hopts, &ai, &err)) {
		md_errorf("%s", err.msg);
		rc = err.code ? (int)err.code : MD_EXIT_INPUT;
		goto out;
	}
	ai.deploy_timeout = deploy_timeout;
	analysis_run(&a, &ai);
	{
		struct repair_opts ro = { in.desc, in.ndesc, backup, NULL, NULL, NULL };
		/* with -o -, standard output is the script alone: the report goes beside it */
		bool to_stderr = output && cli_output_is_stdout(output);
		struct report_opts rp = { in.desc, in.ndesc,
					  fmt == CLI_FORMAT_TEXT &&
						  cli_use_color(color, to_stderr ? STDERR_FILENO : STDOUT_FILENO),
					  plan, NULL, fail_on, brief };

		ro.history_schema = st.have_hist ? st.hist.schema_name : NULL;
		ro.dump_time = st.have_hist ? st.hist.dump_time : NULL;
		for (size_t i = 0; i < in.ndesc; i++)
			if (!strcmp(in.desc[i].role, "history"))
				ro.history_sha = in.desc[i].sha256;
		if (plan && output) {
			rc = plan_script(output, &a, &ro, &script, &refused);
			if (rc) {
				analysis_release(&a);
				goto out;
			}
			if (script.len)
				rp.repair_path = !cli_output_is_stdout(output) ? output
						 : fmt == CLI_FORMAT_JSON ? "-" : "standard output";
		} else if (output && a.has_repair && repair_refusal(&a, &err)) {
			/* the report says why; an earlier run's script must not stay behind */
			rc = cli_output_remove_stale(output, "repair", "nothing to repair now");
			if (rc) {
				analysis_release(&a);
				goto out;
			}
		} else if (output && a.has_repair) {
			if (repair_write(&script, &a, &ro, &err)) {
				md_errorf("%s", err.msg);
				rc = err.code ? (int)err.code : MD_EXIT_INTERNAL;
				analysis_release(&a);
				goto out;
			}
			if ((rc = cli_output_write(output, script.buf, script.len))) {
				analysis_release(&a);
				goto out;
			}
			rp.repair_path = !cli_output_is_stdout(output) ? output
					 : fmt == CLI_FORMAT_JSON ? "-" : "standard output";
		} else if (output && (rc = cli_output_remove_stale(output, "repair",
								      "nothing to repair now"))) {
			analysis_release(&a);
			goto out;
		}
		if (fmt == CLI_FORMAT_JSON)
			report_json(&out, &a, &rp);
		else
			report_text(&out, &a, &rp);
		if (to_stderr)
			fwrite(out.buf, 1, out.len, stderr);
		else
			(void)cli_write_stdout(out.buf, out.len);
	}
	if (plan)
		rc = !refused && (a.plan.outcome == PLAN_NOTHING ||
				  a.plan.outcome == PLAN_APPLIES || fail_on > SEV_ERROR) &&
		     !(fail_on <= SEV_WARNING && hazard_findings(&a)) ?
		     MD_EXIT_OK : MD_EXIT_FINDINGS;
	else
		rc = analysis_worst(&a) >= fail_on ? MD_EXIT_FINDINGS : MD_EXIT_OK;
	analysis_release(&a);
out:
	migration_dir_release(&st.dir);
	history_release(&st.hist);
	history_release(&st.schema_hist);
	if (st.have_schema)
		catalog_release(&st.schema);
	log_events_release(&st.logs);
	bundle_sizes_release(&st.sizes);
	arena_release(&st.arena);
	sbuf_release(&out);
	sbuf_release(&script);
out_free:
	for (size_t i = 0; i < nkeep; i++)
		free(keep[i]);
	free(keep);
	free(in.logs);
	free(in.desc);
	bundle_manifest_release(&in.pm);
	return rc;
}

int cmd_check(int argc, char **argv)
{
	return cli_finish_stdout(run(argc, argv, false));
}

int cmd_plan(int argc, char **argv)
{
	return cli_finish_stdout(run(argc, argv, true));
}
