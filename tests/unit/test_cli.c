/*
 * Unit tests for the option tables of src/cli: each --help lists its
 * table, a letter or a long name means one thing in every command, and
 * the parser made from a table says each usage error once.
 */
#include "migdoctor/common.h"
#include "migdoctor/diag.h"
#include "migdoctor/json.h"
#include "migdoctor/sbuf.h"
#include "cli/cli.h"

#include <setjmp.h>
#include <cmocka.h>

static bool shown(const struct cli_opt *o)
{
	return o->name && o->help;
}

/* the option line of o in a help text: "  -m, --migrations DIR" or "      --brief" */
static char *option_line(const struct cli_opt *o)
{
	const char *arg = o->arg ? o->arg : "";
	const char *sep = !o->arg ? "" : (o->flags & CLI_ARG_OPTIONAL) ? "[=" : " ";
	const char *end = o->arg && (o->flags & CLI_ARG_OPTIONAL) ? "]" : "";

	if (o->letter)
		return xasprintf("\n  -%c, --%s%s%s%s", o->letter, o->name, sep, arg, end);
	return xasprintf("\n      --%s%s%s%s", o->name, sep, arg, end);
}

static void every_option_is_in_the_help(void **state)
{
	(void)state;
	for (size_t c = 0; c < cli_ncmds; c++) {
		const struct cli_cmd *cmd = cli_cmds[c];
		struct sbuf help = SBUF_INIT;
		size_t nshown = 0;

		cli_help(&help, cmd);
		for (size_t i = 0; i < cmd->nopts; i++) {
			const struct cli_opt *o = &cmd->opts[i];
			char *line;

			if (!o->name)
				continue;
			if (!shown(o)) {
				/* an alias or a refused option: in the table, not in the help */
				char *word = xasprintf("--%s ", o->name);

				if (strstr(help.buf, word))
					fail_msg("%s --help shows the hidden option --%s", cmd->name, o->name);
				free(word);
				continue;
			}
			line = option_line(o);
			if (!strstr(help.buf, line))
				fail_msg("%s --help does not list '%s'", cmd->name, line + 1);
			free(line);
			nshown++;
		}
		assert_true(nshown >= 4);
		sbuf_release(&help);
	}
}

static void help_fits_80_columns(void **state)
{
	(void)state;
	for (size_t c = 0; c < cli_ncmds; c++) {
		struct sbuf help = SBUF_INIT;
		const char *p;

		cli_help(&help, cli_cmds[c]);
		p = help.buf;
		for (unsigned line = 1; *p; line++) {
			size_t n = strcspn(p, "\n");

			if (n > 80 && strncmp(p, "usage:", 6) && !strstr(p, "migdoctor "))
				fail_msg("%s --help line %u is %zu columns", cli_cmds[c]->name, line, n);
			p += n + (p[n] == '\n');
		}
		sbuf_release(&help);
	}
}

/* A letter names one long option everywhere; a long option has one letter (or none) and one kind. */
static void options_mean_the_same_in_every_command(void **state)
{
	(void)state;
	for (size_t c = 0; c < cli_ncmds; c++)
		for (size_t i = 0; i < cli_cmds[c]->nopts; i++) {
			const struct cli_opt *a = &cli_cmds[c]->opts[i];

			if (!a->name || a->alias_of)
				continue;
			for (size_t d = 0; d < cli_ncmds; d++)
				for (size_t k = 0; k < cli_cmds[d]->nopts; k++) {
					const struct cli_opt *b = &cli_cmds[d]->opts[k];

					if (!b->name || b->alias_of || (c == d && i == k))
						continue;
					if (c == d && (!strcmp(a->name, b->name) ||
						       (a->letter && a->letter == b->letter)))
						fail_msg("%s: -%c/--%s twice", cli_cmds[c]->name, a->letter, a->name);
					if (a->letter && a->letter == b->letter && strcmp(a->name, b->name))
						fail_msg("-%c is --%s in %s but --%s in %s", a->letter, a->name,
							 cli_cmds[c]->name, b->name, cli_cmds[d]->name);
					if (!strcmp(a->name, b->name) &&
					    (a->letter != b->letter || !a->arg != !b->arg))
						fail_msg("--%s differs between %s and %s", a->name,
							 cli_cmds[c]->name, cli_cmds[d]->name);
				}
		}
}

