/*
 * libFuzzer: the export forms read besides CSV, COPY and psql's tables:
 * JSON (json_agg, row_to_json), Markdown tables, psql html and asciidoc.
 * The first byte chooses the reader, the rest is its input.
 */
#include "migdoctor/common.h"
#include "history/hist_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int (*const readers[])(struct history *, struct md_stream *,
				      const struct history_opts *, struct md_error *) = {
		hist_read_json, hist_read_markdown, hist_read_html, hist_read_asciidoc,
	};
	struct history h;
	struct md_error err;
	struct history_opts opts = { 0 };
	struct md_stream *s;

	if (size < 1)
		return 0;
	s = md_stream_open_mem("fuzz.txt", data + 1, size - 1);
	history_init(&h);
	(void)readers[data[0] % MD_ARRAY_LEN(readers)](&h, s, &opts, &err);
	md_stream_close(s);
	history_release(&h);
	return 0;
}
