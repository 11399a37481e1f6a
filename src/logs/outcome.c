/*
 * outcome.c - what the logs say of one migration (see log_outcome.h).
 */
#include "migdoctor/common.h"
#include "migdoctor/log_outcome.h"
#include "logs_internal.h"

static const char *const state_names[LOS__COUNT] = {
	[LOS_MENTIONED] = "mentioned",
	[LOS_APPLYING] = "applying",
	[LOS_APPLIED] = "applied",
	[LOS_FAILED] = "failed",
	[LOS_REFUSED] = "refused",
	[LOS_ROLLED_BACK] = "rolled_back",
	[LOS_RESOLVED_APPLIED] = "resolved_applied",
	[LOS_PERMISSION] = "permission_denied",
	[LOS_RECOVERED] = "recovered",
	[LOS_MISSING_FILE] = "missing_file",
	[LOS_BASELINE] = "baseline",
	[LOS_PENDING] = "pending",
};

static const char *const state_texts[LOS__COUNT] = {
	[LOS_MENTIONED] = "mentioned",
	[LOS_APPLYING] = "applying (no outcome logged)",
	[LOS_APPLIED] = "applied",
	[LOS_FAILED] = "failed",
	[LOS_REFUSED] = "failed earlier: its row blocks every deploy",
	[LOS_ROLLED_BACK] = "resolved rolled-back",
	[LOS_RESOLVED_APPLIED] = "resolved applied",
	[LOS_PERMISSION] = "failed: permission denied (42501), not applied",
	[LOS_RECOVERED] = "applied (recovered by LiteLLM)",
	[LOS_MISSING_FILE] = "migration.sql missing (P3015)",
	[LOS_BASELINE] = "baseline created by LiteLLM",
	[LOS_PENDING] = "pending (migrate status: not yet applied)",
};

const char *log_state_name(enum log_state s)
{
	return (unsigned)s < LOS__COUNT ? state_names[s] : "unknown";
}

const char *log_state_text(enum log_state s)
{
	return (unsigned)s < LOS__COUNT ? state_texts[s] : "unknown";
}

void log_outcome_init(struct log_outcome *o)
{
	memset(o, 0, sizeof(*o));
	o->last = LOS_MENTIONED;
}

void log_outcome_add(struct log_outcome *o, const struct log_event *e)
{
	o->events++;
	switch (e->kind) {
	case LOG_EV_APPLYING:
		o->applying++;
		/* LiteLLM logs stderr (the failure) before stdout (Applying): keep the outcome */
		if (o->last == LOS_MENTIONED)
			o->last = LOS_APPLYING;
		break;
	case LOG_EV_APPLIED:
		o->applied++;
		o->last = LOS_APPLIED;
		break;
	case LOG_EV_FAILED:
		o->failed++;
		o->last = LOS_FAILED;
		if (e->sqlstate)
			o->sqlstate = e->sqlstate;
		break;
	case LOG_EV_LITELLM_PERMISSION:
		/* LiteLLM's reading of a failure Prisma reported: not another failure */
		o->last = LOS_PERMISSION;
		o->sqlstate = e->sqlstate ? e->sqlstate : "42501";
		break;
	case LOG_EV_REFUSED:
		o->refused++;
		o->last = LOS_REFUSED;
		break;
	case LOG_EV_STATUS_FAILED:
		o->last = LOS_REFUSED;
		break;
	case LOG_EV_MARKED_ROLLED_BACK:
	case LOG_EV_LITELLM_ROLLING_BACK:
		if (e->kind == LOG_EV_MARKED_ROLLED_BACK)
			o->rolled_back++;
		/* after a permission error the roll-back is LiteLLM's cleanup: the cause stays */
		if (o->last != LOS_PERMISSION)
			o->last = LOS_ROLLED_BACK;
		break;
	case LOG_EV_LITELLM_RESOLVING_APPLIED:
		if (e->detail && !strcmp(e->detail, "failed"))
			break; /* "Failed to resolve migration": nothing changed */
		/* fall through */
	case LOG_EV_MARKED_APPLIED:
		o->resolved_applied++;
		o->last = LOS_RESOLVED_APPLIED;
		break;
	case LOG_EV_LITELLM_RESOLVED:
	case LOG_EV_LITELLM_IDEMPOTENT:
		o->last = LOS_RESOLVED_APPLIED;
		break;
	case LOG_EV_LITELLM_RECOVERED:
		o->last = LOS_RECOVERED;
		break;
	case LOG_EV_MISSING_FILE:
		o->last = LOS_MISSING_FILE;
		break;
	case LOG_EV_STATUS_PENDING:
		o->last = LOS_PENDING;
		break;
	case LOG_EV_LITELLM_BASELINE:
	case LOG_EV_LITELLM_DIFF_CREATED:
		if (o->last == LOS_MENTIONED)
			o->last = LOS_BASELINE;
		break;
	default:
		break;
	}
}

