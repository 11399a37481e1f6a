/*
 * Table-driven tests of the effects of every statement kind: each SQL
 * text and the effects it must give, one compact line per effect:
 *   action obj [schema.]name table.sub ->new type default cols flags
 */
#include "migdoctor/common.h"
#include "migdoctor/sbuf.h"
#include "migdoctor/sql.h"

#include <setjmp.h>
#include <cmocka.h>

static void fmt_effect(struct sbuf *sb, const struct sql_effect *e)
{
	sb_printf(sb, "%s %s", sql_action_name(e->action), sql_obj_name(e->obj));
	if (e->schema)
		sb_printf(sb, " %s.", e->schema);
	else
		sb_puts(sb, " ");
	sb_printf(sb, "%s", e->name ? e->name : "-");
	if (e->table || e->sub)
		sb_printf(sb, " %s.%s", e->table ? e->table : "-", e->sub ? e->sub : "-");
	if (e->new_name)
		sb_printf(sb, " ->%s", e->new_name);
	if (e->action == SQL_ALTERS)
		sb_printf(sb, " [%s]", sql_prop_name(e->prop));
	if (e->type)
		sb_printf(sb, " :%s", e->type);
	if (e->default_expr)
		sb_printf(sb, " =%s", e->default_expr);
	if (e->contype)
		sb_printf(sb, " %c", e->contype);
	if (e->ref_table)
		sb_printf(sb, " ref:%s", e->ref_table);
	if (e->ncols) {
		sb_puts(sb, " (");
		for (size_t i = 0; i < e->ncols; i++)
			sb_printf(sb, "%s%s", i ? "," : "", e->cols[i]);
		sb_putc(sb, ')');
	}
	static const struct { unsigned bit; const char *name; } fl[] = {
		{ SQL_IF_NOT_EXISTS, "ine" }, { SQL_IF_EXISTS, "ie" }, { SQL_CONDITIONAL, "cond" },
		{ SQL_NOT_NULL, "nn" }, { SQL_UNIQUE, "uniq" }, { SQL_HAS_DEFAULT, "def" },
		{ SQL_CASCADE, "cascade" }, { SQL_CONCURRENTLY, "conc" }, { SQL_IMPLIED, "impl" },
		{ SQL_DYNAMIC, "dyn" }, { SQL_OR_REPLACE, "repl" },
	};
	for (size_t i = 0; i < MD_ARRAY_LEN(fl); i++)
		if (e->flags & fl[i].bit)
			sb_printf(sb, " %s", fl[i].name);
	sb_printf(sb, " @%u", e->line);
}

struct fx_case {
	const char *sql;
	const char *expected; /* effects, one per line */
};

