/*
 * archive_int.h - what the pg_dump archive readers share: a buffered
 * forward-only byte source with the archive primitives (Int, Str, Offset
 * of formats.md §2.1), the header and TOC model, and the code that picks
 * the _prisma_migrations entry and feeds its data to the row parsers.
 */
#ifndef MIGDOCTOR_ARCHIVE_INT_H
#define MIGDOCTOR_ARCHIVE_INT_H

#include "migdoctor/archive.h"
#include "migdoctor/arena.h"
#include "migdoctor/decompress.h"

/* A forward-only buffered reader over an md_stream (owned). */
struct ar_src {
	struct md_stream *s;
	const char *name;     /* for messages */
	unsigned char *buf;
	size_t pos, len;
	uint64_t base;        /* offset of buf[0] in the stream */
	int intsize, offsize; /* from the header, once read */
};

void ar_src_init(struct ar_src *src, struct md_stream *s, const char *name);
void ar_src_release(struct ar_src *src);
static inline uint64_t ar_tell(const struct ar_src *src)
{
	return src->base + src->pos;
}
/* Read exactly n bytes; "truncated inside WHAT" otherwise. */
int ar_read(struct ar_src *src, void *out, size_t n, const char *what, struct md_error *err);
/* Bytes read, 0 at the end, -1 on error (a short read is not an error). */
ssize_t ar_read_some(struct ar_src *src, void *out, size_t n, struct md_error *err);
int ar_skip(struct ar_src *src, uint64_t n, const char *what, struct md_error *err);
int ar_byte(struct ar_src *src, int *out, const char *what, struct md_error *err);
int ar_int(struct ar_src *src, int64_t *out, const char *what, struct md_error *err);
/* A Str: *out NULL for the NULL string; into a (NULL: skipped). */
int ar_str(struct ar_src *src, struct arena *a, char **out, const char *what,
	   struct md_error *err);

enum { AR_FMT_CUSTOM = 1, AR_FMT_TAR = 3 };
enum { AR_OFF_NOT_SET = 1, AR_OFF_SET = 2, AR_OFF_NO_DATA = 3 };

struct ar_entry {
	int64_t dump_id;
	bool had_dumper;
	int64_t section;
	char *tag, *desc, *ns, *owner;
	char *defn;         /* NULL unless DDL was asked for */
	char *copy_stmt;
	char *filename;     /* directory/tar: "3360.dat" ("" without data) */
	int off_flag;       /* custom: AR_OFF_* */
	uint64_t off_pos;
	uint64_t toc_offset; /* where the entry starts, for messages */
};

struct ar_toc {
	struct arena arena;
	int vmaj, vmin, vrev;
	int format;         /* AR_FMT_* */
	enum md_codec codec;
	int tm[7];          /* sec, min, hour, mday, mon, year-1900, isdst */
	char *dbname, *server_version, *dump_version;
	struct ar_entry *e;
	size_t n, cap;
	uint64_t data_start; /* offset just after the TOC */
};

void ar_toc_init(struct ar_toc *t);
void ar_toc_release(struct ar_toc *t);
/* Header and TOC; keep_defn keeps the DDL text (else it is skipped). */
int ar_read_toc(struct ar_toc *t, struct ar_src *src, bool keep_defn, struct md_error *err);

/*
 * After the TOC: record tables, DDL, format text and dump time in h, and
 * choose the TABLE DATA entry to read. *target is NULL when the archive
 * holds no rows of the table and that is allowed (h->flags say why).
 */
int ar_pick(struct history *h, const struct ar_toc *t, const char *path, const char *kind,
	    const struct history_opts *opts, const struct ar_entry **target,
	    struct md_error *err);
/* Feed a table's decompressed data (COPY text or INSERTs) to the parsers. */
int ar_feed(struct history *h, const struct ar_entry *target, struct md_stream *data,
	    struct md_error *err);

/*
 * The format readers. in: the input already open (standard input, read
 * once: owned, and never reopened), or NULL to open path (by name, again
 * when the data has to be found a second way).
 */
int ar_read_custom(struct history *h, const char *path, struct md_stream *in,
		   const struct history_opts *opts, struct md_error *err);
int ar_read_dir(struct history *h, const char *path, const struct history_opts *opts,
		struct md_error *err);
int ar_read_tar(struct history *h, const char *path, struct md_stream *in, enum md_codec codec,
		const struct history_opts *opts, struct md_error *err);

#endif
