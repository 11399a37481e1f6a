/*
 * bundle.h - the file 'migdoctor bundle' writes and 'check' reads: an
 * ustar archive holding what a diagnosis needs and nothing else (no table
 * data, secrets redacted).
 *
 * Members, in this order (mtime 0, uid 0, mode 0644: the same inputs give
 * the same bytes):
 *   migdoctor-bundle/manifest.json  what it holds, the sources (name, size,
 *                                   sha256), the facts a reader restores
 *   migdoctor-bundle/dump.sql       the schema statements and the
 *                                   _prisma_migrations rows as a plain
 *                                   pg_dump (COPY text: NULL is \N, '' is
 *                                   empty), read by the plain-SQL reader
 *   migdoctor-bundle/sizes.json     bytes (and rows, when known) of each
 *                                   table's data in the source dump
 *   migdoctor-bundle/logs/N-NAME    the migration lines of log N with their
 *                                   context; the manifest maps them back to
 *                                   the original line numbers
 * The manifest comes first: a bundle is recognised by its first header.
 */
#ifndef MIGDOCTOR_BUNDLE_H
#define MIGDOCTOR_BUNDLE_H

#include "migdoctor/common.h"
#include "migdoctor/arena.h"
#include "migdoctor/diag.h"

#define BUNDLE_DIR "migdoctor-bundle/"
#define BUNDLE_MANIFEST BUNDLE_DIR "manifest.json"
#define BUNDLE_DUMP BUNDLE_DIR "dump.sql"
#define BUNDLE_SIZES BUNDLE_DIR "sizes.json"
#define BUNDLE_FORMAT 1                       /* "migdoctor_bundle" in the manifest */
#define BUNDLE_MAX_MANIFEST ((size_t)64 << 20)
#define BUNDLE_MAX_LOG ((size_t)512 << 20)   /* one kept log member read by check */

/* True when head (at least 512 bytes) is the first header of a bundle. */
bool bundle_sniff(const unsigned char *head, size_t n);

struct bundle_source {
	const char *role;     /* "dump", "history", "schema", "log" */
	const char *name;     /* the file's name as given (folders dropped) */
	uint64_t size;
	const char *sha256;   /* "" for a -Fd folder */
	const char *format;   /* what the reader saw, or NULL */
};

/* Kept lines k..k+count-1 of a log member were lines orig.. of the source. */
struct bundle_range {
	uint64_t first, orig, count;
};

struct bundle_log {
	const char *member;
	const char *source;   /* the name of the original log */
	struct bundle_range *ranges;
	size_t nranges;
};

struct bundle_manifest {
	struct arena arena;
	const char *version;          /* migdoctor's that wrote it */
	struct bundle_source *sources;
	size_t nsources;
	bool has_dump;                /* a dump.sql member */
	bool has_ddl;                 /* it holds schema statements */
	bool has_rows;                /* it holds the table's rows (or says there is none) */
	/* the history the rows came from, restored over what dump.sql reads as */
	const char *hist_source, *hist_sha256, *hist_format, *dump_time, *database;
	const char *hist_schema;      /* NULL when the input did not say (a CSV) */
	bool by_position;
	bool hist_separate;           /* the rows came from a history input of their own (-H) */
	uint64_t *ambiguous;          /* pairs: row index, mask of enum hist_col */
	size_t nambiguous;
	struct bundle_log *logs;
	size_t nlogs;
};

void bundle_manifest_init(struct bundle_manifest *m);
void bundle_manifest_release(struct bundle_manifest *m);
/* Read the manifest of the bundle at path; an input error when it is not one. */
int bundle_manifest_read(struct bundle_manifest *m, const char *path, struct md_error *err);
/*
 * A member's bytes, NUL-terminated, at most limit; -1 with err when the
 * bundle has no such member or it is larger.
 */
int bundle_member_read(const char *path, const char *member, size_t limit, char **data, size_t *len,
		       struct md_error *err);

