/*
 * migrations.c - read a migrations directory the way Prisma does
 * (reference/prisma.md §2, §3.2) and parse every migration.
 */
#include "migdoctor/common.h"
#include "migdoctor/migrations.h"
#include "migdoctor/sbuf.h"
#include "migdoctor/stream.h"
#include "migdoctor/utf8.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

void migration_dir_init(struct migration_dir *d)
{
	memset(d, 0, sizeof(*d));
}

void migration_dir_release(struct migration_dir *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct migration *m = &d->v[i];

		free(m->name);
		free(m->path);
		free(m->text);
		sql_script_release(&m->script);
	}
	free(d->v);
	free(d->path);
	free(d->provider);
	migration_dir_init(d);
}

/* The CRLF->LF and LF->CRLF variants that script_matches_checksum accepts. */
static void variants(struct migration *m)
{
	struct sbuf lf = SBUF_INIT, crlf = SBUF_INIT;

	for (size_t i = 0; i < m->len; i++) {
		char c = m->text[i];

		if (c == '\r' && i + 1 < m->len && m->text[i + 1] == '\n')
			continue; /* dropped in the LF variant; the '\n' follows */
		sb_putc(&lf, c);
	}
	for (size_t i = 0; i < m->len; i++) {
		char c = m->text[i];

		if (c == '\n' && (i == 0 || m->text[i - 1] != '\r'))
			sb_putc(&crlf, '\r');
		sb_putc(&crlf, c);
	}
	if (lf.len != m->len)
		md_sha256_hex(lf.buf, lf.len, m->checksum_lf);
	if (crlf.len != m->len)
		md_sha256_hex(crlf.buf, crlf.len, m->checksum_crlf);
	sbuf_release(&lf);
	sbuf_release(&crlf);
}

bool migration_checksum_matches(const struct migration *m, const char *hex)
{
	if (!hex || m->missing_sql)
		return false;
	return !strcmp(hex, m->checksum) || (m->checksum_lf[0] && !strcmp(hex, m->checksum_lf)) ||
	       (m->checksum_crlf[0] && !strcmp(hex, m->checksum_crlf));
}

static struct migration *new_migration(struct migration_dir *d, const char *name, const char *path)
{
	struct migration *m;

	MD_GROW(d->v, d->n, d->cap);
	m = &d->v[d->n++];
	memset(m, 0, sizeof(*m));
	m->name = xstrdup(name);
	m->path = xstrdup(path);
	return m;
}

static int load_sql(struct migration *m, struct md_error *err)
{
	if (md_read_file(m->path, MIGRATION_MAX_SIZE, &m->text, &m->len, err))
		return -1;
	md_sha256_hex(m->text, m->len, m->checksum);
	variants(m);
	m->invalid_utf8 = !utf8_valid(m->text, m->len);
	sql_script_init(&m->script, m->path);
	return sql_script_parse(&m->script, m->text, m->len, err);
}

/* migration_lock.toml as error_on_changed_provider() reads it. */
static int read_lock(struct migration_dir *d, struct md_error *err)
{
	char *path = xasprintf("%s/migration_lock.toml", d->path);
	char *text, *line, *save = NULL;
	size_t len;
	uint32_t lineno = 0;
	struct stat st;

	if (stat(path, &st) < 0) {
		free(path);
		d->lock = LOCK_ABSENT;
		return 0;
	}
	if (md_read_file(path, 1 << 20, &text, &len, err)) {
		free(path);
		return -1;
	}
	free(path);
	d->lock = LOCK_MISMATCH;
	/* line by line, empty lines counted: the position names the line the engine read */
	for (line = text; line && line < text + len; line = save) {
		char *nl = memchr(line, '\n', (size_t)(text + len - line));
		size_t n;

		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		lineno++;
		if (strncmp(line, "provider", 8))
			continue;
		/* the engine strips a literal 'provider = ' prefix, then surrounding quotes */
		if (!strncmp(line, "provider = ", 11))
			line += 11;
		n = strlen(line);
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		while (n && line[n - 1] == '"')
			line[--n] = '\0';
		while (*line == '"')
			line++;
		d->provider = xstrdup(line);
		d->provider_line = lineno;
		break;
	}
	free(text);
	if (!d->provider)
		d->provider = xstrdup("<PROVIDER NOT FOUND>");
	if (!strcmp(d->provider, "postgresql"))
		d->lock = LOCK_OK;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int migration_dir_load(struct migration_dir *d, const char *path, struct md_error *err)
{
	DIR *dir;
	struct dirent *de;
	char **names = NULL;
	size_t nnames = 0, cap = 0;
	struct stat st;
	int rc = 0;

	if (stat(path, &st) < 0)
		return md_fail(err, "cannot open migrations directory '%s': %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return md_fail(err, "'%s' is not a directory; expected a Prisma migrations directory "
			       "(folders like 20240101000000_name/migration.sql)", path);
	dir = opendir(path);
	if (!dir)
		return md_fail(err, "cannot read migrations directory '%s': %s", path, strerror(errno));
	d->path = xstrdup(path);
	while ((de = readdir(dir))) {
		char *sub;
		struct stat ss;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sub = xasprintf("%s/%s", path, de->d_name);
		/* lstat: a symlinked folder is not a migration for Prisma either */
		if (lstat(sub, &ss) == 0 && S_ISDIR(ss.st_mode)) {
			MD_GROW(names, nnames, cap);
			names[nnames++] = xstrdup(de->d_name);
		}
		free(sub);
	}
	closedir(dir);
	if (nnames)
		qsort(names, nnames, sizeof(*names), cmp_names);

	if (nnames == 0) {
		char *one = xasprintf("%s/migration.sql", path);

		if (stat(one, &st) == 0)
			rc = md_fail(err, "'%s' is a single migration folder; expected the migrations "
				     "directory that holds it (its parent)", path);
		else
			rc = md_fail(err, "no migrations in '%s'; expected folders like "
				     "20240101000000_name/migration.sql", path);
		free(one);
		goto out;
	}
	if (read_lock(d, err)) {
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < nnames; i++) {
		char *sql = xasprintf("%s/%s/migration.sql", path, names[i]);
		struct migration *m = new_migration(d, names[i], sql);

		free(sql);
		if (stat(m->path, &st) < 0 && errno == ENOENT) {
			m->missing_sql = true;
			sql_script_init(&m->script, m->path);
			continue;
		}
		if (load_sql(m, err)) {
			rc = -1;
			break;
		}
	}
out:
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return rc;
}

int migration_dir_add_file(struct migration_dir *d, const char *path, struct md_error *err)
{
	const char *base = strrchr(path, '/');
	char *name = xstrdup(base ? base + 1 : path);
	size_t n = strlen(name);
	struct migration *m;
	int rc;

	/* a NAME/migration.sql path is named after its folder, as Prisma names it */
	if (!strcmp(name, "migration.sql") && base && base > path) {
		const char *p = base;

		while (p > path && p[-1] != '/')
			p--;
		free(name);
		name = xstrndup(p, (size_t)(base - p));
	} else if (n > 4 && !strcmp(name + n - 4, ".sql")) {
		name[n - 4] = '\0';
	}
	d->loose_files = true;
	m = new_migration(d, name, path);
	free(name);
	rc = load_sql(m, err);
	return rc;
}

const struct migration *migration_dir_find(const struct migration_dir *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->v[i].name, name))
			return &d->v[i];
	return NULL;
}
