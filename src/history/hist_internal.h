/*
 * hist_internal.h - what the _prisma_migrations readers share inside
 * src/history: one row builder (raw field text -> struct history_row), the
 * column map built from a header or a COPY/INSERT column list (rows.c),
 * and the readers history_read() dispatches to (read.c).
 *
 * The calls go one way: read.c -> the readers (plain, csv, copytext, psql,
 * archive -> custom/dir -> archive_pick -> copytext/inserts) -> rows.c.
 * Internal functions are hist_*; a reader of a whole input is
 * hist_read_<format>.
 */
#ifndef MIGDOCTOR_HIST_INTERNAL_H
#define MIGDOCTOR_HIST_INTERNAL_H

#include "migdoctor/history.h"
#include "migdoctor/sbuf.h"

/* One decoded input value; p need not be NUL-terminated. */
struct hist_field {
	const char *p;
	size_t len;
	bool null;
	bool ambiguous; /* the format cannot tell NULL from '' here */
};

/* Input column i feeds hist column map[i], or nothing when map[i] < 0. */
struct hist_colmap {
	int map[HIST_MAX_COLS];
	size_t ncols;
	unsigned present; /* 1u << enum hist_col */
};

/* The column named name (exact, case-sensitive as PostgreSQL folds it), or -1. */
int hist_col_lookup(const char *name, size_t len);
/*
 * Build a map from column names. strict: an unknown name is an error
 * listing every unknown name (CSV headers); otherwise it is ignored (a
 * hand-altered table in a dump). migration_name must be present.
 */
int hist_colmap_build(struct hist_colmap *m, const char *const *names, const size_t *lens,
		      size_t n, bool strict, const struct md_pos *pos, struct md_error *err);
/* The map for input without a header: Prisma's column order. */
void hist_colmap_prisma(struct hist_colmap *m);
/* Convert one row of values (indexed by enum hist_col) and append it. */
int hist_add_row(struct history *h, const struct hist_field f[HC_NCOLS], const struct md_pos *pos,
		 struct md_error *err);
/* Record which columns the input lacked (their values are NULL in every row). */
void hist_note_missing(struct history *h, const struct hist_colmap *m);

/*
 * COPY text format: de-escape one raw field into out (NULL test on the raw
 * text: exactly \N). Returns -1 when out passes its limit.
 */
int hist_copy_unescape(const char *p, size_t len, struct sbuf *out);
/* Rows of COPY text from a line reader, up to "\." or the end of input. */
struct md_reader;
int hist_copy_rows(struct history *h, struct md_reader *r, const struct hist_colmap *m,
		   bool need_terminator, struct md_error *err);

/* The readers history_read() dispatches to; head holds the first bytes. */
int hist_read_plain(struct history *h, struct md_stream *s, const struct history_opts *opts,
		    struct md_error *err);
int hist_read_csv(struct history *h, struct md_stream *s, const struct history_opts *opts,
		  struct md_error *err);
int hist_read_copy_export(struct history *h, struct md_stream *s,
			  const struct history_opts *opts, struct md_error *err);
int hist_read_psql(struct history *h, struct md_stream *s, const struct history_opts *opts,
		   struct md_error *err);

int hist_read_markdown(struct history *h, struct md_stream *s, const struct history_opts *opts,
		       struct md_error *err);
int hist_read_html(struct history *h, struct md_stream *s, const struct history_opts *opts,
		   struct md_error *err);
int hist_read_asciidoc(struct history *h, struct md_stream *s, const struct history_opts *opts,
		       struct md_error *err);
int hist_read_json(struct history *h, struct md_stream *s, const struct history_opts *opts,
		   struct md_error *err);

/* Sniff a text head: which text reader fits. */
enum hist_text_kind {
	HT_UNKNOWN,
	HT_PLAIN,    /* pg_dump / pg_dumpall / pg_restore -f SQL */
	HT_CSV,      /* also tab-separated with quoted values (pgAdmin) */
	HT_COPYTEXT,
	HT_PSQL,     /* aligned, expanded, unaligned (also -F TAB), wrapped */
	HT_MARKDOWN,
	HT_HTML,     /* psql \pset format html */
	HT_ASCIIDOC, /* psql \pset format asciidoc */
	HT_JSON,     /* json_agg, row_to_json */
	HT_LATEX,    /* psql \pset format latex / latex-longtable: not read */
	HT_TROFF,    /* psql \pset format troff-ms: not read */
};
enum hist_text_kind hist_sniff_text(const unsigned char *head, size_t n);

/* Shared scanning helpers. */
/* Parse a possibly quoted, possibly qualified SQL name at *p; folds bare names. */
int hist_parse_qname(const char **p, const char *end, struct sbuf *schema, struct sbuf *name);
/*
 * The column list of a COPY statement at *p, "(a, "b c", ...)": the names
 * unquoted, bare ones folded, in a; 0 columns when *p is not at '(' (after
 * spaces). -1 when the list is malformed or longer than HIST_COLLIST_MAX;
 * the caller names the limit of HIST_MAX_COLS it enforces.
 */
#define HIST_COLLIST_MAX 1024
int hist_parse_collist(const char **p, const char *end, struct arena *a, const char ***cols,
		       size_t *ncols);
bool hist_is_uuidish(const char *p, size_t len);
bool hist_is_hex64(const char *p, size_t len);

/*
 * The error for an input without _prisma_migrations rows: the table with
 * no data (pg_dump -s, restore.sql alone), or the tables that were found.
 */
int hist_no_rows_error(struct history *h, const char *path, struct md_error *err);

#endif
