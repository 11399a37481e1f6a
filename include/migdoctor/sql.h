/*
 * sql.h - SQL through libpg_query: split a script, parse each statement,
 * and reduce it to effects on schema objects.
 *
 * An effect says that a statement REQUIRES an object to exist (ALTER
 * TABLE t, a foreign key's referenced table, INSERT INTO t), PROVIDES it
 * (CREATE ..., ADD COLUMN), REMOVES it (DROP ...), ALTERS a property of it
 * (column type, NOT NULL, default) or RENAMES it. The analysis predicts
 * SQLSTATEs from exactly this (42P01 when a required table is missing,
 * 42P07 when a provided one exists ...), and the schema model is built by
 * replaying effects in order, so effects carry what the catalog needs
 * (column types, nullability, index columns, enum values).
 *
 * Names are kept exactly as PostgreSQL resolves them: quoted identifiers
 * keep their case, unquoted ones arrive lower-cased from the parser.
 */
#ifndef MIGDOCTOR_SQL_H
#define MIGDOCTOR_SQL_H

#include "migdoctor/common.h"
#include "migdoctor/arena.h"
#include "migdoctor/diag.h"

enum sql_action {
	SQL_REQUIRES,
	SQL_PROVIDES,
	SQL_REMOVES,
	SQL_ALTERS,
	SQL_RENAMES,
	SQL_DATA, /* INSERT/UPDATE/DELETE/COPY: touches rows of a table that must exist */
};

enum sql_obj {
	SQL_OBJ_SCHEMA,
	SQL_OBJ_TABLE,
	SQL_OBJ_COLUMN,
	SQL_OBJ_CONSTRAINT,
	SQL_OBJ_INDEX,
	SQL_OBJ_TYPE,       /* enum or composite type */
	SQL_OBJ_ENUM_VALUE,
	SQL_OBJ_EXTENSION,
	SQL_OBJ_VIEW,
	SQL_OBJ_FUNCTION,
	SQL_OBJ_TRIGGER,
	SQL_OBJ_SEQUENCE,
};

/* What an SQL_ALTERS effect changes. */
enum sql_prop {
	SQL_PROP_NONE,
	SQL_PROP_TYPE,
	SQL_PROP_SET_NOT_NULL,
	SQL_PROP_DROP_NOT_NULL,
	SQL_PROP_SET_DEFAULT,
	SQL_PROP_DROP_DEFAULT,
	SQL_PROP_OTHER,     /* storage, statistics, owner ...: no effect on the model */
};

enum sql_effect_flags {
	SQL_IF_NOT_EXISTS = 1 << 0, /* the statement tolerates the object being there */
	SQL_IF_EXISTS = 1 << 1,     /* the statement tolerates the object being absent */
	SQL_CONDITIONAL = 1 << 2,   /* inside an IF branch of a DO block */
	SQL_NOT_NULL = 1 << 3,      /* column: NOT NULL (or part of a primary key) */
	SQL_UNIQUE = 1 << 4,        /* index: UNIQUE */
	SQL_HAS_DEFAULT = 1 << 5,   /* column: has a default */
	SQL_CASCADE = 1 << 6,       /* DROP ... CASCADE */
	SQL_CONCURRENTLY = 1 << 7,  /* cannot run in a transaction block (25001) */
	SQL_IMPLIED = 1 << 8,       /* not written, implied (the index of a pkey) */
	SQL_DYNAMIC = 1 << 9,       /* from EXECUTE '...' in a DO block */
	SQL_OR_REPLACE = 1 << 10,   /* CREATE OR REPLACE */
};

struct sql_effect {
	enum sql_action action;
	enum sql_obj obj;
	unsigned flags;
	enum sql_prop prop;     /* SQL_ALTERS */
	const char *schema;     /* as written; NULL when unqualified */
	const char *name;       /* table, index, type, extension, function ... */
	const char *table;      /* column, constraint, index, trigger: the table it belongs to */
	const char *sub;        /* column, constraint or enum value name */
	const char *new_name;   /* SQL_RENAMES */
	const char *type;       /* column type, as format_type() prints it */
	const char *default_expr;/* column default, deparsed ("'{}'::jsonb") */
	const char *default_sql;/* the same as pg_get_expr() prints it; NULL: not rendered */
	char contype;           /* constraint: 'p' primary, 'u' unique, 'f' foreign, 'c' check, 'x' exclusion */
	const char *ref_schema; /* foreign key: referenced table */
	const char *ref_table;
	const char **cols;      /* index/constraint columns or expressions; enum values */
	size_t ncols;
	const char **ref_cols;  /* foreign key: referenced columns */
	size_t nref_cols;
	const char *cond;       /* SQL_CONDITIONAL: the IF condition (PL/pgSQL expression) */
	bool cond_negated;      /* the effect is in the ELSE branch of cond */
	uint32_t stmt;          /* index of the statement in its script */
	uint32_t line;          /* 1-based line in the script */
};

