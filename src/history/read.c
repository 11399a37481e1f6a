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

/* The next line of the head at *p (without '\n' and a final '\r'); false at the end. */
static bool next_line(const char **p, const char *end, const char **l, size_t *len)
{
	const char *nl;

	if (*p >= end)
		return false;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	*l = *p;
	*len = nl ? (size_t)(nl - *p) : (size_t)(end - *p);
	*p = nl ? nl + 1 : end;
	if (*len && (*l)[*len - 1] == '\r')
		(*len)--;
	return true;
}

/* The line under a Markdown table header: pipes, dashes, colons. */
static bool markdown_rule(const char *l, size_t n)
{
	size_t dashes = 0, bars = 0;

	for (size_t i = 0; i < n; i++) {
		if (l[i] == '-')
			dashes++;
		else if (l[i] == '|')
			bars++;
		else if (l[i] != ':' && l[i] != ' ' && l[i] != '\t')
			return false;
	}
	return dashes >= 3 && bars >= 1;
}

/*
 * A tab-separated header line was seen; the lines after it tell COPY text
 * (NULL is \N, escapes) from a raw export (psql -A -F TAB, DBeaver: NULL
 * empty, a logs keeps its newlines) and from one with quoted values
 * (pgAdmin "copy with headers": CSV with TAB).
 */
static enum hist_text_kind sniff_tabs(const char *hdr, size_t hlen, const char *p, const char *end)
{
	size_t htabs = 0;
	int col_of[HIST_MAX_COLS];
	size_t ncols = 0;
	const char *l;
	size_t len;

	for (const char *q = hdr, *e = hdr + hlen; ncols < HIST_MAX_COLS;) {
		const char *t = memchr(q, '\t', (size_t)(e - q));

		col_of[ncols++] = hist_col_lookup(q, (size_t)((t ? t : e) - q));
		if (!t)
			break;
		htabs++;
		q = t + 1;
	}
	while (next_line(&p, end, &l, &len)) {
		size_t tabs = 0, k = 0;
		const char *q = l;

		if (len >= 4 && l[0] == '(' && l[len - 1] == ')' && memmem(l, len, " row", 4))
			return HT_PSQL; /* psql's "(6 rows)" footer */
		for (size_t i = 0; i < len; i++)
			tabs += l[i] == '\t';
		for (const char *e = l + len; q <= e && k < ncols; k++) {
			const char *t = memchr(q, '\t', (size_t)(e - q));
			size_t fl = (size_t)((t ? t : e) - q);

			if (fl && *q == '"')
				return HT_CSV;
			if (fl == 2 && q[0] == '\\' && q[1] == 'N')
				return HT_COPYTEXT;
			if (fl == 0 && tabs == htabs &&
			    (col_of[k] == HC_FINISHED_AT || col_of[k] == HC_ROLLED_BACK_AT ||
			     col_of[k] == HC_STARTED_AT || col_of[k] == HC_APPLIED_STEPS_COUNT))
				return HT_PSQL; /* COPY text writes NULL as \N, never empty */
			if (!t)
				break;
			q = t + 1;
		}
		if (len && tabs != htabs)
			return HT_PSQL; /* a raw value with a newline or tab in it */
	}
	return HT_COPYTEXT;
}

enum hist_text_kind hist_sniff_text(const unsigned char *head, size_t n)
{
	const char *p = (const char *)head, *end = p + n;
	const char *l;
	size_t len;

