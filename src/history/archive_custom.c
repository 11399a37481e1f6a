/*
 * archive_custom.c - pg_dump custom format (-Fc), formats.md §2.4-2.5.
 *
 * After the TOC, the reader either skips straight to the recorded offset
 * of the _prisma_migrations block (a dump written to a file: the time
 * does not depend on the size of the other tables), or, when offsets
 * were never written (a dump written to a pipe) or do not point at the
 * right block, walks the data area block by block, skipping each chunk
 * by its length header without decompressing anything. Only the chosen
 * block is decompressed, through a chunk stream that strips the length
 * headers and a decompressor with the tight per-block bomb limits.
 */
#include "migdoctor/common.h"
#include "archive_int.h"

enum { BLK_DATA = 1, BLK_BLOBS = 3 };

/* The payload of one data block: chunk after chunk until a zero length. */
struct chunks {
	struct ar_src *src;
	uint64_t left;     /* bytes left in the current chunk */
	bool end;
};

static int next_len(struct ar_src *src, uint64_t *len, struct md_error *err)
{
	uint64_t at = ar_tell(src);
	int64_t v;

	if (ar_int(src, &v, "a data block (chunk length)", err))
		return -1;
	if (v < 0 || (uint64_t)v > ARCHIVE_MAX_CHUNK)
		return md_fail(err, "%s: byte %llu: data chunk length %lld; expected 0 to %llu",
			       src->name, (unsigned long long)at, (long long)v,
			       (unsigned long long)ARCHIVE_MAX_CHUNK);
	*len = (uint64_t)v;
	return 0;
}

static ssize_t chunks_read(struct md_stream *s, void *buf, size_t n, struct md_error *err)
{
	struct chunks *c = s->ctx;
	ssize_t r;

	while (c->left == 0) {
		if (c->end)
			return 0;
		if (next_len(c->src, &c->left, err))
			return -1;
		if (c->left == 0)
			c->end = true;
	}
	r = ar_read_some(c->src, buf, MD_MIN(n, c->left), err);
	if (r < 0)
		return -1;
	if (r == 0)
		return md_fail(err, "%s: byte %llu: file is truncated inside a data chunk (%llu "
			       "bytes missing)", c->src->name, (unsigned long long)ar_tell(c->src),
			       (unsigned long long)c->left);
	c->left -= (uint64_t)r;
	/* offsets in decompression messages are file offsets */
	s->offset = ar_tell(c->src) - (uint64_t)r;
	return r;
}

static void chunks_close(struct md_stream *s)
{
	free(s->ctx);
}

static const struct md_stream_ops chunks_ops = { chunks_read, chunks_close };

/* Skip the chunks of a BLK_DATA block (or of one large object). */
static int skip_chunks(struct ar_src *src, struct md_error *err)
{
	for (;;) {
		uint64_t len = 0;

		if (next_len(src, &len, err))
			return -1;
		if (len == 0)
			return 0;
		if (ar_skip(src, len, "a data chunk", err))
			return -1;
	}
}

/*
 * Walk blocks from the current position until the one of dump_id; the
 * source is left after its block header. Nothing is decompressed.
 */
static int scan_to(struct ar_src *src, int64_t dump_id, struct md_error *err)
{
	for (;;) {
		uint64_t at = ar_tell(src);
		unsigned char t;
		int64_t id;
		ssize_t r = ar_read_some(src, &t, 1, err);

		if (r < 0)
			return -1;
		if (r == 0)
			return md_fail(err, "%s: byte %llu: file ends before the data block of dump "
				       "id %lld (_prisma_migrations); the dump is truncated",
				       src->name, (unsigned long long)at, (long long)dump_id);
		if (ar_int(src, &id, "a data block header", err))
			return -1;
		if (t != BLK_DATA && t != BLK_BLOBS)
			return md_fail(err, "%s: byte %llu: data block type %d; expected 1 (data) or "
				       "3 (large objects)", src->name, (unsigned long long)at, t);
		if (id == dump_id) {
			if (t != BLK_DATA)
				return md_fail(err, "%s: byte %llu: the block of dump id %lld holds "
					       "large objects; expected table data", src->name,
					       (unsigned long long)at, (long long)id);
			return 0;
		}
		if (t == BLK_DATA) {
			if (skip_chunks(src, err))
				return -1;
			continue;
		}
		for (;;) { /* BLK_BLOBS: (oid, chunks) until oid 0 */
			int64_t oid;

			if (ar_int(src, &oid, "a large object id", err))
				return -1;
			if (oid == 0)
				break;
			if (skip_chunks(src, err))
				return -1;
		}
	}
}

