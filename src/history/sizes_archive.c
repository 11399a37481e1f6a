/*
 * sizes_archive.c - how big each table's data is in a pg_dump archive,
 * from its TOC and the stored blocks, never decompressing one: custom
 * format by the distance between data offsets, -Fd by the size of each
 * data file, -Ft by the size of each tar member.
 */
#include "migdoctor/common.h"
#include "migdoctor/bundle.h"
#include "migdoctor/sniff.h"
#include "archive_int.h"

#include <sys/stat.h>

static void add(struct bundle_sizes *z, const struct ar_entry *e, uint64_t bytes, bool compressed)
{
	struct bundle_table_size *t;

	MD_GROW(z->v, z->n, z->cap);
	t = &z->v[z->n++];
	memset(t, 0, sizeof(*t));
	t->table = e->ns && *e->ns ? xasprintf("%s.%s", e->ns, e->tag ? e->tag : "?")
				   : xstrdup(e->tag ? e->tag : "?");
	t->bytes = bytes;
	t->compressed = compressed;
}

static bool is_data(const struct ar_entry *e)
{
	return e->desc && !strcmp(e->desc, "TABLE DATA");
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Custom format: a block runs from its offset to the next block (or the end of the file). */
static void custom_sizes(struct bundle_sizes *z, const struct ar_toc *t, uint64_t file_size)
{
	uint64_t *offs = xcalloc(t->n + 1, sizeof(*offs));
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		if (t->e[i].off_flag == AR_OFF_SET)
			offs[n++] = t->e[i].off_pos;
	qsort(offs, n, sizeof(*offs), cmp_u64);
	for (size_t i = 0; i < t->n; i++) {
		const struct ar_entry *e = &t->e[i];
		uint64_t *hit, end = file_size;

		if (!is_data(e) || e->off_flag != AR_OFF_SET)
			continue;
		hit = bsearch(&e->off_pos, offs, n, sizeof(*offs), cmp_u64);
		if (hit && (size_t)(hit - offs) + 1 < n)
			end = hit[1];
		add(z, e, end > e->off_pos ? end - e->off_pos : 0, t->codec != MD_CODEC_NONE);
	}
	free(offs);
}

static int read_custom(struct bundle_sizes *z, const char *path, struct md_error *err)
{
	struct md_stream *s;
	struct ar_src src;
	struct ar_toc t;
	struct stat st;
	int rc = -1;

	if (stat(path, &st) || md_stream_open_auto(&s, path, err))
		return md_fail(err, "cannot open '%s'", path);
	ar_src_init(&src, s, path);
	ar_toc_init(&t);
	if (ar_read_toc(&t, &src, false, err) == 0) {
		bool offsets = false;

		for (size_t i = 0; i < t.n; i++)
			offsets |= is_data(&t.e[i]) && t.e[i].off_flag == AR_OFF_SET;
		if (offsets) {
			custom_sizes(z, &t, (uint64_t)st.st_size);
			z->measure = "bytes of each table's data block as stored in the custom archive "
				     "(compressed as the dump is); rows unknown";
		} else {
			z->measure = "unknown: the custom archive was written to a pipe (no data offsets)";
		}
		rc = 0;
	}
	ar_toc_release(&t);
	ar_src_release(&src);
	return rc;
}

static int read_dir(struct bundle_sizes *z, const char *path, struct md_error *err)
{
	static const char *const suffixes[] = { "", ".gz", ".lz4", ".zst" };
	struct md_stream *s = NULL;
	struct ar_src src;
	struct ar_toc t;
	int rc = -1;

	for (size_t i = 0; i < MD_ARRAY_LEN(suffixes) && !s; i++) {
		char *p = xasprintf("%s/toc.dat%s", path, suffixes[i]);
		struct stat st;

		if (!stat(p, &st) && md_stream_open_auto(&s, p, err)) {
			free(p);
			return -1;
		}
		free(p);
	}
	if (!s)
		return md_fail(err, "'%s' holds no toc.dat", path);
	ar_src_init(&src, s, path);
	ar_toc_init(&t);
	if (ar_read_toc(&t, &src, false, err) == 0) {
		for (size_t i = 0; i < t.n; i++) {
			const struct ar_entry *e = &t.e[i];

			if (!is_data(e) || !e->filename || !*e->filename)
				continue;
			for (size_t k = 0; k < MD_ARRAY_LEN(suffixes); k++) {
				char *p = xasprintf("%s/%s%s", path, e->filename, suffixes[k]);
				struct stat st;
				bool found = !stat(p, &st);

				free(p);
				if (found) {
					add(z, e, (uint64_t)st.st_size, k > 0);
					break;
				}
			}
		}
		z->measure = "bytes of each table's data file in the -Fd folder (compressed as the "
			     "dump is); rows unknown";
		rc = 0;
	}
	ar_toc_release(&t);
	ar_src_release(&src);
	return rc;
}

struct member {
	char *name;
	uint64_t size;
};

static int read_tar(struct bundle_sizes *z, const char *path, struct md_error *err)
{
	struct md_stream *s;
	struct md_tar tar;
	struct ar_toc t;
	struct member *m = NULL;
	size_t n = 0, cap = 0;
	bool have_toc = false;
	int got, rc = -1;

	if (md_stream_open_auto(&s, path, err))
		return -1;
	md_tar_init(&tar, s);
	ar_toc_init(&t);
	while ((got = md_tar_next(&tar, err)) > 0) {
		const char *base = strrchr(tar.name, '/');

		base = base ? base + 1 : tar.name;
		if (!have_toc && !strcmp(base, "toc.dat")) {
			struct ar_src src;

			ar_src_init(&src, md_tar_member(&tar), path);
			got = ar_read_toc(&t, &src, false, err);
			ar_src_release(&src);
			if (got)
				break;
			have_toc = true;
			continue;
		}
		MD_GROW(m, n, cap);
		m[n].name = xstrdup(base);
		m[n++].size = tar.size;
	}
	md_tar_release(&tar);
	if (got == 0 && have_toc) {
		for (size_t i = 0; i < t.n; i++) {
			const struct ar_entry *e = &t.e[i];

			if (!is_data(e) || !e->filename || !*e->filename)
				continue;
			for (size_t k = 0; k < n; k++) {
				if (!strncmp(m[k].name, e->filename, strlen(e->filename))) {
					add(z, e, m[k].size, false);
					break;
				}
			}
		}
		z->measure = "bytes of each table's data member in the tar archive (compressed as "
			     "the dump is); rows unknown";
		rc = 0;
	} else if (got == 0) {
		rc = md_fail(err, "%s: a tar file without toc.dat", path);
	}
	for (size_t k = 0; k < n; k++)
		free(m[k].name);
	free(m);
	ar_toc_release(&t);
	return rc;
}

int bundle_sizes_archive(struct bundle_sizes *z, const char *path, struct md_error *err)
{
	unsigned char head[512];
	struct stat st;
	size_t n = 0;

	if (stat(path, &st))
		return md_fail(err, "cannot open '%s'", path);
	if (S_ISDIR(st.st_mode))
		return read_dir(z, path, err);
	if (md_file_head(path, head, sizeof(head), &n, err))
		return -1;
	switch (archive_sniff(head, n)) {
	case ARCHIVE_CUSTOM:
		return read_custom(z, path, err);
	case ARCHIVE_TAR:
		return read_tar(z, path, err);
	default:
		return 0; /* a text dump: measured while it was read (bundle_sizes_tap) */
	}
}
