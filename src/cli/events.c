/*
 * events.c - `migdoctor events LOG...`: the migration events in logs,
 * in order, then a short per-migration summary.
 */
#include "migdoctor/common.h"
#include "migdoctor/diag.h"
#include "migdoctor/json.h"
#include "migdoctor/log_outcome.h"
#include "migdoctor/logs.h"
#include "migdoctor/sbuf.h"
#include "cli.h"

#include <errno.h>

/* Bump when a field changes meaning; adding fields keeps the version. */
#define EVENTS_JSON_VERSION 1

static const struct cli_opt events_opts[] = {
	{ 'f', 'f', "format", "FORMAT", "text (default) or json. JSON: an object with\n"
	  "\"version\" (1), \"files\", \"lines_read\", \"events\" (file,\n"
	  "line, kind, and when known: migration, code,\nsqlstate, relation, column, message, "
	  "started_at,\ntimestamp, version, detail, count, attempt;\nfrom_json), \"summary\" "
	  "(migration, outcome,\nsqlstate, counts), the numbers of\n\"duplicates_dropped\" and "
	  "\"long_lines\", and\n\"truncated\" (over 262144 events). Absent field =\nunknown; "
	  "bytes that are not UTF-8 become U+FFFD", 0, NULL },
	{ CLI_O_NO_SUMMARY, 0, "no-summary", NULL, "print the events only", 0, NULL },
	CLI_OPTS_COMMON,
};

const struct cli_cmd cli_cmd_events = {
	"events",
	"usage: migdoctor events [OPTIONS] LOG...\n"
	"\n"
	"List the Prisma Migrate events found in LiteLLM start-up logs, in order,\n"
	"each with its file and line, then a per-migration summary.\n"
	"\n"
	"Logs may be plain litellm_proxy_extras / 'LiteLLM Proxy' output (ANSI colours\n"
	"are removed), JSON logs (JSON_LOGS, one object a line; the doubled plain+JSON\n"
	"output of LiteLLM 1.80.x is de-duplicated), raw Prisma CLI output (4.x-7.x),\n"
	"with docker compose 'service  | ' or 'kubectl logs --timestamps' prefixes,\n"
	"CRLF line ends, gzip/zstd/lz4 compression (detected by content). Several\n"
	"LOGs are read in the order given (rotated logs: oldest first); '-' is\n"
	"standard input.\n"
	"Lines longer than 1 MiB are searched in their first 1 MiB only (a warning\n"
	"names them); each text field keeps at most 4096 bytes; after 262144 events\n"
	"the rest is only counted (a warning says so). Memory stays bounded.\n",
	events_opts, MD_ARRAY_LEN(events_opts),
	"event kinds: deploy_started schema_loaded migrations_found applying applied\n"
	"  all_applied nothing_pending failed (P3018 / external connector error)\n"
	"  refused (P3009) not_baselined (P3005) missing_migration_file (P3015)\n"
	"  provider_mismatch (P3019) database_unreachable (P1001) lock_timeout (P1002)\n"
	"  resolve_already_applied (P3008) resolve_never_applied (P3011)\n"
	"  resolve_not_failed (P3012) resolve_not_found (P3017) marked_rolled_back\n"
	"  marked_applied prisma_error litellm_idempotent litellm_rolling_back\n"
	"  litellm_resolving_applied litellm_resolved litellm_permission_error\n"
	"  litellm_unclassified litellm_baseline litellm_sanity_check\n"
	"  litellm_diff_created litellm_diff_execute litellm_retry litellm_timeout\n"
	"  litellm_continuing litellm_db_ahead litellm_recovered deploy_completed\n"
	"  missing_column missing_table missing_relation version litellm_schema_drift\n"
	"  litellm_setup_error status_failed status_pending status_up_to_date\n"
	"  deploy_not_run (the Prisma CLI never ran) db_push db_push_failed\n"
	"  db_push_data_loss stale_prisma_client\n"
	"\n"
	"summary outcomes: applied, failed, refused (a failed row blocks deploy: P3009\n"
	"  or migrate status), rolled_back, resolved_applied, permission_denied,\n"
	"  recovered, applying (no outcome logged), missing_file, baseline, pending,\n"
	"  mentioned\n"
	"\n"
	"examples:\n"
	"  migdoctor events litellm.log\n"
	"  migdoctor events proxy.log.2.gz proxy.log.1 proxy.log\n"
	"  kubectl logs --timestamps deploy/litellm | migdoctor events -\n"
	"  migdoctor events --format json litellm.log | jq '.events[] | select(.kind==\"failed\")'\n"
	"\n"
	"exit codes: 0 logs read (even with no events), 2 usage error,\n"
	"            3 unreadable input, 4 internal error\n",
};

