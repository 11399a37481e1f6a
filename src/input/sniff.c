/*
 * sniff.c - tell a migrations folder, a dump, a history export and a log
 * apart by their content, for 'check' inputs given without a flag.
 */
#include "migdoctor/common.h"
#include "migdoctor/bundle.h"
#include "migdoctor/sniff.h"
#include "migdoctor/stream.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

const char *input_role_name(enum input_role r)
{
	static const char *const n[] = { "migrations", "dump", "history", "log", "bundle", "migdoctor bundle" };

	return n[r];
}

static bool has_migration_folder(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	bool found = false;

	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		char *p;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s/migration.sql", path, de->d_name);
		found = stat(p, &st) == 0 && S_ISREG(st.st_mode);
		free(p);
	}
	closedir(d);
	return found;
}

static bool contains(const char *h, size_t n, const char *needle)
{
	return memmem(h, n, needle, strlen(needle)) != NULL;
}

int input_sniff(const char *path, enum input_role *role, struct md_error *err)
{
	struct stat st;
	char head[65536];
	size_t n = 0;

	if (md_path_is_stdin(path))
		return md_fail(err, "'-' (standard input) is read once, so its role is not guessed "
			       "from its content; give it with -H, -s or -l");
	if (stat(path, &st) < 0)
		return md_fail(err, "cannot open '%s': %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		if (archive_is_dump_dir(path))
			*role = ROLE_DUMP;
		else if (has_migration_folder(path))
			*role = ROLE_MIGRATIONS;
		else
			*role = ROLE_BUNDLE;
		return 0;
	}
	if (md_file_head(path, head, sizeof(head), &n, err))
		return -1;
	if (md_container_advice((const unsigned char *)head, n))
		return md_fail(err, "%s: byte 0: %s", path,
			       md_container_advice((const unsigned char *)head, n));
	if (n >= 30 && !memcmp(head, "-- migdoctor repair script", 26))
		return md_fail(err, "'%s' is a repair script written by migdoctor, not an input", path);
	if (bundle_sniff((const unsigned char *)head, n)) {
		*role = ROLE_PACKED;
		return 0;
	}
	if (archive_sniff((const unsigned char *)head, n) ||
	    contains(head, n, "-- PostgreSQL database dump") ||
	    contains(head, n, "-- PostgreSQL database cluster dump") ||
	    (contains(head, n, "CREATE TABLE ") && contains(head, n, "SET "))) {
		*role = ROLE_DUMP;
		return 0;
	}
	if (contains(head, n, "migration_name") && contains(head, n, "checksum")) {
		*role = ROLE_HISTORY;
		return 0;
	}
	if (contains(head, n, "prisma") || contains(head, n, "Prisma") || contains(head, n, "litellm") ||
	    contains(head, n, "LiteLLM") || contains(head, n, "migration") || contains(head, n, "migrate")) {
		*role = ROLE_LOG;
		return 0;
	}
	return md_fail(err, "cannot tell what '%s' holds (not a pg_dump, a _prisma_migrations export, a "
		       "start-up log or a migrations folder); give it with -m, -H, -s or -l", path);
}
