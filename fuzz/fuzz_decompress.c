/*
 * fuzz_decompress.c - the gzip/zlib, zstd and lz4 filters (and sniffing)
 * on arbitrary bytes, with small bomb limits and odd read sizes.
 */
#include "migdoctor/common.h"
#include "migdoctor/decompress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct md_decomp_limits lim = { 8 << 20, 1 << 20, 200 };
	struct md_stream *s;
	struct md_error err;
	char buf[7919];
	size_t step;

	if (size < 1)
		return 0;
	step = 1 + data[0] % sizeof(buf);
	if (data[0] & 0x80) {
		enum md_codec c;

		if (md_stream_decompress_auto(&s, md_stream_open_mem("fuzz", data + 1, size - 1),
					      &lim, &c, &err))
			return 0;
	} else {
		s = md_stream_decompress(md_stream_open_mem("fuzz", data + 1, size - 1),
					 (enum md_codec)(data[0] % 4), &lim);
	}
	while (md_stream_read(s, buf, step, &err) > 0)
		;
	md_stream_close(s);
	return 0;
}
