/*
 * archive_sniff.c - is an input a pg_dump archive (custom or tar), or a
 * folder written by pg_dump -Fd? Told from the content, for the history
 * readers and for input_sniff() alike.
 */
#include "migdoctor/common.h"
#include "migdoctor/sniff.h"

#include <sys/stat.h>

int archive_sniff(const unsigned char *head, size_t n)
{
	if (n >= 5 && memcmp(head, "PGDMP", 5) == 0)
		return ARCHIVE_CUSTOM;
	if (n >= 262 && memcmp(head + 257, "ustar", 5) == 0)
		return ARCHIVE_TAR;
	return ARCHIVE_NONE;
}

int archive_is_dump_dir(const char *path)
{
	static const char *const names[] = { "toc.dat", "toc.dat.gz", "toc.dat.lz4", "toc.dat.zst" };
	struct stat st;

	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return 0;
	for (size_t i = 0; i < MD_ARRAY_LEN(names); i++) {
		char *p = xasprintf("%s/%s", path, names[i]);
		int found = lstat(p, &st) == 0; /* lstat: a broken link is reported when read */

		free(p);
		if (found)
			return 1;
	}
	return 0;
}
