/*
 * logs.h - migration events found in LiteLLM start-up logs.
 *
 * logs_read() streams a log file (plain, gzip/zstd/lz4 through
 * md_stream_open_auto), strips what wraps each line (docker compose
 * "service  | ", kubectl RFC3339 timestamps and "[pod/NAME/CONTAINER] "
 * prefixes, "YYYY-MM-DD HH:MM:SS " application-logger timestamps, "> "
 * quotes and npm/yarn script lines, ANSI colours, CR, the
 * litellm_proxy_extras and "LiteLLM Proxy" prefixes, JSON objects with a
 * "message"), and appends one struct log_event per migration fact it
 * recognises: Prisma CLI output of versions 4 to 7 and LiteLLM's own
 * automatic actions. Lines that mean nothing for migrations are skipped.
 *
 * Every string in an event lives in the arena of its struct log_events
 * and stays valid until log_events_release(). A field is NULL (or -1 for
 * numbers) when the log did not say it.
 */
#ifndef MIGDOCTOR_LOGS_H
#define MIGDOCTOR_LOGS_H

#include "migdoctor/common.h"
#include "migdoctor/arena.h"
#include "migdoctor/diag.h"

/*
 * The kinds. Their names (log_event_kind_name) are API: they appear in
 * `migdoctor events --format json` and in `check` evidence. Append new
 * kinds before LOG_EV__COUNT; never renumber or rename.
 */
