/*
 * Table-driven tests of the locks and work of each statement kind
 * (src/sql/locks.c), one compact line per op:
 *   TABLE LOCK work
 * in PostgreSQL's documented lock levels.
 */
#include "migdoctor/common.h"
#include "migdoctor/sbuf.h"
#include "migdoctor/sql.h"

#include <setjmp.h>
#include <cmocka.h>

struct lk_case {
	const char *sql;
	const char *expected; /* ops, one per line */
};

static const struct lk_case table[] = {
	{ "CREATE INDEX i ON t (a)", "t SHARE index\n" },
	{ "CREATE UNIQUE INDEX IF NOT EXISTS i ON s.t (a)", "s.t SHARE index\n" },
	{ "CREATE INDEX CONCURRENTLY i ON t (a)", "t SHARE UPDATE EXCLUSIVE index\n" },
	{ "ALTER TABLE t ADD COLUMN c int", "t ACCESS EXCLUSIVE none\n" },
	{ "ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0", "t ACCESS EXCLUSIVE none\n" },
	{ "ALTER TABLE t ADD COLUMN c timestamp DEFAULT now()", "t ACCESS EXCLUSIVE none\n" },
	{ "ALTER TABLE t ADD COLUMN c timestamp DEFAULT CURRENT_TIMESTAMP", "t ACCESS EXCLUSIVE none\n" },
	{ "ALTER TABLE t ADD COLUMN c float DEFAULT random()", "t ACCESS EXCLUSIVE rewrite\n" },
	{ "ALTER TABLE t ADD COLUMN c text DEFAULT gen_random_uuid()::text", "t ACCESS EXCLUSIVE rewrite\n" },
	{ "ALTER TABLE t ADD COLUMN c serial", "t ACCESS EXCLUSIVE rewrite\n" },
	{ "ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS IDENTITY", "t ACCESS EXCLUSIVE rewrite\n" },
	{ "ALTER TABLE t ADD COLUMN c text DEFAULT my_func()",
	  "t ACCESS EXCLUSIVE rewrite-unless-coercible\n" },
	{ "ALTER TABLE t ADD COLUMN c int CHECK (c > 0)", "t ACCESS EXCLUSIVE scan\n" },
	{ "ALTER TABLE t ADD COLUMN c int UNIQUE", "t ACCESS EXCLUSIVE index\n" },
	{ "ALTER TABLE t ADD COLUMN c serial PRIMARY KEY", "t ACCESS EXCLUSIVE rewrite\n" },
	{ "ALTER TABLE t ADD COLUMN c int REFERENCES u (id)",
	  "u SHARE ROW EXCLUSIVE none\nt ACCESS EXCLUSIVE scan\n" },
	{ "ALTER TABLE t ALTER COLUMN c SET NOT NULL", "t ACCESS EXCLUSIVE scan\n" },
	{ "ALTER TABLE t ALTER COLUMN c DROP NOT NULL", "t ACCESS EXCLUSIVE none\n" },
	{ "ALTER TABLE t ALTER COLUMN c SET DEFAULT 1", "t ACCESS EXCLUSIVE none\n" },
	{ "ALTER TABLE t ALTER COLUMN c TYPE bigint", "t ACCESS EXCLUSIVE rewrite-unless-coercible\n" },
	{ "ALTER TABLE t ALTER COLUMN c TYPE bigint USING c::bigint", "t ACCESS EXCLUSIVE rewrite\n" },
	{ "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id)",
	  "t SHARE ROW EXCLUSIVE scan\nu SHARE ROW EXCLUSIVE none\n" },
	{ "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id) NOT VALID",
	  "t SHARE ROW EXCLUSIVE none\nu SHARE ROW EXCLUSIVE none\n" },
	{ "ALTER TABLE t ADD CONSTRAINT k CHECK (a > 0)", "t ACCESS EXCLUSIVE scan\n" },
	{ "ALTER TABLE t ADD CONSTRAINT k CHECK (a > 0) NOT VALID", "t ACCESS EXCLUSIVE none\n" },
	{ "ALTER TABLE t ADD CONSTRAINT p PRIMARY KEY (a)", "t ACCESS EXCLUSIVE index\n" },
	{ "ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX i", "t ACCESS EXCLUSIVE none\n" },
	{ "ALTER TABLE t VALIDATE CONSTRAINT f", "t SHARE UPDATE EXCLUSIVE scan\n" },
	{ "ALTER TABLE t DROP CONSTRAINT f", "t ACCESS EXCLUSIVE none\n" },
	{ "ALTER TABLE t DROP COLUMN c", "t ACCESS EXCLUSIVE none\n" },
	{ "ALTER TABLE t ALTER COLUMN c SET STATISTICS 100", "t SHARE UPDATE EXCLUSIVE none\n" },
	{ "ALTER TABLE t SET (fillfactor = 70)", "t SHARE UPDATE EXCLUSIVE none\n" },
	{ "ALTER TABLE t DISABLE TRIGGER ALL", "t SHARE ROW EXCLUSIVE none\n" },
	{ "ALTER TABLE t SET LOGGED", "t ACCESS EXCLUSIVE rewrite\n" },
	{ "ALTER TABLE t OWNER TO x", "t ACCESS EXCLUSIVE none\n" },
	{ "ALTER TABLE t ADD COLUMN a int, ALTER COLUMN b SET NOT NULL",
	  "t ACCESS EXCLUSIVE none\nt ACCESS EXCLUSIVE scan\n" },
	{ "ALTER TABLE t RENAME TO u", "t ACCESS EXCLUSIVE none\n" },
	{ "ALTER TABLE t RENAME COLUMN a TO b", "t ACCESS EXCLUSIVE none\n" },
	{ "ALTER TABLE t RENAME CONSTRAINT a TO b", "t ACCESS EXCLUSIVE none\n" },
	{ "ALTER INDEX i RENAME TO j", "i(index) SHARE UPDATE EXCLUSIVE none\n" },
	{ "DROP TABLE t, s.u", "t ACCESS EXCLUSIVE none\ns.u ACCESS EXCLUSIVE none\n" },
	{ "DROP INDEX i", "i(index) ACCESS EXCLUSIVE none\n" },
	{ "DROP INDEX CONCURRENTLY i", "i(index) SHARE UPDATE EXCLUSIVE none\n" },
	{ "TRUNCATE t", "t ACCESS EXCLUSIVE none\n" },
	{ "CREATE TRIGGER g AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
	  "t SHARE ROW EXCLUSIVE none\n" },
	{ "CREATE TABLE n (id int, u int REFERENCES u (id), FOREIGN KEY (id) REFERENCES v (id))",
	  "u SHARE ROW EXCLUSIVE none\nv SHARE ROW EXCLUSIVE none\n" },
	{ "CREATE TABLE n (id int)", "" },
	{ "UPDATE t SET a = 1", "t ROW EXCLUSIVE update\n" },
	{ "UPDATE t SET a = 1 WHERE b = 2", "t ROW EXCLUSIVE update\n" },
	{ "DELETE FROM t WHERE b = 2", "t ROW EXCLUSIVE scan\n" },
	{ "INSERT INTO t VALUES (1)", "" },
	{ "CREATE TYPE e AS ENUM ('a')", "" },
	{ "ALTER TYPE e ADD VALUE 'b'", "" },
};