/* The cases proper: kept as pairs so each reads like the SQL it checks. */
static const struct fx_case table[] = {
	/* CREATE TABLE: columns, pkey (implied index), user type required */
	{ "CREATE TABLE \"T\" (\"id\" TEXT NOT NULL, \"role\" \"Role\" NOT NULL DEFAULT 'A',\n"
	  "\"meta\" JSONB DEFAULT '{}', CONSTRAINT \"T_pkey\" PRIMARY KEY (\"id\"));",
	  "provides table T @1\n"
	  "provides column - T.id :text nn @1\n"
	  "provides column - T.role :\"Role\" ='A' nn def @1\n"
	  "requires type Role @1\n"
	  "provides column - T.meta :jsonb ='{}' def @1\n"
	  "provides constraint T_pkey T.T_pkey p (id) @1\n"
	  "provides index T_pkey T.- (id) uniq impl @1\n" },
	{ "CREATE TABLE IF NOT EXISTS public.t (a int PRIMARY KEY, b varchar(255) UNIQUE)",
	  "provides table public.t ine @1\n"
	  "provides column public.- t.a :integer nn @1\n"
	  "provides constraint public.t_pkey t.t_pkey p (a) @1\n"
	  "provides index public.t_pkey t.- (a) uniq impl @1\n"
	  "provides column public.- t.b :character varying(255) @1\n"
	  "provides constraint public.t_b_key t.t_b_key u (b) @1\n"
	  "provides index public.t_b_key t.- (b) uniq impl @1\n" },
	{ "CREATE TABLE x (id serial, ts timestamptz(3), d numeric(65,30), arr text[][])",
	  "provides table x @1\n"
	  "provides column - x.id :integer =nextval(...) nn def @1\n"
	  "provides column - x.ts :timestamp(3) with time zone @1\n"
	  "provides column - x.d :numeric(65,30) @1\n"
	  "provides column - x.arr :text[][] @1\n" },
	/* ALTER TABLE, every column command */
	{ "ALTER TABLE \"T\" ADD COLUMN IF NOT EXISTS \"c\" JSONB DEFAULT '{}',\n"
	  "DROP COLUMN IF EXISTS \"d\" CASCADE, ALTER COLUMN \"e\" SET DATA TYPE BIGINT,\n"
	  "ALTER COLUMN \"f\" SET NOT NULL, ALTER COLUMN \"g\" DROP NOT NULL,\n"
	  "ALTER COLUMN \"h\" SET DEFAULT 0, ALTER COLUMN \"i\" DROP DEFAULT",
	  "requires table T impl @1\n"
	  "provides column - T.c :jsonb ='{}' ine def @1\n"
	  "removes column - T.d ie cascade @1\n"
	  "alters column - T.e [type] :bigint @1\n"
	  "alters column - T.f [set not null] @1\n"
	  "alters column - T.g [drop not null] @1\n"
	  "alters column - T.h [set default] =0 @1\n"
	  "alters column - T.i [drop default] @1\n" },
	{ "ALTER TABLE IF EXISTS t ADD CONSTRAINT t_u_fkey FOREIGN KEY (u) REFERENCES \"U\"(id) ON DELETE CASCADE",
	  "requires table t ie impl @1\n"
	  "provides constraint t_u_fkey t.t_u_fkey f ref:U (u) @1\n"
	  "requires table U impl @1\n"
	  "requires column - U.id impl @1\n"
	  "requires column - t.u impl @1\n" },
	{ "ALTER TABLE t ADD PRIMARY KEY (a, b)",
	  "requires table t impl @1\n"
	  "provides constraint t_pkey t.t_pkey p (a,b) @1\n"
	  "requires column - t.a impl @1\n"
	  "requires column - t.b impl @1\n"
	  "provides index t_pkey t.- (a,b) uniq impl @1\n"
	  "alters column - t.a [set not null] impl @1\n"
	  "alters column - t.b [set not null] impl @1\n" },
	{ "ALTER TABLE t DROP CONSTRAINT IF EXISTS \"t_x_fkey\"",
	  "requires table t impl @1\n"
	  "removes constraint t_x_fkey t.t_x_fkey ie @1\n" },
	/* renames */
	{ "ALTER TABLE \"T\" RENAME COLUMN \"alias\" TO \"server_name\"",
	  "renames column - T.alias ->server_name @1\n" },
	{ "ALTER TABLE \"Old\" RENAME TO \"New\"", "renames table Old ->New @1\n" },
	{ "ALTER TABLE t RENAME CONSTRAINT a TO b", "renames constraint a t.a ->b @1\n" },
	{ "ALTER INDEX \"i1\" RENAME TO \"i2\"", "renames index i1 ->i2 @1\n" },
	/* indexes */
	{ "CREATE INDEX \"LiteLLM_UserTable_user_email_lower_idx\" ON \"LiteLLM_UserTable\"(LOWER(\"user_email\"))",
	  "requires table LiteLLM_UserTable impl @1\n"
	  "requires column - LiteLLM_UserTable.user_email impl @1\n"
	  "provides index LiteLLM_UserTable_user_email_lower_idx LiteLLM_UserTable.- (lower(user_email)) @1\n" },
	{ "CREATE UNIQUE INDEX CONCURRENTLY ON t (a, \"B\")",
	  "requires table t impl @1\n"
	  "requires column - t.a impl @1\n"
	  "requires column - t.B impl @1\n"
	  "provides index t_a_B_idx t.- (a,B) uniq conc @1\n" },
	{ "CREATE INDEX IF NOT EXISTS \"i\" ON t (a)",
	  "requires table t impl @1\n"
	  "requires column - t.a impl @1\n"
	  "provides index i t.- (a) ine @1\n" },
	{ "DROP INDEX IF EXISTS \"i\"; DROP TABLE \"a\", public.b CASCADE",
	  "removes index i ie @1\n"
	  "removes table a cascade @1\n"
	  "removes table public.b cascade @1\n" },
	/* types and enums */
	{ "CREATE TYPE \"JobStatus\" AS ENUM ('ACTIVE', 'INACTIVE')",
	  "provides type JobStatus :enum (ACTIVE,INACTIVE) @1\n" },
	{ "ALTER TYPE \"JobStatus\" ADD VALUE IF NOT EXISTS 'PAUSED' BEFORE 'INACTIVE'",
	  "requires type JobStatus impl @1\n"
	  "provides enum value JobStatus -.PAUSED =BEFORE INACTIVE ine @1\n" },
	{ "ALTER TYPE s.\"E\" RENAME VALUE 'a' TO 'b'",
	  "requires type s.E impl @1\n"
	  "renames enum value s.E -.a ->b @1\n" },
	{ "ALTER TYPE \"E\" RENAME TO \"F\"", "renames type E ->F @1\n" },
	{ "DROP TYPE IF EXISTS \"E\"", "removes type E ie @1\n" },
	{ "CREATE EXTENSION IF NOT EXISTS pgcrypto", "provides extension pgcrypto ine @1\n" },
	/* views, functions, triggers */
	{ "CREATE OR REPLACE VIEW v AS SELECT a FROM \"T\" JOIN u ON true",
	  "requires table T @1\nrequires table u @1\nprovides view v repl @1\n" },
	{ "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
	  "provides function f @1\n" },
	{ "CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f()",
	  "requires table t impl @1\nrequires function f @1\nprovides trigger tr t.- @1\n" },
	/* data */
	{ "INSERT INTO \"T\" (\"a\", b) VALUES (1, 2)",
	  "data table T @1\nrequires column - T.a @1\nrequires column - T.b @1\n" },
	{ "UPDATE \"T\" SET \"a\" = 1 FROM u WHERE u.x = 1",
	  "data table T @1\nrequires column - T.a @1\nrequires table u impl @1\n" },
	{ "DELETE FROM \"T\" WHERE id IN (SELECT id FROM o)",
	  "data table T @1\nrequires table o impl @1\n" },
	/* DO blocks: conditional, with the condition kept; EXECUTE of a constant */
	{ "DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'E') THEN\n"
	  "    CREATE TYPE \"E\" AS ENUM ('a');\n  END IF;\n"
	  "  EXECUTE 'ALTER TABLE \"T\" ADD COLUMN x int';\nEND $$;",
	  "provides type E :enum (a) cond @4\n"
	  "requires table T impl dyn @6\n"
	  "provides column - T.x :integer dyn @6\n" },
	/* case and quoting are exact */
	{ "ALTER TABLE LiteLLM_UserTable ADD COLUMN x TEXT",
	  "requires table litellm_usertable impl @1\n"
	  "provides column - litellm_usertable.x :text @1\n" },
	{ "BEGIN; CREATE TABLE a (x int); COMMIT;",
	  "provides table a @1\nprovides column - a.x :integer @1\n" },
};

