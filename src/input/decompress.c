/*
 * decompress.c - gzip/zlib, zstd and LZ4-frame filters over any md_stream.
 *
 * One filter type serves every codec: an input buffer refilled from the
 * inner stream, a codec-specific step that turns input into output, and
 * the bomb limits of decompress.h checked on every output. Offsets in
 * messages are those of the compressed input (inner->offset minus what is
 * still buffered), which is what a user can find with a hex dump.
 */
#include "migdoctor/common.h"
#include "migdoctor/decompress.h"

#include <sys/stat.h>

#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

const struct md_decomp_limits md_decomp_file_limits = {
	MD_DECOMP_FILE_MAX_OUT, MD_DECOMP_RATIO_AFTER, MD_DECOMP_FILE_MAX_RATIO
};
const struct md_decomp_limits md_decomp_block_limits = {
	MD_DECOMP_BLOCK_MAX_OUT, MD_DECOMP_RATIO_AFTER, MD_DECOMP_BLOCK_MAX_RATIO
};

#define DZ_INBUF (64 * 1024)

struct dz {
	struct md_stream *inner;
	enum md_codec codec;
	struct md_decomp_limits lim;
	unsigned char *in;
	size_t in_pos, in_len;
	bool in_eof;
	uint64_t in_used;   /* compressed bytes handed to the decoder */
	uint64_t out_total; /* decompressed bytes produced */
	bool mid;           /* inside a member/frame: end of input now is truncation */
	z_stream z;
	ZSTD_DStream *zs;
	LZ4F_dctx *lz;
};

static const char *const codec_names[] = { "none", "gzip", "lz4", "zstd" };

const char *md_codec_name(enum md_codec c)
{
	return (unsigned)c < MD_ARRAY_LEN(codec_names) ? codec_names[c] : "?";
}

enum md_codec md_codec_sniff(const unsigned char *h, size_t n)
{
	if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b)
		return MD_CODEC_GZIP;
	if (n >= 4 && h[0] == 0x28 && h[1] == 0xb5 && h[2] == 0x2f && h[3] == 0xfd)
		return MD_CODEC_ZSTD;
	if (n >= 4 && h[0] == 0x04 && h[1] == 0x22 && h[2] == 0x4d && h[3] == 0x18)
		return MD_CODEC_LZ4;
	return MD_CODEC_NONE;
}

/* Compressed offset of the next byte the decoder will see. */
static unsigned long long dz_offset(const struct dz *d)
{
	return (unsigned long long)(d->inner->offset - (d->in_len - d->in_pos));
}

static int dz_fill(struct dz *d, struct md_error *err)
{
	ssize_t r;

	if (d->in_pos < d->in_len || d->in_eof)
		return 0;
	r = md_stream_read(d->inner, d->in, DZ_INBUF, err);
	if (r < 0)
		return -1;
	d->in_pos = 0;
	d->in_len = (size_t)r;
	if (r == 0)
		d->in_eof = true;
	return 0;
}

static int dz_limits(struct dz *d, size_t produced, struct md_error *err)
{
	d->out_total += produced;
	if (d->lim.max_out && d->out_total > d->lim.max_out)
		return md_fail(err, "%s: byte %llu: %s data expands beyond the limit of %llu MiB "
			       "(a decompression bomb?)", d->inner->name, dz_offset(d),
			       md_codec_name(d->codec), (unsigned long long)(d->lim.max_out >> 20));
	if (d->lim.max_ratio && d->out_total >= d->lim.ratio_after &&
	    d->out_total / (d->in_used ? d->in_used : 1) > d->lim.max_ratio)
		return md_fail(err, "%s: byte %llu: %s data expands more than %llu times "
			       "(%llu bytes from %llu; a decompression bomb?)", d->inner->name,
			       dz_offset(d), md_codec_name(d->codec),
			       (unsigned long long)d->lim.max_ratio,
			       (unsigned long long)d->out_total, (unsigned long long)d->in_used);
	return 0;
}

static int dz_truncated(struct dz *d, struct md_error *err)
{
	return md_fail(err, "%s: byte %llu: %s data is truncated: the input ends inside a "
		       "compressed %s", d->inner->name, dz_offset(d), md_codec_name(d->codec),
		       d->codec == MD_CODEC_GZIP ? "member" : "frame");
}

/* One decoder step: output bytes (may be 0), or -1. Sets *progress. */
static ssize_t step_gzip(struct dz *d, unsigned char *buf, size_t n, bool *progress,
			 struct md_error *err)
{
	int ret;
	size_t before_in, produced;

