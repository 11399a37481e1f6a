/* libFuzzer: the plain pg_dump / pg_dumpall reader (statements, COPY skip, DDL). */
#include "migdoctor/common.h"
#include "history/hist_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct history h;
	struct md_error err;
	struct history_opts opts = { 0 };
	struct md_stream *s = md_stream_open_mem("fuzz.sql", data, size);

	opts.want_ddl = size & 1;
	opts.database = size % 3 == 0 ? "app" : NULL;
	history_init(&h);
	h.source = "fuzz.sql";
	(void)hist_read_plain(&h, s, &opts, &err);
	md_stream_close(s);
	history_release(&h);
	return 0;
}
