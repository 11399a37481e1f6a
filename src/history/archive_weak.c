/*
 * archive_weak.c - TEMPORARY stand-ins for the row parsers of history.h
 * that another engineer is writing, so the archive readers link before
 * those land. Weak: the real definitions win. Delete this file once
 * grep finds history_read_copy_text in src/history finds the real ones.
 */
#include "migdoctor/common.h"
#include "migdoctor/history.h"

__attribute__((weak)) int history_read_copy_text(struct history *h, struct md_stream *in,
						 const char *const *cols, size_t ncols,
						 uint64_t first_line, struct md_error *err)
{
	(void)h;
	(void)cols;
	(void)ncols;
	(void)first_line;
	return md_fail(err, "%s: COPY data parser not built yet", in->name);
}

__attribute__((weak)) int history_read_inserts(struct history *h, const char *sql,
					       const struct md_pos *pos, struct md_error *err)
{
	(void)h;
	(void)sql;
	return md_fail(err, "%s: INSERT parser not built yet", pos->file);
}

__attribute__((weak)) void history_add_ddl(struct history *h, const char *sql, size_t len,
					   const struct md_pos *pos)
{
	struct dump_stmt *d;

	MD_GROW(h->ddl, h->nddl, h->ddl_cap);
	d = &h->ddl[h->nddl++];
	d->sql = arena_strndup(&h->arena, sql, len);
	d->pos = *pos;
}
