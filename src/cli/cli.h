/*
 * cli.h - what the subcommand files share: the entry points, the option
 * tables (getopt_long and --help are made from them), the output format
 * option, the usage-error helper, and the writing of what a command
 * outputs (standard output, -o FILE).
 */
#ifndef MIGDOCTOR_CLI_H
#define MIGDOCTOR_CLI_H

#include "migdoctor/common.h"
#include "migdoctor/sbuf.h"

#include <getopt.h>

/*
 * One option of a command. The same table feeds getopt_long, the option
 * list of --help, and (checked by tests/golden/cli.sh) the man page.
 * A short letter means the same thing in every command (tests/unit/test_cli.c).
 */
struct cli_opt {
	int id;               /* what cli_next() returns: the letter, or a CLI_O_* */
	char letter;          /* short option; 0: none */
	const char *name;     /* long option, without "--"; NULL: a heading (help holds it) */
	const char *arg;      /* the value's name in --help ("FILE"); NULL: a flag */
	const char *help;     /* lines separated by '\n'; NULL for a deprecated alias */
	unsigned flags;
	const char *alias_of; /* a deprecated spelling: the option to use instead (a warning says so) */
};

#define CLI_ARG_OPTIONAL 1u /* --color[=WHEN] */

/* options that have no short letter */
enum {
	CLI_O_FAIL_ON = 256,
	CLI_O_BACKUP_SUFFIX,
	CLI_O_SCHEMA_COMPLETE,
	CLI_O_COLOR,
	CLI_O_BRIEF,
	CLI_O_NO_SUMMARY,
	CLI_O_DEPLOY_TIMEOUT,
};

/* in every command */
#define CLI_OPTS_COMMON                                                                  \
	{ 'q', 'q', "quiet", NULL, "no warnings or notes on standard error", 0, NULL },   \
	{ 'h', 'h', "help", NULL, "this help", 0, NULL },                                 \
	{ 'V', 'V', "version", NULL, "the version of migdoctor", 0, NULL }

struct cli_cmd {
	const char *name;
	const char *usage;    /* the "usage:" line(s) and what the command does */
	const struct cli_opt *opts;
	size_t nopts;
	const char *trailer;  /* after the options: output forms, examples, exit status */
};

extern const struct cli_cmd cli_cmd_check, cli_cmd_plan, cli_cmd_touches, cli_cmd_history,
	cli_cmd_events, cli_cmd_bundle;
/* every command, for the tests and main's list */
extern const struct cli_cmd *const cli_cmds[];
extern const size_t cli_ncmds;

/* Append the --help text of cmd. */
void cli_help(struct sbuf *out, const struct cli_cmd *cmd);

#define CLI_MAX_OPTS 32

struct cli_parser {
	const struct cli_cmd *cmd;
	int argc;
	char **argv;
	const char *arg;      /* the value of the option cli_next() returned, or NULL */
	int rc;               /* the exit code after CLI_EXIT */
	struct option longopts[CLI_MAX_OPTS + 1];
	const struct cli_opt *byindex[CLI_MAX_OPTS];
	char shortopts[3 * CLI_MAX_OPTS + 2];
};

enum { CLI_END = -1, CLI_EXIT = -2 };

void cli_parser_init(struct cli_parser *p, const struct cli_cmd *cmd, int argc, char **argv);
/*
 * The next option's id; CLI_END after the last (optind is then the first
 * operand); CLI_EXIT when the command must return p->rc: --help and
 * --version printed (0), or a usage error said in one message (2). -q is
 * taken here; a deprecated alias warns and returns its option's id.
 */
int cli_next(struct cli_parser *p);

enum cli_color { CLI_COLOR_AUTO, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };
/* Parse a --color value (NULL: always, as 'ls --color'). */
int cli_parse_color(const char *cmd, const char *arg, enum cli_color *out);
/* Colour for output to fd: auto means a terminal, NO_COLOR unset or empty, TERM not dumb. */
bool cli_use_color(enum cli_color mode, int fd);

enum cli_format {
	CLI_FORMAT_TEXT,
	CLI_FORMAT_JSON,
	CLI_FORMAT_CSV,
};

/* Parse a --format value; allowed is a mask of 1 << CLI_FORMAT_*. */
int cli_parse_format(const char *cmd, const char *arg, unsigned allowed, enum cli_format *out);
/* Print "migdoctor CMD: MSG" and a hint to --help; returns MD_EXIT_USAGE. */
MD_PRINTF(2, 3) int cli_usage_error(const char *cmd, const char *fmt, ...);

/* -o NAME: "-" means standard output. */
bool cli_output_is_stdout(const char *name);
/*
 * Check -o NAME before any work, so a wrong name fails fast: a FIFO, a
 * device, a directory or a folder that cannot be written is refused.
 * Returns 0, or MD_EXIT_USAGE after the message.
 */
int cli_output_check(const char *cmd, const char *name);
/* Write -o NAME: standard output for "-", else the file, atomically. 0 or an exit code. */
int cli_output_write(const char *name, const void *data, size_t len);
/*
 * A run with no script to write: remove the KIND ("repair", "deploy")
 * script an earlier run left at NAME (else 'NAME && psql -f NAME' would
 * run it again) and say so, and WHY there is none now; anything else there
 * is left, with a warning. 0 or an exit code.
 */
int cli_output_remove_stale(const char *name, const char *kind, const char *why);
/* Write to standard output; -1 after one message when it fails. */
int cli_write_stdout(const void *buf, size_t len);
/*
 * The end of every command: flush and close standard output. A write
 * error anywhere (a full disk, '> /dev/full') turns rc into
 * MD_EXIT_INTERNAL, with a message. Call it last.
 */
int cli_finish_stdout(int rc);

/* Two names of one input: the same file or folder, or two files with the same bytes. */
bool cli_same_input(const char *a, const char *b);
/*
 * One input per role: a second one is refused (exit 2, "two WHAT ('a', 'b');
 * HINT") unless it is the same; returns 0 or MD_EXIT_USAGE.
 */
int cli_set_role(const char *cmd, const char **slot, const char *path, const char *what,
		 const char *hint);

/*
 * The entries of a folder of inputs ("dir/name", hidden ones left out), in
 * byte order; the caller frees each and the array. -1 with err if unreadable.
 */
struct md_error;
int cli_folder_entries(const char *dir, char ***names, size_t *n, struct md_error *err);

int cmd_check(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_touches(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_bundle(int argc, char **argv);

#endif
