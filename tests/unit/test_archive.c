/*
 * Unit tests for the pg_dump archive readers on archives built here byte
 * by byte (formats.md §2): every archive version 1.12-1.16 (compression
 * Int vs byte, tableam, relkind), int sizes 4 and 8, every codec, with and
 * without data offsets; a 2^62 chunk length; the SQL splitter; the tar
 * reader's pax names and GNU base-256 sizes; sniffing. Real pg_dump output
 * is covered by tests/golden/archive*.sh.
 */
#include "migdoctor/common.h"
#include "migdoctor/archive.h"
#include "migdoctor/decompress.h"
#include "migdoctor/sbuf.h"
#include "history/archive_int.h"
#include "history/sqllex.h"

#include <fcntl.h>
#include <lz4frame.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <setjmp.h>
#include <cmocka.h>

struct arch {
	int minor, intsize, offsize;
	enum md_codec codec;
	bool offsets;
	bool inserts;
	bool qai; /* --quote-all-identifiers, and a table whose columns were reordered */
};

static void put_int(struct sbuf *b, const struct arch *a, int64_t v)
{
	uint64_t m = v < 0 ? (uint64_t)-v : (uint64_t)v;

	sb_putc(b, v < 0);
	for (int i = 0; i < a->intsize; i++, m >>= 8)
		sb_putc(b, (int)(m & 0xff));
}

static void put_str(struct sbuf *b, const struct arch *a, const char *s)
{
	if (!s) {
		put_int(b, a, -1);
		return;
	}
	put_int(b, a, (int64_t)strlen(s));
	sb_puts(b, s);
}

struct toc_e {
	int id;
	const char *tag, *desc, *defn, *copy, *ns;
	int flag;
	uint64_t pos;
	const char *dep;
};

static void put_entry(struct sbuf *b, const struct arch *a, const struct toc_e *e)
{
	put_int(b, a, e->id);
	put_int(b, a, e->flag != 3);
	put_str(b, a, "0");
	put_str(b, a, "16389");
	put_str(b, a, e->tag);
	put_str(b, a, e->desc);
	put_int(b, a, e->flag != 3 ? 3 : 2);
	put_str(b, a, e->defn);
	put_str(b, a, NULL);
	put_str(b, a, e->copy);
	put_str(b, a, e->ns);
	put_str(b, a, e->flag == 3 ? "" : NULL);
	if (a->minor >= 14)
		put_str(b, a, e->flag == 3 ? "heap" : NULL);
	if (a->minor >= 16)
		put_int(b, a, e->flag == 3 ? 'r' : 0);
	put_str(b, a, "postgres");
	put_str(b, a, "false");
	if (e->dep)
		put_str(b, a, e->dep);
	put_str(b, a, NULL);
	sb_putc(b, e->flag);
	uint64_t p = e->pos;
	for (int i = 0; i < a->offsize; i++, p >>= 8)
		sb_putc(b, i < 8 ? (int)(p & 0xff) : 0);
}

static const char rows_copy[] =
	"0b6a1c3e-1f0e-4c59-9d0a-5b3c7a1e2f01\t5e88\t2026-01-16 14:27:56.123456+00\t"
	"20260116142700_init\t\\N\t\\N\t2026-01-16 14:27:56.012+00\t1\n"
	"a1b2c3d4-0000-4000-8000-000000000003\tfcde\t2026-01-18 00:00:00+05:30\t"
	"20260118000000_baseline\t\t\\N\t2026-01-18 00:00:00+05:30\t0\n"
	"\\.\n\n\n";
static const char rows_qai[] =
	"1\t0b6a1c3e-1f0e-4c59-9d0a-5b3c7a1e2f01\t5e88\t2026-01-16 14:27:56.123456+00\t"
	"20260116142700_init\t\\N\t\\N\t2026-01-16 14:27:56.012+00\n"
	"0\ta1b2c3d4-0000-4000-8000-000000000003\tfcde\t2026-01-18 00:00:00+05:30\t"
	"20260118000000_baseline\t\t\\N\t2026-01-18 00:00:00+05:30\n"
	"\\.\n\n\n";
static const char rows_ins[] =
	"INSERT INTO public._prisma_migrations VALUES ('0b6a1c3e-1f0e-4c59-9d0a-5b3c7a1e2f01', "
	"'5e88', '2026-01-16 14:27:56.123456+00', '20260116142700_init', NULL, NULL, "
	"'2026-01-16 14:27:56.012+00', 1);\n"
	"INSERT INTO public._prisma_migrations VALUES ('a1b2c3d4-0000-4000-8000-000000000003', "
	"'fcde', '2026-01-18 00:00:00+05:30', '20260118000000_baseline', '', NULL, "
	"'2026-01-18 00:00:00+05:30', 0);\n\n\n";

