/*
 * archive_toc.c - the byte source and the archive header + TOC
 * (formats.md §2.1-2.3), shared by the custom, directory and tar readers.
 *
 * Every length read from the file is checked against a cap before it is
 * used, and strings grow only as their bytes actually arrive, so a
 * hostile length costs at most what the file really holds.
 */
#include "migdoctor/common.h"
#include "archive_int.h"

#define AR_BUF (64 * 1024)

void ar_src_init(struct ar_src *src, struct md_stream *s, const char *name)
{
	memset(src, 0, sizeof(*src));
	src->s = s;
	src->name = name;
	src->buf = xmalloc(AR_BUF);
	src->base = s->offset;
	src->intsize = 4;
	src->offsize = 8;
}

void ar_src_release(struct ar_src *src)
{
	md_stream_close(src->s);
	free(src->buf);
	memset(src, 0, sizeof(*src));
}

static int src_fill(struct ar_src *src, struct md_error *err)
{
	ssize_t r;

	src->base += src->len;
	src->pos = src->len = 0;
	r = md_stream_read(src->s, src->buf, AR_BUF, err);
	if (r < 0)
		return -1;
	src->len = (size_t)r;
	return 0;
}

static int truncated(struct ar_src *src, const char *what, struct md_error *err)
{
	return md_fail(err, "%s: byte %llu: file is truncated inside %s", src->name,
		       (unsigned long long)ar_tell(src), what);
}

ssize_t ar_read_some(struct ar_src *src, void *out, size_t n, struct md_error *err)
{
	size_t k;

	if (src->pos == src->len) {
		if (n >= AR_BUF) { /* large reads go straight through */
			ssize_t r;

			src->base += src->len;
			src->pos = src->len = 0;
			r = md_stream_read(src->s, out, n, err);
			if (r > 0)
				src->base += (uint64_t)r;
			return r;
		}
		if (src_fill(src, err))
			return -1;
		if (src->len == 0)
			return 0;
	}
	k = MD_MIN(n, src->len - src->pos);
	memcpy(out, src->buf + src->pos, k);
	src->pos += k;
	return (ssize_t)k;
}

int ar_read(struct ar_src *src, void *out, size_t n, const char *what, struct md_error *err)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = ar_read_some(src, (char *)out + got, n - got, err);

		if (r < 0)
			return -1;
		if (r == 0)
			return truncated(src, what, err);
		got += (size_t)r;
	}
	return 0;
}

int ar_skip(struct ar_src *src, uint64_t n, const char *what, struct md_error *err)
{
	uint64_t avail = src->len - src->pos;

	if (n <= avail) {
		src->pos += (size_t)n;
		return 0;
	}
	n -= avail;
	src->base += src->len;
	src->pos = src->len = 0;
	/* its message stands: truncation, or a decompression error on the way */
	if (md_stream_skip(src->s, n, what, err))
		return -1;
	src->base += n;
	return 0;
}

int ar_byte(struct ar_src *src, int *out, const char *what, struct md_error *err)
{
	unsigned char c;

	if (ar_read(src, &c, 1, what, err))
		return -1;
	*out = c;
	return 0;
}

/* Int: sign byte + intsize bytes little-endian (§2.1). */
int ar_int(struct ar_src *src, int64_t *out, const char *what, struct md_error *err)
{
	unsigned char b[1 + 32];
	uint64_t v = 0;
	uint64_t at = ar_tell(src);

	if (ar_read(src, b, 1 + (size_t)src->intsize, what, err))
		return -1;
	for (int i = src->intsize; i >= 1; i--) {
		if (i > 8 && b[i])
			return md_fail(err, "%s: byte %llu: integer %s does not fit in 64 bits",
				       src->name, (unsigned long long)at, what);
		if (i <= 8)
			v = (v << 8) | b[i];
	}
	if (v > (uint64_t)INT64_MAX)
		return md_fail(err, "%s: byte %llu: integer %s does not fit in 64 bits", src->name,
			       (unsigned long long)at, what);
	*out = b[0] ? -(int64_t)v : (int64_t)v;
	return 0;
}

int ar_str(struct ar_src *src, struct arena *a, char **out, const char *what,
	   struct md_error *err)
{
	int64_t len;
	uint64_t at = ar_tell(src);

	*out = NULL;
	if (ar_int(src, &len, what, err))
		return -1;
	if (len == -1)
		return 0;
	if (len < 0 || (uint64_t)len > ARCHIVE_MAX_STR)
		return md_fail(err, "%s: byte %llu: string length %lld for %s; expected 0 to %zu "
			       "(or -1 for NULL)", src->name, (unsigned long long)at,
			       (long long)len, what, ARCHIVE_MAX_STR);
	if (!a)
		return ar_skip(src, (uint64_t)len, what, err);
	if ((size_t)len <= AR_BUF) {
		char *p = arena_alloc(a, (size_t)len + 1);

		if (ar_read(src, p, (size_t)len, what, err))
			return -1;
		p[len] = 0;
		*out = p;
		return 0;
	}
	/* long strings grow as their bytes arrive, never from the length alone */
	size_t cap = AR_BUF, got = 0;
	char *tmp = xmalloc(cap);

