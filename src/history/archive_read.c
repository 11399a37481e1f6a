/* Entry points of the pg_dump archive readers (see archive.h). */
#include "migdoctor/common.h"
#include "migdoctor/archive.h"

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
		int found = lstat(p, &st) == 0;

		free(p);
		if (found)
			return 1;
	}
	return 0;
}

int archive_read_history(struct history *h, const char *path, const struct history_opts *opts,
			 struct md_error *err)
{
	(void)h;
	(void)opts;
	return md_fail(err, "%s: pg_dump archives are not supported yet", path);
}