static unsigned char *compress_payload(enum md_codec c, const char *p, size_t n, size_t *outn)
{
	unsigned char *out;
	size_t cap;

	switch (c) {
	case MD_CODEC_GZIP: {
		uLongf zn = compressBound((uLong)n);

		out = xmalloc(zn);
		assert_int_equal(compress2(out, &zn, (const Bytef *)p, (uLong)n, 6), Z_OK);
		*outn = zn; /* zlib format, as pg_dump -Fc writes */
		return out;
	}
	case MD_CODEC_LZ4:
		cap = LZ4F_compressFrameBound(n, NULL);
		out = xmalloc(cap);
		*outn = LZ4F_compressFrame(out, cap, p, n, NULL);
		return out;
	case MD_CODEC_ZSTD:
		cap = ZSTD_compressBound(n);
		out = xmalloc(cap);
		*outn = ZSTD_compress(out, cap, p, n, 3);
		return out;
	default:
		out = xmalloc(n);
		memcpy(out, p, n);
		*outn = n;
		return out;
	}
}

/* One data block: type, id, chunks of at most 50 bytes, zero length. */
static void put_block(struct sbuf *b, const struct arch *a, int id, const unsigned char *p,
		      size_t n)
{
	sb_putc(b, 1);
	put_int(b, a, id);
	for (size_t i = 0; i < n; i += 50) {
		size_t k = MD_MIN((size_t)50, n - i);

		put_int(b, a, (int64_t)k);
		sb_putn(b, p + i, k);
	}
	put_int(b, a, 0);
}

static void build(struct sbuf *out, const struct arch *a)
{
	const char *payload = a->inserts ? rows_ins : a->qai ? rows_qai : rows_copy;
	size_t zn, other_n = 3000;
	unsigned char *z = compress_payload(a->codec, payload, strlen(payload), &zn);
	char *other = xmalloc(other_n);
	uint64_t pos4 = 0, pos5 = 0, pos6 = 0;

	memset(other, 'x', other_n);
	for (int pass = 0; pass < 2; pass++) {
		struct toc_e e[] = {
			{ 1, "ENCODING", "ENCODING", "SET client_encoding = 'UTF8';\n", NULL, NULL, 3, 0, NULL },
			{ 2, "_prisma_migrations", "TABLE",
			  "CREATE TABLE public._prisma_migrations (\n    id character varying(36) NOT NULL\n);\n",
			  NULL, "public", 3, 0, NULL },
			{ 3, "f()", "FUNCTION",
			  "CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS $_$SELECT 1; "
			  "SELECT ';'$_$;\n-- a comment; with a semicolon\nALTER FUNCTION public.f() "
			  "OWNER TO postgres;\n", NULL, "public", 3, 0, NULL },
			{ 4, "other", "TABLE DATA", "", "COPY public.other (a) FROM stdin;\n", "public",
			  a->offsets ? 2 : 1, pos4, NULL },
			{ 5, "_prisma_migrations", "TABLE DATA", "",
			  a->inserts ? NULL
			  : a->qai ? "COPY \"public\".\"_prisma_migrations\" (\"applied_steps_count\", "
				     "\"id\", \"checksum\", \"finished_at\", \"migration_name\", \"logs\", "
				     "\"rolled_back_at\", \"started_at\") FROM stdin;\n"
				   : "COPY public._prisma_migrations (id, checksum, finished_at, "
				     "migration_name, logs, rolled_back_at, started_at, "
				     "applied_steps_count) FROM stdin;\n",
			  "public", a->offsets ? 2 : 1, pos5, "2" },
			{ 6, "BLOBS", "BLOBS", "", NULL, NULL, a->offsets ? 2 : 1, pos6, NULL },
		};

		sbuf_reset(out);
		sb_puts(out, "PGDMP");
		sb_putc(out, 1);
		sb_putc(out, a->minor);
		sb_putc(out, 0);
		sb_putc(out, a->intsize);
		sb_putc(out, a->offsize);
		sb_putc(out, 1);
		if (a->minor >= 15)
			sb_putc(out, a->codec == MD_CODEC_NONE ? 0 : a->codec == MD_CODEC_GZIP ? 1
					: a->codec == MD_CODEC_LZ4 ? 2 : 3);
		else
			put_int(out, a, a->codec == MD_CODEC_NONE ? 0 : -1);
		int tm[7] = { 8, 33, 19, 25, 10, 126, 0 };
		for (int i = 0; i < 7; i++)
			put_int(out, a, tm[i]);
		put_str(out, a, "app");
		put_str(out, a, "15.18");
		put_str(out, a, "18.6");
		put_int(out, a, (int64_t)MD_ARRAY_LEN(e));
		for (size_t i = 0; i < MD_ARRAY_LEN(e); i++)
			put_entry(out, a, &e[i]);
		pos4 = out->len;
		put_block(out, a, 4, (const unsigned char *)other, other_n);
		/* large objects before our block: BLK_BLOBS, (oid, chunks) until oid 0 */
		pos6 = out->len;
		sb_putc(out, 3);
		put_int(out, a, 6);
		for (int oid = 16400; oid < 16403; oid++) {
			put_int(out, a, oid);
			put_int(out, a, 3);
			sb_puts(out, "lob");
			put_int(out, a, 0);
		}
		put_int(out, a, 0);
		pos5 = out->len;
		put_block(out, a, 5, z, zn);
	}
	free(z);
	free(other);
}

