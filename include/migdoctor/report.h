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

/* An input as the report and the repair script's header name it. */
struct input_desc {
	const char *role;     /* "migrations", "history", "schema", "log" */
	const char *path;
	const char *detail;   /* "pg_dump custom (archive 1.14, gzip)", "9 migrations" */
	char sha256[65];      /* of the file's bytes; "" for a directory */
};

struct analysis;

struct repair_opts {
	const struct input_desc *inputs;
	size_t ninputs;
	const char *backup_suffix;   /* the backup table's suffix; NULL: from the dump's time */
	const char *history_schema;  /* schema of _prisma_migrations (default public) */
	const char *dump_time;       /* history->dump_time, for the backup suffix */
	const char *history_sha;     /* sha256 of the history input: seeds inserted rows' ids */
};

/*
 * The repair script (DESIGN.md §5): explained, one transaction,
 * ON_ERROR_STOP, a backup of _prisma_migrations first, guards that abort
 * unless the rows it changes are exactly those of the dump, rows changed
 * by id only, schema DDL only for objects proven missing. Every value from
 * the inputs goes through quote.h. Returns -1 with err if it cannot be
 * written safely; 0 with nothing appended when there is nothing to repair.
 */
int repair_write(struct sbuf *out, const struct analysis *a, const struct repair_opts *o,
		 struct md_error *err);
/*
 * Why no script may be written for this analysis (the one place that says
 * so: a script that could not check its rows or premises first), or 0.
 */
int repair_refusal(const struct analysis *a, struct md_error *err);

/*
 * The deploy script ('plan -o', doc/deploy-script.md): what native 'prisma
 * migrate deploy' would do, as a psql script. The header names the inputs
 * and the prediction; guards check first, under Prisma's advisory lock,
 * that the rows it adds are absent, that no row is failed and that every
 * object the migrations name is as the export showed; then, per pending
 * migration, the row as the engine inserts it, the migration's SQL byte
 * for byte as one query, and the row finished, or failed with the error in
 * logs. Returns -1 with err when it may not be written (deploy_refusal);
 * 0 with nothing appended when deploy has nothing to apply.
 */
int deploy_write(struct sbuf *out, const struct analysis *a, const struct repair_opts *o,
		 struct md_error *err);
/*
 * Why no deploy script may be written: the plan predicts that deploy fails
 * or is refused (P3005, P3009, P3015, P3019, a failing statement: the
 * repair comes first), or there are no rows to check. 0 otherwise.
 */
int deploy_refusal(const struct analysis *a, struct md_error *err);

/* The report of 'check' and 'plan', for people and for machines. */
struct report_opts {
	const struct input_desc *inputs;
	size_t ninputs;
	bool color;
	bool plan_only;              /* 'migdoctor plan' */
	const char *repair_path;     /* where the script (plan: deploy) was written, or NULL */
	int fail_on;                 /* enum severity */
	bool brief;                  /* --brief: the migrations that need a look, the rest counted */
};
struct analysis;
struct hazards;
/* The hazards of the statements of a->hz_plan (hazards_report.c). */
void report_hazards_text(struct sbuf *out, const struct analysis *a, bool color);
void report_hazards_json(struct sbuf *out, const struct hazards *hz);
void report_text(struct sbuf *out, const struct analysis *a, const struct report_opts *o);
void report_json(struct sbuf *out, const struct analysis *a, const struct report_opts *o);

#endif
