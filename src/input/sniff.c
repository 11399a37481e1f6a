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

#include <openssl/evp.h>

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
	struct md_stream *s;
	struct stat st;
	char head[65536];
	size_t n = 0;

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
	if (md_stream_open_auto(&s, path, err))
		return -1;
	if (md_stream_read_upto(s, head, sizeof(head), &n, err)) {
		md_stream_close(s);
		return -1;
	}
	md_stream_close(s);
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

int md_sha256_file(const char *path, char out[65], struct md_error *err)
{
	EVP_MD_CTX *ctx;
	unsigned char buf[1 << 16], md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	out[0] = '\0';
	if (fd < 0)
		return md_fail(err, "cannot open '%s': %s", path, strerror(errno));
	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		md_oom(0);
	for (;;) {
		ssize_t r = read(fd, buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			EVP_MD_CTX_free(ctx);
			return md_fail(err, "cannot read '%s': %s", path, strerror(e));
		}
		if (r == 0)
			break;
		EVP_DigestUpdate(ctx, buf, (size_t)r);
	}
	close(fd);
	EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	for (unsigned i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}
