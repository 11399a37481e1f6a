/*
 * catalog.h - a model of a PostgreSQL schema, and replaying effects into it.
 *
 * The same model holds the schema that the migrations would have built
 * (replay of the migrations directory) and the schema a dump shows (replay
 * of the dump's DDL), so the two can be compared object by object. Each
 * object remembers which migration (or dump statement) made it.
 */
#ifndef MIGDOCTOR_CATALOG_H
#define MIGDOCTOR_CATALOG_H

#include "migdoctor/common.h"
#include "migdoctor/arena.h"
#include "migdoctor/sbuf.h"
#include "migdoctor/sql.h"

struct cat_column {
	const char *name;
	const char *type;
	bool not_null;
	bool has_default;
	const char *default_expr;
	const char *default_sql;  /* as pg_get_expr() prints it; NULL: not rendered */
	const char *origin;   /* migration that added it */
	const char *type_origin;    /* migration that gave it its type last */
	const char *default_origin; /* migration that set or dropped its default last */
};

struct cat_constraint {
	const char *name;
	char contype;         /* 'p', 'u', 'f', 'c', 'x' */
	const char **cols;
	size_t ncols;
	const char *ref_schema, *ref_table;
	const char *origin;
};

struct cat_table {
	const char *schema;
	const char *name;
	bool is_view;
	struct cat_column *cols;
	size_t ncols, cols_cap;
	struct cat_constraint *cons;
	size_t ncons, cons_cap;
	const char *origin;
};

struct cat_index {
	const char *schema;
	const char *name;
	const char *table;
	bool unique;
	bool from_constraint; /* the index of a pkey/unique constraint */
	const char **cols;
	size_t ncols;
	const char *origin;
};

/* Types, extensions, functions, triggers, sequences, schemas: named objects. */
struct cat_object {
	enum sql_obj kind;
	const char *schema;
	const char *name;
	const char *table;    /* trigger: its table */
	char type_kind;       /* type: 'e' enum, 'c' composite, 'd' domain */
	const char **values;  /* enum labels, in order */
	size_t nvalues, values_cap;
	const char *origin;
};

struct catalog {
	struct arena arena;
	const char *default_schema; /* where unqualified names land: "public" */
	struct cat_table **tables;
	size_t ntables, tables_cap;
	struct cat_index **indexes;
	size_t nindexes, indexes_cap;
	struct cat_object **objects;
	size_t nobjects, objects_cap;
	/*
	 * Built from a dump (catalog_from_dump): the relations and types its
	 * statements refer to but do not define. 'pg_dump -t/-T' leaves such
	 * references (a foreign key to a table left out, an index on one): the
	 * objects exist in the database, the dump is partial. Not copied by
	 * catalog_copy.
	 */
	struct cat_ref *external;
	size_t nexternal, external_cap;
	size_t nunparsed;     /* dump statements that did not parse (reported, not applied) */
};

/* An object a dump refers to without defining it. */
struct cat_ref {
	enum sql_obj kind;    /* TABLE (any relation) or TYPE */
	const char *schema;
	const char *name;
	struct md_pos pos;    /* the first statement that refers to it */
};
/* The reference to this relation or type, or NULL. */
const struct cat_ref *catalog_external(const struct catalog *c, enum sql_obj kind, const char *schema,
				       const char *name);

void catalog_init(struct catalog *c, const char *default_schema);
void catalog_release(struct catalog *c);
/* A deep copy (for trying a migration and rolling back). */
void catalog_copy(struct catalog *dst, const struct catalog *src);

struct cat_table *catalog_table(const struct catalog *c, const char *schema, const char *name);
struct cat_column *cat_table_column(const struct cat_table *t, const char *name);
struct cat_index *catalog_index(const struct catalog *c, const char *schema, const char *name);
struct cat_object *catalog_object(const struct catalog *c, enum sql_obj kind, const char *schema,
				  const char *name);
/* True if the effect's object exists in the catalog (for REQUIRES/PROVIDES checks). */
bool catalog_has(const struct catalog *c, const struct sql_effect *e);

/* What PostgreSQL would say if a statement failed on this catalog. */
struct replay_error {
	const char *sqlstate;       /* "42P01" ... */
	char message[512];          /* as PostgreSQL words it: relation "X" does not exist */
	const struct sql_effect *effect; /* NULL when the script does not parse */
	uint32_t line, column;      /* where PostgreSQL points in the script (a syntax error); 0: nowhere */
};

/*
 * Apply one effect. Returns 0 when PostgreSQL would accept it (the
 * catalog is updated), 1 when it would fail (err says how; the catalog is
 * unchanged). Conditional effects never fail: their condition is
 * evaluated on the catalog when it is a catalog check, and applied when
 * it cannot be known.
 */
int catalog_apply(struct catalog *c, const struct sql_effect *e, const char *origin,
		  struct replay_error *err);

/*
 * Apply every effect of a script. Returns 0 if all succeeded, else 1 with
 * err for the first failure and *failed_stmt its statement index; what
 * happens to the effects before it is the caller's choice (a native
 * Prisma deploy rolls the whole script back). A script PostgreSQL would
 * not parse (s->rejected) fails before its first effect, at the statement
 * that holds the syntax error, with the parser's SQLSTATE and message.
 */
int catalog_apply_script(struct catalog *c, const struct sql_script *s, const char *origin,
			 struct replay_error *err, size_t *failed_stmt);

/* Canonical one-fact-per-line rendering, sorted: comparable with a real database. */
void catalog_render_text(const struct catalog *c, struct sbuf *out);
void catalog_render_json(const struct catalog *c, struct sbuf *out);

struct dump_stmt;
/*
 * Build c from the DDL statements of a dump (what a dump reader collected),
 * source naming the dump. Statements that do not parse are counted in
 * c->nunparsed (a warning for the caller to give); references to undefined
 * objects land in c->external. Returns 0.
 */
int catalog_from_dump(struct catalog *c, const struct dump_stmt *ddl, size_t nddl,
		      const char *source);

/* Evaluate a DO-block IF condition on the catalog: 1 true, 0 false, -1 unknown. */
int catalog_eval_cond(const struct catalog *c, const char *cond);

#endif
