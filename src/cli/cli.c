#include "migdoctor/common.h"
#include "cli.h"

#include <unistd.h>

static const char *const format_names[] = { "text", "json", "csv" };

int cli_parse_format(const char *cmd, const char *arg, unsigned allowed, enum cli_format *out)
{
	for (size_t i = 0; i < MD_ARRAY_LEN(format_names); i++) {
		if (!strcmp(arg, format_names[i]) && (allowed & (1u << i))) {
			*out = (enum cli_format)i;
			return 0;
		}
	}
	return cli_usage_error(cmd, "unknown --format '%s'; expected %s", arg,
			       (allowed & (1u << CLI_FORMAT_CSV)) ? "text, json or csv"
								  : "text or json");
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "migdoctor %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'migdoctor %s --help'.\n", cmd);
	return MD_EXIT_USAGE;
}

bool cli_want_color(void)
{
	const char *nc = getenv("NO_COLOR");

	if (nc && *nc)
		return false;
	return isatty(STDOUT_FILENO);
}
