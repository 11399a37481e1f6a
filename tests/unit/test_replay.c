/*
 * The replay predicts what PostgreSQL would do: each case is a schema
 * built by one script, then a second script, and the SQLSTATE and
 * message PostgreSQL gives for it (or success, with the schema after).
 */
#include "migdoctor/common.h"
#include "migdoctor/catalog.h"
#include "migdoctor/sql.h"

#include <setjmp.h>
#include <cmocka.h>

struct replay_case {
	const char *before;   /* applied first, must succeed */
	const char *sql;      /* the statement under test */
	const char *sqlstate; /* NULL: succeeds */
	const char *message;  /* PostgreSQL's words (or a fact line of the schema after) */
};

static const char base[] =
	"CREATE TYPE \"Role\" AS ENUM ('A', 'B');"
	"CREATE TABLE \"T\" (\"id\" TEXT NOT NULL, \"role\" \"Role\", CONSTRAINT \"T_pkey\" PRIMARY KEY (\"id\"));"
	"CREATE TABLE \"U\" (\"id\" TEXT NOT NULL, \"t_id\" TEXT, CONSTRAINT \"U_pkey\" PRIMARY KEY (\"id\"));"
	"ALTER TABLE \"U\" ADD CONSTRAINT \"U_t_id_fkey\" FOREIGN KEY (\"t_id\") REFERENCES \"T\"(\"id\");"
	"CREATE INDEX \"U_t_id_idx\" ON \"U\"(\"t_id\");";

static const struct replay_case cases[] = {
	{ base, "CREATE TABLE \"T\" (x int)", "42P07", "relation \"T\" already exists" },
	{ base, "CREATE TABLE IF NOT EXISTS \"T\" (x int)", NULL, "column public.\"T\".id text not null" },
	{ base, "CREATE INDEX \"U_t_id_idx\" ON \"T\"(\"id\")", "42P07", "relation \"U_t_id_idx\" already exists" },
	{ base, "CREATE INDEX \"T_pkey\" ON \"U\"(\"id\")", "42P07", "relation \"T_pkey\" already exists" },
	{ base, "ALTER TABLE \"T\" ADD COLUMN \"role\" TEXT", "42701",
	  "column \"role\" of relation \"T\" already exists" },
	{ base, "ALTER TABLE \"T\" ADD COLUMN IF NOT EXISTS \"role\" TEXT", NULL,
	  "column public.\"T\".role \"Role\"" },
	{ base, "ALTER TABLE \"Gone\" ADD COLUMN \"x\" TEXT", "42P01", "relation \"Gone\" does not exist" },
	{ base, "ALTER TABLE IF EXISTS \"Gone\" ADD COLUMN \"x\" TEXT", NULL, "table public.\"T\"" },
	{ base, "ALTER TABLE \"T\" DROP COLUMN \"nope\"", "42703",
	  "column \"nope\" of relation \"T\" does not exist" },
	{ base, "ALTER TABLE \"T\" ALTER COLUMN \"nope\" SET NOT NULL", "42703",
	  "column \"nope\" of relation \"T\" does not exist" },
	{ base, "CREATE INDEX \"i\" ON \"T\"(\"nope\")", "42703", "column \"nope\" does not exist" },
	{ base, "CREATE TABLE \"V\" (\"s\" \"Status\")", "42704", "type \"Status\" does not exist" },
	{ base, "CREATE TYPE \"Role\" AS ENUM ('x')", "42710", "type \"Role\" already exists" },
	{ base, "ALTER TYPE \"Role\" ADD VALUE 'A'", "42710", "enum label \"A\" already exists" },
	{ base, "ALTER TYPE \"Role\" ADD VALUE 'Z' BEFORE 'B'", NULL, "enum public.\"Role\" (A, Z, B)" },
	{ base, "ALTER TABLE \"U\" ADD CONSTRAINT \"U_t_id_fkey\" FOREIGN KEY (\"t_id\") REFERENCES \"T\"(\"id\")",
	  "42710", "constraint \"U_t_id_fkey\" for relation \"U\" already exists" },
	{ base, "ALTER TABLE \"U\" ADD CONSTRAINT \"fk\" FOREIGN KEY (\"t_id\") REFERENCES \"Gone\"(\"id\")",
	  "42P01", "relation \"Gone\" does not exist" },
	{ base, "DROP TABLE \"T\"", "2BP01", "cannot drop table \"T\" because other objects depend on it "
	  "(constraint U_t_id_fkey)" },
	{ base, "DROP TABLE \"T\" CASCADE", NULL, "constraint public.\"U\" \"U_pkey\" p" },
	{ base, "DROP INDEX \"nope\"", "42704", "index \"nope\" does not exist" },
	{ base, "DROP INDEX \"T_pkey\"", "2BP01",
	  "cannot drop index T_pkey because constraint T_pkey on table T requires it" },
	{ base, "ALTER TABLE \"T\" RENAME COLUMN \"role\" TO \"id\"", "42701",
	  "column \"id\" of relation \"T\" already exists" },
	{ base, "ALTER TABLE \"U\" RENAME COLUMN \"t_id\" TO \"team_id\"", NULL,
	  "index public.\"U_t_id_idx\" on \"U\" (team_id)" },
	{ base, "ALTER TABLE \"T\" RENAME TO \"U\"", "42P07", "relation \"U\" already exists" },
	{ base, "ALTER TABLE \"T\" ALTER COLUMN \"id\" DROP NOT NULL", "42P16",
	  "column \"id\" is in a primary key" },
	{ base, "INSERT INTO \"Gone\" VALUES (1)", "42P01", "relation \"Gone\" does not exist" },
	{ base, "CREATE EXTENSION pgcrypto; CREATE EXTENSION pgcrypto", "42710",
	  "extension \"pgcrypto\" already exists" },
	/* a DO block's catalog check is evaluated: the branch is skipped here */
	{ base, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE "
		"table_name = 'T' AND column_name = 'role') THEN ALTER TABLE \"T\" ADD COLUMN \"role\" "
		"INT; END IF; END $$", NULL, "column public.\"T\".role \"Role\"" },
	{ base, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'New') THEN "
		"CREATE TYPE \"New\" AS ENUM ('x'); END IF; END $$", NULL, "enum public.\"New\" (x)" },
};

