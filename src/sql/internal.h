/*
 * internal.h - shared by the files of src/sql only.
 */
#ifndef MIGDOCTOR_SQL_INTERNAL_H
#define MIGDOCTOR_SQL_INTERNAL_H

#include "migdoctor/common.h"
#include "migdoctor/sql.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

/* Where effects being extracted go, and how to mark them. */
struct fx_ctx {
	struct sql_script *s;
	uint32_t stmt;      /* statement index */
	uint32_t line;      /* line of the statement (or of the DO-block line) */
	unsigned flags;     /* added to every effect: SQL_CONDITIONAL, SQL_DYNAMIC */
	int depth;          /* DO-block nesting */
};

/* Append the effects of one parsed statement; returns its kind. */
enum sql_stmt_kind sql_fx_stmt(struct fx_ctx *cx, const PgQuery__Node *n, const char **tag);

/*
 * The statement being read changes rows, or may (sql_stmt.data): what, in
 * a few words ("UPDATE"); inside a DO block the words say so. The first
 * reason is kept.
 */
void sql_fx_data(struct fx_ctx *cx, const char *what);

/*
 * ALTER COLUMN col TYPE target USING u (u may be NULL): does u keep the
 * values a plain TYPE target gives (col, col::target, col::text::"Enum")?
 */
bool sql_using_keeps_values(struct arena *a, const PgQuery__Node *u, const char *col,
			    const PgQuery__TypeName *target);

/* Effects of a DO block body (PL/pgSQL). */
void sql_fx_do(struct fx_ctx *cx, const char *body);

/* Parse one statement text and append its effects (used for DO bodies). */
void sql_fx_text(struct fx_ctx *cx, const char *sql);

/* format_type()-style name of a type: "integer", "timestamp(3) without time zone". */
const char *sql_type_text(struct arena *a, const PgQuery__TypeName *t, bool *builtin);
/* A short SQL rendering of an expression for reports: lower(user_email), '{}'::jsonb. */
const char *sql_expr_text(struct arena *a, const PgQuery__Node *n);
/*
 * A column default as pg_get_expr() prints it where public is on the
 * search_path ('x'::text, CURRENT_TIMESTAMP, ARRAY[]::text[]), or NULL for
 * an expression this does not render (canon.c).
 */
const char *sql_default_text(struct arena *a, const PgQuery__Node *n);
/* The last String of a name list (schema-qualified names are lists). */
const char *sql_list_last(const PgQuery__Node *const *names, size_t n);
const char *sql_list_schema(const PgQuery__Node *const *names, size_t n);
/* PostgreSQL's ChooseRelationName-style default: name1_name2_label within 63 bytes. */
const char *sql_default_name(struct arena *a, const char *name1, const char *name2,
			     const char *label);

/*
 * The unpacked parse tree of one statement's text (line: where it starts, for
 * the message), or NULL with err. Free it with
 * pg_query__parse_result__free_unpacked(tree, NULL).
 */
PgQuery__ParseResult *sql_tree(const char *text, uint32_t line, struct md_error *err);

/*
 * Call fn for every message of the tree (depth-first), up to a depth;
 * false when the tree is deeper and some of it was not visited.
 */
typedef void (*sql_walk_fn)(const ProtobufCMessage *m, void *ctx);
bool sql_walk(const ProtobufCMessage *m, sql_walk_fn fn, void *ctx);

#endif
