/*
 * sniff.h - what role an input given to 'check' without a flag plays,
 * told from its content (never from its name).
 */
#ifndef MIGDOCTOR_SNIFF_H
#define MIGDOCTOR_SNIFF_H

#include "migdoctor/common.h"
#include "migdoctor/diag.h"
#include "migdoctor/sha256.h" /* md_sha256_file moved there */

/*
 * Non-zero when head (the first n bytes of an input, after any whole-file
 * decompression) starts a custom archive ("PGDMP") or a tar archive
 * (ustar magic at offset 257): 1 = custom, 2 = tar.
 */
enum archive_kind { ARCHIVE_NONE = 0, ARCHIVE_CUSTOM = 1, ARCHIVE_TAR = 2 };
int archive_sniff(const unsigned char *head, size_t n);

/*
 * A container the readers cannot open (zip, xz, bzip2, 7z), told by its
 * magic bytes: the advice to give for it ("a zip archive: unzip it and give
 * the dump inside"), or NULL. The caller prefixes the file name.
 */
const char *md_container_advice(const unsigned char *head, size_t n);

/* Non-zero when path is a folder written by pg_dump -Fd (toc.dat inside). */
int archive_is_dump_dir(const char *path);

enum input_role {
	ROLE_MIGRATIONS,  /* a folder of NNN_name/migration.sql */
	ROLE_DUMP,        /* a pg_dump (any format): history and schema */
	ROLE_HISTORY,     /* a CSV, COPY or psql export of _prisma_migrations */
	ROLE_LOG,         /* a LiteLLM / Prisma log */
	ROLE_BUNDLE,      /* a folder holding several of the above */
	ROLE_PACKED,      /* a tar written by 'migdoctor bundle' (bundle.h) */
};

const char *input_role_name(enum input_role r);
/* Decide the role of path; -1 with err when it cannot be told. */
int input_sniff(const char *path, enum input_role *role, struct md_error *err);

#endif
