/*
 * commands.c - the list of every command's option table, for the tests
 * that check them against each other, --help and the man page. Its own
 * file: the tables' files call options.c, so the list cannot live there.
 */
#include "migdoctor/common.h"
#include "cli.h"

const struct cli_cmd *const cli_cmds[] = {
	&cli_cmd_check, &cli_cmd_plan, &cli_cmd_touches, &cli_cmd_history, &cli_cmd_events,
	&cli_cmd_bundle,
};
const size_t cli_ncmds = MD_ARRAY_LEN(cli_cmds);
