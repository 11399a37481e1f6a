/* Unit tests for the util module: sbuf limits, arena, messages. */
#include "migdoctor/common.h"
#include "migdoctor/arena.h"
#include "migdoctor/diag.h"
#include "migdoctor/sbuf.h"
#include "migdoctor/stream.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sbuf_limit_refuses_growth),
		cmocka_unit_test(sbuf_keeps_nul_bytes),
		cmocka_unit_test(arena_strings_survive_many_chunks),
		cmocka_unit_test(error_at_names_file_and_line),
		cmocka_unit_test(reader_lines_and_limits),
		cmocka_unit_test(reader_refuses_long_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
