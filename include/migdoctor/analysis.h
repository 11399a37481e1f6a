/*
 * analysis.h - what is wrong, from what the inputs say.
 *
 * The analysis knows Prisma's and LiteLLM's semantics (reference/prisma.md,
 * reference/litellm.md) and nothing about file formats: it takes the
 * migrations directory, the _prisma_migrations rows, the schema of the
 * real database (a catalog built from a dump) and the log events, and
 * gives, per migration, what history claims, what the schema holds and
 * what the logs saw; then findings, each with a stable code, a severity,
 * evidence and a fix; and what 'migrate deploy' would do next.
 */
#ifndef MIGDOCTOR_ANALYSIS_H
#define MIGDOCTOR_ANALYSIS_H

#include "migdoctor/common.h"
#include "migdoctor/arena.h"
#include "migdoctor/catalog.h"
#include "migdoctor/history.h"
#include "migdoctor/logs.h"
#include "migdoctor/migrations.h"

enum severity { SEV_INFO, SEV_WARNING, SEV_ERROR };
const char *severity_name(enum severity s);
int severity_parse(const char *s, enum severity *out);

/* How Prisma sees a migration, from its rows (prisma.md §3.1, §3.4). */
enum mig_status {
	MS_PENDING,      /* no row: deploy applies it */
	MS_APPLIED,      /* a finished row with rolled_back_at NULL */
	MS_FAILED,       /* a row with finished_at and rolled_back_at NULL: P3009 */
	MS_ROLLED_BACK,  /* only rolled-back rows: deploy applies it again */
};

/* The fingerprint of one row (prisma.md §1.2). */
enum row_kind {
	RK_DEPLOYED,           /* finished, steps >= 1, logs NULL: applied by deploy */
	RK_RESOLVED_APPLIED,   /* finished = started, steps 0, logs '': resolve --applied */
	RK_FINISHED_OTHER,     /* finished, by hand or by a tool we do not know */
	RK_FAILED_SQL,         /* finished NULL, logs set: P3018 */
	RK_INTERRUPTED_DONE,   /* finished NULL, logs NULL, steps 1: the script did finish */
	RK_INTERRUPTED,        /* finished NULL, logs NULL, steps 0: killed or timed out */
	RK_ROLLED_BACK,        /* rolled_back_at set: ignored by deploy */
};
const char *row_kind_name(enum row_kind k);
enum row_kind row_kind_of(const struct history_row *r);

/* Where a row whose name is not in the local directory comes from. */
enum row_origin {
	RO_LOCAL,          /* the folder is here */
	RO_LITELLM_LOCAL,  /* 0_init or *_baseline_diff: made by LiteLLM on this database */
	RO_NEWER,          /* sorts after the newest local migration: a newer version */
	RO_HISTORICAL,     /* a name LiteLLM once shipped, then renamed or removed */
	RO_UNKNOWN,        /* older than the newest local one, not known: a fork or a hand edit */
	RO_LITELLM,        /* no directory given: a migration LiteLLM shipped (built-in facts) */
};

/* How much of a migration's own objects the schema holds. */
enum presence { PR_UNKNOWN, PR_NO_OBJECTS, PR_NONE, PR_PARTIAL, PR_ALL };
const char *presence_name(enum presence p);

/* One object a migration made, as the schema must show it. */
struct obj_ref {
	enum sql_obj kind;            /* TABLE, COLUMN, INDEX, CONSTRAINT, TYPE, ENUM_VALUE, VIEW ... */
	const char *schema;
	const char *table;            /* COLUMN, CONSTRAINT, INDEX: its table */
	const char *name;             /* the object (column name for COLUMN) */
	const struct sql_effect *e;   /* the effect that makes it (for the repair DDL) */
	const struct sql_stmt *stmt;  /* and its statement */
	bool unknown;                 /* absent from a dump that may be partial */
	enum sql_prop prop;           /* COLUMN: not the column but its NOT NULL
				       * (SQL_PROP_SET_NOT_NULL) or its lack
				       * (SQL_PROP_DROP_NOT_NULL), its type
				       * (SQL_PROP_TYPE), its default (SQL_PROP_SET_DEFAULT)
				       * or its lack (SQL_PROP_DROP_DEFAULT), as the
				       * migration left it */
	const char *value;            /* SQL_PROP_TYPE: the type as format_type() prints it;
				       * SQL_PROP_SET_DEFAULT: the default as pg_get_expr()
				       * does (NULL: any default) */
	const char *ddl;              /* FIX_RECREATE: the idempotent statement that makes it
				       * (rebuild.c); NULL when another object's statement does */
	const char *left;             /* FIX_RECREATE, SQL_PROP_TYPE: why the column's type is
				       * left as it is (the change could lose data: a person
				       * must decide); its ddl then only says so (NOTICE) */
};

