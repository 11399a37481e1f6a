/*
 * fuzz_logs.c - the log reader (wrappers, JSON decoding, prefilter,
 * patterns, blocks, de-duplication) on arbitrary bytes. The input is
 * read as two "files" split at its first form feed, so the state kept
 * across rotated logs is exercised too; every event is then rendered
 * through the accessors the CLI uses.
 */
#include "migdoctor/common.h"
#include "migdoctor/logs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	const char *ff = memchr(p, '\f', size);
	size_t n1 = ff ? (size_t)(ff - p) : size;
	struct log_events ev;
	struct md_error err;
	size_t total = 0;

	md_quiet = 1;
	log_events_init(&ev);
	if (logs_read_mem(&ev, "a.log", p, n1, &err) == 0 && ff)
		(void)logs_read_mem(&ev, "b.log", ff + 1, size - n1 - 1, &err);
	for (size_t i = 0; i < ev.n; i++) {
		const struct log_event *e = &ev.items[i];
		const char *f[] = { e->migration, e->code, e->sqlstate, e->relation, e->column,
				    e->message, e->started_at, e->timestamp, e->version, e->detail };

		total += strlen(log_event_kind_name(e->kind)) + strlen(e->pos.file);
		for (size_t k = 0; k < MD_ARRAY_LEN(f); k++)
			total += f[k] ? strlen(f[k]) : 0;
		if (e->pos.line == 0 || e->pos.line > ev.lines_read + 1)
			__builtin_trap(); /* a position outside the input */
	}
	(void)total;
	log_events_release(&ev);
	return 0;
}