	while (got < (size_t)len) {
		if (got == cap) {
			cap = MD_MIN(cap * 2, (size_t)len);
			tmp = xrealloc(tmp, cap);
		}
		ssize_t r = ar_read_some(src, tmp + got, MD_MIN(cap, (size_t)len) - got, err);

		if (r <= 0) {
			free(tmp);
			return r < 0 ? -1 : truncated(src, what, err);
		}
		got += (size_t)r;
	}
	*out = arena_strndup(a, tmp, got);
	free(tmp);
	return 0;
}

void ar_toc_init(struct ar_toc *t)
{
	memset(t, 0, sizeof(*t));
	arena_init(&t->arena);
}

void ar_toc_release(struct ar_toc *t)
{
	free(t->e);
	arena_release(&t->arena);
	memset(t, 0, sizeof(*t));
}

static int read_head(struct ar_toc *t, struct ar_src *src, struct md_error *err)
{
	unsigned char b[11];
	int64_t v;

	if (ar_read(src, b, 5, "the archive header", err))
		return -1;
	if (memcmp(b, "PGDMP", 5))
		return md_fail(err, "%s: byte 0: '%.5s' is not a pg_dump archive; expected the "
			       "magic 'PGDMP'", src->name, (const char *)b);
	if (ar_read(src, b + 5, 3, "the archive header", err))
		return -1;
	t->vmaj = b[5];
	t->vmin = b[6];
	t->vrev = b[7];
	if (t->vmaj != 1 || t->vmin < ARCHIVE_MIN_MINOR || t->vmin > ARCHIVE_MAX_MINOR)
		return md_fail(err, "%s: byte 5: archive version %d.%d is not supported; expected "
			       "1.%d to 1.%d", src->name, t->vmaj, t->vmin, ARCHIVE_MIN_MINOR,
			       ARCHIVE_MAX_MINOR);
	if (ar_read(src, b + 8, 3, "the archive header", err))
		return -1;
	if (b[8] < 1 || b[8] > 8)
		return md_fail(err, "%s: byte 8: integer size %d; expected 1 to 8", src->name, b[8]);
	if (b[9] < 1 || b[9] > 16)
		return md_fail(err, "%s: byte 9: offset size %d; expected 1 to 16", src->name, b[9]);
	src->intsize = b[8];
	src->offsize = b[9];
	t->format = b[10];
	if (t->format != AR_FMT_CUSTOM && t->format != AR_FMT_TAR)
		return md_fail(err, "%s: byte 10: archive format %d; expected 1 (custom) or 3 "
			       "(tar/directory)", src->name, t->format);
	if (t->vmin >= 15) {
		int alg;

		if (ar_byte(src, &alg, "the archive header", err))
			return -1;
		if (alg > 3)
			return md_fail(err, "%s: byte 11: compression algorithm %d; expected 0 "
				       "(none), 1 (gzip), 2 (lz4) or 3 (zstd)", src->name, alg);
		t->codec = alg == 0 ? MD_CODEC_NONE : alg == 1 ? MD_CODEC_GZIP
				       : alg == 2 ? MD_CODEC_LZ4 : MD_CODEC_ZSTD;
	} else {
		if (ar_int(src, &v, "the compression level", err))
			return -1;
		if (v < -1 || v > 9)
			return md_fail(err, "%s: byte 11: compression level %lld; expected -1 to 9",
				       src->name, (long long)v);
		t->codec = v == 0 ? MD_CODEC_NONE : MD_CODEC_GZIP;
	}
	for (int i = 0; i < 7; i++) {
		if (ar_int(src, &v, "the creation time", err))
			return -1;
		t->tm[i] = v < -100000 || v > 100000 ? 0 : (int)v;
	}
	if (ar_str(src, &t->arena, &t->dbname, "the database name", err) ||
	    ar_str(src, &t->arena, &t->server_version, "the server version", err) ||
	    ar_str(src, &t->arena, &t->dump_version, "the pg_dump version", err))
		return -1;
	return 0;
}

