/*
 * events.c - the event list: lifecycle, kind names, sanitised strings.
 */
#include "migdoctor/common.h"
#include "migdoctor/strutil.h"
#include "migdoctor/utf8.h"
#include "logs_internal.h"

/* Names are API (JSON output, check evidence): append, never rename. */
static const char *const kind_names[LOG_EV__COUNT] = {
	[LOG_EV_DEPLOY_STARTED] = "deploy_started",
	[LOG_EV_SCHEMA_LOADED] = "schema_loaded",
	[LOG_EV_MIGRATIONS_FOUND] = "migrations_found",
	[LOG_EV_APPLYING] = "applying",
	[LOG_EV_APPLIED] = "applied",
	[LOG_EV_ALL_APPLIED] = "all_applied",
	[LOG_EV_NOTHING_PENDING] = "nothing_pending",
	[LOG_EV_FAILED] = "failed",
	[LOG_EV_REFUSED] = "refused",
	[LOG_EV_NOT_BASELINED] = "not_baselined",
	[LOG_EV_MISSING_FILE] = "missing_migration_file",
	[LOG_EV_PROVIDER_MISMATCH] = "provider_mismatch",
	[LOG_EV_UNREACHABLE] = "database_unreachable",
	[LOG_EV_LOCK_TIMEOUT] = "lock_timeout",
	[LOG_EV_RESOLVE_ALREADY_APPLIED] = "resolve_already_applied",
	[LOG_EV_RESOLVE_NEVER_APPLIED] = "resolve_never_applied",
	[LOG_EV_RESOLVE_NOT_FAILED] = "resolve_not_failed",
	[LOG_EV_RESOLVE_NOT_FOUND] = "resolve_not_found",
	[LOG_EV_MARKED_ROLLED_BACK] = "marked_rolled_back",
	[LOG_EV_MARKED_APPLIED] = "marked_applied",
	[LOG_EV_PRISMA_ERROR] = "prisma_error",
	[LOG_EV_LITELLM_IDEMPOTENT] = "litellm_idempotent",
	[LOG_EV_LITELLM_ROLLING_BACK] = "litellm_rolling_back",
	[LOG_EV_LITELLM_RESOLVING_APPLIED] = "litellm_resolving_applied",
	[LOG_EV_LITELLM_RESOLVED] = "litellm_resolved",
	[LOG_EV_LITELLM_PERMISSION] = "litellm_permission_error",
	[LOG_EV_LITELLM_UNCLASSIFIED] = "litellm_unclassified",
	[LOG_EV_LITELLM_BASELINE] = "litellm_baseline",
	[LOG_EV_LITELLM_SANITY_CHECK] = "litellm_sanity_check",
	[LOG_EV_LITELLM_DIFF_CREATED] = "litellm_diff_created",
	[LOG_EV_LITELLM_DIFF_EXECUTE] = "litellm_diff_execute",
	[LOG_EV_LITELLM_RETRY] = "litellm_retry",
	[LOG_EV_LITELLM_TIMEOUT] = "litellm_timeout",
	[LOG_EV_LITELLM_CONTINUING] = "litellm_continuing",
	[LOG_EV_LITELLM_DB_AHEAD] = "litellm_db_ahead",
	[LOG_EV_LITELLM_RECOVERED] = "litellm_recovered",
	[LOG_EV_DEPLOY_COMPLETED] = "deploy_completed",
	[LOG_EV_SCHEMA_MISSING_COLUMN] = "missing_column",
	[LOG_EV_SCHEMA_MISSING_TABLE] = "missing_table",
	[LOG_EV_SCHEMA_MISSING_RELATION] = "missing_relation",
	[LOG_EV_VERSION] = "version",
	[LOG_EV_LITELLM_SCHEMA_DRIFT] = "litellm_schema_drift",
	[LOG_EV_LITELLM_SETUP_ERROR] = "litellm_setup_error",
	[LOG_EV_STATUS_FAILED] = "status_failed",
	[LOG_EV_STATUS_PENDING] = "status_pending",
	[LOG_EV_STATUS_UP_TO_DATE] = "status_up_to_date",
	[LOG_EV_DEPLOY_NOT_RUN] = "deploy_not_run",
	[LOG_EV_DB_PUSH] = "db_push",
	[LOG_EV_DB_PUSH_FAILED] = "db_push_failed",
	[LOG_EV_DB_PUSH_DATA_LOSS] = "db_push_data_loss",
	[LOG_EV_STALE_CLIENT] = "stale_prisma_client",
};

const char *log_event_kind_name(enum log_event_kind kind)
{
	if ((unsigned)kind >= LOG_EV__COUNT || !kind_names[kind])
		return "unknown";
	return kind_names[kind];
}

void log_events_init(struct log_events *ev)
{
	memset(ev, 0, sizeof(*ev));
	arena_init(&ev->arena);
}

void log_events_release(struct log_events *ev)
{
	free(ev->items);
	arena_release(&ev->arena);
	memset(ev, 0, sizeof(*ev));
}

struct log_event *le_add(struct log_events *ev, enum log_event_kind kind)
{
	struct log_event *e;

	MD_GROW(ev->items, ev->n, ev->cap);
	e = &ev->items[ev->n++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->count = -1;
	e->attempt = -1;
	return e;
}

/*
 * Every string kept from a log is valid UTF-8 without control bytes, so
 * writers (text, JSON) never have to care where it came from.
 */
const char *le_str(struct log_events *ev, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0;
	char *out;

	if (n > LOG_MAX_FIELD)
		n = LOG_MAX_FIELD; /* a cut UTF-8 sequence becomes U+FFFD below */
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	out = arena_alloc(&ev->arena, n * 3 + 1);
	while (i < n) {
		size_t l = utf8_len(p + i, n - i);

		if (l == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		} else if (l == 1) {
			out[o++] = (p[i] < 0x20 || p[i] == 0x7f) ? ' ' : (char)p[i];
			i++;
		} else {
			memcpy(out + o, p + i, l);
			o += l;
			i += l;
		}
	}
	out[o] = '\0';
	return out;
}

/* Same fact, wherever and however it was printed. */
bool le_equal(const struct log_event *a, const struct log_event *b)
{
	return a->kind == b->kind && a->count == b->count && a->attempt == b->attempt &&
	       md_same(a->migration, b->migration) && md_same(a->code, b->code) &&
	       md_same(a->sqlstate, b->sqlstate) && md_same(a->relation, b->relation) &&
	       md_same(a->column, b->column) && md_same(a->message, b->message) &&
	       md_same(a->started_at, b->started_at) && md_same(a->detail, b->detail) &&
	       md_same(a->version, b->version);
}