/* Write what is buffered once it is large: output of any size in bounded memory. */
static int flush_out(struct sbuf *o, bool force)
{
	if (!force && o->len < (64u << 10))
		return 0;
	int rc = cli_write_stdout(o->buf, o->len);

	/* dropped also when the write failed: memory stays bounded until the end reports it */
	sbuf_reset(o);
	return rc;
}

/* --- per-migration summary --- */

/* one migration's outcome, folded by the log module (src/logs/outcome.c) */
struct mig_sum {
	const char *name;
	struct log_outcome o;
};

struct summary {
	struct mig_sum *m;
	size_t n, cap;
	size_t *slot;     /* open addressing: 1 + index into m, 0 = empty */
	size_t nslots;    /* power of two, kept at least twice n */
};

static size_t name_hash(const char *s)
{
	size_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The entry of a migration name, in order of first mention. */
static struct mig_sum *sum_get(struct summary *s, const char *name)
{
	size_t i;

	if (2 * (s->n + 1) > s->nslots) {
		size_t ns = s->nslots ? s->nslots * 2 : 64;

		free(s->slot);
		s->slot = xcalloc(ns, sizeof(*s->slot));
		s->nslots = ns;
		for (size_t k = 0; k < s->n; k++) {
			for (i = name_hash(s->m[k].name) & (ns - 1); s->slot[i]; i = (i + 1) & (ns - 1))
				;
			s->slot[i] = k + 1;
		}
	}
	for (i = name_hash(name) & (s->nslots - 1); s->slot[i]; i = (i + 1) & (s->nslots - 1))
		if (!strcmp(s->m[s->slot[i] - 1].name, name))
			return &s->m[s->slot[i] - 1];
	MD_GROW(s->m, s->n, s->cap);
	memset(&s->m[s->n], 0, sizeof(s->m[0]));
	s->m[s->n].name = name;
	log_outcome_init(&s->m[s->n].o);
	s->slot[i] = ++s->n;
	return &s->m[s->n - 1];
}

static void summarise(struct summary *s, const struct log_events *ev)
{
	for (size_t i = 0; i < ev->n; i++)
		if (ev->items[i].migration)
			log_outcome_add(&sum_get(s, ev->items[i].migration)->o, &ev->items[i]);
}

/* --- text --- */

static bool needs_quotes(const char *v)
{
	if (!*v)
		return true;
	for (; *v; v++)
		if (*v == ' ' || *v == '"' || *v == '\\' || *v == '=')
			return true;
	return false;
}

static void text_field(struct sbuf *o, const char *key, const char *v)
{
	if (!v)
		return;
	sb_printf(o, " %s=", key);
	if (!needs_quotes(v)) {
		sb_puts(o, v);
		return;
	}
	sb_putc(o, '"');
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			sb_putc(o, '\\');
		sb_putc(o, *v);
	}
	sb_putc(o, '"');
}

