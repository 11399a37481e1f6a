/*
 * inserts.c - the rows of INSERT statements (pg_dump --inserts,
 * --column-inserts, --rows-per-insert) and the columns of the CREATE TABLE
 * of _prisma_migrations. The SQL is parsed by the sql layer
 * (sql_insert_rows, libpg_query), never here; this file maps the columns
 * and checks what pg_dump would have written.
 */
#include "migdoctor/common.h"
#include "migdoctor/sql.h"
#include "hist_internal.h"
#include "hist_sql.h"

#define TARGET_TABLE "_prisma_migrations"

struct ins_ctx {
	struct history *h;
	const struct md_pos *pos;
	const char *const *dflt;
	size_t ndflt;
};

static int insert_rows(void *vctx, const struct sql_insert *ins, struct md_error *err)
{
	struct ins_ctx *c = vctx;
	struct history *h = c->h;
	const struct md_pos *pos = c->pos;
	struct hist_colmap m;
	size_t lens[HIST_MAX_COLS];

	if (ins->ncols) {
		if (ins->ncols > HIST_MAX_COLS)
			return md_fail_at(err, pos, "%zu columns in the INSERT; expected at most %d "
					  "(HIST_MAX_COLS)", ins->ncols, HIST_MAX_COLS);
		for (size_t i = 0; i < ins->ncols; i++)
			lens[i] = strlen(ins->cols[i]);
		if (hist_colmap_build(&m, ins->cols, lens, ins->ncols, false, pos, err) < 0)
			return -1;
	} else if (c->dflt && c->ndflt) {
		size_t n = MD_MIN(c->ndflt, (size_t)HIST_MAX_COLS);

		for (size_t i = 0; i < n; i++)
			lens[i] = strlen(c->dflt[i]);
		if (hist_colmap_build(&m, c->dflt, lens, n, false, pos, err) < 0)
			return -1;
	} else {
		hist_colmap_prisma(&m);
		h->flags |= HIST_BY_POSITION;
	}
	hist_note_missing(h, &m);
	h->flags |= HIST_TABLE_SEEN;
	if (!ins->has_values)
		return md_fail_at(err, pos, "INSERT INTO _prisma_migrations without a VALUES list; "
				  "expected the INSERT statements pg_dump --inserts writes");
	for (size_t r = 0; r < ins->nrows; r++) {
		const struct sql_values *row = &ins->rows[r];
		struct hist_field f[HC_NCOLS];

		if (row->n != m.ncols)
			return md_fail_at(err, pos, "%zu values in row %zu of an INSERT; expected %zu "
					  "(the column list)", row->n, r + 1, m.ncols);
		for (int k = 0; k < HC_NCOLS; k++)
			f[k] = (struct hist_field){ "", 0, true, false };
		for (size_t i = 0; i < row->n; i++) {
			const struct sql_value *v = &row->v[i];
			int col = m.map[i];

			if (v->kind == SQL_VALUE_OTHER)
				return md_fail_at(err, pos, "value %zu of row %zu of an INSERT is not a "
						  "constant; expected NULL, a string or a number", i + 1,
						  r + 1);
			if (col >= 0)
				f[col] = v->kind == SQL_VALUE_NULL
						 ? (struct hist_field){ "", 0, true, false }
						 : (struct hist_field){ v->text, v->len, false, false };
		}
		if (hist_add_row(h, f, pos, err) < 0)
			return -1;
	}
	return 0;
}

int hist_read_inserts_cols(struct history *h, const char *sql, const struct md_pos *pos,
			   const char *const *dflt, size_t ndflt, struct md_error *err)
{
	struct ins_ctx c = { h, pos, dflt, ndflt };

	return sql_insert_rows(sql, TARGET_TABLE, pos, insert_rows, &c, err);
}

int history_read_inserts(struct history *h, const char *sql, const struct md_pos *pos,
			 struct md_error *err)
{
	return hist_read_inserts_cols(h, sql, pos, NULL, 0, err);
}

int hist_create_table_cols(const char *sql, const struct md_pos *pos, struct arena *a,
			   const char ***cols, size_t *ncols, struct md_error *err)
{
	if (sql_create_table_cols(sql, TARGET_TABLE, pos, a, cols, ncols, err) < 0)
		return -1;
	if (*ncols > HIST_MAX_COLS)
		*ncols = HIST_MAX_COLS; /* a hand-altered table: the map takes the first ones */
	return 0;
}
