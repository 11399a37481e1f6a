/*
 * touches.c - 'migdoctor touches DIR|FILE...': the relations each
 * migration creates, changes, drops or needs.
 */
#include "migdoctor/common.h"
#include "migdoctor/catalog.h"
#include "migdoctor/diag.h"
#include "migdoctor/migrations.h"
#include "migdoctor/report.h"
#include "cli.h"

#include <sys/stat.h>

static const struct cli_opt touches_opts[] = {
	{ 'r', 'r', "relation", "NAME", "only what creates, changes, drops or needs NAME\n"
	  "(exact, case-sensitive: \"LiteLLM_UserTable\");\nanswers 'relation \"NAME\" does not exist'",
	  0, NULL },
	{ 'S', 'S', "print-schema", NULL, "print the schema the migrations build when\n"
	  "replayed in order (one fact per line), instead of\nthe listing", 0, NULL },
	/* --schema names a schema FILE in check and plan */
	{ 'S', 0, "schema", NULL, NULL, 0, "print-schema" },
	{ 'n', 'n', "schema-name", "S", "schema that unqualified names land in (default\npublic)", 0,
	  NULL },
	{ 'f', 'f', "format", "FORMAT", "text (default) or json", 0, NULL },
	CLI_OPTS_COMMON,
};

const struct cli_cmd cli_cmd_touches = {
	"touches",
	"usage: migdoctor touches [OPTIONS] DIR|FILE...\n"
	"\n"
	"List, for every migration of a Prisma migrations directory (or for single\n"
	".sql files), the relations each statement creates, changes, drops or needs,\n"
	"as read by PostgreSQL's own parser (libpg_query).\n",
	touches_opts, MD_ARRAY_LEN(touches_opts),
	"examples:\n"
	"  migdoctor touches prisma/migrations\n"
	"  migdoctor touches prisma/migrations --relation LiteLLM_DeletedTeamTable\n"
	"  migdoctor touches --format json prisma/migrations > touches.json\n"
	"  migdoctor touches prisma/migrations/20250326162113_baseline/migration.sql\n"
	"\n"
	"exit status: 0 listed; 2 usage error; 3 unreadable input or a statement that\n"
	"does not parse (reported as FILE:LINE:COLUMN; the others are still listed);\n"
	"4 internal error\n",
};

static int load_inputs(struct migration_dir *d, char **args, int n, struct md_error *err)
{
	struct stat st;

	if (n == 1 && stat(args[0], &st) == 0 && S_ISDIR(st.st_mode))
		return migration_dir_load(d, args[0], err);
	for (int i = 0; i < n; i++) {
		if (stat(args[i], &st) == 0 && S_ISDIR(st.st_mode))
			return md_fail(err, "'%s' is a directory; give one migrations directory, or "
				       ".sql files", args[i]);
		if (migration_dir_add_file(d, args[i], err))
			return -1;
	}
	return 0;
}

/* Replay every migration in order; report (not stop at) statements PostgreSQL would refuse. */
static void replay_all(const struct migration_dir *d, struct catalog *c)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct migration *m = &d->v[i];
		struct replay_error re;
		size_t stmt;

		if (m->missing_sql)
			continue;
		if (catalog_apply_script(c, &m->script, m->name, &re, &stmt))
			md_warnf("%s:%u: replay: this statement would fail with %s: %s", m->path,
				 m->script.stmts[stmt].line, re.sqlstate, re.message);
	}
}

static int run(int argc, char **argv)
{
	struct cli_parser p;
	struct touches_opts to = { 0 };
	enum cli_format fmt = CLI_FORMAT_TEXT;
	const char *schema_name = "public";
	bool show_schema = false;
	struct migration_dir d;
	struct md_error err;
	struct sbuf out = SBUF_INIT;
	size_t nerrors = 0;
	int c, rc = MD_EXIT_OK;

	cli_parser_init(&p, &cli_cmd_touches, argc, argv);
	while ((c = cli_next(&p)) != CLI_END) {
		switch (c) {
		case 'r':
			to.relation = p.arg;
			break;
		case 'S':
			show_schema = true;
			break;
		case 'n':
			schema_name = p.arg;
			break;
		case 'f':
			if (cli_parse_format("touches", p.arg,
					     1u << CLI_FORMAT_TEXT | 1u << CLI_FORMAT_JSON, &fmt))
				return MD_EXIT_USAGE;
			break;
		case CLI_EXIT:
			return p.rc;
		default:
			md_bug(__FILE__, __LINE__, "option %d not handled", c);
		}
	}
	if (optind >= argc)
		return cli_usage_error("touches", "expected a migrations directory or .sql files");
	to.json = fmt == CLI_FORMAT_JSON;

	migration_dir_init(&d);
	md_error_clear(&err);
	if (load_inputs(&d, argv + optind, argc - optind, &err)) {
		md_errorf("%s", err.msg);
		migration_dir_release(&d);
		return err.code ? err.code : MD_EXIT_INPUT;
	}
	if (d.lock == LOCK_MISMATCH)
		md_warnf("%s/migration_lock.toml: provider is '%s'; 'migrate deploy' stops with P3019 "
			 "(expected provider = \"postgresql\")", d.path, d.provider);

	if (show_schema) {
		struct catalog cat;

		catalog_init(&cat, schema_name);
		replay_all(&d, &cat);
		if (to.json)
			catalog_render_json(&cat, &out);
		else
			catalog_render_text(&cat, &out);
		catalog_release(&cat);
	} else if (to.json) {
		touches_render_json(&out, &d, &to);
	} else {
		touches_render_text(&out, &d, &to);
	}
	(void)cli_write_stdout(out.buf, out.len);
	if (to.relation && !to.json && !show_schema && !out.len)
		md_notef("no migration creates, changes, drops or needs relation \"%s\" "
			 "(names are case-sensitive)", to.relation);
	sbuf_release(&out);

	for (size_t i = 0; i < d.n; i++) {
		const struct sql_script *s = &d.v[i].script;

		for (size_t k = 0; k < s->nstmts; k++)
			if (s->stmts[k].parse_error) {
				md_errorf("%s:%u:%u: %s", d.v[i].path, s->stmts[k].error_line,
					  s->stmts[k].error_column, s->stmts[k].error);
				nerrors++;
			}
	}
	if (nerrors)
		rc = MD_EXIT_INPUT;
	migration_dir_release(&d);
	return rc;
}

int cmd_touches(int argc, char **argv)
{
	return cli_finish_stdout(run(argc, argv));
}
