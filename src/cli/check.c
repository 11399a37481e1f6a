/*
 * check.c - 'migdoctor check' (the diagnosis and the repair script) and
 * 'migdoctor plan' (the dry run of 'migrate deploy'): gather the inputs,
 * run the analysis, render.
 */
#include "migdoctor/common.h"
#include "migdoctor/analysis.h"
#include "migdoctor/catalog.h"
#include "migdoctor/history.h"
#include "migdoctor/logs.h"
#include "migdoctor/migrations.h"
#include "migdoctor/report.h"
#include "migdoctor/sniff.h"
#include "cli.h"

#include <dirent.h>
#include <getopt.h>

static const char check_usage[] =
	"usage: migdoctor check [INPUT...] [-m DIR] [-H FILE] [-s FILE] [-l FILE]... [-o repair.sql]\n"
	"\n"
	"Diagnose a database's Prisma migration state offline, from what can be exported:\n"
	"the migrations directory, the _prisma_migrations rows, the schema, start-up logs.\n"
	"Says, migration by migration, what the history claims, what the schema holds and\n"
	"what the logs saw; each finding has a stable code (see 'man migdoctor'), evidence\n"
	"and a fix; -o writes a repair script to review and run with psql.\n"
	"\n"
	"inputs (positional INPUTs are recognised by content; a folder may hold them all):\n"
	"  -m, --migrations DIR   the prisma/migrations directory of the version to run\n"
	"  -H, --history FILE     _prisma_migrations: pg_dump (plain, -Fc, -Fd, -Ft, gzip),\n"
	"                         CSV, COPY text or pasted psql output; a full pg_dump also\n"
	"                         gives the schema\n"
	"  -s, --schema FILE      the real schema: pg_dump -s (or any dump with DDL)\n"
	"  -l, --log FILE         LiteLLM start-up log (repeat for rotated logs, in order)\n"
	"\n"
	"options:\n"
	"  -o, --output FILE      write the repair script there, atomically: a new file or\n"
	"                         a regular file (a symlink: its target); a FIFO, device\n"
	"                         or directory is refused. '-' is stdout, and the report\n"
	"                         then goes to stderr. With nothing to repair, a script\n"
	"                         an earlier run left at FILE is removed\n"
	"      --format FORMAT    text (default) or json\n"
	"      --fail-on LEVEL    exit 1 when a finding is at least error (default),\n"
	"                         warning or info; 'never' to always exit 0 when read\n"
	"      --schema-name S    schema of _prisma_migrations when the dump has several\n"
	"      --database D       database of a pg_dumpall to read\n"
	"      --backup-suffix S  suffix of the backup table the script creates\n"
	"                         (default: the dump's time, else a hash of the history)\n"
	"  -q, --quiet            no warnings on stderr\n"
	"  -h, --help             this help\n"
	"\n"
	"examples:\n"
	"  migdoctor check customer-bundle/\n"
	"  migdoctor check -m migrations/ -H dump.custom -l startup.log -o repair.sql\n"
	"  migdoctor check -m migrations/ -H history.csv -s schema.sql --format json\n"
	"\n"
	"exit status: 0 healthy (or findings below --fail-on); 1 findings at or above\n"
	"--fail-on; 2 usage error; 3 unreadable or invalid input; 4 internal error\n";

static const char plan_usage[] =
	"usage: migdoctor plan -m DIR [-H FILE] [-s FILE] [--format text|json]\n"
	"\n"
	"Dry run of 'prisma migrate deploy' of DIR on the database the exports describe:\n"
	"which migrations it would apply, and which statement of which migration would\n"
	"fail, with the SQLSTATE PostgreSQL would give (42P01, 42P07, 42701, 42703, 42704\n"
	"...) and why. Before touching production, with the new version's migrations.\n"
	"\n"
	"  -m, --migrations DIR   the migrations directory of the version to deploy\n"
	"  -H, --history FILE     _prisma_migrations export or a full pg_dump\n"
	"  -s, --schema FILE      the real schema (pg_dump -s); without it, the schema the\n"
	"                         history implies is used\n"
	"      --format FORMAT    text (default) or json\n"
	"      --schema-name S, --database D   as for check\n"
	"  -h, --help             this help\n"
	"\n"
	"example:\n"
	"  migdoctor plan -m new-version/migrations -H dump.sql\n"
	"\n"
	"exit status: 0 deploy would succeed (or apply nothing); 1 it would fail or be\n"
	"refused; 2 usage error; 3 unreadable or invalid input\n";

struct inputs {
	bool hash;           /* sha256 of each input: only for the repair script's header */
	const char *migrations;
	const char *history;
	const char *schema;
	const char **logs;
	size_t nlogs, logs_cap;
	struct input_desc *desc;
	size_t ndesc, desc_cap;
};

