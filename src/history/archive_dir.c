/*
 * archive_dir.c - pg_dump directory (-Fd) and tar (-Ft) formats, and a
 * tarball (plain or compressed) of a -Fd folder (formats.md §3).
 *
 * Both keep the custom format's header and TOC in toc.dat (format byte
 * 3), with a file name instead of an offset per entry. The data of the
 * chosen entry is "<dumpId>.dat" plus the compression suffix in a folder
 * (found by trying the suffixes, as pg_restore does), and a member of the
 * same name in a tar. In a tarball the members can come in any order: if
 * the data member went by before toc.dat told us its name, the tarball
 * is read a second time up to that member.
 */
#include "migdoctor/common.h"
#include "archive_int.h"

#include <errno.h>
#include <sys/stat.h>

static const char *const suffixes[] = { "", ".gz", ".lz4", ".zst" };

static int feed_stream(struct history *h, const struct ar_entry *target, struct md_stream *s,
		       struct md_error *err)
{
	struct md_stream *ds;
	int rc;

	if (md_stream_decompress_auto(&ds, s, &md_decomp_block_limits, NULL, err))
		return -1;
	rc = ar_feed(h, target, ds, err);
	md_stream_close(ds);
	return rc;
}

int ar_read_dir(struct history *h, const char *path, const struct history_opts *opts,
		struct md_error *err)
{
	struct ar_toc t;
	struct ar_src src;
	struct md_stream *s = NULL;
	const struct ar_entry *target;
	char *toc_path = NULL, *data_path = NULL;
	int rc = -1;

	for (size_t i = 0; i < MD_ARRAY_LEN(suffixes) && !toc_path; i++) {
		struct stat st;
		char *p = xasprintf("%s/toc.dat%s", path, suffixes[i]);

		if (lstat(p, &st) == 0)
			toc_path = p;
		else
			free(p);
	}
	if (!toc_path)
		return md_fail(err, "'%s' holds no toc.dat; expected a pg_dump -Fd folder", path);
	if (md_stream_open_auto(&s, toc_path, err)) {
		free(toc_path);
		return -1;
	}
	ar_src_init(&src, s, toc_path);
	ar_toc_init(&t);
	if (ar_read_toc(&t, &src, opts->want_ddl, err))
		goto out;
	if (ar_pick(h, &t, path, "pg_dump directory", opts, &target, err))
		goto out;
	if (!target) {
		rc = 0;
		goto out;
	}
	if (!target->filename || !*target->filename) {
		md_fail(err, "%s: byte %llu: the TOC entry of _prisma_migrations names no data file",
			toc_path, (unsigned long long)target->toc_offset);
		goto out;
	}
	for (size_t i = 0; i < MD_ARRAY_LEN(suffixes) && !data_path; i++) {
		struct stat st;
		char *p = xasprintf("%s/%s%s", path, target->filename, suffixes[i]);

		if (lstat(p, &st) == 0)
			data_path = p;
		else
			free(p);
	}
	if (!data_path) {
		md_fail(err, "'%s/%s' is missing (also with .gz, .lz4, .zst): the data of "
			"_prisma_migrations named by the TOC", path, target->filename);
		goto out;
	}
	if (md_stream_open_file(&s, data_path, err))
		goto out;
	rc = feed_stream(h, target, s, err);
out:
	ar_toc_release(&t);
	ar_src_release(&src);
	free(toc_path);
	free(data_path);
	return rc;
}

/* --- tar --- */

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* Length of the folder part of a member name, including the '/'. */
static size_t dir_len(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? (size_t)(s - p + 1) : 0;
}

static bool is_toc_name(const char *base)
{
	for (size_t i = 0; i < MD_ARRAY_LEN(suffixes); i++) {
		size_t k = strlen(suffixes[i]);

		if (!strncmp(base, "toc.dat", 7) && strlen(base) == 7 + k &&
		    !strcmp(base + 7, suffixes[i]))
			return true;
	}
	return false;
}

/* Is member name "<dir><file>[suffix]"? */
static bool is_data_member(const char *name, const char *dir, size_t dlen, const char *file)
{
	size_t fl = strlen(file);

	if (strncmp(name, dir, dlen) || strncmp(name + dlen, file, fl))
		return false;
	for (size_t i = 0; i < MD_ARRAY_LEN(suffixes); i++)
		if (!strcmp(name + dlen + fl, suffixes[i]))
			return true;
	return false;
}