static void text_event(struct sbuf *o, const struct log_event *e)
{
	sb_printf(o, "%s:%llu: %s", e->pos.file, (unsigned long long)e->pos.line,
		  log_event_kind_name(e->kind));
	if (e->migration && needs_quotes(e->migration))
		text_field(o, "migration", e->migration);
	else if (e->migration)
		sb_printf(o, " %s", e->migration);
	text_field(o, "code", e->code);
	text_field(o, "sqlstate", e->sqlstate);
	text_field(o, "relation", e->relation);
	text_field(o, "column", e->column);
	if (e->count >= 0)
		sb_printf(o, " count=%ld", e->count);
	if (e->attempt >= 0)
		sb_printf(o, " attempt=%ld", e->attempt);
	text_field(o, "started_at", e->started_at);
	text_field(o, "version", e->version);
	text_field(o, "detail", e->detail);
	text_field(o, "message", e->message);
	text_field(o, "time", e->timestamp);
	sb_putc(o, '\n');
}

static void text_summary(struct sbuf *o, const struct summary *s)
{
	if (!s->n)
		return;
	sb_printf(o, "\nsummary: %zu migration%s named\n", s->n, s->n == 1 ? "" : "s");
	for (size_t i = 0; i < s->n; i++) {
		const struct mig_sum *m = &s->m[i];
		const char *sep = " (";

		sb_printf(o, "  %s: %s", m->name, log_state_text(m->o.last));
		if (m->o.last == LOS_FAILED && m->o.sqlstate)
			sb_printf(o, " with SQLSTATE %s", m->o.sqlstate);
#define COUNT(field, label)                                          \
	do {                                                         \
		if (m->o.field) {                                    \
			sb_printf(o, "%s%s %u", sep, label, m->o.field); \
			sep = ", ";                                  \
		}                                                    \
	} while (0)
		COUNT(applying, "applying");
		COUNT(applied, "applied");
		COUNT(failed, "failed");
		COUNT(refused, "refused by P3009");
		COUNT(rolled_back, "marked rolled back");
		COUNT(resolved_applied, "resolved applied");
#undef COUNT
		sb_puts(o, *sep == ',' ? ")\n" : "\n");
		(void)flush_out(o, false);
	}
}

/* --- JSON --- */

static void json_field(struct sbuf *o, const char *key, const char *v)
{
	if (!v)
		return;
	sb_printf(o, ", \"%s\": ", key);
	json_str(o, v);
}

static void json_event(struct sbuf *o, const struct log_event *e)
{
	sb_puts(o, "{\"file\": ");
	json_str(o, e->pos.file);
	sb_printf(o, ", \"line\": %llu, \"kind\": \"%s\"", (unsigned long long)e->pos.line,
		  log_event_kind_name(e->kind));
	json_field(o, "migration", e->migration);
	json_field(o, "code", e->code);
	json_field(o, "sqlstate", e->sqlstate);
	json_field(o, "relation", e->relation);
	json_field(o, "column", e->column);
	json_field(o, "message", e->message);
	json_field(o, "started_at", e->started_at);
	json_field(o, "timestamp", e->timestamp);
	json_field(o, "version", e->version);
	json_field(o, "detail", e->detail);
	if (e->count >= 0)
		sb_printf(o, ", \"count\": %ld", e->count);
	if (e->attempt >= 0)
		sb_printf(o, ", \"attempt\": %ld", e->attempt);
	sb_printf(o, ", \"from_json\": %s}", e->from_json ? "true" : "false");
}