static void run_case(const struct fx_case *c)
{
	struct sql_script s;
	struct md_error err;
	struct sbuf got = SBUF_INIT;

	sql_script_init(&s, "case.sql");
	if (sql_script_parse(&s, c->sql, strlen(c->sql), &err) || s.nerrors) {
		print_error("SQL does not parse: %s\n", c->sql);
		fail();
	}
	for (size_t i = 0; i < s.neffects; i++) {
		fmt_effect(&got, &s.effects[i]);
		sb_putc(&got, '\n');
	}
	if (strcmp(got.buf, c->expected)) {
		print_error("SQL: %s\nexpected:\n%sgot:\n%s", c->sql, c->expected, got.buf);
		fail();
	}
	sbuf_release(&got);
	sql_script_release(&s);
}

static void effects_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < MD_ARRAY_LEN(table); i++)
		run_case(&table[i]);
}

static void statement_kinds_and_lines(void **state)
{
	static const char sql[] =
		"-- CreateTable\n"
		"CREATE TABLE a (x int);\n"
		"\n"
		"BEGIN;\n"
		"  /* nested /* comment */ */ INSERT INTO a VALUES (1);\n"
		"COMMIT;\n"
		"DO $$ BEGIN NULL; END $$;\n"
		"SET search_path = public;\n";
	struct sql_script s;
	struct md_error err;

	(void)state;
	sql_script_init(&s, "k.sql");
	assert_int_equal(sql_script_parse(&s, sql, sizeof(sql) - 1, &err), 0);
	assert_int_equal(s.nstmts, 6);
	assert_int_equal(s.stmts[0].line, 2);
	assert_int_equal(s.stmts[0].kind, SQL_STMT_DDL);
	assert_string_equal(s.stmts[0].tag, "CREATE TABLE");
	assert_int_equal(s.stmts[1].kind, SQL_STMT_TRANSACTION);
	assert_int_equal(s.stmts[2].line, 5);
	assert_int_equal(s.stmts[2].column, 30);
	assert_int_equal(s.stmts[2].kind, SQL_STMT_DATA);
	assert_int_equal(s.stmts[4].kind, SQL_STMT_DO);
	assert_int_equal(s.stmts[5].kind, SQL_STMT_OTHER);
	sql_script_release(&s);
}

/*
 * Which statements change rows (sql_stmt.data): an export cannot show
 * whether they ran, so no migration holding one is marked applied from
 * its objects. DDL, and DO blocks whose body is DDL only, do not.
 */
struct data_case {
	const char *sql;
	const char *what; /* NULL: not data */
};