struct mig_state {
	const char *name;
	const struct migration *m;        /* NULL: no local folder */
	enum row_origin origin;
	const struct history_row **rows;  /* in started_at order */
	size_t nrows;
	enum mig_status status;
	const struct history_row *blocking;  /* the failed row (MS_FAILED) */
	const struct history_row *applied;   /* the row that makes it applied */
	bool checksum_mismatch;           /* applied row vs local file (status's comparison) */
	const char *shipped_in;           /* LiteLLM version that first shipped it, if known */
	const struct litellm_fact *facts; /* no local folder: what LiteLLM's migration makes, if known */
	/* schema: the migration's provided objects that should exist now */
	enum presence presence;
	struct obj_ref *objs;             /* all of them (known without a schema too) */
	size_t nobjs, objs_cap;
	struct obj_ref *missing;          /* objects absent from the schema */
	size_t nmissing, missing_cap;
	struct obj_ref *found;            /* objects present */
	size_t nfound, found_cap;
	struct obj_ref *unknown;          /* absent from a dump that may be partial: not proof */
	size_t nunknown, unknown_cap;
	struct obj_ref *rebuild;          /* missing or unknown, in statement order */
	size_t nrebuild, rebuild_cap;
	bool effects_visible;             /* its drops, renames and column changes show in the schema too */
	const char *unseen;               /* !effects_visible: what the schema does not show */
	/*
	 * Labels an enum swap of this migration drops (Prisma's CREATE TYPE
	 * "E_new" ... DROP TYPE "E_old"): the type's labels before it, as the
	 * earlier migrations made them, less the new list. Each must be absent
	 * for the migration to count as run.
	 */
	struct obj_ref *dropped_labels;
	size_t ndropped_labels, dropped_labels_cap;
	bool labels_unknown;              /* a swap of a type no earlier migration made */
	/* logs */
	const struct log_event *failure;  /* last P3018 (or refused) event naming it */
	const char *log_outcome;          /* what the logs saw last: "failed 42P01 (x4)", "applied" ... */
};

/*
 * What FIX_RECREATE makes (ms->rebuild, in statement order): the missing
 * objects and the unknown ones of the same migration (absent from a dump
 * that may be partial). Its DDL is idempotent, so for an unknown object
 * that does exist it is a no-op.
 */
static inline size_t recreate_count(const struct mig_state *ms)
{
	return ms->nrebuild;
}

static inline const struct obj_ref *recreate_obj(const struct mig_state *ms, size_t i)
{
	return &ms->rebuild[i];
}

/*
 * Would this object, if it exists, make a re-run of its migration fail?
 * Not a label of an enum the migration rebuilds (Prisma's swap makes a new
 * type), not an object made with IF NOT EXISTS or behind a DO block's IF.
 */
static inline bool blocks_rerun(const struct obj_ref *o)
{
	return !o->prop && !(o->kind == SQL_OBJ_ENUM_VALUE && o->e && o->e->obj == SQL_OBJ_TYPE) &&
	       !(o->e && (o->e->flags & (SQL_IF_NOT_EXISTS | SQL_CONDITIONAL)));
}

enum fix_kind {
	FIX_MARK_ROLLED_BACK,  /* UPDATE rolled_back_at = now() WHERE id = row: deploy re-runs it */
	FIX_MARK_APPLIED,      /* as resolve --applied: roll back failed rows, INSERT an applied row */
	FIX_RECREATE,          /* idempotent DDL for the migration's missing objects */
	FIX_CREATE_TABLE,      /* create _prisma_migrations with Prisma's DDL (baseline) */
};

/*
 * A fact about the schema that a fix relies on: the repair script checks
 * it on the live database before it changes anything (an export can be
 * partial or stale; the database it runs on is the truth).
 */
struct premise {
	struct obj_ref obj;
	bool present;                     /* must exist (else: must be absent) */
};

struct fix_action {
	enum fix_kind kind;
	const struct mig_state *ms;
	const struct history_row *row;    /* FIX_MARK_ROLLED_BACK */
	const char *why;
	struct premise *premises;         /* in the analysis arena (premises_build) */
	size_t npremises;
};

struct evidence {
	const char *kind;     /* "row", "schema", "log", "statement", "file", "plan" */
	const char *source;   /* file name */
	uint64_t line;        /* 0 if none */
	const char *text;
};

struct finding {
	const char *code;     /* stable: MD001 ... (doc/findings.md) */
	const char *slug;     /* stable: "failed-migration" ... */
	enum severity severity;
	const char *title;
	const char *migration;
	const char **relations;
	size_t nrelations, relations_cap;
	struct evidence *ev;
	size_t nev, ev_cap;
	const char *fix;      /* what to do, in words */
	struct fix_action *actions;
	size_t nactions, actions_cap;
};

/* What 'migrate deploy' would do next on this database (prisma.md §3.1). */
enum plan_outcome {
	PLAN_NOTHING,          /* "No pending migrations to apply." */
	PLAN_APPLIES,          /* all pending migrations would apply */
	PLAN_FAILS,            /* a statement would fail: P3018 */
	PLAN_P3009,            /* refused: failed rows */
	PLAN_P3005,            /* refused: schema not empty, no history table */
	PLAN_P3015,            /* a pending folder without migration.sql */
	PLAN_P3019,            /* lock file provider */
	PLAN_UNKNOWN,          /* not enough input */
};