static void locks_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < MD_ARRAY_LEN(table); i++) {
		struct sql_script s;
		struct md_error err;
		struct sql_locks lk;
		struct sbuf sb = SBUF_INIT;

		sql_script_init(&s, "t.sql");
		assert_int_equal(sql_script_parse(&s, table[i].sql, strlen(table[i].sql), &err), 0);
		assert_int_equal(sql_stmt_locks(&s.stmts[0], &s.arena, &lk), 0);
		for (size_t k = 0; k < lk.n; k++)
			sb_printf(&sb, "%s%s%s%s %s %s\n", lk.v[k].schema ? lk.v[k].schema : "",
				  lk.v[k].schema ? "." : "", lk.v[k].table, lk.v[k].on_index ? "(index)" : "",
				  sql_lock_name(lk.v[k].lock), sql_work_name(lk.v[k].work));
		if (strcmp(sb.buf ? sb.buf : "", table[i].expected)) {
			print_error("SQL: %s\nexpected:\n%sgot:\n%s", table[i].sql, table[i].expected,
				    sb.buf ? sb.buf : "");
			fail();
		}
		sbuf_release(&sb);
		sql_script_release(&s);
	}
}

static void details(void **state)
{
	static const char sql[] =
		"CREATE INDEX IF NOT EXISTS \"I\" ON \"T\" (a);\n"
		"ALTER TABLE \"T\" ALTER COLUMN \"c\" TYPE varchar(20);\n"
		"DO $$ BEGIN ALTER TABLE t ADD COLUMN x int; END $$;\n";
	struct sql_script s;
	struct md_error err;
	struct sql_locks lk;
	char *conc;

	(void)state;
	sql_script_init(&s, "d.sql");
	assert_int_equal(sql_script_parse(&s, sql, strlen(sql), &err), 0);
	assert_int_equal(sql_stmt_locks(&s.stmts[0], &s.arena, &lk), 0);
	assert_string_equal(lk.v[0].index, "I");
	assert_true(lk.v[0].if_not_exists);
	assert_false(lk.v[0].concurrently);
	conc = sql_index_concurrently(&s.stmts[0], &err);
	assert_non_null(conc);
	assert_string_equal(conc, "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"I\" ON \"T\" USING btree (a)");
	free(conc);
	assert_int_equal(sql_stmt_locks(&s.stmts[1], &s.arena, &lk), 0);
	assert_string_equal(lk.v[0].column, "c");
	assert_string_equal(lk.v[0].new_type, "character varying(20)");
	assert_false(lk.v[0].using_expr);
	/* a DO block: its statements are not looked into, and it says so */
	assert_int_equal(sql_stmt_locks(&s.stmts[2], &s.arena, &lk), 0);
	assert_int_equal(lk.n, 0);
	assert_true(lk.unknown);
	assert_null(sql_index_concurrently(&s.stmts[1], &err));
	assert_true(sql_lock_blocks_writes(SQL_LOCK_SHARE));
	assert_false(sql_lock_blocks_writes(SQL_LOCK_SHARE_UPDATE_EXCLUSIVE));
	sql_script_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(locks_table),
		cmocka_unit_test(details),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