	while (next_line(&p, end, &l, &len)) {
		size_t commas = 0, tabs = 0, bars = 0, semis = 0;

		if (len == 0 || starts(l, len, "```") || starts(l, len, "~~~"))
			continue; /* a Markdown code fence around a paste */
		if (starts(l, len, "<table"))
			return HT_HTML;
		if (starts(l, len, "[options=\"header\"") || starts(l, len, "[cols=") ||
		    (len == 5 && !memcmp(l, "|====", 5)))
			return HT_ASCIIDOC;
		if (starts(l, len, "\\begin{tabular}") || starts(l, len, "\\begin{longtable}"))
			return HT_LATEX;
		if (starts(l, len, ".LP") || starts(l, len, ".TS"))
			return HT_TROFF;
		if (l[0] == '{' || (l[0] == '[' && (len == 1 || l[1] == '{' || l[1] == ' ')))
			return HT_JSON;
		if (memchr(l, '|', len)) {
			const char *q = p, *l2;
			size_t len2;

			if (next_line(&q, end, &l2, &len2) && markdown_rule(l2, len2))
				return HT_MARKDOWN;
		}
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
		if (tabs >= 3 && tabs >= commas) {
			size_t k = 0;

			while (k < len && l[k] != '\t')
				k++;
			/* a header: what follows tells the kind of tab-separated export */
			if (hist_col_lookup(l, k) >= 0)
				return sniff_tabs(l, len, p, end);
			return HT_COPYTEXT;
		}
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

/* opts: its tap (a copy of every byte read, for 'bundle'), or NULL */
static struct md_stream *head_stream(struct md_stream *inner, unsigned char *head, size_t n,
				     size_t skip, const struct history_opts *opts)
{
	struct head_ctx *hc = xcalloc(1, sizeof(*hc));
	struct md_stream *hs;

	hc->inner = inner;
	hc->head = head;
	hc->n = n;
	hc->pos = skip;
	hc->tap = opts ? opts->tap : NULL;
	hc->tap_ctx = opts ? opts->tap_ctx : NULL;
	hs = md_stream_new(&head_ops, inner->name, hc);
	hs->offset = skip;
	return hs;
}

int history_read(struct history *h, const char *path, const struct history_opts *opts,
		 struct md_error *err)
{
	static const struct history_opts defaults;
	const char *name = md_path_name(path);
	bool once = md_path_is_stdin(path); /* standard input: read once, never reopened */
	unsigned char *head = NULL;
	struct md_stream *s = NULL, *hs;
	enum md_codec codec = MD_CODEC_NONE;
	struct stat st;
	size_t n = 0, skip = 0;
	int rc, kind;
	enum hist_text_kind tk;
	bool kind_latex;

	if (!opts)
		opts = &defaults;
	h->source = arena_strdup(&h->arena, name);
	if (!once && stat(path, &st) < 0)
		return md_fail(err, "cannot open '%s': %s", path, strerror(errno));
	if (!once && S_ISDIR(st.st_mode)) {
		if (!archive_is_dump_dir(path))
			return md_fail(err, "'%s' is a directory without toc.dat; expected a file, "
				       "or a folder written by pg_dump -Fd", path);
		rc = archive_read_history(h, path, opts, err);
		goto done;
	}
	head = xmalloc(SNIFF_BYTES);
	if (md_stream_open_auto_codec(&s, path, &codec, err) < 0 ||
	    md_stream_read_upto(s, head, SNIFF_BYTES, &n, err) < 0)
		goto fail;
	/* sniffed after whole-file decompression: a .tar.gz of a -Fd folder */
	kind = archive_sniff(head, n);
	if (kind && once && bundle_sniff(head, n)) {
		md_fail(err, "%s: a migdoctor bundle is read from its file, not from standard input; "
			"give the file's name", name);
		goto fail;
	}
	if (kind && once) {
		/* the archive reader takes the stream on from byte 0 */
		rc = archive_read_history_stream(h, name, head_stream(s, head, n, 0, NULL), kind,
						 (int)codec, opts, err);
		goto done;
	}
	if (kind) {
		bool packed = bundle_sniff(head, n);

		free(head);
		md_stream_close(s);
		rc = packed ? history_read_bundle(h, path, opts, err)
			    : archive_read_history(h, path, opts, err);
		goto done;
	}
	if (n == 0) {
		md_fail(err, "%s: byte 0: the file is empty; expected a pg_dump, CSV, COPY or psql "
			"export of _prisma_migrations", name);
		goto fail;
	}
	if (n >= 2 && ((head[0] == 0xff && head[1] == 0xfe) || (head[0] == 0xfe && head[1] == 0xff))) {
		md_fail(err, "%s: byte 0: the file is UTF-16 (a Windows PowerShell '>' redirect "
			"writes that); expected UTF-8: re-export with 'pg_dump -f FILE' or convert "
			"it with 'iconv -f UTF-16 -t UTF-8'", name);
		goto fail;
	}
	if (md_codec_sniff(head, n) != MD_CODEC_NONE) {
		/* md_stream_open_auto took one layer off: this is a second one */
		md_fail(err, "%s: byte 0: %s-compressed data inside the file's compression; "
			"expected it compressed once (decompress the outer layer first)", name,
			md_codec_name(md_codec_sniff(head, n)));
		goto fail;
	}
	if (md_container_advice(head, n)) {
		md_fail(err, "%s: byte 0: %s; expected a dump or export (uncompressed, gzip, zstd "
			"or lz4)", name, md_container_advice(head, n));
		goto fail;
	}
	if (n >= 3 && head[0] == 0xef && head[1] == 0xbb && head[2] == 0xbf)
		skip = 3;
	if (looks_binary(head + skip, n - skip)) {
		md_fail(err, "%s: byte 0: binary data; expected a text export (pg_dump SQL, CSV, "
			"COPY text or psql output) or a pg_dump archive", name);
		goto fail;
	}
	hs = head_stream(s, head, n, skip, opts);
	s = NULL;
	head = NULL;
	tk = hist_sniff_text(((struct head_ctx *)hs->ctx)->head + skip, n - skip);
	kind_latex = tk == HT_LATEX;
	switch (tk) {
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
	case HT_MARKDOWN:
		rc = hist_read_markdown(h, hs, opts, err);
		break;
	case HT_HTML:
		rc = hist_read_html(h, hs, opts, err);
		break;
	case HT_ASCIIDOC:
		rc = hist_read_asciidoc(h, hs, opts, err);
		break;
	case HT_JSON:
		rc = hist_read_json(h, hs, opts, err);
		break;
	case HT_LATEX:
	case HT_TROFF:
		rc = md_fail(err, "%s:1: psql \\pset format %s output, which is not read; print the "
			     "table with psql's default format (aligned), or export it with "
			     "'\\copy ... with (format csv, header, force_quote *)'", name,
			     kind_latex ? "latex" : "troff-ms");
		break;
	default:
		rc = md_fail(err, "%s:1: not a format holding _prisma_migrations rows; expected a "
			     "pg_dump (SQL or archive), a CSV with a header, COPY text or psql "
			     "output", name);
		break;
	}
	md_stream_close(hs);
done:
	if (rc < 0)
		return -1;
	/* every row knows what was not exported (a reader learns it from a header or record) */
	for (size_t i = 0; i < h->nrows; i++)
		h->rows[i].missing = h->missing;
	if (h->nrows == 0 && !(h->flags & HIST_TABLE_SEEN) && !opts->allow_no_rows)
		return hist_no_rows_error(h, name, err);
	if (h->nrows == 0 && (h->flags & HIST_NO_ROW_DATA) && !opts->allow_no_rows)
		return hist_no_rows_error(h, name, err);
	return 0;
fail:
	free(head);
	md_stream_close(s);
	return -1;
}
