/* Placeholder: 'migdoctor check' is being built (see the open issue). */
#include "migdoctor/common.h"
#include "cli.h"

int cmd_check(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "migdoctor check: not implemented in this build yet\n");
	return MD_EXIT_INTERNAL;
}
