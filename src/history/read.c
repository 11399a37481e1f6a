/*
 * read.c - history_read(): tell an input's format from its content and
 * hand it to the reader for that format. The entry of src/history: it
 * calls the readers, and nothing in src/history calls it.
 */
#include "migdoctor/common.h"
#include "migdoctor/archive.h"
#include "migdoctor/bundle.h"
#include "migdoctor/decompress.h"
#include "hist_internal.h"

#include <errno.h>
#include <sys/stat.h>

/* --- sniffing --- */

static bool line_has(const char *l, size_t n, const char *w)
{
	return memmem(l, n, w, strlen(w)) != NULL;
}

static bool starts(const char *l, size_t n, const char *w)
{
	size_t k = strlen(w);

	return n >= k && !memcmp(l, w, k);
}

static bool psql_chatter(const char *l, size_t n)
{
	static const char *const notes[] = {
		"Expanded display is", "Border style is", "Line style is", "Output format is",
		"Target width is", "Null display is", "Field separator is", "Tuples only is",
		"Pager usage is", "Record separator is", "Unicode ",
	};

	for (size_t i = 0; i < MD_ARRAY_LEN(notes); i++)
		if (starts(l, n, notes[i]))
			return true;
	return false;
}

enum hist_text_kind hist_sniff_text(const unsigned char *head, size_t n)
{
	const char *p = (const char *)head, *end = p + n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *l = p;
		size_t commas = 0, tabs = 0, bars = 0, semis = 0;

		p = nl ? nl + 1 : end;
		if (len && l[len - 1] == '\r')
			len--;
		if (len == 0)
			continue;
		if (starts(l, len, "--") && !(len > 2 && (l[2] == '-' || l[2] == '+')))
			return HT_PLAIN;
		if (starts(l, len, "SET ") || starts(l, len, "CREATE ") || starts(l, len, "COPY ") ||
		    starts(l, len, "INSERT INTO ") || starts(l, len, "\\restrict ") ||
		    starts(l, len, "\\connect ") || starts(l, len, "SELECT pg_catalog.") ||
		    starts(l, len, "ALTER ") || starts(l, len, "BEGIN;"))
			return HT_PLAIN;
		if (psql_chatter(l, len) || starts(l, len, "-[ RECORD ") || starts(l, len, "+-[ RECORD ") ||
		    starts(l, len, "* Record ") || line_has(l, len, "\xe2\x94") ||
		    line_has(l, len, "\xe2\x95") || line_has(l, len, "-+-") ||
		    line_has(l, len, " | "))
			return HT_PSQL;
		for (size_t i = 0; i < len; i++) {
			commas += l[i] == ',';
			tabs += l[i] == '\t';
			bars += l[i] == '|';
			semis += l[i] == ';';
		}
		if (tabs >= 3 && tabs >= commas)
			return HT_COPYTEXT;
		{
			/* a short COPY text or CSV line: known by its first field */
			size_t k = 0;

			while (k < len && l[k] != '\t' && l[k] != ',' && l[k] != ';' && l[k] != '|')
				k++;
			if (k < len && l[k] == '\t' && (hist_is_uuidish(l, k) || hist_col_lookup(l, k) >= 0))
				return HT_COPYTEXT;
			if (k < len && (l[k] == ',' || l[k] == ';') &&
			    (hist_is_uuidish(l, k) || hist_col_lookup(l, k) >= 0))
				return HT_CSV;
		}
		if (bars >= 3 && bars > commas)
			return HT_PSQL;
		if (commas >= 3 || semis >= 3)
			return HT_CSV;
		/* a prompt line like "app=> SELECT ..." before psql output */
		if (line_has(l, len, "=> ") || line_has(l, len, "=# "))
			continue;
		/* psql border 0: a header of names over a rule of dashes and spaces */
		if (p < end && (*p == '-' || *p == '+')) {
			const char *q = p;

			while (q < end && (*q == '-' || *q == ' ' || *q == '+'))
				q++;
			if (q > p + 2 && (q == end || *q == '\n' || *q == '\r'))
				return HT_PSQL;
		}
		return HT_UNKNOWN;
	}
	return HT_UNKNOWN;
}

/* --- a stream that replays a sniffed head, then continues --- */

struct head_ctx {
	struct md_stream *inner;
	unsigned char *head;
	size_t n, pos;
	void (*tap)(void *ctx, const void *buf, size_t n);
	void *tap_ctx;
};

static ssize_t head_read(struct md_stream *s, void *buf, size_t n, struct md_error *err)
{
	struct head_ctx *c = s->ctx;
	ssize_t r;

	if (c->pos < c->n) {
		size_t k = MD_MIN(n, c->n - c->pos);

		memcpy(buf, c->head + c->pos, k);
		c->pos += k;
		r = (ssize_t)k;
	} else {
		r = md_stream_read(c->inner, buf, n, err);
	}
	if (r > 0 && c->tap)
		c->tap(c->tap_ctx, buf, (size_t)r);
	return r;
}

static void head_close(struct md_stream *s)
{
	struct head_ctx *c = s->ctx;

	md_stream_close(c->inner);
	free(c->head);
	free(c);
}