enum log_event_kind {
	/* Prisma CLI (migrate deploy / resolve) */
	LOG_EV_DEPLOY_STARTED,        /* "deploy_started": LiteLLM "Running prisma migrate
				       * deploy" */
	LOG_EV_SCHEMA_LOADED,         /* "schema_loaded": "Prisma schema loaded from F" (+
				       * Datasource line in detail) */
	LOG_EV_MIGRATIONS_FOUND,      /* "migrations_found": count = N ("No migration found" = 0) */
	LOG_EV_APPLYING,              /* "applying": Applying migration `M` */
	LOG_EV_APPLIED,               /* "applied": M listed under "The following migration(s)
				       * have been applied" */
	LOG_EV_ALL_APPLIED,           /* "all_applied": "All migrations have been successfully
				       * applied." */
	LOG_EV_NOTHING_PENDING,       /* "nothing_pending": "No pending migrations to apply." */
	LOG_EV_FAILED,                /* "failed": P3018 (code, sqlstate, message, relation,
				       * column) or driver-adapter "external connector error"
				       * (code NULL, no sqlstate) */
	LOG_EV_REFUSED,               /* "refused": P3009, one event per failed migration,
				       * started_at */
	LOG_EV_NOT_BASELINED,         /* "not_baselined": P3005 */
	LOG_EV_MISSING_FILE,          /* "missing_migration_file": P3015, detail = path */
	LOG_EV_PROVIDER_MISMATCH,     /* "provider_mismatch": P3019, detail = message */
	LOG_EV_UNREACHABLE,           /* "database_unreachable": P1001, detail = host[:port] */
	LOG_EV_LOCK_TIMEOUT,          /* "lock_timeout": P1002 / advisory lock, detail = context */
	LOG_EV_RESOLVE_ALREADY_APPLIED, /* "resolve_already_applied": P3008 */
	LOG_EV_RESOLVE_NEVER_APPLIED, /* "resolve_never_applied": P3011 */
	LOG_EV_RESOLVE_NOT_FAILED,    /* "resolve_not_failed": P3012 */
	LOG_EV_RESOLVE_NOT_FOUND,     /* "resolve_not_found": P3017 */
	LOG_EV_MARKED_ROLLED_BACK,    /* "marked_rolled_back": "Migration M marked as rolled
				       * back" */
	LOG_EV_MARKED_APPLIED,        /* "marked_applied": "Migration M marked as applied" */
	LOG_EV_PRISMA_ERROR,          /* "prisma_error": any other "Error: Pxxxx" (code, message) */
	/* LiteLLM's automatic actions (litellm_proxy_extras) */
	LOG_EV_LITELLM_IDEMPOTENT,    /* "litellm_idempotent": failure judged idempotent, will
				       * resolve as applied */
	LOG_EV_LITELLM_ROLLING_BACK,  /* "litellm_rolling_back": LiteLLM runs resolve
				       * --rolled-back M */
	LOG_EV_LITELLM_RESOLVING_APPLIED, /* "litellm_resolving_applied": LiteLLM runs resolve
					   * --applied M */
	LOG_EV_LITELLM_RESOLVED,      /* "litellm_resolved": "✅ Migration [M] resolved." */
	LOG_EV_LITELLM_PERMISSION,    /* "litellm_permission_error": 42501 stop, M NOT applied */
	LOG_EV_LITELLM_UNCLASSIFIED,  /* "litellm_unclassified": P3018 neither permission nor
				       * idempotent */
	LOG_EV_LITELLM_BASELINE,      /* "litellm_baseline": P3005 handling, 0_init, detail says
				       * which step */
	LOG_EV_LITELLM_SANITY_CHECK,  /* "litellm_sanity_check": post-migration check start/end */
	LOG_EV_LITELLM_DIFF_CREATED,  /* "litellm_diff_created": <ts>_baseline_diff written
				       * (migration, detail = path) */
	LOG_EV_LITELLM_DIFF_EXECUTE,  /* "litellm_diff_execute": `prisma db execute` of the diff;
				       * detail = outcome */
	LOG_EV_LITELLM_RETRY,         /* "litellm_retry": "Retrying... (k attempts left)": count
				       * = k */
	LOG_EV_LITELLM_TIMEOUT,       /* "litellm_timeout": "Attempt N timed out": attempt = N */
	LOG_EV_LITELLM_CONTINUING,    /* "litellm_continuing": "migration failed but continuing
				       * startup" */
	LOG_EV_LITELLM_DB_AHEAD,      /* "litellm_db_ahead": DB has count migrations NEWER than
				       * this version */
	LOG_EV_LITELLM_RECOVERED,     /* "litellm_recovered": unfinished row M completed by
				       * checksum */
	LOG_EV_DEPLOY_COMPLETED,      /* "deploy_completed": "prisma migrate deploy completed" */
	/* runtime schema errors that betray a missing migration */
	LOG_EV_SCHEMA_MISSING_COLUMN, /* "missing_column": The column `T.c` does not exist in the
				       * current database */
	LOG_EV_SCHEMA_MISSING_TABLE,  /* "missing_table": The table `public.T` does not exist in
				       * the current database */
	LOG_EV_SCHEMA_MISSING_RELATION, /* "missing_relation": relation "T" does not exist
					 * (outside a migration) */
	/* context */
	LOG_EV_VERSION,               /* "version": detail "prisma" or "litellm", version = the
				       * version */
	/* LiteLLM start-up outside migrate deploy */
	LOG_EV_LITELLM_SCHEMA_DRIFT,  /* "litellm_schema_drift": DISABLE_SCHEMA_UPDATE diff check
				       * found changes (detail "changes detected") or failed
				       * (detail "diff failed") */
	LOG_EV_LITELLM_SETUP_ERROR,   /* "litellm_setup_error": prisma not found / proxy extras
				       * not importable */
	/* prisma migrate status output (pasted into tickets) */
	LOG_EV_STATUS_FAILED,         /* "status_failed": M listed under "Following migration(s)
				       * have failed:" */
	LOG_EV_STATUS_PENDING,        /* "status_pending": M listed under "... have not yet been
				       * applied:" */
	LOG_EV_STATUS_UP_TO_DATE,     /* "status_up_to_date": "Database schema is up to date!" */
	/* the Prisma CLI never ran: npm, node, engines (issue threads, 2026-12) */
	LOG_EV_DEPLOY_NOT_RUN,        /* "deploy_not_run": the CLI could not start, detail = why
				       * ("npm install prisma@5.4.2 failed", "cannot load shared
				       * library libatomic.so.1", ...) */
	/* prisma db push (LiteLLM before 1.74.11, --use_prisma_db_push) */
	LOG_EV_DB_PUSH,               /* "db_push": detail "started", "in sync" or "already in
				       * sync" */
	LOG_EV_DB_PUSH_FAILED,        /* "db_push_failed": detail = why (exit status, data loss
				       * not accepted), message = the line */
	LOG_EV_DB_PUSH_DATA_LOSS,     /* "db_push_data_loss": db push would drop relation (or
				       * column of it); count = rows; detail says which */
	/* a Prisma client generated from another schema.prisma */
	LOG_EV_STALE_CLIENT,          /* "stale_prisma_client": 'Prisma' object has no
				       * attribute A; detail = A */
	LOG_EV__COUNT
};

