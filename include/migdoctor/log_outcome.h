/*
 * log_outcome.h - what the logs say of one migration, derived in one place:
 *
 *  - log_outcome_of(): from the events of start-up logs (logs.h), the
 *    counts and the last state of a migration; `migdoctor events` sums
 *    them up for every migration and `check` shows them beside each row;
 *  - prisma_logs_cause(): from the text Prisma stores in
 *    _prisma_migrations.logs (the P3018 block, or the driver adapter's
 *    "external connector error"), the SQLSTATE and the database's message,
 *    recognised by the same patterns as the start-up logs.
 */
#ifndef MIGDOCTOR_LOG_OUTCOME_H
#define MIGDOCTOR_LOG_OUTCOME_H

#include "migdoctor/common.h"
#include "migdoctor/arena.h"
#include "migdoctor/logs.h"
#include "migdoctor/sbuf.h"

/* The last thing the logs say happened to a migration. */
enum log_state {
	LOS_MENTIONED,        /* named, with nothing that tells an outcome */
	LOS_APPLYING,         /* "Applying migration", then nothing */
	LOS_APPLIED,
	LOS_FAILED,           /* P3018 or external connector error */
	LOS_REFUSED,          /* P3009 (or migrate status: failed): its row blocks every deploy */
	LOS_ROLLED_BACK,      /* resolve --rolled-back (Prisma or LiteLLM) */
	LOS_RESOLVED_APPLIED, /* resolve --applied, or LiteLLM judged the failure idempotent */
	LOS_PERMISSION,       /* LiteLLM: 42501, not applied */
	LOS_RECOVERED,        /* LiteLLM completed an unfinished row by checksum */
	LOS_MISSING_FILE,     /* P3015 */
	LOS_BASELINE,         /* LiteLLM created or adopted a baseline */
	LOS_PENDING,          /* migrate status: not yet applied */
	LOS__COUNT
};

struct log_outcome {
	enum log_state last;
	const char *sqlstate;  /* of the last failure that said one (42501 for permission); NULL */
	unsigned events;       /* events naming the migration */
	unsigned applying, applied, failed, refused, rolled_back, resolved_applied;
};

/* Start empty (LOS_MENTIONED, no counts). */
void log_outcome_init(struct log_outcome *o);
/* Fold one event of the migration into o (the caller picks the migration's events). */
void log_outcome_add(struct log_outcome *o, const struct log_event *e);
/* All events naming migration, in log order; false when none names it. */
bool log_outcome_of(const struct log_events *ev, const char *migration, struct log_outcome *o);

/* Stable lower-case name ("failed", "rolled_back"...): `events --format json` prints it. */
const char *log_state_name(enum log_state s);
/* A phrase for people: "failed: permission denied (42501), not applied". */
const char *log_state_text(enum log_state s);
/*
 * The outcome in a few words, with the failures that led to it:
 * "applied", "applied after 2 failures", "failed 42P07 (x2)",
 * "failed 42P07, rolled back", "blocked deploy (P3009)". Appends nothing
 * for LOS_MENTIONED.
 */
void log_outcome_render(const struct log_outcome *o, struct sbuf *out);

/* What a _prisma_migrations.logs text says went wrong. */
struct prisma_cause {
	char sqlstate[6];      /* "42P07"; "" when the text has none ("none", connector errors) */
	const char *message;   /* the database's message, first line, without "ERROR: "; NULL */
	const char *relation;  /* the relation and column the message names; NULL */
	const char *column;
	bool connector;        /* the driver adapter's "external connector error" form */
};

/*
 * Read logs (NUL-terminated, may be NULL) into c; strings are copied into
 * a. Returns true when the text holds a migration failure, false (c
 * cleared) when it does not.
 */
bool prisma_logs_cause(struct arena *a, const char *logs, struct prisma_cause *c);

#endif