	if (!d->mid) {
		/* between members: another member, padding zeros, or the end */
		while (d->in_pos < d->in_len && d->in[d->in_pos] == 0 && d->out_total > 0)
			d->in_pos++, *progress = true;
		if (d->in_pos == d->in_len)
			return 0;
		if (d->out_total > 0 || d->in_used > 0) {
			if (d->in[d->in_pos] != 0x1f)
				return md_fail(err, "%s: byte %llu: unexpected data after the end of "
					       "the gzip stream (0x%02x); expected another gzip "
					       "member or the end of the file", d->inner->name,
					       dz_offset(d), d->in[d->in_pos]);
			inflateReset(&d->z);
		}
		d->mid = true;
	}
	d->z.next_in = d->in + d->in_pos;
	d->z.avail_in = (uInt)(d->in_len - d->in_pos);
	d->z.next_out = buf;
	d->z.avail_out = (uInt)MD_MIN(n, (size_t)UINT32_MAX);
	before_in = d->z.avail_in;
	ret = inflate(&d->z, Z_NO_FLUSH);
	d->in_pos += before_in - d->z.avail_in;
	d->in_used += before_in - d->z.avail_in;
	produced = (size_t)(d->z.next_out - buf);
	if (produced || before_in != d->z.avail_in)
		*progress = true;
	if (ret == Z_STREAM_END) {
		d->mid = false;
	} else if (ret != Z_OK && ret != Z_BUF_ERROR) {
		return md_fail(err, "%s: byte %llu: corrupt gzip/zlib data (%s)", d->inner->name,
			       dz_offset(d), d->z.msg ? d->z.msg : zError(ret));
	}
	return (ssize_t)produced;
}

static ssize_t step_zstd(struct dz *d, unsigned char *buf, size_t n, bool *progress,
			 struct md_error *err)
{
	ZSTD_inBuffer in = { d->in + d->in_pos, d->in_len - d->in_pos, 0 };
	ZSTD_outBuffer out = { buf, n, 0 };
	size_t ret;

	ret = ZSTD_decompressStream(d->zs, &out, &in);
	if (ZSTD_isError(ret))
		return md_fail(err, "%s: byte %llu: corrupt zstd data (%s)", d->inner->name,
			       (unsigned long long)d->inner->offset, ZSTD_getErrorName(ret));
	d->in_pos += in.pos;
	d->in_used += in.pos;
	if (in.pos || out.pos)
		*progress = true;
	d->mid = ret != 0;
	return (ssize_t)out.pos;
}

static ssize_t step_lz4(struct dz *d, unsigned char *buf, size_t n, bool *progress,
			struct md_error *err)
{
	size_t src = d->in_len - d->in_pos, dst = n, ret;

	ret = LZ4F_decompress(d->lz, buf, &dst, d->in + d->in_pos, &src, NULL);
	if (LZ4F_isError(ret)) {
		/* the decoder may have buffered the input: the furthest byte read */
		unsigned long long at = (unsigned long long)d->inner->offset;

		LZ4F_resetDecompressionContext(d->lz);
		return md_fail(err, "%s: byte %llu: corrupt lz4 data (%s)", d->inner->name, at,
			       LZ4F_getErrorName(ret));
	}
	d->in_pos += src;
	d->in_used += src;
	if (src || dst)
		*progress = true;
	d->mid = ret != 0;
	return (ssize_t)dst;
}

static ssize_t dz_read(struct md_stream *s, void *vbuf, size_t n, struct md_error *err)
{
	struct dz *d = s->ctx;
	unsigned char *buf = vbuf;

	if (n == 0)
		return 0;
	for (;;) {
		bool progress = false;
		ssize_t got;

		if (dz_fill(d, err))
			return -1;
		if (d->codec == MD_CODEC_NONE) {
			size_t k = d->in_len - d->in_pos;

			if (k == 0 && d->in_eof)
				return 0;
			if (k == 0) {
				/* nothing buffered: read straight into the caller's buffer */
				got = md_stream_read(d->inner, buf, n, err);
				if (got <= 0) {
					d->in_eof = got == 0;
					return got;
				}
				d->in_used += (size_t)got;
			} else {
				got = (ssize_t)MD_MIN(k, n);
				memcpy(buf, d->in + d->in_pos, (size_t)got);
				d->in_pos += (size_t)got;
				d->in_used += (size_t)got;
			}
			if (dz_limits(d, (size_t)got, err))
				return -1;
			return got;
		}
		bool at_end = d->in_pos == d->in_len && d->in_eof;

		if (at_end && d->in_used == 0)
			return md_fail(err, "%s: byte 0: empty %s data", d->inner->name,
				       md_codec_name(d->codec));
		if (at_end && !d->mid)
			return 0;
		switch (d->codec) {
		case MD_CODEC_GZIP:
			got = step_gzip(d, buf, n, &progress, err);
			break;
		case MD_CODEC_ZSTD:
			got = step_zstd(d, buf, n, &progress, err);
			break;
		case MD_CODEC_LZ4:
			got = step_lz4(d, buf, n, &progress, err);
			break;
		default:
			MD_BUG("codec %d", (int)d->codec);
		}
		if (got < 0)
			return -1;
		if (got > 0) {
			if (dz_limits(d, (size_t)got, err))
				return -1;
			return got;
		}
		if (at_end)
			return dz_truncated(d, err); /* mid-stream, nothing more to flush */
		if (!progress && d->in_pos < d->in_len)
			return md_fail(err, "%s: byte %llu: %s decoder is stuck (corrupt data)",
				       d->inner->name, dz_offset(d), md_codec_name(d->codec));
	}
}

