/*
 * archive_sniff.c - is an input a pg_dump archive (custom or tar), or a
 * folder written by pg_dump -Fd? Told from the content, for the history
 * readers and for input_sniff() alike; and the containers they cannot
 * open, so the message can say what to do.
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

const char *md_container_advice(const unsigned char *head, size_t n)
{
	if (n >= 4 && !memcmp(head, "PK", 2) &&
	    ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6) ||
	     (head[2] == 7 && head[3] == 8)))
		return "a zip archive: unzip it and give the dump inside";
	if (n >= 6 && !memcmp(head, "\xfd" "7zXZ\0", 6))
		return "xz-compressed: run 'xz -d' on it and give the result (or pipe it: "
		       "'xz -dc FILE | migdoctor history -')";
	if (n >= 4 && !memcmp(head, "BZh", 3) && head[3] >= '1' && head[3] <= '9')
		return "bzip2-compressed: run 'bzip2 -d' on it and give the result (or pipe it: "
		       "'bzip2 -dc FILE | migdoctor history -')";
	if (n >= 6 && !memcmp(head, "7z\xbc\xaf\x27\x1c", 6))
		return "a 7-Zip archive: extract it ('7z x') and give the dump inside";
	return NULL;
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
