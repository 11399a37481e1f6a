/*
 * main.c - argv to subcommand; nothing else.
 */
#include "migdoctor/common.h"
#include "cli/cli.h"
#include "migdoctor/logs.h"

#include <openssl/crypto.h>

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "check", cmd_check, "diagnose migration history, schema and logs; write a repair script" },
	{ "plan", cmd_plan, "dry run of 'prisma migrate deploy' against a dumped database" },
	{ "touches", cmd_touches, "list the relations each migration creates, changes, drops or needs" },
	{ "history", cmd_history, "print the _prisma_migrations rows found in an export" },
	{ "events", cmd_events, "list the migration events found in LiteLLM start-up logs" },
	{ "bundle", cmd_bundle, "gather what a diagnosis needs into one tar, without data or secrets" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: migdoctor COMMAND [OPTIONS] [ARGS]\n\n"
		   "An offline doctor for Prisma Migrate on PostgreSQL (built for LiteLLM).\n"
		   "It never connects to a database: it reads exports, logs and the\n"
		   "migrations directory.\n\ncommands:\n");
	for (size_t i = 0; i < MD_ARRAY_LEN(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'migdoctor COMMAND --help' describes each command; 'man migdoctor' has it all.\n"
		   "exit codes: 0 healthy, 1 findings at or above --fail-on, 2 usage,\n"
		   "            3 unreadable or invalid input, 4 internal error\n");
}

int main(int argc, char **argv)
{
	/*
	 * sha256 is all migdoctor asks of OpenSSL: the host's openssl.cnf can only
	 * make it differ from host to host, or ask the static binary for a provider
	 * module it cannot load.
	 */
	OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
	if (argc < 2) {
		usage(stderr);
		return MD_EXIT_USAGE;
	}
	/* a write error ('migdoctor --help > /dev/full') is exit 4, as in every command */
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return cli_finish_stdout(MD_EXIT_OK);
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("migdoctor %s\n", MD_VERSION);
		if (argc > 2 && (!strcmp(argv[2], "--verbose") || !strcmp(argv[2], "-v")))
			printf("pcre2 jit: %s\n", logs_jit_status());
		return cli_finish_stdout(MD_EXIT_OK);
	}
	for (size_t i = 0; i < MD_ARRAY_LEN(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "migdoctor: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return MD_EXIT_USAGE;
}