enum sql_stmt_kind {
	SQL_STMT_DDL,
	SQL_STMT_DATA,
	SQL_STMT_TRANSACTION, /* BEGIN / COMMIT / ROLLBACK: the script controls its own transaction */
	SQL_STMT_DO,
	SQL_STMT_OTHER,       /* SET, SELECT, GRANT, COMMENT ...: no schema effect modelled */
};

struct sql_stmt {
	const char *text;       /* the statement, NUL-terminated, without the ';' */
	uint32_t offset;        /* byte offset of its first token in the script */
	uint32_t len;
	uint32_t line, column;  /* of its first token, 1-based */
	enum sql_stmt_kind kind;
	const char *tag;        /* "CREATE TABLE", "ALTER TABLE", "DO" ... */
	bool parse_error;
	const char *error;      /* the parser's message when parse_error */
	uint32_t error_line, error_column;
	size_t first_effect, neffects; /* range in sql_script.effects */
	/*
	 * It changes rows, or may: INSERT, UPDATE, DELETE, MERGE (also
	 * anywhere inside another statement), COPY, TRUNCATE, CALL, a SELECT
	 * that calls a function, ALTER SEQUENCE ... RESTART, CREATE TABLE AS,
	 * or a DO block whose body is not proven to be DDL only. An export shows
	 * objects, never whether such a statement ran.
	 */
	bool data;
	const char *data_what;  /* which does: "UPDATE", "PERFORM in a DO block" ... */
};

struct sql_script {
	struct arena arena;
	const char *name;       /* file name, for messages */
	struct sql_stmt *stmts;
	size_t nstmts, stmts_cap;
	struct sql_effect *effects;
	size_t neffects, effects_cap;
	size_t nerrors;         /* statements that did not parse */
	size_t ndata;           /* statements with data set */
	/*
	 * PostgreSQL rejects the whole script before running any of it: a
	 * simple Query (how Prisma sends migration.sql) is parsed whole first,
	 * and the first syntax error anywhere is the answer. A DO block's body
	 * is not part of this: PL/pgSQL compiles it when the DO runs.
	 */
	bool rejected;
	const char *reject_sqlstate;  /* "42601" for nearly every parser error */
	const char *reject_message;   /* PostgreSQL's words, exactly (can span lines) */
	uint32_t reject_line, reject_column; /* 1-based; 0 when PostgreSQL gives no position */
	size_t reject_stmt;           /* the statement that holds the error */
};

void sql_script_init(struct sql_script *s, const char *name);
void sql_script_release(struct sql_script *s);

/*
 * Split and parse a script; every statement is parsed on its own so a
 * syntax error in one is recorded (stmt->parse_error) and does not hide
 * the others. When a statement does not parse, or the text cannot be split
 * (an unterminated quote, comment or dollar quote, unbalanced parentheses),
 * the whole script is parsed as PostgreSQL would parse it, and s->rejected
 * says what PostgreSQL answers. Returns -1 only for what is not SQL text
 * at all (NUL bytes, UTF-16, too large); err then names the file.
 */
int sql_script_parse(struct sql_script *s, const char *text, size_t len, struct md_error *err);

/* Phrases for reports: "requires", "table" ... */
const char *sql_action_name(enum sql_action a);
const char *sql_obj_name(enum sql_obj o);
const char *sql_prop_name(enum sql_prop p);

/*
 * A parser message fit for one line of a report: PostgreSQL's "at or near"
 * quotes the rest of the text after an unterminated token; cut at the first
 * line end (and at 200 bytes) with "...". Returns msg itself when it fits.
 */
const char *sql_error_brief(struct arena *a, const char *msg);

/* Line and column (1-based) of byte offset off in text. */
void sql_line_col(const char *text, size_t off, uint32_t *line, uint32_t *column);

/*
 * A DO-block IF condition that is a conjunction of catalog checks, such as
 * NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name =
 * 'T' AND column_name = 'c'), reduced to object existence tests.
 */