struct history;
struct history_opts;
struct log_events;
/* The rows and DDL of a bundle (history_read() comes here for one). */
int history_read_bundle(struct history *h, const char *path, const struct history_opts *opts,
			struct md_error *err);
/* Append the events of the bundle's logs, at their original line numbers. */
int logs_read_bundle(struct log_events *ev, const struct bundle_manifest *m, const char *path,
		     struct md_error *err);

/* --- the sizes of the tables' data (src/input/sizes.c, src/history/sizes_archive.c) --- */

struct bundle_table_size {
	char *table;          /* as the dump names it: public."LiteLLM_SpendLogs" */
	uint64_t bytes;       /* COPY block bytes, or the archive's stored (compressed) block */
	uint64_t rows;        /* COPY lines or INSERT statements; unknown in archives */
	bool rows_known;
	bool compressed;      /* bytes of a compressed block (custom -Z, -Fd's .gz/.lz4/.zst) */
};

struct bundle_sizes {
	struct bundle_table_size *v;
	size_t n, cap;
	const char *measure;  /* what bytes and rows count, for the reader of sizes.json */
	/* the scanner of a text dump, between chunks */
	int mode;
	char line[512];
	size_t line_len;
	uint64_t line_total;  /* the whole line's length */
	bool line_long;
	size_t cur;           /* table of the COPY block being read */
	char carry[4];
	size_t ncarry;
};

void bundle_sizes_init(struct bundle_sizes *z);
void bundle_sizes_release(struct bundle_sizes *z);
/* Feed the bytes of a plain (text) dump in order; a history_opts tap. */
void bundle_sizes_tap(void *z, const void *buf, size_t n);
/* The sizes of a pg_dump archive's data blocks, from its TOC (no data read); 0 or -1. */
int bundle_sizes_archive(struct bundle_sizes *z, const char *path, struct md_error *err);

/*
 * The sizes a bundle's sizes.json holds (written by bundle_write_sizes), for
 * the hazards' estimates of 'check' on a bundle: 0, or -1 with err (no such
 * member in an older bundle, or not the JSON expected). z is left empty then.
 */
int bundle_sizes_read(struct bundle_sizes *z, const char *path, struct md_error *err);

/* --- writing (src/report/bundle_write.c) --- */

struct sbuf;

/* Append one ustar member (mode 0644, mtime 0, owner 0); names are < 100 bytes. */
void bundle_tar_add(struct sbuf *tar, const char *name, const void *data, size_t len);
/* sizes.json */
void bundle_write_sizes(struct sbuf *out, const struct bundle_sizes *z, const char *source);
/* The two zero blocks that end an archive. */
void bundle_tar_end(struct sbuf *tar);
/*
 * dump.sql: the statements of ddl (may be NULL) and the rows of rows (may
 * be NULL) as a plain pg_dump, every value redacted. Returns the number of
 * redactions.
 */
size_t bundle_write_dump(struct sbuf *out, const struct history *rows, const struct history *ddl,
			 const char *source);

/* --- log lines kept (src/logs/bundle_keep.c) --- */

/*
 * The lines of the log at path that the events ev->items[from..to) come
 * from, ctx lines before and after each (more after a failure, whose
 * message spans lines), redacted, into out; ranges map them back.
 * Returns the number of redactions, or -1 with err.
 */
long logs_keep_lines(struct sbuf *out, struct bundle_range **ranges, size_t *nranges,
		     const char *path, const struct log_events *ev, size_t from, size_t to,
		     uint64_t ctx, struct md_error *err);
/*
 * Do the events b (read from kept lines, at their original line numbers)
 * say what a does: same kinds, migrations, codes and lines?
 */
bool logs_events_same(const struct log_events *a, size_t afrom, size_t ato,
		      const struct log_events *b, size_t bfrom, size_t bto);

#endif
