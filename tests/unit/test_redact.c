/*
 * Unit tests for what a bundle keeps: the redaction patterns (golden,
 * table-driven), the table sizes measured from a plain dump however its
 * bytes are chunked, and the tar writer read back by the tar reader.
 */
#include "migdoctor/common.h"
#include "migdoctor/archive.h"
#include "migdoctor/bundle.h"
#include "migdoctor/redact.h"
#include "migdoctor/sbuf.h"
#include "migdoctor/stream.h"

#include <setjmp.h>
#include <cmocka.h>

static const struct {
	const char *in, *out;
	size_t count;
} cases[] = {
	/* API keys */
	{ "key sk-1234abcdEFGH_ij-kl used", "key [REDACTED:api-key] used", 1 },
	{ "sk-ant-api03-xyz and sk-proj-ABC", "[REDACTED:api-key] and [REDACTED:api-key]", 2 },
	{ "a desk-top and task-list stay", "a desk-top and task-list stay", 0 },
	/* passwords in connection URLs */
	{ "postgres://llm:hunter2@db:5432/x", "postgres://llm:[REDACTED:password]@db:5432/x", 1 },
	{ "postgresql://u:p@ss@db/x", "postgresql://u:[REDACTED:password]@db/x", 1 },
	{ "https://host:8080/path stays", "https://host:8080/path stays", 0 },
	{ "password=s3cret host=db", "password=[REDACTED:password] host=db", 1 },
	{ "ALTER ROLE app WITH LOGIN PASSWORD 'SCRAM-SHA-256$4096:abc=';",
	  "ALTER ROLE app WITH LOGIN PASSWORD '[REDACTED:password]';", 1 },
	{ "OPTIONS (user 'u', password 'it''s')", "OPTIONS (user 'u', password '[REDACTED:password]')", 1 },
	/* LiteLLM settings: the whole value */
	{ "DATABASE_URL=postgres://llm:hunter2@db/x", "DATABASE_URL=[REDACTED:database-url]", 1 },
	{ "  database_url: \"postgresql://a:b@c/d\"", "  database_url: \"[REDACTED:database-url]\"", 1 },
	{ "{\"message\": \"DATABASE_URL=postgres://u:p@h/db\", \"level\": \"INFO\"}",
	  "{\"message\": \"DATABASE_URL=[REDACTED:database-url]\", \"level\": \"INFO\"}", 1 },
	{ "{\"database_url\": \"postgresql://llm:pw@db/x\"}", "{\"database_url\": \"[REDACTED:database-url]\"}", 1 },
	{ "export LITELLM_MASTER_KEY='sk-abc'", "export LITELLM_MASTER_KEY='[REDACTED:master-key]'", 1 },
	{ "master_key: sk-1234", "master_key: [REDACTED:master-key]", 1 },
	{ "LITELLM_MASTER_KEY=sk-live-0000", "LITELLM_MASTER_KEY=[REDACTED:master-key]", 1 },
	/* bearer tokens */
	{ "Authorization: Bearer eyJhbGciOi.x.y", "Authorization: Bearer [REDACTED:token]", 1 },
	{ "bearer abcdefgh123", "bearer [REDACTED:token]", 1 },
	/* emails */
	{ "user alice.b+x@example.co.uk joined", "user [REDACTED:email] joined", 1 },
	{ "no at-sign @ here", "no at-sign @ here", 0 },
	/* JSON and Python-dict values of secret-named keys */
	{ "{\"api_key\": \"abc123\", \"model\": \"gpt-4o\"}",
	  "{\"api_key\": \"[REDACTED:secret]\", \"model\": \"gpt-4o\"}", 1 },
	{ "{'token': 'xyz', 'client_secret': 'q\\'w'}",
	  "{'token': '[REDACTED:secret]', 'client_secret': '[REDACTED:secret]'}", 2 },
	{ "{\"Password\":\"p\\\"w\"}", "{\"Password\":\"[REDACTED:secret]\"}", 1 },
	{ "{\"key_alias\": \"\"}", "{\"key_alias\": \"\"}", 0 },
	{ "api_key=abc123&x=1", "api_key=[REDACTED:secret]&x=1", 1 },
	/* migration lines stay as they are */
	{ "Applying migration `20240101000000_init`", "Applying migration `20240101000000_init`", 0 },
	{ "Database error code: 42P01", "Database error code: 42P01", 0 },
	{ "ERROR: relation \"DeletedTeam\" does not exist", "ERROR: relation \"DeletedTeam\" does not exist", 0 },
	{ "CREATE TABLE \"User\" (\"email\" text, \"token\" text);",
	  "CREATE TABLE \"User\" (\"email\" text, \"token\" text);", 0 },
	{ "", "", 0 },
};