struct sql_check {
	enum sql_obj obj;       /* TABLE (any relation for pg_class), COLUMN, TYPE, CONSTRAINT, INDEX, EXTENSION */
	const char *schema;     /* NULL: any schema (the default one) */
	const char *table;      /* COLUMN, CONSTRAINT (NULL: any table) */
	const char *name;       /* the object, or the column */
	bool negated;           /* NOT EXISTS / IS NULL */
	bool any_relation;      /* pg_class / to_regclass: a table, view, index or sequence */
};

#define SQL_MAX_CHECKS 8
struct sql_cond {
	struct sql_check v[SQL_MAX_CHECKS];
	size_t n;
};

/* 0 when cond is understood (checks in out, strings in a), -1 otherwise. */
int sql_cond_parse(const char *cond, struct arena *a, struct sql_cond *out);

/*
 * The statement st rewritten to run safely where some of its objects
 * exist, by editing its parse tree and deparsing it with libpg_query:
 * CREATE TABLE/INDEX/SEQUENCE/EXTENSION ... IF NOT EXISTS, ALTER TYPE ...
 * ADD VALUE IF NOT EXISTS, CREATE OR REPLACE VIEW/FUNCTION; an ALTER TABLE
 * keeps only the command that makes `only` (ADD COLUMN IF NOT EXISTS, or
 * ADD CONSTRAINT inside a DO block that checks pg_constraint); CREATE TYPE
 * ... AS ENUM is guarded by a DO block on pg_type. Never emits anything
 * that drops or narrows. Returns malloc'd SQL without a final ';', or NULL
 * with err when the statement cannot be made idempotent.
 */
char *sql_idempotent(const struct sql_stmt *st, const struct sql_effect *only, struct md_error *err);

/*
 * DO $tag$ BEGIN IF cond THEN body END IF; END $tag$, with a tag neither
 * holds (migdoctor, migdoctor1 ...). cond and body: SQL built with the
 * quoting functions, body as indented lines. malloc'd.
 */
char *sql_do_if(const char *cond, const char *body);

/*
 * A CREATE INDEX made CONCURRENTLY IF NOT EXISTS (parse tree edited and
 * deparsed), to build an index by hand before a deploy whose migration
 * makes it. malloc'd, without a final ';', or NULL with err.
 */
char *sql_index_concurrently(const struct sql_stmt *st, struct md_error *err);

/*
 * Are two column defaults (default_sql texts) the same for PostgreSQL?
 * 1 yes, 0 no, -1 cannot tell (an expression not rendered, NULL). The
 * comparison is of parse trees: 'x' and 'x'::text, now() and
 * CURRENT_TIMESTAMP, 'A'::"Role" and 'A' are the same.
 */
int sql_default_same(const char *a, const char *b);

/*
 * A default's text (default_sql) as pg_get_expr() prints it where schema
 * is on the search_path: types qualified by schema unqualified. NULL when
 * it cannot be rendered; sql itself when schema is NULL.
 */
const char *sql_default_visible(struct arena *a, const char *sql, const char *schema);

/*
 * ALTER TABLE ... ALTER COLUMN column TYPE ... [USING ...], the one
 * command of st that changes the column's type, deparsed from its tree;
 * a type named from_type (an enum swap's temporary name) is renamed
 * to_type everywhere in it. malloc'd, or NULL with err.
 */
char *sql_alter_type_cmd(const struct sql_stmt *st, const char *column, const char *from_type,
			 const char *to_type, struct md_error *err);
/*
 * Does that command keep the values a plain TYPE change gives: no USING,
 * the column itself, one cast of it to the new type, or the enum swap's
 * col::text::"Enum"? A chain of other casts can round (::integer) or cut.
 */
bool sql_alter_type_casts_only(const struct sql_stmt *st, const char *column);

/* Limits: deeper nesting than this in a DO block is refused, not recursed into. */
#define SQL_MAX_DO_DEPTH 16
#define SQL_MAX_SCRIPT (64u * 1024 * 1024)

/*
 * Data and table statements of a dump (insert.c), for readers that take
 * rows from SQL text and must not parse it themselves.
 *
 * sql_insert_rows parses sql (one or more statements; a parse error is an
 * error at pos) and calls fn for each INSERT into a table named table
 * (any schema), with its column list and its VALUES rows as text. A value
 * that is not a constant (NULL, a string, a number, possibly cast or
 * negated) is SQL_VALUE_OTHER; an INSERT ... SELECT or DEFAULT VALUES has
 * has_values false. Everything in ins lives until fn returns. fn returns
 * 0 to go on, -1 (with err) to stop; so does sql_insert_rows.
 */