static char *write_tmp(const void *p, size_t n)
{
	char *path = xstrdup("/tmp/md-test-archive-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	close(fd);
	return path;
}

static void read_one(const struct arch *a)
{
	struct sbuf b = SBUF_INIT;
	struct history h;
	struct history_opts o = { .want_ddl = true };
	struct md_error err;
	char *path;
	char want[128];

	build(&b, a);
	path = write_tmp(b.buf, b.len);
	history_init(&h);
	if (archive_read_history(&h, path, &o, &err))
		fail_msg("1.%d intsize %d %s offsets=%d inserts=%d: %s", a->minor, a->intsize,
			 md_codec_name(a->codec), a->offsets, a->inserts, err.msg);
	assert_int_equal(h.nrows, 2);
	assert_string_equal(h.rows[0].id, "0b6a1c3e-1f0e-4c59-9d0a-5b3c7a1e2f01");
	assert_int_equal(h.rows[0].applied_steps_count, 1);
	assert_int_equal(h.rows[1].applied_steps_count, 0);
	assert_null(h.rows[0].logs);
	assert_non_null(h.rows[1].logs);
	assert_string_equal(h.rows[1].logs, "");
	/* +05:30 normalised: 2026-01-17 18:30:00 UTC */
	assert_int_equal(h.rows[1].started_at.usec, INT64_C(1768674600000000));
	snprintf(want, sizeof(want), "pg_dump custom (archive 1.%d, %s%s)", a->minor,
		 md_codec_name(a->codec), a->offsets ? "" : ", no data offsets");
	assert_string_equal(h.format, want);
	assert_string_equal(h.schema_name, "public");
	assert_string_equal(h.dump_time, "2026-11-25T19:33:08");
	assert_int_equal(h.ntables, 2);
	/* DDL: CREATE TABLE, then the function split in two (not at the ';' in $_$ or --) */
	assert_int_equal(h.nddl, 3);
	assert_non_null(strstr(h.ddl[0].sql, "CREATE TABLE public._prisma_migrations"));
	assert_non_null(strstr(h.ddl[1].sql, "SELECT ';'$_$;"));
	assert_non_null(strstr(h.ddl[2].sql, "ALTER FUNCTION"));
	history_release(&h);
	unlink(path);
	free(path);
	sbuf_release(&b);
}

static void every_version_codec_and_layout(void **state)
{
	(void)state;
	for (int minor = 12; minor <= 16; minor++)
		for (int c = 0; c < 4; c++)
			for (int off = 0; off < 2; off++)
				for (int ins = 0; ins < 2; ins++) {
					struct arch a = { minor, 4, 8, (enum md_codec)c, off, ins, false };

					if (minor < 15 && c >= 2)
						continue; /* lz4/zstd need the 1.15 header */
					read_one(&a);
				}
	struct arch wide = { 16, 8, 8, MD_CODEC_ZSTD, true, false, false };
	read_one(&wide);
	struct arch narrow = { 13, 4, 4, MD_CODEC_GZIP, false, false, false };
	read_one(&narrow);
	struct arch qai = { 14, 4, 8, MD_CODEC_GZIP, true, false, true };
	read_one(&qai);
}

static void chunk_length_2_pow_62(void **state)
{
	struct arch a = { 16, 8, 8, MD_CODEC_NONE, false, false, false };
	struct sbuf b = SBUF_INIT;
	struct history h;
	struct history_opts o = { 0 };
	struct md_error err;
	char *path;
	size_t at;

	(void)state;
	build(&b, &a);
	/* the first chunk length of the first block: after type (1) + id (9) */
	at = (size_t)(memchr(b.buf, 'x', b.len) ? (char *)memchr(b.buf, 'x', b.len) - b.buf : 0) - 9;
	memset(b.buf + at, 0, 9);
	b.buf[at + 8] = 0x40; /* 2^62 */
	path = write_tmp(b.buf, b.len);
	history_init(&h);
	assert_int_equal(archive_read_history(&h, path, &o, &err), -1);
	assert_int_equal(err.code, MD_EXIT_INPUT);
	if (!strstr(err.msg, "data chunk length 4611686018427387904; expected 0 to 1073741824"))
		fail_msg("%s", err.msg);
	assert_non_null(strstr(err.msg, path));
	history_release(&h);
	unlink(path);
	free(path);
	sbuf_release(&b);
}

struct split_out {
	char *s[16];
	size_t n;
};

static int collect(void *ctx, const char *sql, size_t len, uint64_t off, struct md_error *err)
{
	struct split_out *o = ctx;

	(void)off;
	(void)err;
	assert_true(o->n < 16);
	o->s[o->n++] = xstrndup(sql, len);
	return 0;
}

static void splitter_byte_by_byte(void **state)
{
	static const char text[] =
		"INSERT INTO t VALUES ('a;b', 'it''s; here');\n"
		"INSERT INTO t VALUES (E'it\\'s; ', E'\\\\', 'C:\\');\n"
		"CREATE FUNCTION f() AS $body$ x; $notend$ y; $body$;\n"
		"/* a; /* nested; */ still; */ SELECT \"we;ird\";\n"
		"-- comment; line\nSELECT $1;\n"
		"SELECT 'last without semicolon'";
	struct md_error err;

	(void)state;
	for (size_t step = 1; step <= sizeof(text); step += step < 8 ? 1 : 50) {
		struct sqllex_split sp;
		struct split_out o = { { 0 }, 0 };

		sqllex_split_init(&sp, 1 << 20);
		for (size_t i = 0; i < sizeof(text) - 1; i += step)
			assert_int_equal(sqllex_split_feed(&sp, text + i,
							   MD_MIN(step, sizeof(text) - 1 - i),
							   collect, &o, "t", &err), 0);
		assert_int_equal(sqllex_split_finish(&sp, collect, &o, &err), 0);
		sqllex_split_release(&sp);
		assert_int_equal(o.n, 6);
		assert_string_equal(o.s[0], "INSERT INTO t VALUES ('a;b', 'it''s; here');");
		/* E'' takes backslash escapes; a plain literal does not (scs on) */
		assert_string_equal(o.s[1], "INSERT INTO t VALUES (E'it\\'s; ', E'\\\\', 'C:\\');");
		assert_string_equal(o.s[2], "CREATE FUNCTION f() AS $body$ x; $notend$ y; $body$;");
		assert_string_equal(o.s[3], "/* a; /* nested; */ still; */ SELECT \"we;ird\";");
		assert_string_equal(o.s[4], "-- comment; line\nSELECT $1;");
		assert_string_equal(o.s[5], "SELECT 'last without semicolon'");
		for (size_t i = 0; i < o.n; i++)
			free(o.s[i]);
	}
	/* the size cap */
	struct sqllex_split sp;
	struct split_out o = { { 0 }, 0 };
	sqllex_split_init(&sp, 16);
	assert_int_equal(sqllex_split_feed(&sp, "SELECT 'a very long literal", 27, collect, &o, "t",
					   &err), -1);
	assert_non_null(strstr(err.msg, "SQL statement longer than"));
	sqllex_split_release(&sp);
}

static void tar_header(unsigned char *h, const char *name, char type, uint64_t size,
		       bool base256)
{
	unsigned sum = 0;

	memset(h, 0, 512);
	snprintf((char *)h, 100, "%s", name);
	memcpy(h + 100, "0000600", 8);
	if (base256) {
		h[124] = 0x80;
		for (int i = 11; i >= 1; i--, size >>= 8)
			h[124 + i] = (unsigned char)(size & 0xff);
	} else {
		char tmp[32];

		snprintf(tmp, sizeof(tmp), "%011llo", (unsigned long long)(size & 077777777777ULL));
		memcpy(h + 124, tmp, 11);
	}
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar\0" "00", 8);
	memset(h + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
}

static void tar_names_and_sizes(void **state)
{
	unsigned char buf[512 * 16];
	size_t n = 0;
	const char *pax = "30 path=some/long/dir/toc.dat\n";
	struct md_tar t;
	struct md_error err;
	struct md_stream *m;
	char data[16];

	(void)state;
	memset(buf, 0, sizeof(buf));
	tar_header(buf + n, "PaxHeader", 'x', strlen(pax), false);
	n += 512;
	memcpy(buf + n, pax, strlen(pax));
	n += 512;
	tar_header(buf + n, "short", '0', 5, true); /* base-256 size */
	n += 512;
	memcpy(buf + n, "hello", 5);
	n += 512;
	tar_header(buf + n, "././@LongLink", 'L', 12, false);
	n += 512;
	memcpy(buf + n, "a/3360.dat.gz", 12);
	n += 512;
	tar_header(buf + n, "ignored", '0', 3, false);
	n += 512;
	memcpy(buf + n, "abc", 3);
	n += 512;
	tar_header(buf + n, "dir/", '5', 0, false);
	n += 512;
	n += 1024; /* end blocks */
	md_tar_init(&t, md_stream_open_mem("t.tar", buf, n));
	assert_int_equal(md_tar_next(&t, &err), 1);
	assert_string_equal(t.name, "some/long/dir/toc.dat");
	assert_int_equal(t.size, 5);
	m = md_tar_member(&t);
	assert_int_equal(md_stream_read_full(m, data, 5, "x", &err), 0);
	assert_memory_equal(data, "hello", 5);
	assert_int_equal(md_stream_read(m, data, 5, &err), 0);
	md_stream_close(m);
	assert_int_equal(md_tar_next(&t, &err), 1);
	assert_string_equal(t.name, "a/3360.dat.g"); /* 12 bytes of long name */
	assert_int_equal(t.size, 3);
	assert_int_equal(md_tar_next(&t, &err), 1); /* skipped without reading */
	assert_int_equal(t.type, '5');
	assert_int_equal(md_tar_next(&t, &err), 0);
	md_tar_release(&t);
}

/* Found by fuzz_tar: a pax record whose length ends just after its space. */
static void tar_bad_pax_records(void **state)
{
	static const char *const bad[] = { "6 a=b\n", "6 path", "3 x", "2 xy", "99 path=x\n",
					    "7 path=xX" };
	unsigned char buf[512 * 4];
	struct md_tar t;
	struct md_error err;

	(void)state;
	for (size_t i = 0; i < MD_ARRAY_LEN(bad); i++) {
		size_t n = strlen(bad[i]);

		memset(buf, 0, sizeof(buf));
		tar_header(buf, "PaxHeader", 'x', n, false);
		memcpy(buf + 512, bad[i], n);
		tar_header(buf + 1024, "member", '0', 0, false);
		md_tar_init(&t, md_stream_open_mem("bad.tar", buf, sizeof(buf)));
		if (i == 0) /* "6 a=b\n" is well formed (an unknown key) */
			assert_int_equal(md_tar_next(&t, &err), 1);
		else if (md_tar_next(&t, &err) != -1 || !strstr(err.msg, "malformed pax"))
			fail_msg("record '%s' accepted", bad[i]);
		md_tar_release(&t);
	}
}

static void sniffing(void **state)
{
	unsigned char head[512] = "PGDMP";
	char dir[] = "/tmp/md-test-dir-XXXXXX";
	char *p;

	(void)state;
	assert_int_equal(archive_sniff(head, 5), ARCHIVE_CUSTOM);
	assert_int_equal(archive_sniff(head, 4), ARCHIVE_NONE);
	memset(head, 0, sizeof(head));
	memcpy(head + 257, "ustar", 5);
	assert_int_equal(archive_sniff(head, sizeof(head)), ARCHIVE_TAR);
	assert_int_equal(archive_sniff((const unsigned char *)"COPY x", 6), ARCHIVE_NONE);
	assert_non_null(mkdtemp(dir));
	assert_int_equal(archive_is_dump_dir(dir), 0);
	p = xasprintf("%s/toc.dat", dir);
	close(open(p, O_CREAT | O_WRONLY, 0600));
	assert_int_equal(archive_is_dump_dir(dir), 1);
	assert_int_equal(archive_is_dump_dir(p), 0);
	unlink(p);
	rmdir(dir);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_version_codec_and_layout),
		cmocka_unit_test(chunk_length_2_pow_62),
		cmocka_unit_test(splitter_byte_by_byte),
		cmocka_unit_test(tar_names_and_sizes),
		cmocka_unit_test(tar_bad_pax_records),
		cmocka_unit_test(sniffing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