/* Offset: flag byte + offsize bytes little-endian (§2.1). */
static int read_offset(struct ar_src *src, struct ar_entry *e, struct md_error *err)
{
	unsigned char b[1 + 16];
	uint64_t at = ar_tell(src), v = 0;

	if (ar_read(src, b, 1 + (size_t)src->offsize, "a data offset", err))
		return -1;
	for (int i = src->offsize; i >= 1; i--) {
		if (i > 8 && b[i])
			return md_fail(err, "%s: byte %llu: data offset does not fit in 64 bits",
				       src->name, (unsigned long long)at);
		if (i <= 8)
			v = (v << 8) | b[i];
	}
	if (b[0] < AR_OFF_NOT_SET || b[0] > AR_OFF_NO_DATA)
		return md_fail(err, "%s: byte %llu: data offset flag %d; expected 1, 2 or 3",
			       src->name, (unsigned long long)at, b[0]);
	e->off_flag = b[0];
	e->off_pos = v;
	return 0;
}

static int read_entry(struct ar_toc *t, struct ar_src *src, struct ar_entry *e, bool keep_defn,
		      struct md_error *err)
{
	struct arena *a = &t->arena;
	char *s;
	int64_t v;

	memset(e, 0, sizeof(*e));
	e->toc_offset = ar_tell(src);
	if (ar_int(src, &e->dump_id, "a TOC entry's dump id", err))
		return -1;
	if (e->dump_id <= 0 || e->dump_id > INT32_MAX)
		return md_fail(err, "%s: byte %llu: TOC entry dump id %lld; expected a positive "
			       "number", src->name, (unsigned long long)e->toc_offset,
			       (long long)e->dump_id);
	if (ar_int(src, &v, "a TOC entry", err))
		return -1;
	e->had_dumper = v != 0;
	if (ar_str(src, NULL, &s, "the table oid", err) || ar_str(src, NULL, &s, "the oid", err) ||
	    ar_str(src, a, &e->tag, "the tag", err) || ar_str(src, a, &e->desc, "the desc", err) ||
	    ar_int(src, &e->section, "the section", err))
		return -1;
	/* DDL text is kept only when asked for, and the copy statement only for data */
	if (ar_str(src, keep_defn ? a : NULL, &e->defn, "the definition", err) ||
	    ar_str(src, NULL, &s, "the drop statement", err) ||
	    ar_str(src, a, &e->copy_stmt, "the copy statement", err) ||
	    ar_str(src, a, &e->ns, "the namespace", err) ||
	    ar_str(src, NULL, &s, "the tablespace", err))
		return -1;
	if (t->vmin >= 14 && ar_str(src, NULL, &s, "the table access method", err))
		return -1;
	if (t->vmin >= 16 && ar_int(src, &v, "the relkind", err))
		return -1;
	if (ar_str(src, a, &e->owner, "the owner", err) ||
	    ar_str(src, NULL, &s, "with_oids", err))
		return -1;
	for (size_t ndeps = 0;; ndeps++) {
		char *dep;

		if (ar_str(src, a, &dep, "the dependency list", err))
			return -1;
		if (!dep)
			break;
		if (ndeps > 1000000)
			return md_fail(err, "%s: byte %llu: more than a million dependencies in one "
				       "TOC entry", src->name, (unsigned long long)ar_tell(src));
	}
	if (t->format == AR_FMT_CUSTOM)
		return read_offset(src, e, err);
	if (ar_str(src, a, &e->filename, "the data file name", err))
		return -1;
	if (e->filename && (strchr(e->filename, '/') || strstr(e->filename, "..")) )
		return md_fail(err, "%s: byte %llu: data file name '%s' is not a plain file name",
			       src->name, (unsigned long long)e->toc_offset, e->filename);
	return 0;
}

int ar_read_toc(struct ar_toc *t, struct ar_src *src, bool keep_defn, struct md_error *err)
{
	int64_t count;
	uint64_t at;

	if (read_head(t, src, err))
		return -1;
	at = ar_tell(src);
	if (ar_int(src, &count, "the TOC entry count", err))
		return -1;
	if (count < 0 || count > ARCHIVE_MAX_TOC_ENTRIES)
		return md_fail(err, "%s: byte %llu: TOC entry count %lld; expected 0 to %u",
			       src->name, (unsigned long long)at, (long long)count,
			       ARCHIVE_MAX_TOC_ENTRIES);
	for (int64_t i = 0; i < count; i++) {
		MD_GROW(t->e, t->n, t->cap);
		if (read_entry(t, src, &t->e[t->n], keep_defn, err)) {
			size_t l = strlen(err->msg);

			snprintf(err->msg + l, sizeof(err->msg) - l, " (TOC entry %lld of %lld)",
				 (long long)i + 1, (long long)count);
			return -1;
		}
		t->n++;
		if (t->arena.total > ARCHIVE_MAX_TOC_BYTES)
			return md_fail(err, "%s: byte %llu: the TOC holds more than %llu MiB of "
				       "text", src->name, (unsigned long long)ar_tell(src),
				       (unsigned long long)(ARCHIVE_MAX_TOC_BYTES >> 20));
	}
	t->data_start = ar_tell(src);
	return 0;
}