static void json_out(struct sbuf *o, const struct log_events *ev, const struct summary *s,
		     char **files, int nfiles, bool with_summary)
{
	sb_printf(o, "{\n  \"version\": %d,\n  \"files\": [", EVENTS_JSON_VERSION);
	for (int i = 0; i < nfiles; i++) {
		if (i)
			sb_puts(o, ", ");
		json_str(o, strcmp(files[i], "-") ? files[i] : "/dev/stdin");
	}
	sb_printf(o, "],\n  \"lines_read\": %llu,\n  \"events\": [",
		  (unsigned long long)ev->lines_read);
	for (size_t i = 0; i < ev->n; i++) {
		sb_puts(o, i ? ",\n    " : "\n    ");
		json_event(o, &ev->items[i]);
		(void)flush_out(o, false); /* errors surface at the final flush */
	}
	sb_puts(o, ev->n ? "\n  ],\n" : "],\n");
	sb_puts(o, "  \"summary\": [");
	for (size_t i = 0; with_summary && i < s->n; i++) {
		const struct mig_sum *m = &s->m[i];

		sb_puts(o, i ? ",\n    " : "\n    ");
		sb_puts(o, "{\"migration\": ");
		json_str(o, m->name);
		sb_printf(o, ", \"outcome\": \"%s\"", log_state_name(m->o.last));
		json_field(o, "sqlstate", m->o.sqlstate);
		sb_printf(o, ", \"applying\": %u, \"applied\": %u, \"failed\": %u, \"refused\": %u, "
			     "\"rolled_back\": %u, \"resolved_applied\": %u}",
			  m->o.applying, m->o.applied, m->o.failed, m->o.refused, m->o.rolled_back,
			  m->o.resolved_applied);
	}
	sb_puts(o, with_summary && s->n ? "\n  ],\n" : "],\n");
	sb_printf(o, "  \"duplicates_dropped\": %u,\n  \"long_lines\": %u,\n  \"truncated\": %s\n}\n",
		  ev->duplicates, ev->long_lines, ev->truncated ? "true" : "false");
}

static int run(int argc, char **argv)
{
	struct cli_parser p;
	enum cli_format fmt = CLI_FORMAT_TEXT;
	bool with_summary = true;
	struct log_events ev;
	struct summary sum = { NULL, 0, 0, NULL, 0 };
	struct md_error err;
	struct sbuf out = SBUF_INIT;
	int c, rc = MD_EXIT_OK;

	cli_parser_init(&p, &cli_cmd_events, argc, argv);
	while ((c = cli_next(&p)) != CLI_END) {
		switch (c) {
		case 'f':
			if (cli_parse_format("events", p.arg,
					     (1u << CLI_FORMAT_TEXT) | (1u << CLI_FORMAT_JSON), &fmt))
				return MD_EXIT_USAGE;
			break;
		case CLI_O_NO_SUMMARY:
			with_summary = false;
			break;
		case CLI_EXIT:
			return p.rc;
		default:
			md_bug(__FILE__, __LINE__, "option %d not handled", c);
		}
	}
	if (optind >= argc)
		return cli_usage_error("events", "no LOG given; expected one or more log files");

	log_events_init(&ev);
	md_error_clear(&err);
	for (int i = optind; i < argc; i++) {
		/* "-": standard input (kubectl logs ... | migdoctor events -) */
		const char *path = strcmp(argv[i], "-") ? argv[i] : "/dev/stdin";

		if (logs_read(&ev, path, &err)) {
			md_errorf("%s", err.msg);
			rc = err.code ? (int)err.code : MD_EXIT_INPUT;
			goto out;
		}
	}
	if (with_summary)
		summarise(&sum, &ev);
	if (fmt == CLI_FORMAT_JSON) {
		json_out(&out, &ev, &sum, argv + optind, argc - optind, with_summary);
	} else {
		for (size_t i = 0; i < ev.n; i++) {
			text_event(&out, &ev.items[i]);
			(void)flush_out(&out, false);
		}
		if (!ev.n)
			sb_printf(&out, "no migration events found (%d file%s, %llu line%s read)\n",
				  argc - optind, argc - optind == 1 ? "" : "s",
				  (unsigned long long)ev.lines_read, ev.lines_read == 1 ? "" : "s");
		if (with_summary)
			text_summary(&out, &sum);
	}
	(void)flush_out(&out, true);
out:
	sbuf_release(&out);
	free(sum.m);
	free(sum.slot);
	log_events_release(&ev);
	return rc;
}

int cmd_events(int argc, char **argv)
{
	return cli_finish_stdout(run(argc, argv));
}
