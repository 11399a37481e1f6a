/*
 * Unit tests for the decompressing streams: every codec, concatenated
 * gzip members, raw zlib (pg_dump -Fc blocks), truncation, corruption,
 * the bomb limits, one-byte reads, sniffing and md_stream_skip.
 */
#include "migdoctor/common.h"
#include "migdoctor/decompress.h"
#include "migdoctor/stream.h"

#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

static char *payload(size_t n)
{
	char *p = xmalloc(n);

	for (size_t i = 0; i < n; i++)
		p[i] = (char)("row\tvalue\\N\n"[i % 12] + (i / 977) % 3);
	return p;
}

/* gzip (wbits 31) or zlib (wbits 15) with zlib's own deflate */
static unsigned char *deflate_buf(const void *in, size_t n, int wbits, size_t *outn)
{
	z_stream z;
	size_t cap = compressBound((uLong)n) + 64;
	unsigned char *out = xmalloc(cap);

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*outn = z.total_out;
	deflateEnd(&z);
	return out;
}

static unsigned char *zstd_buf(const void *in, size_t n, size_t *outn)
{
	size_t cap = ZSTD_compressBound(n);
	unsigned char *out = xmalloc(cap);

	*outn = ZSTD_compress(out, cap, in, n, 3);
	assert_false(ZSTD_isError(*outn));
	return out;
}

static unsigned char *lz4_buf(const void *in, size_t n, size_t *outn)
{
	size_t cap = LZ4F_compressFrameBound(n, NULL);
	unsigned char *out = xmalloc(cap);

	*outn = LZ4F_compressFrame(out, cap, in, n, NULL);
	assert_false(LZ4F_isError(*outn));
	return out;
}

/* Read everything through s with reads of at most step bytes. */
static int drain(struct md_stream *s, size_t step, char **out, size_t *outn,
		 struct md_error *err)
{
	size_t cap = 4096, n = 0;
	char *buf = xmalloc(cap);