static int open_tar(struct md_tar *tar, const char *path, enum md_codec *codec,
		    struct md_error *err)
{
	struct md_stream *s;

	if (md_stream_open_auto_codec(&s, path, codec, err))
		return -1;
	md_tar_init(tar, s);
	return 0;
}

int ar_read_tar(struct history *h, const char *path, struct md_stream *in, enum md_codec codec,
		const struct history_opts *opts, struct md_error *err)
{
	struct md_tar tar;
	struct ar_toc t;
	const struct ar_entry *target = NULL;
	char *dir = NULL;
	size_t dlen = 0;
	bool have_toc = false, seen_before = false, done = false;
	char **names = NULL; /* members before toc.dat */
	size_t nnames = 0, names_cap = 0;
	int rc = -1, r = 0;

	if (in)
		md_tar_init(&tar, in);
	else if (open_tar(&tar, path, &codec, err))
		return -1;
	ar_toc_init(&t);
	while (!done && (r = md_tar_next(&tar, err)) > 0) {
		if (tar.type != '0' && tar.type != '7')
			continue;
		if (!have_toc && is_toc_name(base_name(tar.name))) {
			struct ar_src src;
			struct md_stream *ts;
			bool dir_format;
			const char *kind;

			if (md_stream_decompress_auto(&ts, md_tar_member(&tar), NULL, NULL, err))
				goto out;
			ar_src_init(&src, ts, ts->name);
			rc = ar_read_toc(&t, &src, opts->want_ddl, err);
			ar_src_release(&src);
			if (rc)
				goto out;
			rc = -1;
			have_toc = true;
			dir = xstrndup(tar.name, dir_len(tar.name));
			dlen = strlen(dir);
			/* -Ft writes toc.dat at the top, uncompressed data; else a -Fd tarball */
			dir_format = dlen > 0 || t.codec != MD_CODEC_NONE;
			kind = dir_format ? (codec == MD_CODEC_NONE ? "pg_dump directory in a tar"
						    : "pg_dump directory in a compressed tar")
					  : "pg_dump tar";
			if (ar_pick(h, &t, path, kind, opts, &target, err))
				goto out;
			if (!target) {
				rc = 0;
				goto out;
			}
			if (!target->filename || !*target->filename) {
				md_fail(err, "%s: the TOC entry of _prisma_migrations names no data "
					"member", path);
				goto out;
			}
			for (size_t i = 0; i < nnames; i++)
				if (is_data_member(names[i], dir, dlen, target->filename))
					seen_before = true;
			if (seen_before)
				break;
			continue;
		}
		if (have_toc && is_data_member(tar.name, dir, dlen, target->filename)) {
			if (feed_stream(h, target, md_tar_member(&tar), err))
				goto out;
			done = true;
			continue;
		}
		if (!have_toc && nnames < 100000) {
			MD_GROW(names, nnames, names_cap);
			names[nnames++] = xstrdup(tar.name);
		}
	}
	if (!done && r < 0)
		goto out;
	if (!have_toc) {
		md_fail(err, "%s: a tar file without toc.dat; expected a pg_dump -Ft archive or a "
			"tarball of a pg_dump -Fd folder", path);
		goto out;
	}
	if (seen_before) {
		/* the data member came before toc.dat: read the tarball again */
		if (in) {
			md_fail(err, "%s: the tar member '%s%s' (the data of _prisma_migrations) comes "
				"before toc.dat, and standard input cannot be read a second time; give "
				"the tarball as a file", path, dir, target->filename);
			goto out;
		}
		md_tar_release(&tar);
		if (open_tar(&tar, path, &codec, err))
			goto out;
		while ((r = md_tar_next(&tar, err)) > 0)
			if ((tar.type == '0' || tar.type == '7') &&
			    is_data_member(tar.name, dir, dlen, target->filename))
				break;
		if (r < 0)
			goto out;
		if (r == 0) {
			md_fail(err, "%s: tar member '%s%s' vanished on the second read", path, dir,
				target->filename);
			goto out;
		}
		if (feed_stream(h, target, md_tar_member(&tar), err))
			goto out;
		done = true;
	}
	if (!done) {
		md_fail(err, "%s: no tar member '%s%s' (the data of _prisma_migrations named by the "
			"TOC); the archive is incomplete", path, dir, target->filename);
		goto out;
	}
	rc = 0;
out:
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	free(dir);
	ar_toc_release(&t);
	md_tar_release(&tar);
	return rc;
}
