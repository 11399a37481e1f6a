/* analysis_int.h - shared by the files of src/analysis only. */
#ifndef MIGDOCTOR_ANALYSIS_INT_H
#define MIGDOCTOR_ANALYSIS_INT_H

#include "migdoctor/analysis.h"

void state_build(struct analysis *a);
/*
 * Presence of each migration's objects in the real schema. Objects that
 * expected lacks (a later migration dropped or renamed them) are not
 * counted: for applied migrations only, or for all when all is set.
 */
void state_presence(struct analysis *a, const struct catalog *expected, bool all);
void state_release(struct analysis *a);
/* Does the catalog hold the object? */
bool object_exists(const struct catalog *c, const struct obj_ref *o);
/*
 * The object an effect names, whatever it does to it (its new name after a
 * rename when new_name); false for kinds no verdict checks, or no name.
 */
bool effect_ref(const struct sql_effect *e, bool new_name, struct obj_ref *o);
/* Does an effect after `at` make, drop or rename (to or from) this name? */
bool name_reused_later(const struct sql_script *s, size_t at, enum sql_obj obj, const char *name);
/*
 * The premises of every fix action: what it assumes of the schema, for
 * the repair script to check on the live database first. Run last.
 */
void premises_build(struct analysis *a);
/* The DDL of every object a FIX_RECREATE makes (obj_ref.ddl), from the final catalog. */
void rebuild_build(struct analysis *a, const struct catalog *expected);
/* Would the type o's migration sets change the values of the column the export shows? */
bool rebuild_type_loses(const struct analysis *a, const struct catalog *expected,
			const struct obj_ref *o, const char **have);
/* A finding about the dump itself: objects taken as unknown (it may be partial). */
void rule_partial_schema(struct analysis *a);
/* The last word of the logs on each migration (ms->log_outcome). */
void state_logs(struct analysis *a);
void plan_run(struct analysis *a, const struct catalog *expected);
/*
 * Simulate 'migrate deploy' from base with the given per-state statuses
 * (a->v order); fills p. Used for the plan, and again on the state a
 * repair script would leave, to prove the repair lets deploy through.
 */
void plan_simulate(const struct analysis *a, const struct catalog *base, const enum mig_status *status,
		   bool history_table, struct arena *ar, struct plan *p);
/* The hazards of the statements the plan applies (a->hz), and MD024-MD026. */
void hazards_run(struct analysis *a, const struct catalog *expected);
void rules_run(struct analysis *a, const struct catalog *expected);
/* MD006/MD011 from a plan; true when it added a fix (then plan again). */
bool rule_plan(struct analysis *a, const struct plan *p);

/* Findings under construction. */
struct finding *finding_new(struct analysis *a, const char *code, const char *slug,
			    enum severity sev, const char *migration);
/*
 * The one finding of this code, made on first use: several rows or log
 * lines are the evidence of one finding (title and fix are static text).
 */
struct finding *finding_group(struct analysis *a, const char *code, const char *slug, enum severity sev,
			      const char *title, const char *fix);
MD_PRINTF(3, 4) void finding_title(struct analysis *a, struct finding *f, const char *fmt, ...);
MD_PRINTF(5, 6) void finding_ev(struct analysis *a, struct finding *f, const char *kind,
				const struct md_pos *pos, const char *fmt, ...);
void finding_relation(struct analysis *a, struct finding *f, const char *rel);
void finding_action(struct finding *f, enum fix_kind kind, const struct mig_state *ms,
		    const struct history_row *row, const char *why);
MD_PRINTF(3, 4) void finding_fix(struct analysis *a, struct finding *f, const char *fmt, ...);
MD_PRINTF(2, 3) void analysis_unconcluded(struct analysis *a, const char *fmt, ...);

/*
 * Every finding code (finding_defs.c): code, slug, severity and a
 * one-line summary; doc/findings.md describes the same codes.
 */
struct finding_def {
	const char *code, *slug;
	enum severity severity;
	const char *summary;
};
extern const struct finding_def finding_defs[];
extern const size_t finding_defs_n;
/* The definition of code, or NULL. */
const struct finding_def *finding_def(const char *code);
/* finding_new / finding_group with the code's slug and severity from finding_defs. */
struct finding *finding_new_code(struct analysis *a, const char *code, const char *migration);
struct finding *finding_group_code(struct analysis *a, const char *code, const char *title,
				   const char *fix);

#endif
