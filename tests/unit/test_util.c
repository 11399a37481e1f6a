/* Unit tests for the util module: sbuf limits, arena, messages, the shared helpers. */
#include "migdoctor/common.h"
#include "migdoctor/arena.h"
#include "migdoctor/diag.h"
#include "migdoctor/bundle.h"
#include "migdoctor/quote.h"
#include "migdoctor/scan.h"
#include "migdoctor/sbuf.h"
#include "migdoctor/sha256.h"
#include "migdoctor/stream.h"
#include "migdoctor/strutil.h"
#include "migdoctor/utf8.h"
#include "migdoctor/version.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

static void sbuf_limit_refuses_growth(void **state)
{
	struct sbuf sb;

	(void)state;
	sbuf_init(&sb, 8);
	assert_int_equal(sbuf_addstr(&sb, "12345678"), 0);
	assert_int_equal(sbuf_addch(&sb, '9'), -1);
	assert_string_equal(sb.buf, "12345678");
	assert_int_equal(sb.len, 8);
	sbuf_release(&sb);
	assert_int_equal(sb.len, 0);
	assert_non_null(sb.buf);
}

static void sbuf_keeps_nul_bytes(void **state)
{
	struct sbuf sb = SBUF_INIT;
	size_t n;
	char *p;

	(void)state;
	sb_putn(&sb, "a\0b", 3);
	sb_printf(&sb, "%d", 42);
	p = sbuf_detach(&sb, &n);
	assert_int_equal(n, 5);
	assert_memory_equal(p, "a\0b42", 6);
	free(p);
}

static void arena_strings_survive_many_chunks(void **state)
{
	struct arena a = ARENA_INIT;
	char *first = arena_strdup(&a, "first");
	char *big;

	(void)state;
	for (int i = 0; i < 10000; i++)
		arena_printf(&a, "item %d", i);
	big = arena_zalloc(&a, 1 << 20);
	assert_int_equal(big[(1 << 20) - 1], 0);
	assert_string_equal(first, "first");
	assert_int_equal((uintptr_t)arena_alloc(&a, 3) % 16, 0);
	arena_release(&a);
}

static void error_at_names_file_and_line(void **state)
{
	struct md_error e;
	struct md_pos pos = { "dump.sql", 12, 3, 0 };
	struct md_pos off = { "x.dump", 0, 0, 77 };

	(void)state;
	assert_int_equal(md_fail_at(&e, &pos, "unexpected '%s'", "x"), -1);
	assert_string_equal(e.msg, "dump.sql:12:3: unexpected 'x'");
	assert_int_equal(e.code, MD_EXIT_INPUT);
	md_fail_at(&e, &off, "bad");
	assert_string_equal(e.msg, "x.dump: byte 77: bad");
}

static void reader_lines_and_limits(void **state)
{
	static const char text[] = "one\r\ntwo\n\nlast";
	struct md_stream *s = md_stream_open_mem("mem", text, sizeof(text) - 1);
	struct md_reader r;
	struct md_error e;
	const char *l;
	size_t n;

	(void)state;
	md_reader_init(&r, s, 0);
	assert_int_equal(md_reader_line(&r, &l, &n, &e), 1);
	assert_int_equal(n, 4); /* the \r is kept */
	assert_int_equal(md_reader_line(&r, &l, &n, &e), 1);
	assert_memory_equal(l, "two", 3);
	assert_int_equal(md_reader_line(&r, &l, &n, &e), 1);
	assert_int_equal(n, 0);
	assert_int_equal(md_reader_line(&r, &l, &n, &e), 1);
	assert_memory_equal(l, "last", 4);
	assert_int_equal(r.line, 5);
	assert_int_equal(md_reader_line(&r, &l, &n, &e), 0);
	md_reader_release(&r);
	md_stream_close(s);
}

static void reader_refuses_long_line(void **state)
{
	size_t big = 3 * 1024 * 1024;
	char *text = malloc(big);
	struct md_stream *s;
	struct md_reader r;
	struct md_error e;
	const char *l;
	size_t n;

	(void)state;
	memset(text, 'x', big);
	s = md_stream_open_mem("long.txt", text, big);
	md_reader_init(&r, s, 1024 * 1024);
	assert_int_equal(md_reader_line(&r, &l, &n, &e), -1);
	assert_non_null(strstr(e.msg, "long.txt:1"));
	assert_non_null(strstr(e.msg, "longer than 1 MiB"));
	md_reader_release(&r);
	md_stream_close(s);
	free(text);
}