static void data_statements(void **state)
{
	static const struct data_case cases[] = {
		{ "CREATE TABLE a (x int)", NULL },
		{ "ALTER TABLE a ADD COLUMN y int DEFAULT 0", NULL },
		{ "CREATE MATERIALIZED VIEW v AS SELECT 1", NULL },
		{ "SELECT 1", NULL },
		{ "COMMENT ON TABLE a IS 'x'", NULL },
		{ "ALTER TABLE u ALTER COLUMN r TYPE \"R_new\" USING (r::text::\"R_new\")", NULL },
		{ "ALTER TABLE a ALTER COLUMN x TYPE bigint", NULL },
		{ "ALTER TABLE a ALTER COLUMN x TYPE bigint USING x * 100",
		  "ALTER COLUMN ... TYPE ... USING an expression" },
		{ "ALTER TABLE i ALTER COLUMN p TYPE DECIMAL(12,2) USING (p::integer::DECIMAL(12,2))",
		  "ALTER COLUMN ... TYPE ... USING an expression" },
		{ "ALTER TABLE i ALTER COLUMN p TYPE DECIMAL(12,2) USING (p::DECIMAL(12,2))", NULL },
		{ "UPDATE a SET x = 1", "UPDATE" },
		{ "INSERT INTO a VALUES (1)", "INSERT" },
		{ "DELETE FROM a", "DELETE" },
		{ "TRUNCATE a", "TRUNCATE" },
		{ "MERGE INTO a USING b ON a.x = b.x WHEN MATCHED THEN DELETE", "MERGE" },
		{ "COPY a FROM STDIN", "COPY" },
		{ "CALL backfill()", "CALL" },
		{ "SELECT setval('a_x_seq', 10)", "SELECT calling a function" },
		{ "SELECT * INTO b FROM a", "SELECT INTO" },
		{ "CREATE TABLE b AS SELECT * FROM a", "CREATE TABLE AS (it copies rows)" },
		{ "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'e') THEN "
		  "CREATE TYPE e AS ENUM ('a'); END IF; END $$", NULL },
		{ "DO $$ BEGIN ALTER TABLE a ADD COLUMN z int; EXCEPTION WHEN duplicate_column THEN "
		  "RAISE NOTICE 'there'; END $$", NULL },
		{ "DO $$ BEGIN EXECUTE 'ALTER TABLE a ADD COLUMN z int'; END $$", NULL },
		{ "DO $$ BEGIN IF true THEN UPDATE a SET x = 2; END IF; END $$",
		  "UPDATE in a DO block" },
		{ "DO $$ BEGIN EXECUTE 'DELETE FROM a'; END $$", "DELETE in a DO block" },
		{ "DO $$ BEGIN EXECUTE format('UPDATE %I SET x = 1', 'a'); END $$",
		  "EXECUTE of a string built at run time in a DO block" },
		{ "DO $$ BEGIN PERFORM backfill(); END $$", "PL/pgSQL statement perform in a DO block" },
		{ "DO $$ DECLARE r record; BEGIN FOR r IN SELECT 1 LOOP NULL; END LOOP; END $$",
		  "PL/pgSQL statement fors in a DO block" },
		/* a statement that changes rows anywhere in the tree (review-2 N1, N2) */
		{ "WITH f AS (UPDATE a SET x = 1 RETURNING 1) SELECT 1", "UPDATE inside SELECT" },
		{ "WITH f AS (INSERT INTO a VALUES (1) RETURNING 1) TABLE f", "INSERT inside SELECT" },
		{ "WITH f AS (DELETE FROM a RETURNING 1) VALUES (1)", "DELETE inside SELECT" },
		{ "WITH f AS (SELECT 1), g AS (WITH h AS (UPDATE a SET x = 1 RETURNING 1) "
		  "SELECT * FROM h) SELECT * FROM g", "UPDATE inside SELECT" },
		{ "EXPLAIN (ANALYZE, COSTS OFF) UPDATE a SET x = 1",
		  "EXPLAIN ANALYZE (it runs its statement)" },
		{ "EXPLAIN ANALYZE SELECT 1", "EXPLAIN ANALYZE (it runs its statement)" },
		{ "EXPLAIN UPDATE a SET x = 1", NULL },
		{ "DECLARE c CURSOR WITH HOLD FOR WITH f AS (UPDATE a SET x = 1 RETURNING 1) "
		  "SELECT 1", "UPDATE inside DECLARE CURSOR" },
		{ "DECLARE c CURSOR WITH HOLD FOR SELECT 1", NULL },
		{ "DO $$ DECLARE n int; BEGIN WITH f AS (UPDATE a SET x = 1 RETURNING 1) "
		  "SELECT 1 INTO n; END $$", "UPDATE inside SELECT in a DO block" },
		{ "DO $$ BEGIN EXECUTE 'WITH f AS (DELETE FROM a RETURNING 1) SELECT 1'; END $$",
		  "DELETE inside SELECT in a DO block" },
		{ "WITH f AS (SELECT 1) SELECT * FROM f", NULL },
		{ "CREATE VIEW v AS WITH f AS (SELECT x FROM a) SELECT * FROM f", NULL },
		{ "CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN (SELECT 1)", NULL },
		{ "CREATE RULE r AS ON INSERT TO a DO INSTEAD DELETE FROM b", NULL },
		{ "PREPARE p AS UPDATE a SET x = 1", NULL },
		/* a sequence's position is data (review-2 N3) */
		{ "ALTER SEQUENCE \"Invoice_id_seq\" RESTART WITH 1000",
		  "ALTER SEQUENCE ... RESTART (a sequence's position)" },
		{ "ALTER SEQUENCE IF EXISTS s RESTART",
		  "ALTER SEQUENCE ... RESTART (a sequence's position)" },
		{ "ALTER SEQUENCE s INCREMENT BY 2", NULL },
		{ "ALTER SEQUENCE s OWNED BY a.x", NULL },
		{ "ALTER TABLE a ALTER COLUMN id RESTART WITH 1000",
		  "ALTER COLUMN ... RESTART (a sequence's position)" },
		{ "ALTER TABLE a ALTER COLUMN id SET INCREMENT BY 2", NULL },
		{ "DO $$ BEGIN EXECUTE 'ALTER SEQUENCE s RESTART'; END $$",
		  "ALTER SEQUENCE ... RESTART (a sequence's position) in a DO block" },
		{ "SELECT setval('s', 1000)", "SELECT calling a function" },
	};

	(void)state;
	for (size_t i = 0; i < MD_ARRAY_LEN(cases); i++) {
		struct sql_script s;
		struct md_error err;

		sql_script_init(&s, "d.sql");
		assert_int_equal(sql_script_parse(&s, cases[i].sql, strlen(cases[i].sql), &err), 0);
		assert_int_equal(s.nstmts, 1);
		if (s.stmts[0].data != (cases[i].what != NULL) ||
		    (cases[i].what && strcmp(s.stmts[0].data_what, cases[i].what)))
			fail_msg("%s: data %d (%s), expected %s", cases[i].sql, s.stmts[0].data,
				 s.stmts[0].data_what ? s.stmts[0].data_what : "-",
				 cases[i].what ? cases[i].what : "none");
		assert_int_equal(s.ndata, cases[i].what != NULL);
		sql_script_release(&s);
	}
}

