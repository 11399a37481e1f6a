/*
 * migrations.h - a Prisma migrations directory, read as Prisma reads it.
 *
 * Immediate subdirectories in byte order (hidden ones count, symlinks do
 * not, as Dirent.isDirectory() / Rust file_type().is_dir() don't follow
 * them); the name is the folder name verbatim; only migration.sql is
 * read; migration_lock.toml is checked the way the schema engine checks
 * it; the checksum is the lowercase hex sha256 of the file bytes, plus
 * the CRLF/LF variants that 'migrate status' accepts.
 */
#ifndef MIGDOCTOR_MIGRATIONS_H
#define MIGDOCTOR_MIGRATIONS_H

#include "migdoctor/common.h"
#include "migdoctor/diag.h"
#include "migdoctor/sha256.h" /* MD_SHA256_HEX; md_sha256_hex moved there */
#include "migdoctor/sql.h"

#define MIGRATION_MAX_SIZE (64u * 1024 * 1024)

struct migration {
	char *name;                     /* folder name (or file name for loose .sql files) */
	char *path;                     /* the migration.sql path */
	bool missing_sql;               /* folder without migration.sql: P3015 when deploy reaches it */
	bool invalid_utf8;              /* Prisma <= 6.5 cannot read it; >= 6.6 checksums U+FFFD */
	char checksum[MD_SHA256_HEX];   /* sha256 of the exact bytes */
	char checksum_lf[MD_SHA256_HEX];   /* of the text with CRLF -> LF ("" when identical) */
	char checksum_crlf[MD_SHA256_HEX]; /* of the text with LF -> CRLF ("" when identical) */
	char *text;                     /* the file, NUL-terminated */
	size_t len;
	struct sql_script script;       /* statements and effects */
};

enum lock_state {
	LOCK_ABSENT,     /* no migration_lock.toml: no check */
	LOCK_OK,         /* provider = "postgresql" */
	LOCK_MISMATCH,   /* anything else: P3019 before any database work */
};

struct migration_dir {
	char *path;
	enum lock_state lock;
	char *provider;                 /* as the engine reads it; "<PROVIDER NOT FOUND>" if no line */
	uint32_t provider_line;
	struct migration *v;
	size_t n, cap;
	bool loose_files;               /* built from .sql files, not a directory */
};

void migration_dir_init(struct migration_dir *d);
void migration_dir_release(struct migration_dir *d);
/* Read a migrations directory; an empty or missing one is an input error. */
int migration_dir_load(struct migration_dir *d, const char *path, struct md_error *err);
/* Add one .sql file as a migration named after the file. */
int migration_dir_add_file(struct migration_dir *d, const char *path, struct md_error *err);
const struct migration *migration_dir_find(const struct migration_dir *d, const char *name);
/* Does hex (from a _prisma_migrations row) match m the way 'migrate status' compares? */
bool migration_checksum_matches(const struct migration *m, const char *hex);

#endif