struct plan {
	enum plan_outcome outcome;
	const struct mig_state **apply;   /* in the order deploy applies them */
	size_t napply;
	const struct mig_state *fails;    /* PLAN_FAILS / PLAN_P3015 */
	const struct sql_stmt *stmt;      /* the failing statement */
	struct replay_error error;        /* predicted SQLSTATE and message */
	bool on_real_schema;              /* predicted on the dump's schema, not the history's */
	/*
	 * PLAN_APPLIES: the state, before deploy, of every object the applied
	 * migrations name (what the prediction rests on), for the deploy
	 * script to check on the live database first.
	 */
	struct premise *premises;
	size_t npremises;
};

/*
 * The hazards of each statement deploy would run (hazards.c): the lock it
 * takes on an existing table, the work it does there, the table's size in
 * the dump and an estimated duration (a model: BENCHMARKS.md, "Hazards").
 */
#define HZ_DEFAULT_TIMEOUT 60.0   /* LiteLLM's deploy subprocess limit, in seconds */

struct hazard_stmt {
	const struct mig_state *ms;
	const struct sql_stmt *stmt;
	const char *schema, *table;   /* the table it works on (the costliest subcommand's) */
	enum sql_lock lock;           /* the strongest on that table */
	enum sql_work work;
	const char *what;             /* each subcommand, "; "-separated */
	const char *other_locks;      /* write-blocking locks on other tables */
	const char *other_hot;        /* one of those a table written on every request */
	bool hot;                     /* table is written by the proxy on every request */
	bool hot_lock;                /* MD025: blocks its writes for a second or more */
	bool size_known, rows_known, compressed;
	uint64_t bytes, rows;         /* the dump's data of the table */
	double estimate;              /* seconds; < 0: unknown (no size) */
	bool over_timeout;
	const char *advice;           /* over_timeout: how to do the work beforehand */
};

/* A statement that breaks the running (older) version during a rolling upgrade. */
struct hazard_break {
	const struct mig_state *ms;
	const struct sql_stmt *stmt;
	const char *why;
};

struct hazards {
	bool on;                      /* computed (a migrations directory, something to apply) */
	struct hazard_stmt *v;
	size_t n;
	struct hazard_break *br;
	size_t nbr;
	double timeout;               /* seconds */
	double total;                 /* sum of the known estimates */
	bool sizes;                   /* the dump gave table sizes */
	size_t nunknown;              /* DO blocks: their statements not looked into */
};

struct bundle_sizes;

struct analysis_input {
	const struct migration_dir *dir;  /* NULL if not given */
	const struct history *hist;       /* NULL if not given */
	const struct catalog *schema;     /* the real database's schema, NULL if not given */
	const char *schema_source;
	const struct log_events *logs;    /* NULL if not given */
	bool has_history_table;           /* the dump/export holds _prisma_migrations */
	bool schema_complete;             /* --schema-complete: absence from the dump is proof */
	const char *schema_note;          /* why a dump was not taken as the schema */
	const char *schema_note_rows;     /* why a dump was not taken as the history */
	const struct bundle_sizes *sizes; /* the dump's table sizes, NULL when it holds no data */
	double deploy_timeout;            /* --deploy-timeout, seconds; 0: HZ_DEFAULT_TIMEOUT */
};

/* finding codes MD000 ... MD127 are indexed (finding_group) */
#define MD_CODE_SLOTS 128

struct analysis {
	struct arena arena;
	const struct analysis_input *in;
	struct mig_state *v;              /* local migrations in deploy order, then other rows */
	size_t n, cap;
	struct finding **findings;        /* each in the arena: pointers stay valid */
	size_t nfindings, findings_cap;
	struct finding *first_of[MD_CODE_SLOTS]; /* the first finding of code MDnnn, by nnn */
	struct plan plan;
	struct plan after;                /* deploy after the repair script (when it has actions) */
	bool has_repair;
	const char **unconcluded;         /* what could not be concluded without which input */
	size_t nunconcluded, unconcluded_cap;
	const char *migrated_by;          /* "LiteLLM >= 1.81.0" when the rows tell */
	const char *premise_conflict;     /* a fix relies on what the export contradicts: no script */
	struct hazards hz;                /* of hz_plan's statements */
	const struct plan *hz_plan;       /* the plan, or the one after the repair */
};

void analysis_run(struct analysis *a, const struct analysis_input *in);
void analysis_release(struct analysis *a);
/* The highest severity among the findings, or -1 when there are none. */
int analysis_worst(const struct analysis *a);

/* Short text of an object: table "T", column "T"."c" ... (allocated in ar). */
const char *obj_text(struct arena *ar, const struct obj_ref *o);

/* LiteLLM facts (src/analysis/litellm.c, from shared/litellm/SOURCE.md). */
const char *litellm_shipped_in(const char *migration);
const char *litellm_historical(const char *migration); /* why the name is gone, or NULL */
bool litellm_old_checksum(const char *migration, const char *checksum);
bool litellm_local_row(const char *migration);       /* 0_init, *_baseline_diff */

#endif
