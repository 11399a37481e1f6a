/*
 * history.h - the rows of _prisma_migrations, read from any export.
 *
 * Every reader (CSV, COPY text, plain/custom/directory/tar pg_dump, psql
 * screen output) fills the same struct history. NULL is kept distinct
 * from '' (a NULL column is a NULL pointer): logs = '' is the fingerprint
 * of 'prisma migrate resolve --applied'. Where a format cannot tell them
 * apart, the column's bit is set in row->ambiguous and the output says so.
 *
 * A dump also yields its DDL (struct dump_stmt), in dump order, so the
 * schema model can be built from the same file (see catalog.h).
 */
#ifndef MIGDOCTOR_HISTORY_H
#define MIGDOCTOR_HISTORY_H

#include "migdoctor/common.h"
#include "migdoctor/arena.h"
#include "migdoctor/diag.h"
#include "migdoctor/stream.h"

/*
 * Limits of the text readers, named in their messages. Skipped data (other
 * tables' COPY blocks) is searched, not split into lines, so no limit
 * applies to it.
 */
#define HIST_MAX_LINE ((size_t)64 << 20)   /* longest physical line read */
#define HIST_MAX_FIELD ((size_t)16 << 20)  /* longest value kept (a multi-line logs) */
#define HIST_MAX_STMT ((size_t)64 << 20)   /* longest SQL statement kept (DDL, our INSERTs) */
#define HIST_MAX_ROWS 1000000              /* rows of _prisma_migrations */
#define HIST_MAX_COLS 64                   /* columns in a header or COPY list */

enum hist_col {
	HC_ID,
	HC_CHECKSUM,
	HC_FINISHED_AT,
	HC_MIGRATION_NAME,
	HC_LOGS,
	HC_ROLLED_BACK_AT,
	HC_STARTED_AT,
	HC_APPLIED_STEPS_COUNT,
	HC_NCOLS
};
extern const char *const hist_col_names[HC_NCOLS];

enum md_ts_kind { MD_TS_NULL, MD_TS_VALUE, MD_TS_INFINITY, MD_TS_NEG_INFINITY };

/* A timestamptz value, normalised to UTC. */
struct md_ts {
	enum md_ts_kind kind;
	int64_t usec; /* microseconds since 1970-01-01 00:00:00 UTC */
};

struct history_row {
	const char *id;             /* NULL pointer = SQL NULL */
	const char *checksum;
	const char *migration_name;
	const char *logs;
	struct md_ts started_at;
	struct md_ts finished_at;
	struct md_ts rolled_back_at;
	int64_t applied_steps_count;
	bool steps_null;
	unsigned ambiguous;         /* 1u << enum hist_col: NULL and '' look alike */
	unsigned missing;           /* 1u << enum hist_col: not exported (the input lacks the
				     * column): the value is unknown, not NULL */
	struct md_pos pos;          /* where the row was read (pos.file is the input) */
};

/* One schema statement found in a dump, in dump order. */
struct dump_stmt {
	const char *sql;            /* one complete statement, NUL-terminated */
	struct md_pos pos;
};

enum history_flags {
	HIST_TABLE_SEEN = 1 << 0,   /* _prisma_migrations DDL or data was found */
	HIST_NO_ROW_DATA = 1 << 1,  /* the format holds no rows (restore.sql alone, -s dump) */
	HIST_NULL_AMBIGUOUS = 1 << 2,  /* some row has a column whose NULL/'' is unknown */
	HIST_BY_POSITION = 1 << 3,     /* no header: columns taken in Prisma's order */
};

struct history {
	struct arena arena;         /* owns every string below */
	struct history_row *rows;
	size_t nrows, rows_cap;
	const char *source;         /* the input path */
	const char *format;         /* e.g. "csv", "pg_dump custom (archive 1.16, lz4)" */
	const char *schema_name;    /* schema of the _prisma_migrations table read */
	const char *database;       /* pg_dumpall: the database read */
	const char *dump_time;      /* when the dump was made, if the format says */
	unsigned flags;
	struct dump_stmt *ddl;
	size_t nddl, ddl_cap;
	const char **tables;        /* tables with data in a dump, for messages */
	size_t ntables, tables_cap;
	unsigned missing;           /* 1u << enum hist_col: columns absent from the input
				     * (not exported; also in each row's missing) */
};

struct history_opts {
	const char *schema_name;    /* --schema-name: which schema's table (default: the only one,
				     * else public, with a warning naming the others) */
	const char *database;       /* --database: which database of a pg_dumpall */
	bool want_ddl;              /* collect dump_stmt (costs memory only for DDL) */
	bool allow_no_rows;         /* a dump without the table is not an error (check: P3005) */
	/* optional: sees every byte of a text input, in order (bundle: the tables' sizes) */
	void (*tap)(void *ctx, const void *buf, size_t n);
	void *tap_ctx;
};

void history_init(struct history *h);
void history_release(struct history *h);

/* Sniff the format of path from its content and read it. */
int history_read(struct history *h, const char *path, const struct history_opts *opts,
		 struct md_error *err);

/*
 * Building blocks shared by the readers (also used by the archive readers,
 * which hand over the table's decompressed data block):
 *   history_read_copy_text  COPY text-format data up to "\." or the end;
 *                           cols are the column names of the COPY statement
 *   history_read_inserts    INSERT statement(s) (parsed with libpg_query); an
 *                           INSERT without a column list is taken in Prisma's
 *                           column order (HIST_BY_POSITION is set)
 */
int history_read_copy_text(struct history *h, struct md_stream *in, const char *const *cols,
			   size_t ncols, uint64_t first_line, struct md_error *err);
int history_read_inserts(struct history *h, const char *sql, const struct md_pos *pos,
			 struct md_error *err);
void history_add_ddl(struct history *h, const char *sql, size_t len, const struct md_pos *pos);
/* Remember a table name seen in the input (deduplicated), for messages. */
void history_add_table(struct history *h, const char *qualified_name);

/* Parse a timestamptz as PostgreSQL prints it (any offset, 0-6 digits, infinity). */
int md_ts_parse(const char *s, size_t len, struct md_ts *out);
/* Size of a buffer md_ts_format always fits in. */
#define MD_TS_BUFSIZE 48
/* Render as "2026-02-17 11:31:29.822+00" style UTC text (or "infinity"). */
void md_ts_format(const struct md_ts *ts, char *buf, size_t size);

#endif