/* RFC 3629, with the edge cases of its table 3 */
static void utf8_validator(void **state)
{
	static const struct {
		const char *s;
		size_t len; /* of the first sequence; 0 = invalid */
	} cases[] = {
		{ "a", 1 },
		{ "\xc3\xa9", 2 },
		{ "\xe2\x94\x94", 3 },
		{ "\xf0\x9f\x9a\x80", 4 },
		{ "\xf4\x8f\xbf\xbf", 4 },     /* U+10FFFF */
		{ "\xc0\xaf", 0 },             /* overlong '/' */
		{ "\xc1\xbf", 0 },
		{ "\xe0\x9f\xbf", 0 },         /* overlong */
		{ "\xed\xa0\x80", 0 },         /* surrogate U+D800 */
		{ "\xf0\x8f\xbf\xbf", 0 },     /* overlong */
		{ "\xf4\x90\x80\x80", 0 },     /* above U+10FFFF */
		{ "\xf5\x80\x80\x80", 0 },
		{ "\xff", 0 },
		{ "\x80", 0 },                 /* a lone continuation byte */
		{ "\xc3(", 0 },
		{ "\xe2\x94", 0 },             /* cut */
	};

	(void)state;
	for (size_t i = 0; i < MD_ARRAY_LEN(cases); i++) {
		const unsigned char *p = (const unsigned char *)cases[i].s;

		if (utf8_len(p, strlen(cases[i].s)) != cases[i].len)
			fail_msg("case %zu: want %zu, got %zu", i, cases[i].len,
				 utf8_len(p, strlen(cases[i].s)));
		assert_int_equal(utf8_valid(p, strlen(cases[i].s)), cases[i].len == strlen(cases[i].s));
	}
	assert_int_equal(utf8_len((const unsigned char *)"", 0), 0);
	assert_true(utf8_valid("", 0));
	assert_true(utf8_valid("caf\xc3\xa9 \xe2\x94\x94\xe2\x94\x80 ok", 15));
	assert_false(utf8_valid("caf\xc3\xa9\xff", 6));
	/* the length bounds the look-ahead: a valid sequence cut by n is invalid */
	assert_int_equal(utf8_len((const unsigned char *)"\xc3\xa9", 1), 0);
}

static void sha256_of_memory_and_file(void **state)
{
	/* FIPS 180-2 test vectors */
	static const char abc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	static const char empty[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	char hex[MD_SHA256_HEX], path[] = "/tmp/md-test-sha-XXXXXX";
	struct md_error err;
	int fd;

	(void)state;
	md_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, abc);
	md_sha256_hex("", 0, hex);
	assert_string_equal(hex, empty);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc", 3), 3);
	close(fd);
	assert_int_equal(md_sha256_file(path, hex, &err), 0);
	assert_string_equal(hex, abc);
	unlink(path);
	assert_int_equal(md_sha256_file(path, hex, &err), -1);
	assert_string_equal(hex, "");
	assert_non_null(strstr(err.msg, path));
}

/*
 * check -o hashes its inputs while the readers read them: a file read
 * front to back is remembered (md_sha256_file answers without reading,
 * here after the file is changed in place with the same size and mtime);
 * one skipped over (a seek) or read in part is not, and is hashed again.
 */
