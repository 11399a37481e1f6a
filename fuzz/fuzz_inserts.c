/* libFuzzer: INSERT statements through libpg_query into rows. */
#include "migdoctor/common.h"
#include "history/hist_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct history h;
	struct md_error err;
	struct md_pos pos = { "fuzz.sql", 1, 0, 0 };
	char *sql = xstrndup((const char *)data, size);

	history_init(&h);
	(void)history_read_inserts(&h, sql, &pos, &err);
	history_release(&h);
	free(sql);
	return 0;
}