	for (;;) {
		ssize_t r;

		if (cap - n < step)
			buf = xrealloc(buf, cap = cap * 2 + step);
		r = md_stream_read(s, buf + n, step, err);
		if (r < 0) {
			free(buf);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*out = buf;
	*outn = n;
	return 0;
}

static void check_roundtrip(const unsigned char *z, size_t zn, enum md_codec c,
			    const char *want, size_t wantn, size_t step)
{
	struct md_error err;
	struct md_stream *s;
	enum md_codec got_codec;
	char *out;
	size_t outn;

	assert_int_equal(md_codec_sniff(z, zn), c == MD_CODEC_GZIP && z[0] == 0x78 ? MD_CODEC_NONE : c);
	s = md_stream_decompress(md_stream_open_mem("t", z, zn), c, &md_decomp_block_limits);
	if (drain(s, step, &out, &outn, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(outn, wantn);
	assert_memory_equal(out, want, wantn);
	free(out);
	md_stream_close(s);
	if (c == MD_CODEC_GZIP && z[0] == 0x78)
		return;
	assert_int_equal(md_stream_decompress_auto(&s, md_stream_open_mem("t", z, zn), NULL,
						   &got_codec, &err), 0);
	assert_int_equal(got_codec, c);
	assert_int_equal(drain(s, 65536, &out, &outn, &err), 0);
	assert_int_equal(outn, wantn);
	free(out);
	md_stream_close(s);
}

static void every_codec_roundtrips(void **state)
{
	size_t n = 300000, zn;
	char *p = payload(n);
	unsigned char *z;

	(void)state;
	z = deflate_buf(p, n, 31, &zn);
	check_roundtrip(z, zn, MD_CODEC_GZIP, p, n, 65536);
	check_roundtrip(z, zn, MD_CODEC_GZIP, p, n, 1);
	free(z);
	z = deflate_buf(p, n, 15, &zn); /* zlib, as in -Fc gzip blocks */
	assert_int_equal(z[0], 0x78);
	check_roundtrip(z, zn, MD_CODEC_GZIP, p, n, 7);
	free(z);
	z = zstd_buf(p, n, &zn);
	check_roundtrip(z, zn, MD_CODEC_ZSTD, p, n, 65536);
	check_roundtrip(z, zn, MD_CODEC_ZSTD, p, n, 3);
	free(z);
	z = lz4_buf(p, n, &zn);
	check_roundtrip(z, zn, MD_CODEC_LZ4, p, n, 65536);
	check_roundtrip(z, zn, MD_CODEC_LZ4, p, n, 5);
	free(z);
	free(p);
}

static void concatenated_members_and_frames(void **state)
{
	size_t n1, n2;
	unsigned char *a, *b, *cat;
	const char *want = "first member\nsecond member\n";
	struct md_error err;
	struct md_stream *s;
	char *out;
	size_t outn;

	(void)state;
	for (int codec = 0; codec < 3; codec++) {
		if (codec == 0) {
			a = deflate_buf("first member\n", 13, 31, &n1);
			b = deflate_buf("second member\n", 14, 31, &n2);
		} else if (codec == 1) {
			a = zstd_buf("first member\n", 13, &n1);
			b = zstd_buf("second member\n", 14, &n2);
		} else {
			a = lz4_buf("first member\n", 13, &n1);
			b = lz4_buf("second member\n", 14, &n2);
		}
		cat = xmalloc(n1 + n2 + 1024);
		memcpy(cat, a, n1);
		memcpy(cat + n1, b, n2);
		assert_int_equal(md_stream_decompress_auto(&s, md_stream_open_mem("c", cat, n1 + n2),
							   NULL, NULL, &err), 0);
		assert_int_equal(drain(s, 4, &out, &outn, &err), 0);
		assert_int_equal(outn, strlen(want));
		assert_memory_equal(out, want, outn);
		free(out);
		md_stream_close(s);
		if (codec == 0) {
			/* zero padding after the last member (a tape/tar block) is accepted */
			memset(cat + n1 + n2, 0, 1024);
			s = md_stream_gunzip(md_stream_open_mem("c", cat, n1 + n2 + 1024));
			assert_int_equal(drain(s, 4096, &out, &outn, &err), 0);
			assert_int_equal(outn, strlen(want));
			free(out);
			md_stream_close(s);
			/* but junk is refused, at its offset */
			cat[n1 + n2] = 'J';
			s = md_stream_gunzip(md_stream_open_mem("c", cat, n1 + n2 + 1));
			assert_int_equal(drain(s, 4096, &out, &outn, &err), -1);
			assert_non_null(strstr(err.msg, "unexpected data after the end of the gzip"));
			md_stream_close(s);
		}
		free(a);
		free(b);
		free(cat);
	}
}

static void expect_error(const unsigned char *z, size_t zn, enum md_codec c,
			 const struct md_decomp_limits *lim, const char *needle)
{
	struct md_error err;
	struct md_stream *s = md_stream_decompress(md_stream_open_mem("bad.bin", z, zn), c, lim);
	char *out;
	size_t outn;

	err.msg[0] = 0;
	if (drain(s, 65536, &out, &outn, &err) == 0) {
		free(out);
		fail_msg("no error for %s (%zu bytes out)", needle, outn);
	}
	if (!strstr(err.msg, needle) || !strstr(err.msg, "bad.bin: byte "))
		fail_msg("message '%s' lacks '%s'", err.msg, needle);
	assert_int_equal(err.code, MD_EXIT_INPUT);
	md_stream_close(s);
}

static void truncated_and_corrupt(void **state)
{
	size_t n = 200000, zn;
	char *p = payload(n);
	unsigned char *z;

	(void)state;
	for (int codec = 0; codec < 3; codec++) {
		enum md_codec c = codec == 0 ? MD_CODEC_GZIP : codec == 1 ? MD_CODEC_ZSTD : MD_CODEC_LZ4;

		z = codec == 0 ? deflate_buf(p, n, 31, &zn) : codec == 1 ? zstd_buf(p, n, &zn)
								       : lz4_buf(p, n, &zn);
		/* cut at every kind of place: inside the header, the body, the trailer */
		size_t cuts[] = { 1, 3, 10, zn / 2, zn - 4, zn - 1 };
		for (size_t i = 0; i < MD_ARRAY_LEN(cuts); i++)
			expect_error(z, cuts[i], c, NULL, "truncated");
		expect_error(z, 0, c, NULL, "empty");
		/* flip bytes in the middle */
		for (size_t i = zn / 3; i < zn / 3 + 64; i++)
			z[i] ^= 0x5a;
		expect_error(z, zn, c, NULL, "corrupt");
		free(z);
	}
	free(p);
}

static void bomb_limits(void **state)
{
	size_t n = 8 << 20, zn;
	char *zeros = xcalloc(1, n);
	unsigned char *z;
	struct md_decomp_limits size_lim = { 1 << 20, 0, 0 };
	struct md_decomp_limits ratio_lim = { 0, 1 << 20, 100 };

	(void)state;
	z = deflate_buf(zeros, n, 31, &zn);
	expect_error(z, zn, MD_CODEC_GZIP, &size_lim, "beyond the limit of 1 MiB");
	expect_error(z, zn, MD_CODEC_GZIP, &ratio_lim, "expands more than 100 times");
	free(z);
	z = zstd_buf(zeros, n, &zn);
	expect_error(z, zn, MD_CODEC_ZSTD, &ratio_lim, "decompression bomb");
	free(z);
	z = lz4_buf(zeros, n, &zn);
	expect_error(z, zn, MD_CODEC_LZ4, &size_lim, "decompression bomb");
	free(z);
	free(zeros);
}

static void skip_on_files_and_filters(void **state)
{
	char path[] = "/tmp/md-test-skip-XXXXXX";
	int fd = mkstemp(path);
	struct md_stream *s;
	struct md_error err;
	char c;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "0123456789", 10), 10);
	close(fd);
	assert_int_equal(md_stream_open_file(&s, path, &err), 0);
	assert_int_equal(md_stream_skip(s, 4, "x", &err), 0);
	assert_int_equal(md_stream_read_full(s, &c, 1, "x", &err), 0);
	assert_int_equal(c, '4');
	assert_int_equal(s->offset, 5);
	assert_int_equal(md_stream_skip(s, 6, "the rest", &err), -1);
	assert_non_null(strstr(err.msg, "truncated"));
	md_stream_close(s);
	s = md_stream_open_mem("m", "abcdef", 6);
	assert_int_equal(md_stream_skip(s, 5, "x", &err), 0);
	assert_int_equal(md_stream_read_full(s, &c, 1, "x", &err), 0);
	assert_int_equal(c, 'f');
	assert_int_equal(md_stream_skip(s, 1, "one more", &err), -1);
	md_stream_close(s);
	/* open_auto on a plain file hands back the bytes unchanged */
	enum md_codec codec;
	assert_int_equal(md_stream_open_auto_codec(&s, path, &codec, &err), 0);
	assert_int_equal(codec, MD_CODEC_NONE);
	char buf[16];
	assert_int_equal(md_stream_read_full(s, buf, 10, "x", &err), 0);
	assert_memory_equal(buf, "0123456789", 10);
	md_stream_close(s);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_codec_roundtrips),
		cmocka_unit_test(concatenated_members_and_frames),
		cmocka_unit_test(truncated_and_corrupt),
		cmocka_unit_test(bomb_limits),
		cmocka_unit_test(skip_on_files_and_filters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
