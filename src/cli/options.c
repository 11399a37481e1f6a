/*
 * options.c - one option table per command: getopt_long's tables and the
 * option list of --help are made from it, and every usage error (an
 * unknown, ambiguous or incomplete option) is said the same way, once.
 */
#include "migdoctor/common.h"
#include "migdoctor/diag.h"
#include "cli.h"

#include <unistd.h>

/* the help of an option starts in this column */
#define HELP_COL 25

static void put_spaces(struct sbuf *out, size_t n)
{
	while (n--)
		sb_putc(out, ' ');
}

static void help_option(struct sbuf *out, const struct cli_opt *o)
{
	size_t start = out->len, w;
	const char *h = o->help;

	if (o->letter)
		sb_printf(out, "  -%c, --%s", o->letter, o->name);
	else
		sb_printf(out, "      --%s", o->name);
	if (o->arg)
		sb_printf(out, (o->flags & CLI_ARG_OPTIONAL) ? "[=%s]" : " %s", o->arg);
	w = out->len - start;
	if (w + 2 > HELP_COL) {
		sb_putc(out, '\n');
		w = 0;
	}
	put_spaces(out, HELP_COL - w);
	for (;;) {
		const char *nl = strchr(h, '\n');

		if (!nl) {
			sb_printf(out, "%s\n", h);
			break;
		}
		sb_putn(out, h, (size_t)(nl - h));
		sb_putc(out, '\n');
		put_spaces(out, HELP_COL);
		h = nl + 1;
	}
}

void cli_help(struct sbuf *out, const struct cli_cmd *cmd)
{
	sb_puts(out, cmd->usage);
	sb_putc(out, '\n');
	if (cmd->nopts && cmd->opts[0].name)
		sb_puts(out, "options:\n");
	for (size_t i = 0; i < cmd->nopts; i++) {
		const struct cli_opt *o = &cmd->opts[i];

		if (!o->name)
			sb_printf(out, "%s%s\n", i ? "\n" : "", o->help);
		else if (o->help)
			help_option(out, o);
	}
	if (cmd->trailer) {
		sb_putc(out, '\n');
		sb_puts(out, cmd->trailer);
	}
}

void cli_parser_init(struct cli_parser *p, const struct cli_cmd *cmd, int argc, char **argv)
{
	char *s = p->shortopts;
	size_t n = 0;

	memset(p, 0, sizeof(*p));
	p->cmd = cmd;
	p->argc = argc;
	p->argv = argv;
	/* ':' first: a missing value is told apart from an unknown option */
	*s++ = ':';
	for (size_t i = 0; i < cmd->nopts; i++) {
		const struct cli_opt *o = &cmd->opts[i];
		struct option *lo;

		if (!o->name)
			continue;
		if (n == CLI_MAX_OPTS)
			md_bug(__FILE__, __LINE__, "%s: more than %d options", cmd->name, CLI_MAX_OPTS);
		lo = &p->longopts[n];
		lo->name = o->name;
		lo->has_arg = !o->arg ? no_argument
			      : (o->flags & CLI_ARG_OPTIONAL) ? optional_argument : required_argument;
		lo->flag = NULL;
		lo->val = o->id;
		p->byindex[n++] = o;
		if (o->letter) {
			*s++ = o->letter;
			if (o->arg)
				*s++ = ':';
			if (o->arg && (o->flags & CLI_ARG_OPTIONAL))
				*s++ = ':';
		}
	}
	*s = '\0';
	optind = 1;
	opterr = 0;
}

static const struct cli_opt *by_id(const struct cli_cmd *cmd, int id)
{
	for (size_t i = 0; i < cmd->nopts; i++)
		if (cmd->opts[i].name && cmd->opts[i].id == id && !cmd->opts[i].alias_of)
			return &cmd->opts[i];
	return NULL;
}

static bool is_letter(const struct cli_cmd *cmd, int c)
{
	for (size_t i = 0; i < cmd->nopts; i++)
		if (cmd->opts[i].name && cmd->opts[i].letter && cmd->opts[i].letter == c)
			return true;
	return false;
}