static int assign(const char *cmd, struct inputs *in, const char *path, enum input_role role)
{
	switch (role) {
	case ROLE_MIGRATIONS:
		if (in->migrations)
			return cli_usage_error(cmd, "two migrations directories ('%s', '%s'); give one with -m",
					       in->migrations, path);
		in->migrations = path;
		return 0;
	case ROLE_DUMP:
	case ROLE_HISTORY:
		if (!in->history) {
			in->history = path;
		} else if (role == ROLE_DUMP && !in->schema) {
			in->schema = path;
		} else {
			return cli_usage_error(cmd, "several history inputs ('%s', '%s'); choose with -H and -s",
					       in->history, path);
		}
		return 0;
	case ROLE_LOG:
		MD_GROW(in->logs, in->nlogs, in->logs_cap);
		in->logs[in->nlogs++] = path;
		return 0;
	default:
		return 0;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A folder of inputs: each entry recognised by its content. */
static int bundle(const char *cmd, struct inputs *in, const char *dir, char ***keep, size_t *nkeep,
		  size_t *keep_cap, struct md_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (!d)
		return md_fail(err, "cannot read '%s'", dir);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		MD_GROW(names, n, cap);
		names[n++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
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
		if ((rc = assign(cmd, in, names[i], role)))
			break;
	}
	free(names);
	if (!rc && !in->migrations && !in->history && !in->nlogs)
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
};

static int load(struct inputs *in, struct state *st, const struct history_opts *hopts,
		struct analysis_input *ai, struct md_error *err)
{
	memset(ai, 0, sizeof(*ai));
	if (in->migrations) {
		if (migration_dir_load(&st->dir, in->migrations, err))
			return -1;
		st->have_dir = true;
		ai->dir = &st->dir;
		for (size_t i = 0; i < st->dir.n; i++)
			if (st->dir.v[i].script.nerrors)
				md_warnf("%s: %zu statement%s do not parse (see 'migdoctor touches')",
					 st->dir.v[i].path, st->dir.v[i].script.nerrors,
					 st->dir.v[i].script.nerrors == 1 ? "" : "s");
		add_desc(in, "migrations", in->migrations,
			 arena_printf(&st->arena, "%zu migrations", st->dir.n), false);
	}
	if (in->history) {
		if (history_read(&st->hist, in->history, hopts, err))
			return -1;
		st->have_hist = true;
		ai->hist = &st->hist;
		ai->has_history_table = (st->hist.flags & HIST_TABLE_SEEN) || st->hist.nrows;
		add_desc(in, "history", in->history,
			 arena_printf(&st->arena, "%s, %zu rows%s%s", st->hist.format ? st->hist.format : "?",
				      st->hist.nrows, st->hist.schema_name ? ", schema " : "",
				      st->hist.schema_name ? st->hist.schema_name : ""), true);
		if (st->hist.flags & HIST_NULL_AMBIGUOUS)
			md_warnf("%s: this format cannot tell NULL from '' in some values; the row "
				 "fingerprints that depend on it are uncertain", in->history);
	}
	if (in->schema) {
		struct history_opts so = *hopts;

		so.allow_no_rows = true;
		if (history_read(&st->schema_hist, in->schema, &so, err))
			return -1;
		if (!st->schema_hist.nddl)
			return md_fail(err, "%s holds no schema statements (CREATE TABLE ...); expected "
				       "pg_dump -s output or a dump with DDL", in->schema);
		catalog_init(&st->schema, st->schema_hist.schema_name);
		catalog_from_dump(&st->schema, &st->schema_hist, err);
		st->have_schema = true;
		ai->schema = &st->schema;
		ai->schema_source = in->schema;
		add_desc(in, "schema", in->schema,
			 arena_printf(&st->arena, "%zu tables", st->schema.ntables), true);
	} else if (st->have_hist && st->hist.nddl) {
		/* a full dump is the schema too */
		catalog_init(&st->schema, st->hist.schema_name);
		catalog_from_dump(&st->schema, &st->hist, err);
		st->have_schema = true;
		ai->schema = &st->schema;
		ai->schema_source = in->history;
		add_desc(in, "schema", in->history,
			 arena_printf(&st->arena, "from the same dump, %zu tables", st->schema.ntables), false);
	}
	for (size_t i = 0; i < in->nlogs; i++) {
		if (logs_read(&st->logs, in->logs[i], err))
			return -1;
		st->have_logs = true;
		ai->logs = &st->logs;
		add_desc(in, "log", in->logs[i], NULL, true);
	}
	if (ai->logs && st->logs.n)
		in->desc[in->ndesc - 1].detail = arena_printf(&st->arena, "%zu migration events in %zu file%s",
							      st->logs.n, in->nlogs, in->nlogs == 1 ? "" : "s");
	return 0;
}

static int run(int argc, char **argv, bool plan)
{
	static const struct option opts[] = {
		{ "migrations", required_argument, NULL, 'm' },
		{ "history", required_argument, NULL, 'H' },
		{ "schema", required_argument, NULL, 's' },
		{ "log", required_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "fail-on", required_argument, NULL, 'F' },
		{ "schema-name", required_argument, NULL, 'N' },
		{ "database", required_argument, NULL, 'D' },
		{ "backup-suffix", required_argument, NULL, 'B' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = plan ? "plan" : "check";
	struct inputs in = { 0 };
	struct history_opts hopts = { 0 };
	enum cli_format fmt = CLI_FORMAT_TEXT;
	const char *output = NULL, *backup = NULL;
	int fail_on = SEV_ERROR, c, rc = MD_EXIT_OK;
	char **keep = NULL;
	size_t nkeep = 0, keep_cap = 0;
	struct state st;
	struct analysis_input ai;
	struct analysis a;
	struct md_error err;
	struct sbuf out = SBUF_INIT, script = SBUF_INIT;

	hopts.want_ddl = true;
	hopts.allow_no_rows = true;
	optind = 1;
	while ((c = getopt_long(argc, argv, "m:H:s:l:o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'm': in.migrations = optarg; break;
		case 'H': in.history = optarg; break;
		case 's': in.schema = optarg; break;
		case 'l':
			MD_GROW(in.logs, in.nlogs, in.logs_cap);
			in.logs[in.nlogs++] = optarg;
			break;
		case 'o': output = optarg; break;
		case 'N': hopts.schema_name = optarg; break;
		case 'D': hopts.database = optarg; break;
		case 'B': backup = optarg; break;
		case 'f':
			if (cli_parse_format(cmd, optarg, 1u << CLI_FORMAT_TEXT | 1u << CLI_FORMAT_JSON, &fmt))
				return MD_EXIT_USAGE;
			break;
		case 'F': {
			enum severity s;

			if (!strcmp(optarg, "never"))
				fail_on = SEV_ERROR + 1;
			else if (severity_parse(optarg, &s))
				return cli_usage_error(cmd, "unknown --fail-on '%s'; expected error, warning, "
						       "info or never", optarg);
			else
				fail_on = (int)s;
			break;
		}
		case 'q': md_quiet = 1; break;
		case 'h': fputs(plan ? plan_usage : check_usage, stdout); return MD_EXIT_OK;
		default: return cli_usage_error(cmd, "unknown option");
		}
	}
	if (plan && output)
		return cli_usage_error(cmd, "plan writes no script; use 'migdoctor check -o'");
	/* a FIFO, a device or a directory fails now, not after reading a multi-GB dump */
	if (output && (rc = cli_output_check(cmd, output)))
		return rc;
	if (backup && (!*backup || strspn(backup, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(backup)))
		return cli_usage_error(cmd, "--backup-suffix takes lower-case letters, digits and '_'");
	md_error_clear(&err);
	for (int i = optind; i < argc; i++) {
		enum input_role role;

		if (input_sniff(argv[i], &role, &err)) {
			md_errorf("%s", err.msg);
			return MD_EXIT_INPUT;
		}
		if (role == ROLE_BUNDLE) {
			rc = bundle(cmd, &in, argv[i], &keep, &nkeep, &keep_cap, &err);
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
	in.hash = output != NULL;
	if (plan && !in.migrations) {
		rc = cli_usage_error(cmd, "expected the migrations directory to deploy (-m DIR)");
		goto out_free;
	}
	if (!in.migrations && !in.history && !in.schema && !in.nlogs) {
		rc = cli_usage_error(cmd, "expected inputs: a bundle folder, or -m, -H, -s, -l");
		goto out_free;
	}

	memset(&st, 0, sizeof(st));
	migration_dir_init(&st.dir);
	history_init(&st.hist);
	history_init(&st.schema_hist);
	log_events_init(&st.logs);
	arena_init(&st.arena);
	if (load(&in, &st, &hopts, &ai, &err)) {
		md_errorf("%s", err.msg);
		rc = err.code ? (int)err.code : MD_EXIT_INPUT;
		goto out;
	}
	analysis_run(&a, &ai);
	{
		struct repair_opts ro = { in.desc, in.ndesc, backup, NULL, NULL, NULL };
		struct report_opts rp = { in.desc, in.ndesc, fmt == CLI_FORMAT_TEXT && cli_want_color(),
					  plan, NULL, fail_on };

		ro.history_schema = st.have_hist ? st.hist.schema_name : NULL;
		ro.dump_time = st.have_hist ? st.hist.dump_time : NULL;
		for (size_t i = 0; i < in.ndesc; i++)
			if (!strcmp(in.desc[i].role, "history"))
				ro.history_sha = in.desc[i].sha256;
		if (output && a.has_repair) {
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
		} else if (output && (rc = cli_output_remove_stale(output))) {
			analysis_release(&a);
			goto out;
		}
		if (fmt == CLI_FORMAT_JSON)
			report_json(&out, &a, &rp);
		else
			report_text(&out, &a, &rp);
		/* with -o -, standard output is the script alone: the report goes beside it */
		if (output && cli_output_is_stdout(output))
			fwrite(out.buf, 1, out.len, stderr);
		else
			(void)cli_write_stdout(out.buf, out.len);
	}
	if (plan)
		rc = a.plan.outcome == PLAN_NOTHING || a.plan.outcome == PLAN_APPLIES ? MD_EXIT_OK
										       : MD_EXIT_FINDINGS;
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
	arena_release(&st.arena);
	sbuf_release(&out);
	sbuf_release(&script);
out_free:
	for (size_t i = 0; i < nkeep; i++)
		free(keep[i]);
	free(keep);
	free(in.logs);
	free(in.desc);
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
