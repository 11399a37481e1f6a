/*
 * script_int.h - what the repair script (repair.c) and the deploy script
 * (deploy.c) share: quoting helpers, the inputs header, the catalog
 * queries of their guards and the guard block. For src/report only.
 */
#ifndef MIGDOCTOR_SCRIPT_INT_H
#define MIGDOCTOR_SCRIPT_INT_H

#include "migdoctor/common.h"
#include "migdoctor/analysis.h"
#include "migdoctor/report.h"

/* An identifier, always quoted; one holding a control character sets *bad and writes "?". */
void script_ident(int *bad, struct sbuf *sb, const char *s);
/* A literal through quote.h, or NULL. */
void script_lit(struct sbuf *sb, const char *s);
void script_comment(struct sbuf *sb, const char *prefix, const char *text);
MD_PRINTF(2, 3) void script_commentf(struct sbuf *sb, const char *fmt, ...);
/* "-- Inputs:" and one or two comment lines per input (its sha256). */
void script_inputs(struct sbuf *sb, const struct input_desc *in, size_t n);
/* "schema"."_prisma_migrations" (the schema when the rows named one). */
void script_history_table(int *bad, struct sbuf *sb, const char *schema);
/* The catalog query that is true when the object exists; false if there is none for its kind. */
bool script_exists_sql(struct sbuf *sb, const struct obj_ref *o);
void script_rel_exists(struct sbuf *sb, const char *schema, const char *name);
/*
 * One guard on a premise: IF the live catalog contradicts it THEN RAISE.
 * False (nothing written) for kinds no catalog query checks.
 */
bool script_premise_guard(struct sbuf *body, struct arena *ar, const struct premise *p);
/* The guard block: intro comment lines, then DO $tag$ BEGIN body END $tag$ (a tag body lacks). */
void script_guard_block(struct sbuf *out, const char *intro, const char *body);
/* Prisma's own DDL of the history table, after "CREATE TABLE name". */
extern const char script_prisma_table_ddl[];

#endif