/* The token getopt_long stopped at, when it was a long option: its name, without a value. */
static char *long_token(const struct cli_parser *p)
{
	const char *t;

	if (optind < 1 || optind > p->argc)
		return NULL;
	t = p->argv[optind - 1];
	if (strncmp(t, "--", 2) || !t[2])
		return NULL;
	return strndup(t + 2, strcspn(t + 2, "="));
}

static int unknown(struct cli_parser *p)
{
	const char *cmd = p->cmd->name;
	char *name;
	int rc;

	if (optopt > 0 && optopt < 256 && !is_letter(p->cmd, optopt))
		return cli_usage_error(cmd, "unknown option '-%c'", optopt);
	if (!(name = long_token(p)))
		return cli_usage_error(cmd, "unknown option '%s'",
				       optind >= 1 && optind <= p->argc ? p->argv[optind - 1] : "?");
	if (optopt) {
		rc = cli_usage_error(cmd, "option '--%s' takes no value", name);
	} else {
		struct sbuf cand = SBUF_INIT;
		size_t n = 0, len = strlen(name);

		for (size_t i = 0; p->longopts[i].name; i++) {
			if (strncmp(p->longopts[i].name, name, len))
				continue;
			sb_printf(&cand, "%s--%s", n++ ? ", " : "", p->longopts[i].name);
		}
		if (n > 1)
			rc = cli_usage_error(cmd, "ambiguous option '--%s': %s", name, cand.buf);
		else
			rc = cli_usage_error(cmd, "unknown option '--%s'", name);
		sbuf_release(&cand);
	}
	free(name);
	return rc;
}

static int missing_value(struct cli_parser *p)
{
	const struct cli_opt *o = by_id(p->cmd, optopt);
	char *name = long_token(p);
	int rc;

	if (!o)
		rc = cli_usage_error(p->cmd->name, "an option needs a value");
	else if (name || !o->letter)
		rc = cli_usage_error(p->cmd->name, "option '--%s' needs a value (%s)", o->name, o->arg);
	else
		rc = cli_usage_error(p->cmd->name, "option '-%c' needs a value (%s)", o->letter, o->arg);
	free(name);
	return rc;
}

int cli_next(struct cli_parser *p)
{
	for (;;) {
		int idx = -1, c;

		c = getopt_long(p->argc, p->argv, p->shortopts, p->longopts, &idx);
		p->arg = optarg;
		switch (c) {
		case -1:
			return CLI_END;
		case '?':
			p->rc = unknown(p);
			return CLI_EXIT;
		case ':':
			p->rc = missing_value(p);
			return CLI_EXIT;
		default:
			break;
		}
		if (idx >= 0 && p->byindex[idx]->alias_of)
			md_warnf("%s: '--%s' is deprecated; use '--%s'", p->cmd->name,
				 p->byindex[idx]->name, p->byindex[idx]->alias_of);
		switch (c) {
		case 'q':
			md_quiet = 1;
			continue;
		case 'h': {
			struct sbuf out = SBUF_INIT;

			cli_help(&out, p->cmd);
			(void)cli_write_stdout(out.buf, out.len);
			sbuf_release(&out);
			p->rc = MD_EXIT_OK;
			return CLI_EXIT;
		}
		case 'V':
			printf("migdoctor %s\n", MD_VERSION);
			p->rc = MD_EXIT_OK;
			return CLI_EXIT;
		default:
			return c;
		}
	}
}

int cli_parse_color(const char *cmd, const char *arg, enum cli_color *out)
{
	static const char *const names[] = { "auto", "always", "never" };

	if (!arg) {
		*out = CLI_COLOR_ALWAYS;
		return 0;
	}
	for (size_t i = 0; i < MD_ARRAY_LEN(names); i++) {
		if (!strcmp(arg, names[i])) {
			*out = (enum cli_color)i;
			return 0;
		}
	}
	return cli_usage_error(cmd, "unknown --color '%s'; expected auto, always or never", arg);
}

bool cli_use_color(enum cli_color mode, int fd)
{
	const char *v;

	if (mode != CLI_COLOR_AUTO)
		return mode == CLI_COLOR_ALWAYS;
	/* https://no-color.org: a flag beats NO_COLOR, NO_COLOR beats the terminal */
	if ((v = getenv("NO_COLOR")) && *v)
		return false;
	if ((v = getenv("TERM")) && !strcmp(v, "dumb"))
		return false;
	return isatty(fd);
}