static void syntax_error_does_not_hide_others(void **state)
{
	static const char sql[] =
		"CREATE TABLE a (x int);\n"
		"ALTER TABLE a ADD COLUMN;\n"
		"CREATE TABLE b (y int);\n";
	struct sql_script s;
	struct md_error err;

	(void)state;
	sql_script_init(&s, "e.sql");
	assert_int_equal(sql_script_parse(&s, sql, sizeof(sql) - 1, &err), 0);
	assert_int_equal(s.nstmts, 3);
	assert_int_equal(s.nerrors, 1);
	assert_true(s.stmts[1].parse_error);
	assert_int_equal(s.stmts[1].error_line, 2);
	assert_int_equal(s.stmts[1].error_column, 25);
	/* as PostgreSQL parses it, with its ';': not "at end of input" */
	assert_string_equal(s.stmts[1].error, "syntax error at or near \";\"");
	assert_true(s.rejected);
	assert_int_equal(s.reject_stmt, 1);
	assert_false(s.stmts[2].parse_error);
	assert_string_equal(s.effects[s.stmts[2].first_effect].name, "b");
	sql_script_release(&s);
}

/* Every statement's error is the server's: its own bytes up to its ';', comments included. */
static void statement_errors_are_the_servers(void **state)
{
	static const char sql[] =
		"CREATE TABLE a (x int);\n"
		"ALTER TABLE a ADD COLUMN -- the type is missing\n"
		";\n"
		"CREATE TABLE b (1x int);\n";
	struct sql_script s;
	struct md_error err;

	(void)state;
	sql_script_init(&s, "c.sql");
	assert_int_equal(sql_script_parse(&s, sql, sizeof(sql) - 1, &err), 0);
	assert_int_equal(s.nstmts, 3);
	assert_int_equal(s.nerrors, 2);
	assert_string_equal(s.stmts[1].error, "syntax error at or near \";\"");
	assert_int_equal(s.stmts[1].error_line, 3);
	assert_int_equal(s.stmts[1].error_column, 1);
	/* the server names the whole identifier after the number */
	assert_string_equal(s.stmts[2].error, "trailing junk after numeric literal at or near \"1x\"");
	assert_int_equal(s.stmts[2].error_line, 4);
	assert_int_equal(s.stmts[2].error_column, 17);
	assert_true(s.rejected);
	assert_int_equal(s.reject_stmt, 1);
	assert_int_equal(s.reject_line, 3);
	sql_script_release(&s);
}

/* PostgreSQL rejects the whole script; the statements before the quote are still listed. */
static void unterminated_quote_rejects_the_script(void **state)
{
	static const char sql[] = "CREATE TABLE a (x int);\nINSERT INTO a VALUES ('oops);\n";
	struct sql_script s;
	struct md_error err;

	(void)state;
	sql_script_init(&s, "q.sql");
	assert_int_equal(sql_script_parse(&s, sql, sizeof(sql) - 1, &err), 0);
	assert_true(s.rejected);
	assert_string_equal(s.reject_sqlstate, "42601");
	assert_string_equal(s.reject_message, "unterminated quoted string at or near \"'oops);\n\"");
	assert_int_equal(s.reject_line, 2);
	assert_int_equal(s.reject_column, 23);
	assert_int_equal(s.nstmts, 2);
	assert_int_equal(s.reject_stmt, 1);
	assert_string_equal(s.effects[s.stmts[0].first_effect].name, "a");
	assert_true(s.stmts[1].parse_error);
	assert_string_equal(s.stmts[1].error, "unterminated quoted string at or near \"'oops);...\"");
	sql_script_release(&s);
}

static void binary_and_utf16_are_not_sql(void **state)
{
	static const char bin[] = "CREATE\0TABLE";
	static const char u16[] = "\xff\xfe" "C\0R\0";
	struct sql_script s;
	struct md_error err;

	(void)state;
	sql_script_init(&s, "b.sql");
	assert_int_equal(sql_script_parse(&s, bin, sizeof(bin) - 1, &err), -1);
	assert_non_null(strstr(err.msg, "b.sql:1:7: NUL byte"));
	sql_script_release(&s);
	sql_script_init(&s, "w.sql");
	assert_int_equal(sql_script_parse(&s, u16, sizeof(u16) - 1, &err), -1);
	assert_non_null(strstr(err.msg, "UTF-16"));
	sql_script_release(&s);
}

