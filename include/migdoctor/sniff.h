/*
 * sniff.h - what role an input given to 'check' without a flag plays,
 * told from its content (never from its name).
 */
#ifndef MIGDOCTOR_SNIFF_H
#define MIGDOCTOR_SNIFF_H

#include "migdoctor/common.h"
#include "migdoctor/diag.h"

enum input_role {
	ROLE_MIGRATIONS,  /* a folder of NNN_name/migration.sql */
	ROLE_DUMP,        /* a pg_dump (any format): history and schema */
	ROLE_HISTORY,     /* a CSV, COPY or psql export of _prisma_migrations */
	ROLE_LOG,         /* a LiteLLM / Prisma log */
	ROLE_BUNDLE,      /* a folder holding several of the above */
};

const char *input_role_name(enum input_role r);
/* Decide the role of path; -1 with err when it cannot be told. */
int input_sniff(const char *path, enum input_role *role, struct md_error *err);

/* Lowercase hex sha256 of a file's bytes, streamed. */
int md_sha256_file(const char *path, char out[65], struct md_error *err);

#endif
