/* Placeholder until the decompressing filters land: plain files only. */
#include "migdoctor/common.h"
#include "migdoctor/stream.h"

int md_stream_open_auto(struct md_stream **out, const char *path, struct md_error *err)
{
	return md_stream_open_file(out, path, err);
}