static void do_block_condition_is_parsed(void **state)
{
	struct arena a = ARENA_INIT;
	struct sql_cond c;

	(void)state;
	assert_int_equal(sql_cond_parse("NOT EXISTS (SELECT 1 FROM information_schema.columns "
					 "WHERE table_name = 'T' AND column_name = 'c')", &a, &c), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.v[0].obj, SQL_OBJ_COLUMN);
	assert_true(c.v[0].negated);
	assert_string_equal(c.v[0].table, "T");
	assert_string_equal(c.v[0].name, "c");
	assert_int_equal(sql_cond_parse("to_regclass('\"X\"') IS NULL AND EXISTS (SELECT 1 FROM "
					 "pg_type WHERE typname = 'E')", &a, &c), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.v[0].name, "X");
	assert_true(c.v[0].negated);
	assert_int_equal(c.v[1].obj, SQL_OBJ_TYPE);
	assert_int_equal(sql_cond_parse("random() > 0.5", &a, &c), -1);
	arena_release(&a);
}

/* The repair DDL: the statement's own tree, made idempotent, names intact. */
static void idempotent_rewrites(void **state)
{
	static const struct {
		const char *sql;
		int effect; /* index of the PROVIDES effect to keep */
		const char *want;
	} cases[] = {
		{ "CREATE TABLE \"T\" (\"startTime\" TEXT NOT NULL, CONSTRAINT \"T_pkey\" PRIMARY KEY (\"startTime\"))",
		  0, "CREATE TABLE IF NOT EXISTS \"T\" (\"startTime\" text NOT NULL, CONSTRAINT \"T_pkey\" "
		     "PRIMARY KEY (\"startTime\"))" },
		{ "CREATE INDEX \"T_Mixed_idx\" ON \"T\"(LOWER(\"e\"))", 2,
		  "CREATE INDEX IF NOT EXISTS \"T_Mixed_idx\" ON \"T\" USING btree (lower(e))" },
		{ "ALTER TABLE \"T\" ADD COLUMN \"a\" INT, ADD COLUMN \"b\" JSONB DEFAULT '{}'", 2,
		  "ALTER TABLE \"T\" ADD COLUMN IF NOT EXISTS b jsonb DEFAULT '{}'" },
		{ "ALTER TABLE \"T\" ADD CONSTRAINT \"T_u_fkey\" FOREIGN KEY (\"u\") REFERENCES \"U\"(\"id\")", 1,
		  "DO $migdoctor$\nBEGIN\n    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'T_u_fkey' "
		  "AND conrelid = to_regclass('\"T\"')) THEN\n        ALTER TABLE \"T\" ADD CONSTRAINT \"T_u_fkey\" "
		  "FOREIGN KEY (u) REFERENCES \"U\" (id);\n    END IF;\nEND\n$migdoctor$" },
		{ "ALTER TYPE \"E\" ADD VALUE 'x'", 1, "ALTER TYPE \"E\" ADD VALUE IF NOT EXISTS 'x'" },
		/* never OR REPLACE: a later migration may have redefined them (review F5) */
		{ "CREATE OR REPLACE VIEW \"V\" AS SELECT a FROM \"T\"", 0,
		  "DO $migdoctor$\nBEGIN\n    IF to_regclass('\"V\"') IS NULL THEN\n        CREATE OR REPLACE "
		  "VIEW \"V\" AS SELECT a FROM \"T\";\n    END IF;\nEND\n$migdoctor$" },
		{ "CREATE FUNCTION s.f(a int, OUT b int, VARIADIC c int[]) RETURNS int LANGUAGE sql "
		  "AS 'SELECT 1'", 0,
		  "DO $migdoctor$\nBEGIN\n    IF NOT EXISTS (SELECT FROM pg_catalog.pg_proc p JOIN "
		  "pg_catalog.pg_namespace n ON n.oid = p.pronamespace\n            WHERE n.nspname = 's' "
		  "AND p.proname = 'f' AND p.pronargs = 2) THEN\n        CREATE FUNCTION s.f(a int, OUT b int, "
		  "VARIADIC c int[]) RETURNS int LANGUAGE sql AS $$SELECT 1$$;\n    END IF;\nEND\n$migdoctor$" },
		{ "CREATE TABLE t (a text DEFAULT 'x\\'' ; DROP TABLE y; --')", 0,
		  "CREATE TABLE IF NOT EXISTS t (a text DEFAULT E'x\\\\'' ; DROP TABLE y; --')" },
	};

	(void)state;
	for (size_t i = 0; i < MD_ARRAY_LEN(cases); i++) {
		struct sql_script s;
		struct md_error err;
		char *got;

		sql_script_init(&s, "i.sql");
		assert_int_equal(sql_script_parse(&s, cases[i].sql, strlen(cases[i].sql), &err), 0);
		got = sql_idempotent(&s.stmts[0], &s.effects[cases[i].effect], &err);
		if (!got || strcmp(got, cases[i].want)) {
			print_error("SQL: %s\nexpected: %s\ngot:      %s\n", cases[i].sql, cases[i].want,
				    got ? got : err.msg);
			fail();
		}
		free(got);
		sql_script_release(&s);
	}
}

