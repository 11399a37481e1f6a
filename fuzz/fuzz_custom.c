/*
 * fuzz_custom.c - the pg_dump custom-format reader (header, TOC, block
 * walking, chunk streams, decompression, row parsers) on arbitrary bytes.
 * The reader takes a path, so the input goes through a memfd.
 */
#include "migdoctor/common.h"
#include "migdoctor/archive.h"

#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	char path[64];
	struct history h;
	struct history_opts o = { .want_ddl = true };
	struct md_error err;

	md_quiet = 1;
	if (fd < 0)
		fd = memfd_create("fuzz_custom", 0);
	if (fd < 0 || ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		return 0;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	history_init(&h);
	(void)archive_read_history(&h, path, &o, &err);
	history_release(&h);
	return 0;
}
