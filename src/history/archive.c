/*
 * archive.c - archive_read_history() (archive.h): tell a custom archive, a
 * tar and a -Fd folder apart and hand the input to its reader. The entry
 * of the archive readers; archive_pick.c is what they share.
 */
#include "migdoctor/common.h"
#include "archive_int.h"

#include <errno.h>
#include <sys/stat.h>

int archive_read_history(struct history *h, const char *path, const struct history_opts *opts,
			 struct md_error *err)
{
	static const struct history_opts defaults;
	unsigned char head[512];
	struct stat st;
	size_t n = 0;

	if (!opts)
		opts = &defaults;
	if (!h->source)
		h->source = arena_strdup(&h->arena, path);
	if (stat(path, &st) != 0)
		return md_fail(err, "cannot open '%s': %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		if (!archive_is_dump_dir(path))
			return md_fail(err, "'%s' is a folder without toc.dat; expected a pg_dump -Fd "
				       "folder", path);
		return ar_read_dir(h, path, opts, err);
	}
	/* sniff after any whole-file compression (a tarball of a -Fd folder) */
	if (md_file_head(path, head, sizeof(head), &n, err))
		return -1;
	switch (archive_sniff(head, n)) {
	case ARCHIVE_CUSTOM:
		return ar_read_custom(h, path, NULL, opts, err);
	case ARCHIVE_TAR:
		return ar_read_tar(h, path, NULL, MD_CODEC_NONE, opts, err);
	default:
		return md_fail(err, "%s: byte 0: not a pg_dump archive; expected 'PGDMP' (custom "
			       "format) or a tar file (pg_dump -Ft, or a tarball of a -Fd folder)",
			       path);
	}
}

int archive_read_history_stream(struct history *h, const char *name, struct md_stream *s,
				int kind, int codec, const struct history_opts *opts,
				struct md_error *err)
{
	static const struct history_opts defaults;

	if (!opts)
		opts = &defaults;
	if (!h->source)
		h->source = arena_strdup(&h->arena, name);
	switch (kind) {
	case ARCHIVE_CUSTOM:
		return ar_read_custom(h, name, s, opts, err);
	case ARCHIVE_TAR:
		return ar_read_tar(h, name, s, (enum md_codec)codec, opts, err);
	default:
		md_stream_close(s);
		return md_fail(err, "%s: byte 0: not a pg_dump archive; expected 'PGDMP' (custom "
			       "format) or a tar file (pg_dump -Ft, or a tarball of a -Fd folder)",
			       name);
	}
}
