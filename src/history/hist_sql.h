/*
 * hist_sql.h - the readers of SQL statements (inserts.c), over sql.h.
 */
#ifndef MIGDOCTOR_HIST_SQL_H
#define MIGDOCTOR_HIST_SQL_H

#include "hist_internal.h"

/*
 * Rows of the INSERT INTO ..._prisma_migrations statements in sql. An
 * INSERT without a column list takes dflt (the columns of the dump's
 * CREATE TABLE), or Prisma's order when dflt is NULL.
 */
int hist_read_inserts_cols(struct history *h, const char *sql, const struct md_pos *pos,
			   const char *const *dflt, size_t ndflt, struct md_error *err);
/* Column names of a CREATE TABLE ..._prisma_migrations statement. */
int hist_create_table_cols(const char *sql, const struct md_pos *pos, struct arena *a,
			   const char ***cols, size_t *ncols, struct md_error *err);

#endif