static void sha256_while_reading(void **state)
{
	static const char abc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	char hex[MD_SHA256_HEX], buf[2], path[] = "/tmp/md-test-sha-XXXXXX";
	struct md_stream *s;
	struct md_error err;
	struct stat st;
	struct timespec keep[2];
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc", 3), 3);
	close(fd);
	assert_int_equal(stat(path, &st), 0);
	keep[0] = st.st_atim;
	keep[1] = st.st_mtim;

	/* not hashing: nothing remembered */
	assert_int_equal(md_stream_open_file(&s, path, &err), 0);
	assert_int_equal(md_stream_read_upto(s, buf, 2, &(size_t){ 0 }, &err), 0);
	assert_int_equal(md_stream_read(s, buf, 2, &err), 1);
	assert_int_equal(md_stream_read(s, buf, 2, &err), 0);
	md_stream_close(s);
	assert_false(md_sha256_known(&st, hex));

	md_stream_hash_files(true);
	/* a skip: the bytes were not seen */
	assert_int_equal(md_stream_open_file(&s, path, &err), 0);
	assert_int_equal(md_stream_skip(s, 1, "x", &err), 0);
	assert_int_equal(md_stream_read(s, buf, 2, &err), 2);
	assert_int_equal(md_stream_read(s, buf, 2, &err), 0);
	md_stream_close(s);
	assert_false(md_sha256_known(&st, hex));
	/* read in part */
	assert_int_equal(md_stream_open_file(&s, path, &err), 0);
	assert_int_equal(md_stream_read(s, buf, 2, &err), 2);
	md_stream_close(s);
	assert_false(md_sha256_known(&st, hex));
	/* front to back, in pieces */
	assert_int_equal(md_stream_open_file(&s, path, &err), 0);
	assert_int_equal(md_stream_read(s, buf, 2, &err), 2);
	assert_int_equal(md_stream_read(s, buf, 2, &err), 1);
	assert_int_equal(md_stream_read(s, buf, 2, &err), 0);
	md_stream_close(s);
	md_stream_hash_files(false);
	assert_true(md_sha256_known(&st, hex));
	assert_string_equal(hex, abc);

	/* the digest remembered answers md_sha256_file: same key, other bytes */
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "xyz", 3), 3);
	close(fd);
	assert_int_equal(utimensat(AT_FDCWD, path, keep, 0), 0);
	assert_int_equal(md_sha256_file(path, hex, &err), 0);
	assert_string_equal(hex, abc);
	/* another mtime: another key, read again */
	keep[1].tv_sec -= 10;
	assert_int_equal(utimensat(AT_FDCWD, path, keep, 0), 0);
	assert_int_equal(md_sha256_file(path, hex, &err), 0);
	assert_string_not_equal(hex, abc);
	unlink(path);
}

static void same_and_schema_choice(void **state)
{
	const char *one[] = { "litellm" }, *two[] = { "audit", "public" }, *none[] = { "a", "b" };
	bool several;

	(void)state;
	assert_true(md_same(NULL, NULL));
	assert_true(md_same("a", "a"));
	assert_false(md_same("a", NULL));
	assert_false(md_same("a", "b"));
	assert_false(md_same_set(NULL, NULL));
	assert_true(md_same_set("a", "a"));
	assert_false(md_same_set(NULL, "a"));

	assert_int_equal(md_choose_schema(one, 1, NULL, &several), 0);
	assert_false(several);
	assert_int_equal(md_choose_schema(two, 2, NULL, &several), 1);
	assert_true(several);
	assert_int_equal(md_choose_schema(none, 2, NULL, &several), -1);
	assert_false(several);
	assert_int_equal(md_choose_schema(two, 2, "audit", &several), 0);
	assert_false(several);
	assert_int_equal(md_choose_schema(two, 2, "nope", NULL), -1);
	assert_int_equal(md_choose_schema(one, 0, NULL, NULL), -1);
}

static void version_numbers(void **state)
{
	struct md_version v;

	(void)state;
	assert_int_equal(md_version_parse("1.81.12-stable", &v), 0);
	assert_int_equal(v.major, 1);
	assert_int_equal(v.minor, 81);
	assert_int_equal(v.patch, 12);
	assert_int_equal(md_version_parse("1.81", &v), -1);
	assert_int_equal(md_version_parse("1..2", &v), -1);
	assert_int_equal(md_version_parse(" 1.2.3", &v), -1);
	assert_int_equal(md_version_parse("-1.2.3", &v), -1);
	assert_int_equal(md_version_parse("1.2.9999999999", &v), -1);
	assert_int_equal(md_version_parse(NULL, &v), -1);
	assert_true(md_version_newer("1.81.0", "1.80.9"));
	assert_true(md_version_newer("1.10.0", "1.9.0")); /* numbers, not text */
	assert_true(md_version_newer("2.0.0", "1.99.99"));
	assert_false(md_version_newer("1.80.0", "1.80.0"));
	assert_false(md_version_newer("1.79.0", "1.80.0"));
	assert_false(md_version_newer("junk", "1.80.0"));
	assert_false(md_version_newer("1.80.1", "junk"));
}

/* A migration's SQL reaches psql dollar-quoted with a tag it cannot end early. */
/* The search, against a byte-at-a-time reading of its contract. */
static bool ref_copy_end(const char *b, size_t n, size_t *at, uint64_t *nls)
{
	uint64_t c = 0;
	size_t i = 0;

	for (; i + 2 < n; i++) {
		if (b[i] == '\n' && b[i + 1] == '\\' && b[i + 2] == '.') {
			*at = i;
			*nls = c;
			return true;
		}
		c += b[i] == '\n';
	}
	*at = i;
	*nls = c;
	return false;
}