bool log_outcome_of(const struct log_events *ev, const char *migration, struct log_outcome *o)
{
	log_outcome_init(o);
	for (size_t i = 0; ev && migration && i < ev->n; i++)
		if (ev->items[i].migration && !strcmp(ev->items[i].migration, migration))
			log_outcome_add(o, &ev->items[i]);
	return o->events > 0;
}

/* "failed 42P07 (x2)" */
static void failures(const struct log_outcome *o, struct sbuf *out)
{
	sb_puts(out, "failed");
	if (o->sqlstate)
		sb_printf(out, " %s", o->sqlstate);
	if (o->failed > 1)
		sb_printf(out, " (x%u)", o->failed);
}

void log_outcome_render(const struct log_outcome *o, struct sbuf *out)
{
	switch (o->last) {
	case LOS_MENTIONED:
		return;
	case LOS_APPLIED:
		if (o->failed)
			sb_printf(out, "applied after %u failure%s", o->failed,
				  o->failed == 1 ? "" : "s");
		else
			sb_puts(out, "applied");
		return;
	case LOS_FAILED:
		failures(o, out);
		return;
	case LOS_PERMISSION:
		sb_puts(out, state_texts[LOS_PERMISSION]);
		return;
	case LOS_REFUSED:
		if (o->failed) {
			failures(o, out);
			sb_puts(out, ", then ");
		}
		sb_puts(out, "blocked deploy (P3009)");
		return;
	case LOS_ROLLED_BACK:
	case LOS_RESOLVED_APPLIED:
		if (o->failed) {
			failures(o, out);
			sb_puts(out, ", ");
		}
		sb_puts(out, o->last == LOS_ROLLED_BACK ? "rolled back" : "resolved applied");
		return;
	default:
		sb_puts(out, state_texts[o->last]);
		return;
	}
}

/* --- _prisma_migrations.logs --- */

bool prisma_logs_cause(struct arena *a, const char *logs, struct prisma_cause *c)
{
	struct log_events ev;
	struct log_scan s;
	const char *p = logs;
	const struct log_event *f = NULL;

	memset(c, 0, sizeof(*c));
	if (!logs || !*logs)
		return false;
	/* the scanner of start-up logs knows this text: it is Prisma's P3018 error */
	log_events_init(&ev);
	ls_init(&s, &ev, "_prisma_migrations.logs");
	for (uint64_t line = 1; *p; line++) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		s.line = line;
		s.offset = (uint64_t)(p - logs);
		ls_line(&s, p, MD_MIN(n, (size_t)LOG_MAX_LINE));
		if (!nl)
			break;
		p = nl + 1;
	}
	ls_finish(&s);
	ls_release(&s);
	for (size_t i = 0; i < ev.n && !f; i++)
		if (ev.items[i].kind == LOG_EV_FAILED)
			f = &ev.items[i];
	if (f) {
		if (f->sqlstate && strlen(f->sqlstate) == 5)
			memcpy(c->sqlstate, f->sqlstate, 6);
		c->message = f->message ? arena_strdup(a, f->message) : NULL;
		c->relation = f->relation ? arena_strdup(a, f->relation) : NULL;
		c->column = f->column ? arena_strdup(a, f->column) : NULL;
		c->connector = !f->code && f->detail && strstr(f->detail, "external connector");
	}
	log_events_release(&ev);
	return f != NULL;
}