static void run(const struct replay_case *c)
{
	struct sql_script a, b;
	struct catalog cat;
	struct replay_error re;
	struct md_error err;
	size_t stmt;
	int r;

	sql_script_init(&a, "before.sql");
	sql_script_init(&b, "case.sql");
	catalog_init(&cat, "public");
	assert_int_equal(sql_script_parse(&a, c->before, strlen(c->before), &err), 0);
	assert_int_equal(sql_script_parse(&b, c->sql, strlen(c->sql), &err), 0);
	assert_int_equal(catalog_apply_script(&cat, &a, "before", &re, &stmt), 0);
	r = catalog_apply_script(&cat, &b, "case", &re, &stmt);
	if (c->sqlstate) {
		if (r != 1 || strcmp(re.sqlstate, c->sqlstate) || strcmp(re.message, c->message)) {
			print_error("SQL: %s\nexpected %s %s\ngot %s %s\n", c->sql, c->sqlstate, c->message,
				    r ? re.sqlstate : "success", r ? re.message : "");
			fail();
		}
	} else {
		struct sbuf out = SBUF_INIT;

		if (r) {
			print_error("SQL: %s\nexpected success, got %s %s\n", c->sql, re.sqlstate, re.message);
			fail();
		}
		catalog_render_text(&cat, &out);
		if (!strstr(out.buf, c->message)) {
			print_error("SQL: %s\nexpected the fact '%s' in:\n%s", c->sql, c->message, out.buf);
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
	(void)state;
	for (size_t i = 0; i < MD_ARRAY_LEN(cases); i++)
		run(&cases[i]);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replay_table),
		cmocka_unit_test(copy_is_deep),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