/* A repair re-runs a migration's type change only when its USING computes nothing. */
static void alter_type_casts_only(void **state)
{
	static const struct {
		const char *sql, *column;
		bool want;
	} cases[] = {
		{ "ALTER TABLE \"T\" ALTER COLUMN \"c\" SET DATA TYPE BIGINT", "c", true },
		{ "ALTER TABLE \"T\" ALTER COLUMN \"t\" SET DATA TYPE \"E\" USING (\"t\"::text::\"E\")",
		  "t", true },
		{ "ALTER TABLE \"T\" ALTER COLUMN \"c\" TYPE BIGINT USING (\"c\" * 100)", "c", false },
		{ "ALTER TABLE \"T\" ALTER COLUMN \"c\" TYPE BIGINT USING round(\"c\")::bigint", "c", false },
		{ "ALTER TABLE \"T\" ALTER COLUMN \"c\" TYPE INT USING \"d\"::int", "c", false },
		{ "ALTER TABLE \"T\" ALTER COLUMN \"d\" TYPE INT", "c", false },
		/* review-2 N4: a cast on the way can round or cut */
		{ "ALTER TABLE \"I\" ALTER COLUMN \"price\" TYPE DECIMAL(12,2) "
		  "USING (\"price\"::integer::DECIMAL(12,2))", "price", false },
		{ "ALTER TABLE \"I\" ALTER COLUMN \"price\" TYPE DECIMAL(12,2) "
		  "USING (\"price\"::DECIMAL(12,2))", "price", true },
		{ "ALTER TABLE \"I\" ALTER COLUMN \"price\" TYPE DECIMAL(12,2) "
		  "USING (\"price\"::numeric(12,2))", "price", true },
		{ "ALTER TABLE \"I\" ALTER COLUMN \"price\" TYPE DECIMAL(12,2) "
		  "USING (\"price\"::integer)", "price", false },
		{ "ALTER TABLE \"I\" ALTER COLUMN \"price\" TYPE DECIMAL(12,2) USING \"price\"",
		  "price", true },
		{ "ALTER TABLE \"T\" ALTER COLUMN \"c\" TYPE INT USING \"c\"::text::int", "c", false },
		{ "ALTER TABLE \"T\" ALTER COLUMN \"c\" TYPE varchar(3) USING \"c\"::text::varchar(3)",
		  "c", false },
		{ "ALTER TABLE \"T\" ALTER COLUMN \"t\" TYPE \"E\" USING \"t\"::varchar(1)::\"E\"",
		  "t", false },
		{ "ALTER TABLE \"T\" ALTER COLUMN \"t\" TYPE \"E\"[] USING \"t\"::text[]::\"E\"[]",
		  "t", false },
		{ "ALTER TABLE \"T\" ALTER COLUMN \"t\" TYPE \"E\" USING \"t\"::text::\"F\"", "t", false },
		{ "ALTER TABLE \"T\" ALTER COLUMN \"t\" TYPE \"E\" USING \"u\"::text::\"E\"", "t", false },
	};

	(void)state;
	for (size_t i = 0; i < MD_ARRAY_LEN(cases); i++) {
		struct sql_script s;
		struct md_error err;

		sql_script_init(&s, "u.sql");
		assert_int_equal(sql_script_parse(&s, cases[i].sql, strlen(cases[i].sql), &err), 0);
		if (sql_alter_type_casts_only(&s.stmts[0], cases[i].column) != cases[i].want) {
			print_error("SQL: %s\nexpected %d\n", cases[i].sql, cases[i].want);
			fail();
		}
		sql_script_release(&s);
	}
}

/* Defaults as a migration writes them and as pg_dump prints them are one default. */
static void defaults_compare_as_trees(void **state)
{
	static const struct {
		const char *a, *b;
		int want;
	} cases[] = {
		{ "'x'", "'x'::text", 1 },
		{ "'user'", "'user'::public.\"Role\"", 1 },
		{ "now()", "CURRENT_TIMESTAMP", 1 },
		{ "'{}'", "'{}'::jsonb", 1 },
		{ "ARRAY[]::TEXT[]", "ARRAY[]::text[]", 1 },
		{ "-1", "'-1'::integer", 1 },
		{ "0.0", "0.0", 1 },
		{ "nextval('\"T_id_seq\"'::regclass)",
		  "nextval('public.\"T_id_seq\"'::regclass)", 1 },
		{ "'x'", "'y'::text", 0 },
		{ "0", "0.0", 0 },
		{ "'{}'::jsonb", "'{\"retries\": 3}'::jsonb", 0 },
		{ "false", "true", 0 },
		{ "ARRAY[]::text[]", "ARRAY[]::integer[]", 0 },
		{ "(SELECT 1)", "1", -1 },
		{ NULL, "1", -1 },
	};

	(void)state;
	for (size_t i = 0; i < MD_ARRAY_LEN(cases); i++) {
		int got = sql_default_same(cases[i].a, cases[i].b);

		if (got != cases[i].want) {
			print_error("%s vs %s: expected %d, got %d\n",
				    cases[i].a ? cases[i].a : "NULL", cases[i].b, cases[i].want, got);
			fail();
		}
	}
}

