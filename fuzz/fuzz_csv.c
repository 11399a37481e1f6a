/* libFuzzer: the CSV reader (COPY csv, \copy, psql --csv). */
#include "migdoctor/common.h"
#include "history/hist_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct history h;
	struct md_error err;
	struct history_opts opts = { 0 };
	struct md_stream *s = md_stream_open_mem("fuzz.csv", data, size);

	history_init(&h);
	(void)hist_read_csv(&h, s, &opts, &err);
	md_stream_close(s);
	history_release(&h);
	return 0;
}
