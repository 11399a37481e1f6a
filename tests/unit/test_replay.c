/*
 * The replay predicts what PostgreSQL would do: the cases of
 * tests/replay/cases.txt, run on the schema of tests/replay/base.sql, each
 * with the SQLSTATE and message PostgreSQL gives (or success and a fact of
 * the schema after). tests/integration/replay_vs_pg.sh runs the same
 * cases on a real PostgreSQL.
 */
#include "migdoctor/common.h"
#include "migdoctor/catalog.h"
#include "migdoctor/sbuf.h"
#include "migdoctor/sql.h"

#include <dirent.h>
#include <setjmp.h>
#include <cmocka.h>

struct replay_case {
	char *name;
	char *sql;       /* the statement(s) under test */
	char *sqlstate;  /* NULL: succeeds */
	char *expect;    /* PostgreSQL's message, or a fact line of the schema after */
};

static char *base;

static char *slurp(const char *rel)
{
	const char *root = getenv("MD_ROOT");
	char *path = xasprintf("%s/%s", root ? root : ".", rel);
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f) {
		print_error("cannot open %s (set MD_ROOT to the repository)\n", path);
		free(path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = xmalloc((size_t)n + 1);
	buf[fread(buf, 1, (size_t)n, f)] = '\0';
	fclose(f);
	free(path);
	return buf;
}

/* tests/replay/cases.txt: "== name", SQL lines, "-- expect[-ok] ..." */
static size_t load_cases(struct replay_case **out)
{
	char *text = slurp("tests/replay/cases.txt"), *save = NULL, *line;
	struct replay_case *v = NULL, *cur = NULL;
	size_t n = 0, cap = 0;
	struct sbuf sql = SBUF_INIT;

	assert_non_null(text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		if (!strncmp(line, "== ", 3)) {
			MD_GROW(v, n, cap);
			cur = &v[n++];
			memset(cur, 0, sizeof(*cur));
			cur->name = xstrdup(line + 3);
			sbuf_reset(&sql);
		} else if (cur && !strncmp(line, "-- expect-ok ", 13)) {
			cur->sql = xstrdup(sql.buf);
			cur->expect = xstrdup(line + 13);
		} else if (cur && !strncmp(line, "-- expect ", 10)) {
			cur->sql = xstrdup(sql.buf);
			cur->sqlstate = xstrndup(line + 10, 5);
			cur->expect = xstrdup(line + 16);
		} else if (cur) {
			sb_puts(&sql, line);
			sb_putc(&sql, '\n');
		}
	}
	sbuf_release(&sql);
	free(text);
	*out = v;
	return n;
}

static void run(const struct replay_case *c)
{
	struct sql_script a, b;
	struct catalog cat;
	struct replay_error re;
	struct md_error err;
	size_t stmt;
	int r;

	sql_script_init(&a, "base.sql");
	sql_script_init(&b, "case.sql");
	catalog_init(&cat, "public");
	assert_int_equal(sql_script_parse(&a, base, strlen(base), &err), 0);
	assert_int_equal(sql_script_parse(&b, c->sql, strlen(c->sql), &err), 0);
	assert_int_equal(catalog_apply_script(&cat, &a, "base", &re, &stmt), 0);
	r = catalog_apply_script(&cat, &b, "case", &re, &stmt);
	if (c->sqlstate) {
		if (r != 1 || strcmp(re.sqlstate, c->sqlstate) || strcmp(re.message, c->expect)) {
			print_error("case '%s'\nexpected %s %s\ngot      %s %s\n", c->name, c->sqlstate,
				    c->expect, r ? re.sqlstate : "success", r ? re.message : "");
			fail();
		}
	} else {
		struct sbuf out = SBUF_INIT;

		if (r) {
			print_error("case '%s'\nexpected success, got %s %s\n", c->name, re.sqlstate,
				    re.message);
			fail();
		}
		catalog_render_text(&cat, &out);
		if (!strstr(out.buf, c->expect)) {
			print_error("case '%s'\nexpected the fact '%s' in:\n%s", c->name, c->expect, out.buf);
			fail();
		}
		sbuf_release(&out);
	}
	catalog_release(&cat);
	sql_script_release(&a);
	sql_script_release(&b);
}

static void replay_table(void **state)
{
	struct replay_case *v;
	size_t n = load_cases(&v);

	(void)state;
	assert_true(n >= 25);
	for (size_t i = 0; i < n; i++) {
		run(&v[i]);
		free(v[i].name);
		free(v[i].sql);
		free(v[i].sqlstate);
		free(v[i].expect);
	}
	free(v);
}

static void copy_is_deep(void **state)
{
	struct sql_script a;
	struct catalog c1, c2;
	struct replay_error re;
	struct md_error err;
	struct sbuf x = SBUF_INIT, y = SBUF_INIT;
	size_t stmt;

	(void)state;
	assert_non_null(base);
	sql_script_init(&a, "a.sql");
	catalog_init(&c1, "public");
	assert_int_equal(sql_script_parse(&a, base, strlen(base), &err), 0);
	assert_int_equal(catalog_apply_script(&c1, &a, "a", &re, &stmt), 0);
	catalog_copy(&c2, &c1);
	catalog_render_text(&c1, &x);
	catalog_release(&c1);
	catalog_render_text(&c2, &y);
	assert_string_equal(x.buf, y.buf);
	assert_non_null(catalog_table(&c2, NULL, "U"));
	assert_string_equal(catalog_table(&c2, NULL, "U")->origin, "a");
	catalog_release(&c2);
	sql_script_release(&a);
	sbuf_release(&x);
	sbuf_release(&y);
}

/*
 * fixtures/syntax/cases: NAME.sql and NAME.expect, PostgreSQL's answer to
 * the file sent as one query (tests/integration/syntax.sh checks that the
 * server still gives it): "ok", or "SQLSTATE LINE:COL" ("SQLSTATE -" when
 * it gives no position) and the message on the lines after.
 */
static void syntax_case(const char *name)
{
	char *rel = xasprintf("fixtures/syntax/cases/%s.sql", name), *sql = slurp(rel), *exp, *msg;
	struct sql_script s;
	struct catalog cat;
	struct replay_error re;
	struct md_error err;
	size_t stmt = SIZE_MAX, n;
	char code[6] = "";
	unsigned line = 0, col = 0;
	int r;

	free(rel);
	rel = xasprintf("fixtures/syntax/cases/%s.expect", name);
	exp = slurp(rel);
	free(rel);
	assert_non_null(sql);
	assert_non_null(exp);
	sql_script_init(&s, name);
	catalog_init(&cat, "public");
	assert_int_equal(sql_script_parse(&s, sql, strlen(sql), &err), 0);
	r = catalog_apply_script(&cat, &s, name, &re, &stmt);
	if (!strncmp(exp, "ok\n", 3)) {
		if (s.rejected || r)
			fail_msg("%s: expected success, got %s %s", name, s.rejected ? s.reject_sqlstate : re.sqlstate,
				 s.rejected ? s.reject_message : re.message);
		assert_true(cat.ntables > 0);
	} else {
		msg = strchr(exp, '\n');
		assert_non_null(msg);
		*msg++ = '\0';
		n = strlen(msg);
		if (n && msg[n - 1] == '\n')
			msg[n - 1] = '\0';
		assert_true(sscanf(exp, "%5s %u:%u", code, &line, &col) >= 1);
		if (!s.rejected)
			fail_msg("%s: expected PostgreSQL to reject it with %s %s", name, code, msg);
		if (strcmp(s.reject_sqlstate, code) || strcmp(s.reject_message, msg) ||
		    s.reject_line != line || s.reject_column != col)
			fail_msg("%s\nexpected %s %u:%u %s\ngot      %s %u:%u %s", name, code, line, col, msg,
				 s.reject_sqlstate, s.reject_line, s.reject_column, s.reject_message);
		/* the replay fails before anything runs, at the statement that holds the error */
		assert_int_equal(r, 1);
		assert_string_equal(re.sqlstate, code);
		assert_null(re.effect);
		assert_int_equal(re.line, line);
		assert_int_equal(re.column, col);
		assert_int_equal(stmt, s.reject_stmt);
		assert_true(stmt < s.nstmts);
		assert_true(s.stmts[stmt].parse_error);
		assert_int_equal(cat.ntables, 0);
		if (line) {
			uint32_t l, c;

			sql_line_col(sql, s.stmts[stmt].offset, &l, &c);
			assert_true(l < line || (l == line && c <= col));
		}
		/* a report line: no line end, PostgreSQL's words up to it */
		assert_null(strchr(re.message, '\n'));
		assert_memory_equal(re.message, msg, strcspn(msg, "\n") < 200 ? strcspn(msg, "\n") : 200);
	}
	catalog_release(&cat);
	sql_script_release(&s);
	free(sql);
	free(exp);
}

static void syntax_table(void **state)
{
	const char *root = getenv("MD_ROOT");
	char *dir = xasprintf("%s/fixtures/syntax/cases", root ? root : ".");
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char *name;

		if (len < 5 || strcmp(de->d_name + len - 4, ".sql"))
			continue;
		name = xstrndup(de->d_name, len - 4);
		syntax_case(name);
		free(name);
		n++;
	}
	closedir(d);
	free(dir);
	assert_true(n >= 15);
}

