/* Unit tests for the _prisma_migrations readers: each escape rule and edge. */
#include "migdoctor/common.h"
#include "migdoctor/history.h"
#include "migdoctor/sbuf.h"
#include "migdoctor/sql.h"
#include "history/hist_internal.h"
#include "history/sqllex.h"

#include <setjmp.h>
#include <cmocka.h>
#include <unistd.h>

static void ts_roundtrip(const char *in, const char *want)
{
	struct md_ts ts;
	char buf[MD_TS_BUFSIZE];

	assert_int_equal(md_ts_parse(in, strlen(in), &ts), 0);
	md_ts_format(&ts, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void ts_offsets_and_fractions(void **state)
{
	(void)state;
	ts_roundtrip("2026-01-16 14:27:56.123456+00", "2026-01-16 14:27:56.123456+00");
	ts_roundtrip("2026-01-16 14:27:56+00", "2026-01-16 14:27:56+00");
	ts_roundtrip("2026-01-16 14:27:56.5+00", "2026-01-16 14:27:56.5+00");
	ts_roundtrip("2026-01-16 14:27:56.000001+00", "2026-01-16 14:27:56.000001+00");
	ts_roundtrip("2026-01-16 09:27:56-05", "2026-01-16 14:27:56+00");
	ts_roundtrip("2026-01-16 19:57:56.123456+05:30", "2026-01-16 14:27:56.123456+00");
	ts_roundtrip("2026-01-16 20:12:56+05:45", "2026-01-16 14:27:56+00");
	ts_roundtrip("1850-01-01 05:53:28+05:53:28", "1850-01-01 00:00:00+00");
	ts_roundtrip("1849-12-31 19:03:58-04:56:02", "1850-01-01 00:00:00+00");
	ts_roundtrip("2026-01-01 00:30:00+01", "2025-12-31 23:30:00+00");
	ts_roundtrip("2026-01-16T14:27:56.123Z", "2026-01-16 14:27:56.123+00");
	ts_roundtrip("2026-01-16T14:27:56.123+00:00", "2026-01-16 14:27:56.123+00");
	ts_roundtrip("2025-12-19 10:55:50.794337 UTC", "2025-12-19 10:55:50.794337+00");
	ts_roundtrip("2025-12-19 10:55:50.794337123 UTC", "2025-12-19 10:55:50.794337+00");
	ts_roundtrip("2024-02-29 00:00:00+00", "2024-02-29 00:00:00+00");
	ts_roundtrip("12026-01-01 00:00:00+00", "12026-01-01 00:00:00+00");
	ts_roundtrip("294246-12-31 23:59:59.999999+00", "294246-12-31 23:59:59.999999+00");
	ts_roundtrip("4713-01-01 00:00:00+00 BC", "4713-01-01 00:00:00+00 BC");
	ts_roundtrip("0044-03-15 12:00:00+00 BC", "0044-03-15 12:00:00+00 BC");
	ts_roundtrip("infinity", "infinity");
	ts_roundtrip("-infinity", "-infinity");
}

static void ts_rejects(void **state)
{
	static const char *const bad[] = {
		"", "2026-01-16", "2026-01-16 14:27:56", "2026-02-30 00:00:00+00",
		"2025-02-29 00:00:00+00", "2026-13-01 00:00:00+00", "2026-01-16 14:27:56.+00",
		"2026-01-16 14:27:56+00 junk", "yesterday", "2026-01-16 14:27:56.1234567890+00",
		"0000-01-01 00:00:00+00",
		"7401336857-01-01 00:00:00+00", /* fuzz: overflowed int64 microseconds */
		"999999-01-01 00:00:00+00",
	};
	struct md_ts ts;

	(void)state;
	for (size_t i = 0; i < MD_ARRAY_LEN(bad); i++)
		assert_int_equal(md_ts_parse(bad[i], strlen(bad[i]), &ts), -1);
}

static void unescape_is(const char *raw, const char *want, size_t wantlen)
{
	struct sbuf sb = SBUF_INIT;

	assert_int_equal(hist_copy_unescape(raw, strlen(raw), &sb), 0);
	assert_int_equal(sb.len, wantlen);
	assert_memory_equal(sb.buf, want, wantlen);
	sbuf_release(&sb);
}

static void copy_escapes(void **state)
{
	(void)state;
	unescape_is("a\\\\b", "a\\b", 3);
	unescape_is("\\t\\n\\r\\b\\f\\v", "\t\n\r\b\f\v", 6);
	unescape_is("\\101\\7\\0101", "A\a\b1", 4); /* octal: up to 3 digits */
	unescape_is("\\x41\\x4g\\xz", "A\x04gxz", 5); /* \x + 1-2 hex digits; bare \x is x */
	unescape_is("\\\\N", "\\N", 2);
	unescape_is("x\\Ny", "xNy", 3);      /* \N inside a longer field is N */
	unescape_is("\\.", ".", 1);
	unescape_is("end\\", "end\\", 4);     /* a lone trailing backslash is kept */
	unescape_is("\\377", "\xff", 1);
}

static int read_mem(struct history *h, const char *text, struct md_error *err)
{
	static const char *const cols[] = { "id", "checksum", "finished_at", "migration_name",
					    "logs", "rolled_back_at", "started_at",
					    "applied_steps_count" };
	struct md_stream *s = md_stream_open_mem("mem", text, strlen(text));
	int rc = history_read_copy_text(h, s, cols, 8, 1, err);

	md_stream_close(s);
	return rc;
}

static void copy_rows_null_rules(void **state)
{
	struct history h;
	struct md_error err;

	(void)state;
	history_init(&h);
	assert_int_equal(read_mem(&h, "a\tb\t\\N\tm1\t\\N\t\\N\t2026-01-01 00:00:00+00\t1\n"
				  "c\td\t2026-01-01 00:00:00+00\tm2\t\t\\N\t2026-01-01 00:00:00+00\t0\r\n"
				  "e\tf\t\\N\tm3\t\\\\N\\tx\\\n\t\\N\t2026-01-01 00:00:00+00\t0\n"
				  "\\.\nnot read\n", &err), 0);
	assert_int_equal(h.nrows, 3);
	assert_null(h.rows[0].logs);
	assert_int_equal(h.rows[0].finished_at.kind, MD_TS_NULL);
	assert_string_equal(h.rows[1].logs, "");          /* empty raw field: '' */
	assert_int_equal(h.rows[1].applied_steps_count, 0); /* CRLF artefact stripped */
	assert_string_equal(h.rows[2].logs, "\\N\tx\n");   /* backslash + raw newline */
	assert_int_equal(h.rows[0].ambiguous, 0);
	history_release(&h);
}

static void copy_rows_field_count(void **state)
{
	struct history h;
	struct md_error err;

	(void)state;
	history_init(&h);
	assert_int_equal(read_mem(&h, "a\tb\n", &err), -1);
	assert_non_null(strstr(err.msg, "mem:1: 2 fields in a COPY row; expected 8"));
	history_release(&h);
}

static void inserts_with_libpg_query(void **state)
{
	struct history h;
	struct md_error err;
	struct md_pos pos = { "x.sql", 7, 0, 0 };

	(void)state;
	history_init(&h);
	assert_int_equal(history_read_inserts(&h,
		"INSERT INTO public._prisma_migrations (migration_name, logs, started_at, "
		"applied_steps_count, id, checksum) VALUES\n\t('m1', 'it''s\n\\x', "
		"'2026-01-01 01:00:00+01', -1, 'i', 'c'),\n\t('m2', NULL, "
		"'2026-01-01 00:00:00+00'::timestamptz, 2, 'j', E'\\101');", &pos, &err), 0);
	assert_int_equal(h.nrows, 2);
	assert_string_equal(h.rows[0].logs, "it's\n\\x");
	assert_int_equal(h.rows[0].applied_steps_count, -1);
	assert_null(h.rows[1].logs);
	assert_string_equal(h.rows[1].checksum, "A");
	assert_int_equal(h.rows[0].started_at.usec, h.rows[1].started_at.usec);
	assert_int_equal(h.missing, (1u << HC_FINISHED_AT) | (1u << HC_ROLLED_BACK_AT));
	assert_int_equal(history_read_inserts(&h, "INSERT INTO _prisma_migrations VALUES (now());",
					      &pos, &err), -1);
	assert_non_null(strstr(err.msg, "x.sql:7: 1 values in row 1 of an INSERT; expected 8"));
	history_release(&h);
}

struct seen_inserts {
	size_t n;
	char text[8][32];
	enum sql_value_kind kind[8];
	size_t nvals, ncols, nrows;
	bool has_values;
};

static int seen(void *ctx, const struct sql_insert *ins, struct md_error *err)
{
	struct seen_inserts *o = ctx;

	(void)err;
	o->n++;
	o->ncols = ins->ncols;
	o->nrows = ins->nrows;
	o->has_values = ins->has_values;
	o->nvals = ins->nrows ? ins->rows[0].n : 0;
	for (size_t i = 0; i < o->nvals && i < 8; i++) {
		o->kind[i] = ins->rows[0].v[i].kind;
		snprintf(o->text[i], sizeof(o->text[i]), "%s",
			 ins->rows[0].v[i].text ? ins->rows[0].v[i].text : "(null)");
	}
	return 0;
}

static void sql_layer_gives_insert_values(void **state)
{
	struct seen_inserts o = { 0 };
	struct md_error err;
	struct md_pos pos = { "x.sql", 3, 0, 0 };

	(void)state;
	assert_int_equal(sql_insert_rows("SET x = 1; INSERT INTO other VALUES (1); "
					 "INSERT INTO s.t (a, \"B\") VALUES (-2, 'x'::text, NULL, "
					 "now(), 1.5, E'\\101'), (1);", "t", &pos, seen, &o, &err), 0);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.ncols, 2);
	assert_int_equal(o.nrows, 2);
	assert_int_equal(o.nvals, 6);
	assert_string_equal(o.text[0], "-2");
	assert_string_equal(o.text[1], "x");
	assert_int_equal(o.kind[2], SQL_VALUE_NULL);
	assert_int_equal(o.kind[3], SQL_VALUE_OTHER);
	assert_string_equal(o.text[4], "1.5");
	assert_string_equal(o.text[5], "A");
	memset(&o, 0, sizeof(o));
	assert_int_equal(sql_insert_rows("INSERT INTO t SELECT 1;", "t", &pos, seen, &o, &err), 0);
	assert_int_equal(o.n, 1);
	assert_false(o.has_values);
	assert_int_equal(sql_insert_rows("INSERT INTO t VALUES (", "t", &pos, seen, &o, &err), -1);
	assert_non_null(strstr(err.msg, "x.sql:3: SQL statement does not parse"));
}

static void copy_column_lists(void **state)
{
	static const char good[] = " (id, \"Odd \"\"name\"\"\", MiXed ,x) FROM stdin;";
	const char *p = good, *end = good + sizeof(good) - 1;
	const char **cols;
	size_t n;
	struct arena a;

	(void)state;
	arena_init(&a);
	assert_int_equal(hist_parse_collist(&p, end, &a, &cols, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(cols[0], "id");
	assert_string_equal(cols[1], "Odd \"name\"");
	assert_string_equal(cols[2], "mixed");
	assert_string_equal(cols[3], "x");
	assert_string_equal(p, " FROM stdin;");
	p = " FROM stdin;";
	assert_int_equal(hist_parse_collist(&p, p + 12, &a, &cols, &n), 0);
	assert_int_equal(n, 0);
	static const char *const bad[] = { "(a, )", "(a b)", "(\"a)", "(a", "()" };
	for (size_t i = 0; i < MD_ARRAY_LEN(bad); i++) {
		p = bad[i];
		assert_int_equal(hist_parse_collist(&p, p + strlen(p), &a, &cols, &n), -1);
	}
	arena_release(&a);
}

static void lex_is(const char *const *lines, size_t n, size_t ends_at)
{
	struct sqllex lx = { 0 };

	lx.scs = true;
	for (size_t i = 0; i < n; i++) {
		bool end = sqllex_line(&lx, lines[i], strlen(lines[i]), NULL);

		assert_int_equal(end, i == ends_at);
		if (end)
			sqllex_reset(&lx);
	}
}

static void lexer_splits_like_pg_dump(void **state)
{
	static const char *const a[] = { "INSERT INTO t VALUES ('a;", "b'';", "c');" };
	static const char *const b[] = { "CREATE FUNCTION f() AS $_$", "x;", "$_$;" };
	static const char *const c[] = { "CREATE FUNCTION f() AS $$ a; $$ LANGUAGE sql;" };
	static const char *const d[] = { "/* a; /* nested; */ still; */ SELECT 1; -- x;" };
	static const char *const e[] = { "SELECT \"a;", "\";" };
	static const char *const f[] = { "SELECT E'\\';", "';" };
	static const char *const g[] = { "SELECT $1;" };

	(void)state;
	lex_is(a, 3, 2);
	lex_is(b, 3, 2);
	lex_is(c, 1, 0);
	lex_is(d, 1, 0);
	lex_is(e, 2, 1);
	lex_is(f, 2, 1);
	lex_is(g, 1, 0);
}

static void lexer_marks_nonstandard_strings(void **state)
{
	struct sqllex lx = { 0 };
	struct sbuf out = SBUF_INIT;
	const char *l = "VALUES ('C:\\\\app', E'x', 'it''s');";

	(void)state;
	lx.scs = false;
	assert_true(sqllex_line(&lx, l, strlen(l), &out));
	assert_string_equal(out.buf, "VALUES (E'C:\\\\app', E'x', E'it''s');");
	sbuf_release(&out);
}

static void sniff(void **state)
{
	static const struct {
		const char *head;
		enum hist_text_kind kind;
	} cases[] = {
		{ "--\n-- PostgreSQL database dump\n--\n", HT_PLAIN },
		{ "\\restrict abc\n\nSET x = 1;\n", HT_PLAIN },
		{ "id,checksum,finished_at,migration_name\n", HT_CSV },
		{ "id;checksum;finished_at;migration_name\n", HT_CSV },
		{ "migration_name,logs\n", HT_CSV },
		{ "0b6a1c3e-1f0e-4c59-9d0a-5b3c7a1e2f01\tx\t\\N\n", HT_COPYTEXT },
		{ "id|checksum|finished_at|migration_name|logs\n", HT_PSQL },
		{ "   id   |  checksum\n--------+---------\n", HT_PSQL },
		{ "-[ RECORD 1 ]--+---\n", HT_PSQL },
		{ "Expanded display is on.\n", HT_PSQL },
		{ "  id   checksum\n----- --------\n", HT_PSQL },
		{ "hello\n", HT_UNKNOWN },
		/* TAB-separated with a header: what follows tells which */
		{ "id\tchecksum\tfinished_at\tmigration_name\na\tb\t\\N\tm\n", HT_COPYTEXT },
		{ "id\tchecksum\tfinished_at\tmigration_name\na\tb\t\tm\n", HT_PSQL },
		{ "id\tchecksum\tfinished_at\tmigration_name\na\tb\tt\tm\n(1 row)\n", HT_PSQL },
		{ "id\tchecksum\tfinished_at\tmigration_name\n\"a\"\t\"b\"\t\t\"m\"\n", HT_CSV },
		{ "| id | migration_name |\n|---|---|\n| a | m |\n", HT_MARKDOWN },
		{ "```\n| id | migration_name |\n|:--|--:|\n", HT_MARKDOWN },
		{ "<table border=\"1\">\n  <tr>\n", HT_HTML },
		{ "[options=\"header\",cols=\"<l\",frame=\"none\"]\n|====\n", HT_ASCIIDOC },
		{ "[{\"id\":\"a\"}]\n", HT_JSON },
		{ "{\"id\":\"a\"}\n", HT_JSON },
		{ "\\begin{tabular}{l | l}\n", HT_LATEX },
		{ ".LP\n.TS\n", HT_TROFF },
	};

	(void)state;
	for (size_t i = 0; i < MD_ARRAY_LEN(cases); i++)
		assert_int_equal(hist_sniff_text((const unsigned char *)cases[i].head,
						 strlen(cases[i].head)), cases[i].kind);
}

static int read_text(struct history *h, const char *name, const char *text, size_t n,
		     struct md_error *err)
{
	char path[] = "/tmp/md-test-history-XXXXXX";
	int fd = mkstemp(path), rc;

	(void)name;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	rc = history_read(h, path, NULL, err);
	unlink(path);
	return rc;
}

static void csv_rules(void **state)
{
	static const char csv[] =
		"\xef\xbb\xbf" "migration_name,logs,id\r\n"
		"m1,,a\r\n"
		"m2,\"\",b\r\n"
		"m3,\"line1\r\n\"\"q\"\"\nline3\",c\r\n"
		"m4,\\N,d\r\n";
	struct history h;
	struct md_error err;

	(void)state;
	history_init(&h);
	assert_int_equal(read_text(&h, "csv", csv, sizeof(csv) - 1, &err), 0);
	assert_int_equal(h.nrows, 4);
	assert_null(h.rows[0].logs);
	assert_string_equal(h.rows[1].logs, "");
	assert_string_equal(h.rows[2].logs, "line1\r\n\"q\"\nline3");
	assert_string_equal(h.rows[3].logs, "\\N");
	assert_int_equal(h.flags & HIST_NULL_AMBIGUOUS, 0); /* a "" was seen: COPY csv */
	assert_int_equal(h.rows[2].pos.line, 4);
	history_release(&h);
}

static void csv_without_quoted_empty_is_ambiguous(void **state)
{
	static const char csv[] = "id,migration_name,logs\na,m1,\nb,m2,x\n";
	struct history h;
	struct md_error err;

	(void)state;
	history_init(&h);
	assert_int_equal(read_text(&h, "csv", csv, sizeof(csv) - 1, &err), 0);
	assert_true(h.flags & HIST_NULL_AMBIGUOUS);
	assert_int_equal(h.rows[0].ambiguous, 1u << HC_LOGS);
	assert_int_equal(h.rows[1].ambiguous, 0);
	history_release(&h);
}

static void csv_force_quote_is_exact(void **state)
{
	/* COPY ... (FORMAT csv, HEADER, FORCE_QUOTE *): no "" anywhere, yet NULL is NULL */
	static const char csv[] = "id,migration_name,logs\n\"a\",\"m1\",\n\"b\",\"m2\",\"x\"\n";
	struct history h;
	struct md_error err;

	(void)state;
	history_init(&h);
	assert_int_equal(read_text(&h, "csv", csv, sizeof(csv) - 1, &err), 0);
	assert_int_equal(h.flags & HIST_NULL_AMBIGUOUS, 0);
	assert_null(h.rows[0].logs);
	assert_int_equal(h.rows[0].ambiguous, 0);
	assert_string_equal(h.rows[1].logs, "x");
	assert_string_equal(h.format, "CSV (COPY csv, FORCE_QUOTE *)");
	history_release(&h);
}

static void missing_columns_are_not_null(void **state)
{
	/* no logs column: not exported, never "NULL or ''" */
	static const char csv[] = "id,migration_name\na,m1\n";
	static const char json[] = "[{\"migration_name\": \"m1\", \"logs\": null},\n"
				   " {\"migration_name\": \"m2\"}]\n";
	struct history h;
	struct md_error err;

	(void)state;
	history_init(&h);
	assert_int_equal(read_text(&h, "csv", csv, sizeof(csv) - 1, &err), 0);
	assert_true(h.missing & (1u << HC_LOGS));
	assert_true(h.rows[0].missing & (1u << HC_LOGS));
	assert_int_equal(h.rows[0].ambiguous, 0);
	assert_int_equal(h.flags & HIST_NULL_AMBIGUOUS, 0);
	history_release(&h);
	/* JSON: a key one object lacks is NULL there; a key no object has is not exported */
	history_init(&h);
	assert_int_equal(read_text(&h, "json", json, sizeof(json) - 1, &err), 0);
	assert_int_equal(h.nrows, 2);
	assert_false(h.missing & (1u << HC_LOGS));
	assert_true(h.missing & (1u << HC_ID));
	assert_null(h.rows[1].logs);
	assert_true(h.rows[1].missing & (1u << HC_ID));
	history_release(&h);
}

static const char *fixture(const char *name)
{
	static char path[4096];
	const char *root = getenv("MD_ROOT");

	snprintf(path, sizeof(path), "%s/fixtures/history/%s", root ? root : ".", name);
	return path;
}

static bool has_ddl(const struct history *h, const char *needle)
{
	for (size_t i = 0; i < h->nddl; i++)
		if (strstr(h->ddl[i].sql, needle))
			return true;
	return false;
}

static void plain_dump_ddl(void **state)
{
	struct history h;
	struct md_error err;
	struct history_opts opts = { 0 };

	(void)state;
	opts.want_ddl = true;
	history_init(&h);
	if (access(fixture("plain.sql"), R_OK) != 0) {
		history_release(&h);
		skip();
	}
	assert_int_equal(history_read(&h, fixture("plain.sql"), &opts, &err), 0);
	assert_true(has_ddl(&h, "CREATE TABLE public._prisma_migrations (\n    id character varying(36)"));
	assert_true(has_ddl(&h, "ADD CONSTRAINT _prisma_migrations_pkey PRIMARY KEY (id);"));
	assert_true(has_ddl(&h, "CREATE INDEX \"LiteLLM_SpendLogs_startTime_idx\""));
	assert_true(has_ddl(&h, "CREATE TYPE public.\"UserRole\" AS ENUM"));
	/* a ';' inside a dollar-quoted body does not end the statement */
	assert_true(has_ddl(&h, "-- a ';' inside a dollar-quoted body\n  RETURN NEW;\nEND $$;"));
	assert_false(has_ddl(&h, "SET statement_timeout"));
	assert_false(has_ddl(&h, "\\restrict"));
	for (size_t i = 0; i < h.nddl; i++) {
		assert_true(h.ddl[i].pos.line > 0);
		assert_non_null(strstr(h.ddl[i].pos.file, "plain.sql"));
	}
	history_release(&h);

	/* pg_dumpall: only the chosen database's DDL */
	history_init(&h);
	opts.database = "app2";
	assert_int_equal(history_read(&h, fixture("all.sql"), &opts, &err), 0);
	assert_true(has_ddl(&h, "CREATE TABLE public._prisma_migrations"));
	assert_false(has_ddl(&h, "LiteLLM_SpendLogs"));
	assert_string_equal(h.database, "app2");
	history_release(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ts_offsets_and_fractions),
		cmocka_unit_test(ts_rejects),
		cmocka_unit_test(copy_escapes),
		cmocka_unit_test(copy_rows_null_rules),
		cmocka_unit_test(copy_rows_field_count),
		cmocka_unit_test(inserts_with_libpg_query),
		cmocka_unit_test(lexer_splits_like_pg_dump),
		cmocka_unit_test(lexer_marks_nonstandard_strings),
		cmocka_unit_test(sniff),
		cmocka_unit_test(sql_layer_gives_insert_values),
		cmocka_unit_test(copy_column_lists),
		cmocka_unit_test(csv_rules),
		cmocka_unit_test(csv_without_quoted_empty_is_ambiguous),
		cmocka_unit_test(csv_force_quote_is_exact),
		cmocka_unit_test(missing_columns_are_not_null),
		cmocka_unit_test(plain_dump_ddl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