/* -q, -h and -V in every command; --format and --quiet too (bundle: no report, no --format) */
static void common_options_everywhere(void **state)
{
	static const char *const want[] = { "quiet", "help", "version", "format" };

	(void)state;
	for (size_t c = 0; c < cli_ncmds; c++)
		for (size_t w = 0; w < MD_ARRAY_LEN(want); w++) {
			bool found = false;

			for (size_t i = 0; i < cli_cmds[c]->nopts; i++)
				found |= cli_cmds[c]->opts[i].name && !strcmp(cli_cmds[c]->opts[i].name, want[w]);
			/* bundle writes a tar, not a report: no --format */
			if (!found && !(!strcmp(cli_cmds[c]->name, "bundle") && !strcmp(want[w], "format")))
				fail_msg("%s has no --%s", cli_cmds[c]->name, want[w]);
		}
}

static int parse(const struct cli_cmd *cmd, char **argv, int argc, int *ids, size_t nids,
		 struct cli_parser *p)
{
	size_t n = 0;
	int c;

	cli_parser_init(p, cmd, argc, argv);
	while ((c = cli_next(p)) != CLI_END && c != CLI_EXIT)
		if (n < nids)
			ids[n++] = c;
	return c == CLI_EXIT ? -1 : (int)n;
}

static void parser_takes_the_table(void **state)
{
	char a0[] = "history", a1[] = "-qf", a2[] = "json", a3[] = "FILE", a4[] = "--schema",
	     a5[] = "--sch=x";
	char *argv[] = { a0, a1, a2, a3, a4, NULL };
	char *bad[] = { a0, a5, NULL };
	struct cli_parser p;
	int ids[8];

	(void)state;
	md_quiet = 0;
	/* -q is taken by the parser; the deprecated --schema is --print-schema; operands are permuted */
	assert_int_equal(parse(&cli_cmd_history, argv, 5, ids, 8, &p), 2);
	assert_int_equal(ids[0], 'f');
	assert_int_equal(ids[1], 'S');
	assert_int_equal(md_quiet, 1);
	assert_int_equal(optind, 4);
	assert_string_equal(argv[optind], "FILE");
	/* an ambiguous abbreviation is a usage error, exit 2 */
	assert_int_equal(parse(&cli_cmd_history, bad, 2, ids, 8, &p), -1);
	assert_int_equal(p.rc, MD_EXIT_USAGE);
	md_quiet = 0;
}

static void color_modes(void **state)
{
	enum cli_color m;

	(void)state;
	assert_int_equal(cli_parse_color("check", NULL, &m), 0);
	assert_int_equal(m, CLI_COLOR_ALWAYS);
	assert_int_equal(cli_parse_color("check", "never", &m), 0);
	assert_int_equal(m, CLI_COLOR_NEVER);
	assert_int_equal(cli_parse_color("check", "sometimes", &m), MD_EXIT_USAGE);
	setenv("NO_COLOR", "1", 1);
	assert_true(cli_use_color(CLI_COLOR_ALWAYS, 1));
	assert_false(cli_use_color(CLI_COLOR_NEVER, 1));
	unsetenv("NO_COLOR");
	setenv("TERM", "dumb", 1);
	assert_false(cli_use_color(CLI_COLOR_AUTO, 1));
	unsetenv("TERM");
	/* a file is not a terminal */
	{
		FILE *f = tmpfile();

		assert_non_null(f);
		assert_false(cli_use_color(CLI_COLOR_AUTO, fileno(f)));
		fclose(f);
	}
}

/* the one JSON string writer: never invalid UTF-8, never a raw control character */
static void json_writer_replaces_bad_bytes(void **state)
{
	struct sbuf sb = SBUF_INIT;

	(void)state;
	json_strn(&sb, "a\xff" "b\x01\x7f\"\\\xc3\xa9\xe2\x82", 11);
	assert_string_equal(sb.buf, "\"a\\ufffdb\\u0001\\u007f\\\"\\\\\xc3\xa9\\ufffd\\ufffd\"");
	sbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_option_is_in_the_help),
		cmocka_unit_test(help_fits_80_columns),
		cmocka_unit_test(options_mean_the_same_in_every_command),
		cmocka_unit_test(common_options_everywhere),
		cmocka_unit_test(parser_takes_the_table),
		cmocka_unit_test(color_modes),
		cmocka_unit_test(json_writer_replaces_bad_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