/* What is not rejected: the statements around a DO block's body error still run. */
static void syntax_not_rejected(void **state)
{
	static const struct {
		const char *sql;
		size_t nstmts;
	} cases[] = {
		{ "CREATE TABLE a (x int)", 1 },
		{ "CREATE TABLE a (x int);;\n;", 1 },
		{ "-- only a comment\n", 0 },
		{ "/* nested /* comment */ */ CREATE TABLE a (x int);", 1 },
		{ "CREATE TABLE a (x int);\nDO $$ BEGIN PERFORMX 1; END $$;\n", 2 },
	};
	struct md_error err;

	(void)state;
	for (size_t i = 0; i < MD_ARRAY_LEN(cases); i++) {
		struct sql_script s;

		sql_script_init(&s, "ok.sql");
		assert_int_equal(sql_script_parse(&s, cases[i].sql, strlen(cases[i].sql), &err), 0);
		if (s.rejected)
			fail_msg("'%s' rejected: %s", cases[i].sql, s.reject_message);
		assert_int_equal(s.nstmts, cases[i].nstmts);
		sql_script_release(&s);
	}
}

int main(void)
{
	int rc;

	base = slurp("tests/replay/base.sql");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replay_table),
		cmocka_unit_test(copy_is_deep),
		cmocka_unit_test(syntax_table),
		cmocka_unit_test(syntax_not_rejected),
	};
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(base);
	return rc;
}
