/*
 * cli.h - what the subcommand files share: the entry points, the output
 * format option, the usage-error helper, and the writing of what a
 * command outputs (standard output, -o FILE).
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
 * A run with no script to write: remove the repair script an earlier run
 * left at NAME (else 'NAME && psql -f NAME' would run it again) and say so;
 * anything else there is left, with a warning. 0 or an exit code.
 */
int cli_output_remove_stale(const char *name);
/* Write to standard output; -1 after one message when it fails. */
int cli_write_stdout(const void *buf, size_t len);
/*
 * The end of every command: flush and close standard output. A write
 * error anywhere (a full disk, '> /dev/full') turns rc into
 * MD_EXIT_INTERNAL, with a message. Call it last.
 */
int cli_finish_stdout(int rc);

int cmd_check(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_touches(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_bundle(int argc, char **argv);

#endif