static int open_src(struct ar_src *src, const char *path, bool *seekable, struct md_error *err)
{
	struct md_stream *s;
	enum md_codec c;

	if (md_stream_open_auto_codec(&s, path, &c, err))
		return -1;
	*seekable = c == MD_CODEC_NONE;
	ar_src_init(src, s, path);
	return 0;
}

/* Position src after the block header of target (seek, else scan). */
static int find_block(struct ar_src *src, const struct ar_toc *t, const struct ar_entry *target,
		      const char *path, bool once, bool *used_offset, struct md_error *err)
{
	*used_offset = false;
	if (target->off_flag == AR_OFF_SET && target->off_pos >= ar_tell(src)) {
		unsigned char ty;
		int64_t id;
		bool seekable;

		if (ar_skip(src, target->off_pos - ar_tell(src), "the data area", err))
			return md_fail(err, "%s: byte %llu: the data offset of _prisma_migrations "
				       "points past the end of the file; the dump is truncated",
				       path, (unsigned long long)target->off_pos);
		if (ar_read(src, &ty, 1, "a data block header", err) ||
		    ar_int(src, &id, "a data block header", err))
			return -1;
		if (ty == BLK_DATA && id == target->dump_id) {
			*used_offset = true;
			return 0;
		}
		if (once)
			return md_fail(err, "%s: byte %llu: the data offset of _prisma_migrations does "
				       "not point at its block, and standard input cannot be read a "
				       "second time to scan for it; give the dump as a file",
				       path, (unsigned long long)target->off_pos);
		/* the offset does not point at the block: walk from the data area */
		md_warnf("%s: byte %llu: the data offset of _prisma_migrations does not point at "
			 "its block; scanning the data blocks instead", path,
			 (unsigned long long)target->off_pos);
		ar_src_release(src);
		if (open_src(src, path, &seekable, err))
			return -1;
		if (ar_skip(src, t->data_start, "the header and TOC", err))
			return -1;
	}
	return scan_to(src, target->dump_id, err);
}

int ar_read_custom(struct history *h, const char *path, struct md_stream *in,
		   const struct history_opts *opts, struct md_error *err)
{
	struct ar_src src;
	struct ar_toc t;
	const struct ar_entry *target;
	bool seekable, used_offset;
	uint64_t block_at;
	int rc = -1;

	if (in)
		ar_src_init(&src, in, path);
	else if (open_src(&src, path, &seekable, err))
		return -1;
	ar_toc_init(&t);
	if (ar_read_toc(&t, &src, opts->want_ddl, err))
		goto out;
	if (t.format != AR_FMT_CUSTOM) {
		md_fail(err, "%s: byte 10: archive format %d in a custom-format file; expected 1",
			path, t.format);
		goto out;
	}
	if (ar_pick(h, &t, path, "pg_dump custom", opts, &target, err))
		goto out;
	if (!target) {
		rc = 0;
		goto out;
	}
	if (target->off_flag == AR_OFF_NO_DATA) {
		md_fail(err, "%s: byte %llu: the TOC says the data of %s._prisma_migrations was not "
			"dumped (no data block)", path, (unsigned long long)target->toc_offset,
			target->ns ? target->ns : "");
		goto out;
	}
	if (find_block(&src, &t, target, path, in != NULL, &used_offset, err))
		goto out;
	block_at = ar_tell(&src) - 1 - (uint64_t)src.intsize; /* its type byte */
	if (!used_offset)
		h->format = arena_printf(&h->arena, "pg_dump custom (archive %d.%d, %s, no data "
					 "offsets)", t.vmaj, t.vmin, md_codec_name(t.codec));
	{
		struct chunks *c = xcalloc(1, sizeof(*c));
		struct md_stream *cs, *ds;

		/* messages about rows say which block: lines count from its start */
		char *name = xasprintf("%s[data block at byte %llu]", path,
				       (unsigned long long)block_at);

		c->src = &src;
		cs = md_stream_new(&chunks_ops, name, c);
		free(name);
		cs->offset = ar_tell(&src);
		ds = md_stream_decompress(cs, t.codec, &md_decomp_block_limits);
		rc = ar_feed(h, target, ds, err);
		md_stream_close(ds);
	}
out:
	ar_toc_release(&t);
	ar_src_release(&src);
	return rc;
}