static void copy_end_matches_reference(void **state)
{
	static const char alphabet[] = "\n\n\\..ab\t";
	char *buf = xmalloc(9000);
	unsigned seed = 12345;

	(void)state;
	/* sizes over the 16-byte vectors and the 255-vector accumulator; dense markers and none */
	for (int round = 0; round < 3000; round++) {
		size_t n = (size_t)(round % 7 == 0 ? 4200 + round % 97 : round % 300);
		int density = round % 5;
		size_t at, rat;
		uint64_t nls, rnls;
		bool f, rf;

		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = density == 0 ? '\n' : density == 1 ? 'x' :
				 alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		if (density == 2 && n > 3) /* a marker only in the very last bytes */
			memcpy(buf + n - 3, "\n\\.", 3);
		f = md_find_copy_end(buf, n, &at, &nls);
		rf = ref_copy_end(buf, n, &rat, &rnls);
		assert_int_equal(f, rf);
		assert_int_equal(at, rat);
		assert_int_equal(nls, rnls);
	}
	free(buf);
}

/* A text dump's sizes are the same however its bytes are cut into reads. */
static void sizes_do_not_depend_on_chunks(void **state)
{
	struct sbuf d;
	struct bundle_sizes whole, cut;

	(void)state;
	sbuf_init(&d, 0);
	sb_puts(&d, "SET x = 1;\nCOPY public.\"T\" (a, b) FROM stdin;\n");
	for (int i = 0; i < 3000; i++)
		sb_printf(&d, "%d\ta\\.b\\\\.%s\n", i, i % 7 ? "" : "\\.");
	sb_puts(&d, "\\.\n\nCOPY public.u (a) FROM stdin;\n1\n2\n\\.\n");
	bundle_sizes_init(&whole);
	bundle_sizes_tap(&whole, d.buf, d.len);
	assert_int_equal(whole.n, 2);
	assert_int_equal(whole.v[0].rows, 3000);
	assert_int_equal(whole.v[1].rows, 2);
	for (size_t step = 1; step < 40; step += 3) {
		bundle_sizes_init(&cut);
		for (size_t i = 0; i < d.len; i += step)
			bundle_sizes_tap(&cut, d.buf + i, MD_MIN(step, d.len - i));
		assert_int_equal(cut.n, 2);
		for (size_t t = 0; t < 2; t++) {
			assert_string_equal(cut.v[t].table, whole.v[t].table);
			assert_int_equal(cut.v[t].bytes, whole.v[t].bytes);
			assert_int_equal(cut.v[t].rows, whole.v[t].rows);
		}
		bundle_sizes_release(&cut);
	}
	bundle_sizes_release(&whole);
	sbuf_release(&d);
}

static void dollar_quote_picks_absent_tag(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "SELECT 1;", "$t$SELECT 1;$t$" },
		{ "", "$t$$t$" },
		{ "a $t$ b", "$t1$a $t$ b$t1$" },
		{ "a $t$ $t1$ b", "$t2$a $t$ $t1$ b$t2$" },
		{ "ends with $t", "$t1$ends with $t$t1$" },        /* "$t" + "$t$" would close early */
		{ "ends with $", "$t$ends with $$t$" },           /* "$" + "$t$": "$$" opens nothing */
		{ "\\! rm -rf /\n:x", "$t$\\! rm -rf /\n:x$t$" }, /* psql reads nothing inside */
	};
	struct sbuf sb = SBUF_INIT;

	(void)state;
	for (size_t i = 0; i < MD_ARRAY_LEN(cases); i++) {
		sbuf_reset(&sb);
		assert_int_equal(sql_quote_dollar(&sb, cases[i].in, strlen(cases[i].in), "t"), 0);
		assert_string_equal(sb.buf, cases[i].out);
	}
	sbuf_reset(&sb);
	assert_int_equal(sql_quote_dollar(&sb, "a\0b", 3, "t"), -1);
	sbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sbuf_limit_refuses_growth),
		cmocka_unit_test(sbuf_keeps_nul_bytes),
		cmocka_unit_test(arena_strings_survive_many_chunks),
		cmocka_unit_test(error_at_names_file_and_line),
		cmocka_unit_test(reader_lines_and_limits),
		cmocka_unit_test(reader_refuses_long_line),
		cmocka_unit_test(utf8_validator),
		cmocka_unit_test(sha256_of_memory_and_file),
		cmocka_unit_test(sha256_while_reading),
		cmocka_unit_test(same_and_schema_choice),
		cmocka_unit_test(version_numbers),
		cmocka_unit_test(dollar_quote_picks_absent_tag),
		cmocka_unit_test(copy_end_matches_reference),
		cmocka_unit_test(sizes_do_not_depend_on_chunks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
