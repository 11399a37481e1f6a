/*
 * fuzz_tar.c - the tar reader (ustar, pax, GNU long names, base-256
 * sizes) member by member, then the -Ft / tarball-of--Fd archive reader.
 */
#include "migdoctor/common.h"
#include "migdoctor/archive.h"

#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	char path[64], buf[4096];
	struct md_tar t;
	struct md_error err;
	struct history h;
	struct history_opts o = { .want_ddl = true };
	int members = 0;

	md_quiet = 1;
	md_tar_init(&t, md_stream_open_mem("fuzz.tar", data, size));
	while (members++ < 1000 && md_tar_next(&t, &err) > 0) {
		struct md_stream *m = md_tar_member(&t);

		if (members % 2)
			while (md_stream_read(m, buf, sizeof(buf), &err) > 0)
				;
		md_stream_close(m);
	}
	md_tar_release(&t);

	if (fd < 0)
		fd = memfd_create("fuzz_tar", 0);
	if (fd < 0 || ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		return 0;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	history_init(&h);
	(void)archive_read_history(&h, path, &o, &err);
	history_release(&h);
	return 0;
}
