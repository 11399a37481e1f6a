/*
 * bundle_logs.c - the events of a bundle's kept log lines, put back at the
 * line numbers of the log they were cut from (the manifest's ranges), so
 * evidence points into the customer's file, not into the bundle.
 */
#include "migdoctor/common.h"
#include "migdoctor/bundle.h"
#include "migdoctor/logs.h"

static uint64_t orig_line(const struct bundle_log *l, uint64_t line)
{
	for (size_t i = 0; i < l->nranges; i++)
		if (line >= l->ranges[i].first && line - l->ranges[i].first < l->ranges[i].count)
			return l->ranges[i].orig + (line - l->ranges[i].first);
	return line;
}

int logs_read_bundle(struct log_events *ev, const struct bundle_manifest *m, const char *path,
		     struct md_error *err)
{
	for (size_t i = 0; i < m->nlogs; i++) {
		const struct bundle_log *l = &m->logs[i];
		char *data, *name;
		size_t len, from = ev->n;
		int rc;

		if (bundle_member_read(path, l->member, BUNDLE_MAX_LOG, &data, &len, err))
			return -1;
		name = xasprintf("%s[%s]", path, l->source);
		rc = logs_read_mem(ev, name, data, len, err);
		free(name);
		free(data);
		if (rc)
			return -1;
		for (size_t k = from; k < ev->n; k++)
			ev->items[k].pos.line = orig_line(l, ev->items[k].pos.line);
	}
	return 0;
}