static void redact_golden(void **state)
{
	(void)state;
	for (size_t i = 0; i < MD_ARRAY_LEN(cases); i++) {
		struct sbuf out = SBUF_INIT, again = SBUF_INIT;
		size_t n = redact_append(&out, cases[i].in, strlen(cases[i].in));

		if (strcmp(out.buf, cases[i].out) || n != cases[i].count)
			fail_msg("case %zu: \"%s\"\n  got      \"%s\" (%zu)\n  expected \"%s\" (%zu)", i,
				 cases[i].in, out.buf, n, cases[i].out, cases[i].count);
		/* a marker is never redacted again */
		assert_int_equal(redact_append(&again, out.buf, out.len), 0);
		assert_string_equal(again.buf, out.buf);
		sbuf_release(&out);
		sbuf_release(&again);
	}
}

static void redact_keeps_bytes(void **state)
{
	static const char in[] = "a\0b\xff sk-abcdef\n\tc";
	struct sbuf out = SBUF_INIT;

	(void)state;
	assert_int_equal(redact_append(&out, in, sizeof(in) - 1), 1);
	assert_memory_equal(out.buf, "a\0b\xff [REDACTED:api-key]\n\tc", out.len);
	sbuf_release(&out);
}

static const char dump[] =
	"--\n-- PostgreSQL database dump\n--\n"
	"CREATE TABLE public.t (a text);\n"
	"COPY public.\"Spend\"\"Log\" (a, b) FROM stdin;\n"
	"r1\tx\n"
	"r2\t\\\\.\n"
	"r3\t.\\.\n"
	"\\.\n"
	"\n"
	"COPY public.empty (a) FROM stdin;\n"
	"\\.\n"
	"INSERT INTO public.ins VALUES (1);\n"
	"INSERT INTO public.ins VALUES (2);\n"
	"COPY public._prisma_migrations (id) FROM stdin;\n"
	"x\n"
	"\\.\n";

static void check_sizes(const struct bundle_sizes *z, size_t chunk)
{
	if (z->n != 4)
		fail_msg("chunk %zu: %zu tables", chunk, z->n);
	assert_string_equal(z->v[0].table, "public.Spend\"Log");
	if (z->v[0].bytes != 19 || z->v[0].rows != 3)
		fail_msg("chunk %zu: %llu bytes, %llu rows", chunk, (unsigned long long)z->v[0].bytes,
			 (unsigned long long)z->v[0].rows);
	assert_string_equal(z->v[1].table, "public.empty");
	assert_int_equal(z->v[1].bytes, 0);
	assert_int_equal(z->v[1].rows, 0);
	assert_string_equal(z->v[2].table, "public.ins");
	assert_int_equal(z->v[2].rows, 2);
	assert_int_equal(z->v[2].bytes, 2 * strlen("INSERT INTO public.ins VALUES (1);\n"));
	assert_string_equal(z->v[3].table, "public._prisma_migrations");
	assert_int_equal(z->v[3].rows, 1);
	assert_int_equal(z->v[3].bytes, 2);
}

static void sizes_any_chunking(void **state)
{
	(void)state;
	for (size_t chunk = 1; chunk <= sizeof(dump); chunk++) {
		struct bundle_sizes z;

		bundle_sizes_init(&z);
		for (size_t off = 0; off < sizeof(dump) - 1; off += chunk)
			bundle_sizes_tap(&z, dump + off, MD_MIN(chunk, sizeof(dump) - 1 - off));
		check_sizes(&z, chunk);
		bundle_sizes_release(&z);
	}
}

static void tar_round_trip(void **state)
{
	struct sbuf tar = SBUF_INIT, again = SBUF_INIT;
	struct md_tar t;
	struct md_error err;
	char buf[600];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	bundle_tar_add(&tar, BUNDLE_MANIFEST, "{}", 2);
	bundle_tar_add(&tar, BUNDLE_DIR "big", buf, sizeof(buf));
	bundle_tar_end(&tar);
	assert_int_equal(tar.len % 512, 0);
	assert_true(bundle_sniff((const unsigned char *)tar.buf, tar.len));
	md_tar_init(&t, md_stream_open_mem("t.tar", tar.buf, tar.len));
	assert_int_equal(md_tar_next(&t, &err), 1);
	assert_string_equal(t.name, BUNDLE_MANIFEST);
	assert_int_equal(t.size, 2);
	assert_int_equal(md_tar_next(&t, &err), 1);
	assert_string_equal(t.name, BUNDLE_DIR "big");
	assert_int_equal(t.size, sizeof(buf));
	assert_int_equal(md_tar_next(&t, &err), 0);
	md_tar_release(&t);
	/* the same members give the same bytes */
	bundle_tar_add(&again, BUNDLE_MANIFEST, "{}", 2);
	bundle_tar_add(&again, BUNDLE_DIR "big", buf, sizeof(buf));
	bundle_tar_end(&again);
	assert_int_equal(again.len, tar.len);
	assert_memory_equal(again.buf, tar.buf, tar.len);
	/* a pg_dump -Ft archive is not a bundle */
	memcpy(tar.buf, "toc.dat", 8);
	assert_false(bundle_sniff((const unsigned char *)tar.buf, tar.len));
	sbuf_release(&tar);
	sbuf_release(&again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(redact_golden),
		cmocka_unit_test(redact_keeps_bytes),
		cmocka_unit_test(sizes_any_chunking),
		cmocka_unit_test(tar_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
