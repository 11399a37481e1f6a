/* libFuzzer: COPY text, as a file of its own and as a dump's data block. */
#include "migdoctor/common.h"
#include "history/hist_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const cols[] = { "id", "checksum", "finished_at", "migration_name",
					    "logs", "rolled_back_at", "started_at",
					    "applied_steps_count" };
	struct history h;
	struct md_error err;
	struct history_opts opts = { 0 };
	struct md_stream *s = md_stream_open_mem("fuzz.tsv", data, size);

	history_init(&h);
	(void)hist_read_copy_export(&h, s, &opts, &err);
	md_stream_close(s);
	history_release(&h);

	history_init(&h);
	s = md_stream_open_mem("fuzz.dat", data, size);
	(void)history_read_copy_text(&h, s, cols, MD_ARRAY_LEN(cols), 1, &err);
	md_stream_close(s);
	history_release(&h);
	return 0;
}
