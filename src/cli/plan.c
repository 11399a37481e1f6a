/* Placeholder: 'migdoctor plan' is being built (see the open issue). */
#include "migdoctor/common.h"
#include "cli.h"

int cmd_plan(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "migdoctor plan: not implemented in this build yet\n");
	return MD_EXIT_INTERNAL;
}