struct log_event {
	enum log_event_kind kind;
	const char *migration;  /* migration (folder) name */
	const char *code;       /* Prisma error code, "P3018" */
	const char *sqlstate;   /* "42P07" */
	const char *relation;   /* relation the message names (schema prefix removed) */
	const char *column;     /* column the message names */
	const char *message;    /* the Postgres / driver / Prisma message, first line */
	const char *started_at; /* P3009: when the failed migration started ("2025-10-10
				 * 13:48:23.538445 UTC") */
	const char *timestamp;  /* the log line's own timestamp text, if its wrapper had one */
	const char *version;    /* LiteLLM / Prisma version when the line says it */
	const char *detail;     /* kind-specific extra text (host, path, step) */
	long count;             /* migrations found, attempts left, DB-ahead count; -1 if none */
	long attempt;           /* attempt number ("Attempt N timed out"); -1 if none */
	struct md_pos pos;      /* where: file (owned by the arena), line, offset */
	bool from_json;         /* the event came from a JSON log object */
};

struct log_events {
	struct log_event *items;
	size_t n, cap;
	struct arena arena;
	uint64_t lines_read;    /* all files so far */
	unsigned files_read;
	unsigned long_lines;    /* lines skipped because longer than LOG_MAX_LINE */
	unsigned duplicates;    /* plain+JSON copies dropped (LiteLLM 1.80.x JSON_LOGS) */
	bool truncated;         /* LOG_MAX_EVENTS reached: later events were not kept */
};

/*
 * Longest line kept, in bytes. A longer line (a 500 MB single-line log)
 * is skipped with a warning naming file and line: its first LOG_MAX_LINE
 * bytes are still searched, the rest is discarded while streaming, so
 * memory stays bounded.
 */
#define LOG_MAX_LINE (1024 * 1024)
/*
 * Memory stays bounded whatever the log: at most LOG_MAX_EVENTS events are
 * kept (then a warning, truncated is set, lines are still counted), and
 * each text field keeps at most LOG_MAX_FIELD bytes of the log.
 */
#define LOG_MAX_EVENTS (256 * 1024)
#define LOG_MAX_FIELD 4096

/*
 * A log must be text. The first LOG_TEXT_PROBE bytes (after decompression)
 * are looked at: when more than LOG_BINARY_PERCENT of them are NUL bytes,
 * control bytes other than tab, line ends and ESC (ANSI colours), or bytes
 * that are not UTF-8, the file is refused as "not a text log" (an
 * executable, an image, an archive, UTF-16 text). A text log with a few
 * stray binary bytes (a corrupted excerpt) is still read.
 */
#define LOG_TEXT_PROBE (64 * 1024)
#define LOG_BINARY_PERCENT 25

void log_events_init(struct log_events *ev);
void log_events_release(struct log_events *ev);
/*
 * Append the events of one file (several calls: rotated logs, in order).
 * A file that is not text (LOG_TEXT_PROBE) is an input error naming it.
 */
int logs_read(struct log_events *ev, const char *path, struct md_error *err);
/* Same over memory (tests, fuzzing); name is used in positions. */
int logs_read_mem(struct log_events *ev, const char *name, const void *data, size_t len,
		  struct md_error *err);
/* Stable lower-case name, e.g. "failed"; "unknown" for an invalid kind. */
const char *log_event_kind_name(enum log_event_kind kind);

/* "yes" when PCRE2 has JIT and every log pattern JIT-compiled, else "no (why)". */
const char *logs_jit_status(void);

#endif