static const struct md_stream_ops head_ops = { head_read, head_close };

#define SNIFF_BYTES 65536

static bool looks_binary(const unsigned char *p, size_t n)
{
	size_t bad = 0;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == 0)
			return true;
		if (p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' && p[i] != '\t' && p[i] != 0x1b &&
		    p[i] != '\f' && p[i] != '\b' && p[i] != '\v')
			bad++;
	}
	return bad * 20 > n;
}

int history_read(struct history *h, const char *path, const struct history_opts *opts,
		 struct md_error *err)
{
	static const struct history_opts defaults;
	unsigned char *head = NULL;
	struct md_stream *s = NULL, *hs;
	struct head_ctx *hc;
	struct stat st;
	size_t n = 0, skip = 0;
	int rc;

	if (!opts)
		opts = &defaults;
	h->source = arena_strdup(&h->arena, path);
	if (stat(path, &st) < 0)
		return md_fail(err, "cannot open '%s': %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		if (!archive_is_dump_dir(path))
			return md_fail(err, "'%s' is a directory without toc.dat; expected a file, "
				       "or a folder written by pg_dump -Fd", path);
		rc = archive_read_history(h, path, opts, err);
		goto done;
	}
	head = xmalloc(SNIFF_BYTES);
	if (md_stream_open_auto(&s, path, err) < 0 ||
	    md_stream_read_upto(s, head, SNIFF_BYTES, &n, err) < 0)
		goto fail;
	/* sniffed after whole-file decompression: a .tar.gz of a -Fd folder */
	if (archive_sniff(head, n)) {
		bool packed = bundle_sniff(head, n);

		free(head);
		md_stream_close(s);
		rc = packed ? history_read_bundle(h, path, opts, err)
			    : archive_read_history(h, path, opts, err);
		goto done;
	}
	if (n == 0) {
		md_fail(err, "%s: byte 0: the file is empty; expected a pg_dump, CSV, COPY or psql "
			"export of _prisma_migrations", path);
		goto fail;
	}
	if (n >= 2 && ((head[0] == 0xff && head[1] == 0xfe) || (head[0] == 0xfe && head[1] == 0xff))) {
		md_fail(err, "%s: byte 0: the file is UTF-16 (a Windows PowerShell '>' redirect "
			"writes that); expected UTF-8: re-export with 'pg_dump -f FILE' or convert "
			"it with 'iconv -f UTF-16 -t UTF-8'", path);
		goto fail;
	}
	if (md_codec_sniff(head, n) != MD_CODEC_NONE) {
		/* md_stream_open_auto took one layer off: this is a second one */
		md_fail(err, "%s: byte 0: %s-compressed data inside the file's compression; "
			"expected it compressed once (decompress the outer layer first)", path,
			md_codec_name(md_codec_sniff(head, n)));
		goto fail;
	}
	if ((n >= 3 && !memcmp(head, "BZh", 3)) || (n >= 6 && !memcmp(head, "\xfd" "7zXZ\0", 6))) {
		md_fail(err, "%s: byte 0: bzip2/xz-compressed data; expected an uncompressed, gzip, "
			"zstd or lz4 export (run 'bunzip2'/'unxz' first)", path);
		goto fail;
	}
	if (n >= 3 && head[0] == 0xef && head[1] == 0xbb && head[2] == 0xbf)
		skip = 3;
	if (looks_binary(head + skip, n - skip)) {
		md_fail(err, "%s: byte 0: binary data; expected a text export (pg_dump SQL, CSV, "
			"COPY text or psql output) or a pg_dump archive", path);
		goto fail;
	}
	hc = xcalloc(1, sizeof(*hc));
	hc->inner = s;
	hc->head = head;
	hc->n = n;
	hc->pos = skip;
	hc->tap = opts->tap;
	hc->tap_ctx = opts->tap_ctx;
	hs = md_stream_new(&head_ops, s->name, hc);
	hs->offset = skip;
	s = NULL;
	head = NULL;
	switch (hist_sniff_text(hc->head + skip, n - skip)) {
	case HT_PLAIN:
		rc = hist_read_plain(h, hs, opts, err);
		break;
	case HT_CSV:
		rc = hist_read_csv(h, hs, opts, err);
		break;
	case HT_COPYTEXT:
		rc = hist_read_copy_export(h, hs, opts, err);
		break;
	case HT_PSQL:
		rc = hist_read_psql(h, hs, opts, err);
		break;
	default:
		rc = md_fail(err, "%s:1: not a format holding _prisma_migrations rows; expected a "
			     "pg_dump (SQL or archive), a CSV with a header, COPY text or psql "
			     "output", path);
		break;
	}
	md_stream_close(hs);
done:
	if (rc < 0)
		return -1;
	if (h->nrows == 0 && !(h->flags & HIST_TABLE_SEEN) && !opts->allow_no_rows)
		return hist_no_rows_error(h, path, err);
	if (h->nrows == 0 && (h->flags & HIST_NO_ROW_DATA) && !opts->allow_no_rows)
		return hist_no_rows_error(h, path, err);
	return 0;
fail:
	free(head);
	md_stream_close(s);
	return -1;
}