/* The default a column definition carries, as pg_get_expr() prints it. */
static void default_text_is_pg_get_expr(void **state)
{
	static const struct {
		const char *sql, *want;
	} cases[] = {
		{ "ALTER TABLE t ALTER COLUMN c SET DEFAULT '{\"a\": 1}'::jsonb", "'{\"a\": 1}'::jsonb" },
		{ "ALTER TABLE t ALTER COLUMN c SET DEFAULT CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP" },
		{ "ALTER TABLE t ALTER COLUMN c SET DEFAULT 'free'::public.\"Tier\"", "'free'::\"Tier\"" },
		{ "ALTER TABLE t ALTER COLUMN c SET DEFAULT '-1'::integer", "'-1'::integer" },
		{ "ALTER TABLE t ALTER COLUMN c SET DEFAULT ARRAY[]::TEXT[]", "ARRAY[]::text[]" },
		{ "ALTER TABLE t ALTER COLUMN c SET DEFAULT 'it''s'", "'it''s'" },
		{ "ALTER TABLE t ALTER COLUMN c SET DEFAULT E'a\\\\b'", "E'a\\\\b'" },
		{ "ALTER TABLE t ALTER COLUMN c SET DEFAULT (now() + '1 day'::interval)",
		  "(now() + '1 day'::interval)" },
	};
	struct md_error err;

	(void)state;
	for (size_t i = 0; i < MD_ARRAY_LEN(cases); i++) {
		struct sql_script s;
		const char *got = NULL;

		sql_script_init(&s, "t.sql");
		assert_int_equal(sql_script_parse(&s, cases[i].sql, strlen(cases[i].sql), &err), 0);
		for (size_t k = 0; k < s.neffects; k++)
			if (s.effects[k].prop == SQL_PROP_SET_DEFAULT)
				got = s.effects[k].default_sql;
		if (!got || strcmp(got, cases[i].want)) {
			print_error("SQL: %s\nexpected: %s\ngot:      %s\n", cases[i].sql, cases[i].want,
				    got ? got : "NULL");
			fail();
		}
		sql_script_release(&s);
	}
}

/* In a dump of schema tenant2, read with that schema on the search_path. */
static void default_in_its_schema(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a);
	assert_string_equal(sql_default_visible(&a, "'user'::tenant2.\"Role\"", "tenant2"),
			    "'user'::\"Role\"");
	assert_string_equal(sql_default_visible(&a, "'user'::other.\"Role\"", "tenant2"),
			    "'user'::other.\"Role\"");
	assert_null(sql_default_visible(&a, "(SELECT 1)", "tenant2"));
	/* a control character is not written into a script */
	assert_null(sql_default_visible(&a, "E'a\\nb'", "tenant2"));
	arena_release(&a);
}

/* The enum swap's ALTER COLUMN TYPE, alone, with its type at its final name. */
static void alter_type_command(void **state)
{
	const char *sql = "ALTER TABLE \"T\" ALTER COLUMN \"a\" DROP DEFAULT,\n"
			  "ALTER COLUMN \"role\" TYPE \"Role_new\" USING (\"role\"::text::\"Role_new\")";
	struct sql_script s;
	struct md_error err;
	char *got;

	(void)state;
	sql_script_init(&s, "t.sql");
	assert_int_equal(sql_script_parse(&s, sql, strlen(sql), &err), 0);
	got = sql_alter_type_cmd(&s.stmts[0], "role", "Role_new", "Role", &err);
	assert_non_null(got);
	assert_string_equal(got, "ALTER TABLE \"T\" ALTER COLUMN role TYPE \"Role\" "
			    "USING role::text::\"Role\"");
	free(got);
	assert_null(sql_alter_type_cmd(&s.stmts[0], "other", NULL, NULL, &err));
	sql_script_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(effects_table),
		cmocka_unit_test(statement_kinds_and_lines),
		cmocka_unit_test(data_statements),
		cmocka_unit_test(syntax_error_does_not_hide_others),
		cmocka_unit_test(statement_errors_are_the_servers),
		cmocka_unit_test(unterminated_quote_rejects_the_script),
		cmocka_unit_test(binary_and_utf16_are_not_sql),
		cmocka_unit_test(do_block_condition_is_parsed),
		cmocka_unit_test(idempotent_rewrites),
		cmocka_unit_test(alter_type_casts_only),
		cmocka_unit_test(defaults_compare_as_trees),
		cmocka_unit_test(default_text_is_pg_get_expr),
		cmocka_unit_test(alter_type_command),
		cmocka_unit_test(default_in_its_schema),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
