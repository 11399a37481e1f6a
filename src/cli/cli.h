/*
 * cli.h - what the subcommand files share: the entry points, the output
 * format option, and the usage-error helper.
 */
#ifndef MIGDOCTOR_CLI_H
#define MIGDOCTOR_CLI_H

#include "migdoctor/common.h"

enum cli_format {
	CLI_FORMAT_TEXT,
	CLI_FORMAT_JSON,
	CLI_FORMAT_CSV,
};

/* Parse a --format value; allowed is a mask of 1 << CLI_FORMAT_*. */
int cli_parse_format(const char *cmd, const char *arg, unsigned allowed, enum cli_format *out);
/* Print "migdoctor CMD: MSG" and a hint to --help; returns MD_EXIT_USAGE. */
MD_PRINTF(2, 3) int cli_usage_error(const char *cmd, const char *fmt, ...);
/* True when stdout is a terminal and NO_COLOR is unset. */
bool cli_want_color(void);

int cmd_check(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_touches(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_events(int argc, char **argv);

#endif