static void dz_close(struct md_stream *s)
{
	struct dz *d = s->ctx;

	if (d->codec == MD_CODEC_GZIP)
		inflateEnd(&d->z);
	if (d->zs)
		ZSTD_freeDStream(d->zs);
	if (d->lz)
		LZ4F_freeDecompressionContext(d->lz);
	md_stream_close(d->inner);
	free(d->in);
	free(d);
}

static const struct md_stream_ops dz_ops = { dz_read, dz_close };

static struct md_stream *dz_new(struct md_stream *inner, enum md_codec c,
				const struct md_decomp_limits *limits, const void *pre,
				size_t npre)
{
	struct dz *d = xcalloc(1, sizeof(*d));
	char *name;
	struct md_stream *s;

	d->inner = inner;
	d->codec = c;
	d->lim = limits ? *limits : md_decomp_file_limits;
	d->in = xmalloc(DZ_INBUF);
	if (npre) {
		memcpy(d->in, pre, npre);
		d->in_len = npre;
	}
	switch (c) {
	case MD_CODEC_GZIP:
		/* 15 + 32: a gzip header or a zlib header, detected per stream */
		if (inflateInit2(&d->z, 15 + 32) != Z_OK)
			md_oom(sizeof(d->z));
		break;
	case MD_CODEC_ZSTD:
		d->zs = ZSTD_createDStream();
		if (!d->zs)
			md_oom(0);
		ZSTD_initDStream(d->zs);
		break;
	case MD_CODEC_LZ4:
		if (LZ4F_isError(LZ4F_createDecompressionContext(&d->lz, LZ4F_VERSION)))
			md_oom(0);
		break;
	case MD_CODEC_NONE:
		break;
	}
	name = c == MD_CODEC_NONE ? xstrdup(inner->name)
				  : xasprintf("%s (%s)", inner->name, md_codec_name(c));
	s = md_stream_new(&dz_ops, name, d);
	free(name);
	return s;
}

struct md_stream *md_stream_decompress(struct md_stream *inner, enum md_codec c,
				       const struct md_decomp_limits *limits)
{
	return dz_new(inner, c, limits, NULL, 0);
}

struct md_stream *md_stream_gunzip(struct md_stream *inner)
{
	return dz_new(inner, MD_CODEC_GZIP, NULL, NULL, 0);
}

struct md_stream *md_stream_unzstd(struct md_stream *inner)
{
	return dz_new(inner, MD_CODEC_ZSTD, NULL, NULL, 0);
}

struct md_stream *md_stream_unlz4(struct md_stream *inner)
{
	return dz_new(inner, MD_CODEC_LZ4, NULL, NULL, 0);
}

int md_stream_decompress_auto(struct md_stream **out, struct md_stream *inner,
			      const struct md_decomp_limits *limits, enum md_codec *codec,
			      struct md_error *err)
{
	unsigned char head[4];
	size_t n = 0;
	enum md_codec c;

	while (n < sizeof(head)) {
		ssize_t r = md_stream_read(inner, head + n, sizeof(head) - n, err);

		if (r < 0) {
			md_stream_close(inner);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	c = md_codec_sniff(head, n);
	if (codec)
		*codec = c;
	*out = dz_new(inner, c, limits, head, n);
	return 0;
}

int md_stream_open_auto_codec(struct md_stream **out, const char *path, enum md_codec *codec,
			      struct md_error *err)
{
	struct md_stream *f;
	enum md_codec c;
	struct stat st;

	if (md_stream_open_file(&f, path, err))
		return -1;
	if (md_stream_decompress_auto(out, f, NULL, &c, err))
		return -1;
	if (codec)
		*codec = c;
	/* uncompressed regular file: hand out the plain file (no copy per read) */
	if (c == MD_CODEC_NONE && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		struct md_stream *plain;

		if (md_stream_open_file(&plain, path, err) == 0) {
			md_stream_close(*out);
			*out = plain;
		} else {
			md_error_clear(err);
		}
	}
	return 0;
}

int md_stream_open_auto(struct md_stream **out, const char *path, struct md_error *err)
{
	return md_stream_open_auto_codec(out, path, NULL, err);
}

int md_file_head(const char *path, void *buf, size_t cap, size_t *n, struct md_error *err)
{
	struct md_stream *s;
	int rc;

	*n = 0;
	if (md_stream_open_auto(&s, path, err))
		return -1;
	rc = md_stream_read_upto(s, buf, cap, n, err);
	md_stream_close(s);
	return rc;
}
