/*
 * bundle_read.c - the rows and DDL of a bundle: its dump.sql read by the
 * plain-SQL reader, then what the manifest says of the original history
 * (its format, dump time, which values could not tell NULL from '')
 * restored, so that 'check' concludes on a bundle what it concludes on
 * the files it was made from.
 */
#include "migdoctor/common.h"
#include "migdoctor/archive.h"
#include "migdoctor/bundle.h"
#include "hist_internal.h"

static void restore(struct history *h, const struct bundle_manifest *m)
{
	if (m->hist_format)
		h->format = arena_printf(&h->arena, "bundle of %s: %s", m->hist_source ? m->hist_source : "?",
					 m->hist_format);
	if (m->dump_time)
		h->dump_time = arena_strdup(&h->arena, m->dump_time);
	if (m->database)
		h->database = arena_strdup(&h->arena, m->database);
	/* dump.sql's COPY is unqualified when the input named no schema: keep it unnamed */
	h->schema_name = m->hist_schema ? arena_strdup(&h->arena, m->hist_schema) : NULL;
	if (m->by_position)
		h->flags |= HIST_BY_POSITION;
	for (size_t i = 0; i < m->nambiguous; i++) {
		uint64_t row = m->ambiguous[2 * i];

		if (row < h->nrows) {
			h->rows[row].ambiguous |= (unsigned)m->ambiguous[2 * i + 1] & ((1u << HC_NCOLS) - 1);
			h->flags |= HIST_NULL_AMBIGUOUS;
		}
	}
}

int history_read_bundle(struct history *h, const char *path, const struct history_opts *opts,
			struct md_error *err)
{
	struct bundle_manifest m;
	struct history_opts o = *opts;
	struct md_stream *s, *ms;
	struct md_tar t;
	int got, rc = -1;

	bundle_manifest_init(&m);
	if (bundle_manifest_read(&m, path, err))
		goto out;
	if (!m.has_dump) {
		h->format = "migdoctor bundle without rows or schema";
		rc = 0;
		goto out;
	}
	/* the bundle holds one database's one table: the choices were made when it was written */
	o.database = NULL;
	o.schema_name = NULL;
	if (md_stream_open_auto(&s, path, err))
		goto out;
	md_tar_init(&t, s);
	while ((got = md_tar_next(&t, err)) > 0)
		if (!strcmp(t.name, BUNDLE_DUMP))
			break;
	if (got <= 0) {
		if (got == 0)
			md_fail(err, "%s: no member %s, which its manifest announces", path, BUNDLE_DUMP);
		md_tar_release(&t);
		goto out;
	}
	ms = md_tar_member(&t);
	free(ms->name);
	ms->name = xasprintf("%s[dump.sql]", path);
	h->source = arena_strdup(&h->arena, ms->name);
	rc = hist_read_plain(h, ms, &o, err);
	md_stream_close(ms);
	md_tar_release(&t);
	if (rc == 0)
		restore(h, &m);
out:
	bundle_manifest_release(&m);
	return rc;
}