enum sql_value_kind { SQL_VALUE_NULL, SQL_VALUE_TEXT, SQL_VALUE_OTHER };

struct sql_value {
	enum sql_value_kind kind;
	const char *text;           /* SQL_VALUE_TEXT: NUL-terminated */
	size_t len;
};

struct sql_values {
	struct sql_value *v;
	size_t n;
};

struct sql_insert {
	const char *schema;         /* as written; NULL when unqualified */
	const char *table;
	const char *const *cols;    /* the column list; ncols 0 when it has none */
	size_t ncols;
	bool has_values;
	struct sql_values *rows;    /* one per VALUES list */
	size_t nrows;
};

typedef int (*sql_insert_fn)(void *ctx, const struct sql_insert *ins, struct md_error *err);
int sql_insert_rows(const char *sql, const char *table, const struct md_pos *pos,
		    sql_insert_fn fn, void *ctx, struct md_error *err);

/*
 * Column names, in order, of the first CREATE TABLE of a table named table
 * in sql (strings in a); 0 columns when there is none.
 */
int sql_create_table_cols(const char *sql, const char *table, const struct md_pos *pos,
			  struct arena *a, const char ***cols, size_t *ncols, struct md_error *err);

/*
 * The table locks a statement takes and the work it does on each table
 * (locks.c), from its parse tree, by PostgreSQL's documented lock levels.
 * One op per subcommand: an ALTER TABLE of two subcommands gives two.
 */
enum sql_lock {                 /* in PostgreSQL's order of strength */
	SQL_LOCK_NONE,
	SQL_LOCK_ACCESS_SHARE,
	SQL_LOCK_ROW_SHARE,
	SQL_LOCK_ROW_EXCLUSIVE,
	SQL_LOCK_SHARE_UPDATE_EXCLUSIVE,
	SQL_LOCK_SHARE,             /* from here on, writes wait */
	SQL_LOCK_SHARE_ROW_EXCLUSIVE,
	SQL_LOCK_EXCLUSIVE,
	SQL_LOCK_ACCESS_EXCLUSIVE,  /* reads wait too */
};

enum sql_work {                 /* what it does to the table's rows, cheapest first */
	SQL_WORK_NONE,              /* catalog only */
	SQL_WORK_SCAN,              /* reads every row (SET NOT NULL, a validated constraint) */
	SQL_WORK_INDEX,             /* reads every row and sorts: an index build */
	SQL_WORK_UPDATE,            /* UPDATE: writes new row versions */
	SQL_WORK_REWRITE_MAYBE,     /* ALTER COLUMN TYPE: a rewrite unless binary-coercible */
	SQL_WORK_REWRITE,           /* writes the whole table again, and its indexes */
};

struct sql_lock_op {
	const char *schema;         /* as written; NULL when unqualified */
	const char *table;          /* the table (or the index, when on_index) */
	bool on_index;              /* DROP INDEX, ALTER INDEX: table names the index */
	enum sql_lock lock;
	enum sql_work work;
	const char *why;            /* "ALTER COLUMN "x" SET NOT NULL (a full scan)" */
	const char *column;         /* the column a subcommand changes, if one */
	const char *new_type;       /* ALTER COLUMN TYPE: the new type (format_type style) */
	bool using_expr;            /* ALTER COLUMN TYPE ... USING */
	const char *index;          /* CREATE INDEX, ADD PRIMARY KEY/UNIQUE: the index's name */
	bool if_not_exists, concurrently, unique;
};

#define SQL_MAX_LOCK_OPS 32
struct sql_locks {
	struct sql_lock_op *v;      /* in the arena */
	size_t n;
	bool truncated;             /* more than SQL_MAX_LOCK_OPS */
	bool unknown;               /* a DO block: its statements are not looked into */
};

/* 0, or -1 when the statement does not parse (out is empty then). */
int sql_stmt_locks(const struct sql_stmt *st, struct arena *a, struct sql_locks *out);
const char *sql_lock_name(enum sql_lock l);
bool sql_lock_blocks_writes(enum sql_lock l);
const char *sql_work_name(enum sql_work w);

#endif
