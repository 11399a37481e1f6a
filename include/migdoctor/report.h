/*
 * report.h - writers: they render what readers and analysis produced,
 * and decide nothing.
 */
#ifndef MIGDOCTOR_REPORT_H
#define MIGDOCTOR_REPORT_H

#include "migdoctor/common.h"
#include "migdoctor/migrations.h"
#include "migdoctor/sbuf.h"
#include "migdoctor/sql.h"

/* "adds column router_settings jsonb", "creates index "I" on "T" (a, b)". */
void describe_effect(struct sbuf *out, const struct sql_effect *e);
/*
 * One line for a statement: "creates table "T" (28 columns, primary key)".
 * When relation is set, only the effects that touch it are described.
 */
void describe_stmt(struct sbuf *out, const struct sql_script *s, const struct sql_stmt *st,
		   const char *relation);
/* Does the effect create, change, drop or need this relation? */
bool effect_touches(const struct sql_effect *e, const char *relation);

struct touches_opts {
	const char *relation; /* --relation */
	bool json;
};
void touches_render_text(struct sbuf *out, const struct migration_dir *d, const struct touches_opts *o);
void touches_render_json(struct sbuf *out, const struct migration_dir *d, const struct touches_opts *o);
void effect_render_json(struct sbuf *out, const struct sql_effect *e);

#endif
