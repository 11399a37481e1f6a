/*
 * psql.c - what psql prints, pasted into tickets: aligned tables (border
 * 0/1/2, ascii and unicode lines, wrapped), expanded records (\x), and
 * unaligned output (-A), with or without header and footer (-t).
 *
 * psql prints NULL and '' alike (unless \pset null was set: a pasted
 * 'Null display is "X".' line tells the marker), expands tabs
 * and shows CR and other control characters escaped, so values are what
 * the screen showed; an empty logs is marked ambiguous. Lines are read as
 * the readers need them and dropped once their row is built (an expanded
 * record's once the record is), so a paste of any size is read; the first
 * lines decide what must be known up front (see PSQL_PREFIX_LINES), e.g.
 * the columns of a tuples-only table, found from the '|' every line has.
 * Aligned columns are found in display columns (a CJK character takes
 * two), from the rule line under the header. Unaligned output with -F TAB
 * (and raw TAB exports of other tools) is read like that with '|'.
 */
#include "migdoctor/common.h"
#include "hist_internal.h"

#include <ctype.h>

/*
 * The first lines decide what holds for the whole paste: CRLF line ends,
 * a Markdown code block's indent, expanded or not, and (tuples only) the
 * columns. After them lines are read as the readers need them and dropped
 * once a row is built, so a paste of any size is read in bounded memory.
 */
#define PSQL_PREFIX_LINES 4096
#define PSQL_PREFIX_BYTES ((size_t)4 << 20)

enum mark { MK_NONE, MK_NL, MK_WRAP };

struct pline {
	const char *s;       /* bytes of the line (no '\n', no final '\r') */
	size_t len;
	size_t *off;         /* off[k]: byte where display column k starts; off[ncol] = len */
	size_t ncol;
	uint64_t lineno;
	uint64_t offset;     /* of s in the input */
	char *mem;           /* owns s */
};

struct psql {
	struct history *h;
	struct md_reader r;
	struct pline **win;    /* the lines read and not dropped: base .. base + nwin - 1 */
	size_t base, nwin, cap;
	bool eof;              /* the input is read to its end (or failed: ioerr) */
	bool failed;
	struct md_error ioerr;
	bool crlf, indent4, indent_tab;
	size_t prefix_end;     /* lines [0, prefix_end) are the first lines */
	const char *name;
	char *null_mark;       /* from a pasted 'Null display is "X".' line */
	size_t null_len;
	char sep;              /* unaligned: '|', or TAB (psql -A -F TAB, DBeaver) */
};

/* --- the window of lines --- */

static void line_cols(struct pline *l);

/* The next physical line, as read; NULL at the end or on a read error. */
static struct pline *load_raw(struct psql *ps)
{
	const char *p;
	size_t n;
	struct pline *l;
	int got;

	if (ps->eof)
		return NULL;
	got = md_reader_line(&ps->r, &p, &n, &ps->ioerr);
	if (got <= 0) {
		ps->eof = true;
		ps->failed = got < 0;
		return NULL;
	}
	l = xcalloc(1, sizeof(*l));
	l->mem = xmalloc(n + 1);
	memcpy(l->mem, p, n);
	l->mem[n] = '\0';
	l->s = l->mem;
	l->len = n;
	l->lineno = ps->r.line - 1;
	l->offset = md_reader_line_offset(&ps->r, n);
	return l;
}

static bool is_fence(const struct pline *l)
{
	return l->len >= 3 && (!memcmp(l->s, "```", 3) || !memcmp(l->s, "~~~", 3));
}

/* What the first lines decided: fences blank, indent and CR off, display columns. */
static void prep(struct psql *ps, struct pline *l)
{
	if (is_fence(l))
		l->len = 0;
	if (ps->indent4 || ps->indent_tab) {
		size_t k = ps->indent4 ? 4 : 1;

		if (l->len >= k) {
			l->s += k;
			l->len -= k;
			l->offset += k;
		}
	}
	if (ps->crlf && l->len && l->s[l->len - 1] == '\r')
		l->len--;
	line_cols(l);
}

static void push(struct psql *ps, struct pline *l)
{
	MD_GROW(ps->win, ps->nwin, ps->cap);
	ps->win[ps->nwin++] = l;
}

static void free_line(struct pline *l)
{
	free(l->off);
	free(l->mem);
	free(l);
}

/* Line i (0-based), read if need be; NULL past the end. */
static const struct pline *ps_line(struct psql *ps, size_t i)
{
	while (i >= ps->base + ps->nwin && !ps->eof) {
		struct pline *l = load_raw(ps);

		if (!l)
			break;
		prep(ps, l);
		push(ps, l);
	}
	if (i < ps->base || i >= ps->base + ps->nwin)
		return NULL;
	return ps->win[i - ps->base];
}

/* The last line of the input (for messages at its end). */
static const struct pline *ps_last(struct psql *ps)
{
	while (ps_line(ps, ps->base + ps->nwin))
		;
	return ps->nwin ? ps->win[ps->nwin - 1] : NULL;
}

/* Drop the lines before line i: no reader looks back at them. */
static void ps_forget(struct psql *ps, size_t i)
{
	size_t k;

	if (i <= ps->base)
		return;
	k = MD_MIN(i - ps->base, ps->nwin);
	for (size_t j = 0; j < k; j++)
		free_line(ps->win[j]);
	memmove(ps->win, ps->win + k, (ps->nwin - k) * sizeof(*ps->win));
	ps->nwin -= k;
	ps->base += k;
}

/*
 * Read the first lines and decide from them: a Markdown code block's
 * indent (4 spaces or a TAB on every line), CRLF line ends (only if every
 * line has one: unaligned output prints a CR in data raw).
 */
static void ps_start(struct psql *ps)
{
	bool sp4 = true, tab = true, any = false, crlf = true;
	struct pline *l;
	size_t bytes = 0;

	while (ps->nwin < PSQL_PREFIX_LINES && bytes < PSQL_PREFIX_BYTES && (l = load_raw(ps))) {
		bytes += l->len;
		push(ps, l);
	}
	ps->prefix_end = ps->nwin;
	for (size_t i = 0; i < ps->nwin; i++) {
		l = ps->win[i];
		if (is_fence(l) || !l->len || (l->len == 1 && l->s[0] == '\r'))
			continue;
		any = true;
		sp4 &= l->len >= 4 && !memcmp(l->s, "    ", 4);
		tab &= l->s[0] == '\t';
	}
	ps->indent4 = any && sp4;
	ps->indent_tab = any && !sp4 && tab;
	for (size_t i = 0; i < ps->nwin && crlf; i++) {
		l = ps->win[i];
		crlf = l->len == 0 || l->s[l->len - 1] == '\r' || (ps->eof && i == ps->nwin - 1) ||
		       is_fence(l);
	}
	ps->crlf = crlf;
	for (size_t i = 0; i < ps->nwin; i++)
		prep(ps, ps->win[i]);
}

/* A cell as a field: with a known \pset null marker NULL and '' are told apart. */
static struct hist_field cell_field(const struct psql *ps, const char *p, size_t n)
{
	if (ps->null_mark) {
		bool is_null = n == ps->null_len && !memcmp(p, ps->null_mark, n);

		return (struct hist_field){ p, is_null ? 0 : n, is_null, false };
	}
	return (struct hist_field){ p, n, false, n == 0 };
}

/* --- display columns --- */

static uint32_t utf8_next(const char *s, size_t len, size_t *i)
{
	unsigned char c = (unsigned char)s[*i];
	uint32_t cp;
	int n;

	if (c < 0x80) {
		(*i)++;
		return c;
	}
	if ((c & 0xe0) == 0xc0) {
		cp = c & 0x1f;
		n = 1;
	} else if ((c & 0xf0) == 0xe0) {
		cp = c & 0x0f;
		n = 2;
	} else if ((c & 0xf8) == 0xf0) {
		cp = c & 0x07;
		n = 3;
	} else {
		(*i)++;
		return 0xfffd;
	}
	(*i)++;
	for (int k = 0; k < n; k++) {
		if (*i >= len || ((unsigned char)s[*i] & 0xc0) != 0x80)
			return 0xfffd;
		cp = (cp << 6) | ((unsigned char)s[(*i)++] & 0x3f);
	}
	return cp;
}

/* Display width as psql computes it (ucs_wcwidth): combining 0, East Asian wide 2. */
static int cp_width(uint32_t cp)
{
	if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0xfe00 && cp <= 0xfe0f))
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp != 0x303f) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe6f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
	    (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

static void line_cols(struct pline *l)
{
	size_t i = 0, n = 0, cap = l->len + 2;

	l->off = xmalloc(sizeof(size_t) * (cap + 1));
	while (i < l->len) {
		size_t start = i;
		int w = cp_width(utf8_next(l->s, l->len, &i));

		if (w == 0 && n > 0)
			continue; /* part of the previous column */
		l->off[n++] = start;
		if (w == 2)
			l->off[n++] = i; /* the second half: starts after the character */
	}
	l->off[n] = l->len;
	l->ncol = n;
}

/* The character (bytes) at display column k, or "" beyond the line. */
static const char *col_char(const struct pline *l, size_t k, size_t *n)
{
	if (k >= l->ncol) {
		*n = 0;
		return "";
	}
	*n = l->off[k + 1] - l->off[k];
	return l->s + l->off[k];
}

static bool col_is(const struct pline *l, size_t k, const char *c)
{
	size_t n;
	const char *p = col_char(l, k, &n);

	return n == strlen(c) && !memcmp(p, c, n);
}

/* Bytes of display columns [a, b) of l. */
static void col_range(const struct pline *l, size_t a, size_t b, const char **p, size_t *n)
{
	if (a > l->ncol)
		a = l->ncol;
	if (b > l->ncol)
		b = l->ncol;
	if (b < a)
		b = a;
	*p = l->s + l->off[a];
	*n = l->off[b] - l->off[a];
}

static enum mark mark_at(const struct pline *l, size_t k)
{
	if (col_is(l, k, "+") || col_is(l, k, "\xe2\x86\xb5") /* ↵ */ || col_is(l, k, ":"))
		return MK_NL;
	if (col_is(l, k, ".") || col_is(l, k, "\xe2\x80\xa6") /* … */ || col_is(l, k, ";"))
		return MK_WRAP;
	return MK_NONE;
}

/* --- line classes --- */

static bool is_hrule_char(const char *p, size_t n)
{
	static const char *const box[] = {
		"\xe2\x94\x80", "\xe2\x94\xbc", "\xe2\x94\x9c", "\xe2\x94\xa4", "\xe2\x94\x8c",
		"\xe2\x94\xac", "\xe2\x94\x90", "\xe2\x94\x94", "\xe2\x94\xb4", "\xe2\x94\x98",
		"\xe2\x95\x90", "\xe2\x95\xaa", "\xe2\x95\x9e", "\xe2\x95\xa1",
	};

	if (n == 1)
		return *p == '-' || *p == '+' || *p == ' ';
	for (size_t i = 0; i < MD_ARRAY_LEN(box); i++)
		if (n == 3 && !memcmp(p, box[i], 3))
			return true;
	return false;
}

static bool is_dash(const char *p, size_t n)
{
	return (n == 1 && *p == '-') || (n == 3 && (!memcmp(p, "\xe2\x94\x80", 3) ||
						     !memcmp(p, "\xe2\x95\x90", 3)));
}

/* A rule line: dashes and junctions only (the line under the header, or a frame). */
static bool is_rule(const struct pline *l)
{
	size_t dashes = 0;

	if (l->ncol < 3)
		return false;
	for (size_t k = 0; k < l->ncol; k++) {
		size_t n;
		const char *p = col_char(l, k, &n);

		if (!is_hrule_char(p, n))
			return false;
		dashes += is_dash(p, n);
	}
	return dashes * 2 > l->ncol;
}

static bool is_footer(const struct pline *l)
{
	const char *p = l->s;
	size_t n = l->len, k = 1;

	if (n < 4 || p[0] != '(' || p[n - 1] != ')' || !isdigit((unsigned char)p[1]))
		return false;
	while (k < n && isdigit((unsigned char)p[k]))
		k++;
	return p[k] == ' ';
}

static bool is_vbar(const struct pline *l, size_t k)
{
	return col_is(l, k, "|") || col_is(l, k, "\xe2\x94\x82"); /* │ */
}

static bool is_record_header(const struct pline *l)
{
	static const char *const pre[] = { "-[ RECORD ", "+-[ RECORD ", "\xe2\x94\x80[ RECORD ",
					   "\xe2\x94\x8c\xe2\x94\x80[ RECORD ",
					   "\xe2\x94\x9c\xe2\x94\x80[ RECORD ", "* Record " };

	for (size_t i = 0; i < MD_ARRAY_LEN(pre); i++)
		if (l->len >= strlen(pre[i]) && !memcmp(l->s, pre[i], strlen(pre[i])))
			return true;
	return false;
}

static void trim(const char **p, size_t *n, bool lead, bool trail)
{
	while (lead && *n && **p == ' ') {
		(*p)++;
		(*n)--;
	}
	while (trail && *n && (*p)[*n - 1] == ' ')
		(*n)--;
}

/* --- building rows --- */

struct cells {
	struct sbuf v[HIST_MAX_COLS];
	enum mark m[HIST_MAX_COLS];
	bool set[HIST_MAX_COLS];
};

static void cells_init(struct cells *c)
{
	for (size_t i = 0; i < HIST_MAX_COLS; i++)
		sbuf_init(&c->v[i], HIST_MAX_FIELD);
}

static void cells_release(struct cells *c)
{
	for (size_t i = 0; i < HIST_MAX_COLS; i++)
		sbuf_release(&c->v[i]);
}

static void cells_reset(struct cells *c)
{
	for (size_t i = 0; i < HIST_MAX_COLS; i++) {
		sbuf_reset(&c->v[i]);
		c->m[i] = MK_NONE;
		c->set[i] = false;
	}
}

static int emit_row(struct psql *ps, struct cells *c, const struct hist_colmap *m,
		    const struct md_pos *pos, struct md_error *err)
{
	struct hist_field f[HC_NCOLS];

	for (int k = 0; k < HC_NCOLS; k++)
		f[k] = (struct hist_field){ "", 0, true, false };
	for (size_t i = 0; i < m->ncols; i++) {
		int col = m->map[i];

		if (col < 0)
			continue;
		f[col] = cell_field(ps, c->v[i].buf, c->v[i].len);
	}
	return hist_add_row(ps->h, f, pos, err);
}

static int add_seg(struct cells *c, size_t i, const char *p, size_t n, enum mark prev,
		   const struct md_pos *pos, struct md_error *err)
{
	if (prev == MK_NL && sbuf_addch(&c->v[i], '\n') < 0)
		goto too_long;
	if (prev == MK_WRAP && n && c->v[i].len && c->v[i].buf[c->v[i].len - 1] == ' ') {
		size_t k = 0;

		/* a wide character that did not fit was moved to the next line, and a
		 * space padded the one before */
		if (cp_width(utf8_next(p, n, &k)) == 2)
			sbuf_setlen(&c->v[i], c->v[i].len - 1);
	}
	if (sbuf_add(&c->v[i], p, n) < 0)
		goto too_long;
	c->set[i] = true;
	return 0;
too_long:
	return md_fail_at(err, pos, "value longer than %zu MiB (HIST_MAX_FIELD)",
			  HIST_MAX_FIELD >> 20);
}

static void pos_of(const struct psql *ps, const struct pline *l, struct md_pos *pos)
{
	pos->file = ps->name;
	pos->line = l ? l->lineno : 0;
	pos->column = 0;
	pos->offset = l ? l->offset : 0;
}

/* --- aligned tables --- */

struct acol {
	size_t s, e; /* display columns of the cell, margins included (border 1/2) */
};

static int header_map(struct psql *ps, const struct pline *hdr, const struct acol *cols,
		      size_t ncols, int border, struct hist_colmap *m, struct md_error *err)
{
	const char *names[HIST_MAX_COLS];
	size_t lens[HIST_MAX_COLS];
	struct md_pos pos;

	pos_of(ps, hdr, &pos);
	for (size_t i = 0; i < ncols; i++) {
		size_t a = border ? cols[i].s + 1 : cols[i].s;
		size_t b = border ? cols[i].e - 1 : cols[i].e;

		col_range(hdr, a, b, &names[i], &lens[i]);
		trim(&names[i], &lens[i], true, true);
	}
	return hist_colmap_build(m, names, lens, ncols, false, &pos, err);
}

static int read_aligned(struct psql *ps, size_t first, struct md_error *err)
{
	struct acol cols[HIST_MAX_COLS];
	size_t ncols = 0, i = first, rule = SIZE_MAX, hdr = SIZE_MAX, start, nrows0 = ps->h->nrows;
	struct hist_colmap m;
	int border = 1;
	struct cells *c = NULL;
	bool in_row = false, footer = false, tuples_only = false;
	long long want_rows = -1;
	struct md_pos rowpos = { 0 };
	int rc = -1;

	/* the rule under the header; with border 2 the first rule is the top frame */
	for (; i < ps->prefix_end && ps_line(ps, i); i++) {
		if (is_rule(ps_line(ps, i))) {
			if (i > first && ps_line(ps, i - 1)->len && !is_rule(ps_line(ps, i - 1))) {
				rule = i;
				hdr = i - 1;
				break;
			}
		} else if (ps_line(ps, i)->len && ps_line(ps, i + 1) && !is_rule(ps_line(ps, i + 1)) &&
			   (i == first || !is_rule(ps_line(ps, i - 1)))) {
			/* a data line before any rule: tuples-only */
			break;
		}
	}
	if (rule != SIZE_MAX) {
		const struct pline *r = ps_line(ps, rule);
		size_t k = 0;

		border = (col_is(r, 0, "+") || col_is(r, 0, "\xe2\x94\x9c") ||
			  col_is(r, 0, "\xe2\x95\x9e")) ? 2 : 1;
		if (border == 1) {
			/* border 0 separates dash runs with spaces, border 1 with junctions */
			bool junction = false;

			for (size_t q = 0; q < r->ncol; q++) {
				size_t n;
				const char *p = col_char(r, q, &n);

				junction |= is_hrule_char(p, n) && !is_dash(p, n) && !(n == 1 && *p == ' ');
			}
			if (!junction)
				border = 0;
		}
		if (border == 2)
			k = 1;
		while (k < r->ncol && ncols < HIST_MAX_COLS) {
			size_t s = k, n;
			const char *p;

			while (k < r->ncol && (p = col_char(r, k, &n), is_dash(p, n)))
				k++;
			if (k > s)
				cols[ncols++] = (struct acol){ s, k };
			k++; /* the junction */
		}
		start = rule + 1;
		if (header_map(ps, ps_line(ps, hdr), cols, ncols, border, &m, err) < 0)
			return -1;
	} else {
		/* tuples only: the '|' every line has are the column borders */
		size_t end = first, maxw = 0, prev = 0;
		const struct pline *f0;

		tuples_only = true;
		/* the first lines show the columns: every line of an aligned table has its '|' */
		while (end < ps->prefix_end && ps_line(ps, end) && ps_line(ps, end)->len &&
		       !is_footer(ps_line(ps, end)))
			end++;
		f0 = ps_line(ps, first);
		for (size_t q = 0; q < f0->ncol && ncols < HIST_MAX_COLS - 1; q++) {
			bool all = is_vbar(f0, q);

			for (size_t j = first + 1; all && j < end; j++)
				all = is_vbar(ps_line(ps, j), q);
			if (all) {
				cols[ncols++] = (struct acol){ prev, q };
				prev = q + 1;
			}
		}
		for (size_t j = first; j < end; j++)
			maxw = MD_MAX(maxw, ps_line(ps, j)->ncol);
		cols[ncols++] = (struct acol){ prev, maxw + 1 };
		if (ncols != HC_NCOLS) {
			struct md_pos pos;

			pos_of(ps, f0, &pos);
			return md_fail_at(err, &pos, "psql table without a header has %zu columns; "
					  "expected the 8 columns of _prisma_migrations in table "
					  "order", ncols);
		}
		hist_colmap_prisma(&m);
		ps->h->flags |= HIST_BY_POSITION;
		start = first;
	}
	hist_note_missing(ps->h, &m);
	ps->h->flags |= HIST_TABLE_SEEN;
	c = xcalloc(1, sizeof(*c));
	cells_init(c);
	cells_reset(c);
	for (i = start; ps_line(ps, i); i++) {
		const struct pline *l;

		ps_forget(ps, i > 0 ? i - 1 : 0);
		l = ps_line(ps, i);
		bool cont = false;
		struct md_pos pos;

		pos_of(ps, l, &pos);
		if (is_footer(l)) {
			footer = true;
			want_rows = strtoll(l->s + 1, NULL, 10);
			break;
		}
		if (l->len == 0 || is_rule(l)) {
			if (border == 2 && is_rule(l) && ps_line(ps, i + 1) && !is_footer(ps_line(ps, i + 1)) &&
			    ps_line(ps, i + 1)->len && !is_rule(ps_line(ps, i + 1)))
				continue; /* a frame line between rows (\pset border 2 with linestyle) */
			if (tuples_only || border == 2)
				footer = tuples_only;
			if (l->len == 0 || border == 2) {
				if (border == 2 && !tuples_only)
					continue; /* the bottom frame: the footer follows */
				break;
			}
			continue;
		}
		if (border == 1) {
			/*
			 * linestyle old-ascii (psql < 9.0): no '+' at the right; a
			 * continued cell has ':' (newline) or ';' (wrap) in place of
			 * the '|' before it, on the continuation line
			 */
			enum mark oa[HIST_MAX_COLS] = { MK_NONE };
			bool old_ascii = false;

			for (size_t k = 1; k < ncols; k++) {
				if (col_is(l, cols[k].s - 1, ":"))
					oa[k] = MK_NL;
				else if (col_is(l, cols[k].s - 1, ";"))
					oa[k] = MK_WRAP;
				old_ascii |= oa[k] != MK_NONE;
			}
			if (old_ascii && in_row)
				for (size_t k = 0; k < ncols; k++)
					c->m[k] = oa[k];
		}
		for (size_t k = 0; k < ncols; k++)
			cont |= c->m[k] != MK_NONE;
		if (!cont) {
			if (in_row && emit_row(ps, c, &m, &rowpos, err) < 0)
				goto out;
			cells_reset(c);
			in_row = true;
			rowpos = pos;
		}
		for (size_t k = 0; k < ncols; k++) {
			size_t a, b, mk;
			enum mark prev = c->m[k], now;
			const char *p;
			size_t n;
			bool last = k == ncols - 1;

			if (border) {
				a = cols[k].s + 1;
				b = cols[k].e - 1;
				mk = cols[k].e - 1;
			} else {
				a = cols[k].s;
				b = cols[k].e;
				mk = cols[k].e;
			}
			now = mark_at(l, mk);
			if (last && !border && mk >= l->ncol)
				now = MK_NONE;
			col_range(l, a, b, &p, &n);
			if (cont && prev == MK_NONE) {
				c->m[k] = MK_NONE;
				continue; /* a cell that ended on an earlier line */
			}
			if (k == 0 && border == 0 && prev == MK_WRAP && n && *p == '.') {
				p++;
				n--;
			}
			if (now != MK_WRAP)
				trim(&p, &n, false, true);
			if (m.map[k] != HC_LOGS && prev == MK_NONE)
				trim(&p, &n, true, false);
			if (add_seg(c, k, p, n, prev, &pos, err) < 0)
				goto out;
			c->m[k] = now;
		}
	}
	if (in_row && emit_row(ps, c, &m, &rowpos, err) < 0)
		goto out;
	if (!footer && !tuples_only) {
		struct md_pos pos;

		pos_of(ps, ps_line(ps, i) ? ps_line(ps, i) : ps_last(ps), &pos);
		md_fail_at(err, &pos, "psql table ends without its '(N rows)' footer; the paste "
			   "looks truncated (paste the whole output, or use psql -t)");
		goto out;
	}
	if (want_rows >= 0 && (size_t)want_rows != ps->h->nrows - nrows0) {
		struct md_pos pos;

		pos_of(ps, ps_line(ps, i), &pos);
		md_fail_at(err, &pos, "the footer says %lld rows but %zu were read; expected them to "
			   "match (was the paste edited?)", want_rows, ps->h->nrows - nrows0);
		goto out;
	}
	ps->h->format = tuples_only ? "psql aligned, tuples only" :
			border == 0 ? "psql aligned (border 0)" :
			border == 2 ? "psql aligned (border 2)" : "psql aligned";
	rc = 0;
out:
	if (c) {
		cells_release(c);
		free(c);
	}
	return rc;
}

/* --- expanded records --- */

static int read_expanded(struct psql *ps, size_t first, struct md_error *err)
{
	struct hist_colmap m;
	struct cells *c = xcalloc(1, sizeof(*c));
	const char *names[HIST_MAX_COLS];
	size_t lens[HIST_MAX_COLS], nf = 0, bar = 0, mk = 0;
	int border = 1, rc = -1;
	bool in_rec = false;
	struct md_pos recpos = { 0 };
	size_t cur = SIZE_MAX;

	cells_init(c);
	cells_reset(c);
	for (size_t i = first;; i++) {
		const struct pline *l = ps_line(ps, i);
		struct md_pos pos;

		if (!l || is_record_header(l) || l->len == 0 || is_footer(l) ||
		    (border == 2 && is_rule(l))) {
			if (in_rec) {
				if (hist_colmap_build(&m, names, lens, nf, false, &recpos, err) < 0 ||
				    emit_row(ps, c, &m, &recpos, err) < 0)
					goto out;
				hist_note_missing(ps->h, &m);
				in_rec = false;
			}
			if (!l)
				break;
			if (!is_record_header(l))
				continue;
			/* names point into the record's lines: drop lines a record at a time */
			ps_forget(ps, i);
			/* -[ RECORD 1 ]----+------  /  +-[ RECORD 1 ]---+----+ */
			border = l->s[0] == '+' || col_is(l, 0, "\xe2\x94\x8c") ||
					 col_is(l, 0, "\xe2\x94\x9c") ? 2 : 1;
			{
				size_t e = l->ncol;

				while (e > 0 && col_is(l, e - 1, " "))
					e--;
				mk = border == 2 ? e - 2 : e;
			}
			cells_reset(c);
			nf = 0;
			bar = 0;
			cur = SIZE_MAX;
			in_rec = true;
			pos_of(ps, l, &recpos);
			if (l->s[0] == '*') {
				/*
				 * border 0: "* Record 1", then "name<pad> value" with no '|':
				 * the names end at the longest name
				 */
				size_t w = 0;

				border = 0;
				for (size_t j = i + 1; ps_line(ps, j) && !is_record_header(ps_line(ps, j)) &&
						       ps_line(ps, j)->len; j++) {
					const struct pline *q = ps_line(ps, j);
					const char *sp = memchr(q->s, ' ', q->len);

					if (q->s[0] != ' ' && q->s[0] != '.')
						w = MD_MAX(w, sp ? (size_t)(sp - q->s) : q->len);
				}
				bar = w;
			}
			continue;
		}
		if (!in_rec)
			continue;
		pos_of(ps, l, &pos);
		if (bar == 0) {
			/* the first '|' after the left frame separates names from values */
			for (size_t k = border == 2 ? 1 : 0; k < l->ncol; k++) {
				if (is_vbar(l, k)) {
					bar = k;
					break;
				}
			}
			if (bar == 0) {
				md_fail_at(err, &pos, "expanded record line without a '|' between the "
					   "column name and its value");
				goto out;
			}
		}
		{
			size_t a = border == 2 ? 2 : 0;
			const char *p;
			size_t n;
			enum mark now = mark_at(l, mk), prev;

			col_range(l, a, bar, &p, &n);
			trim(&p, &n, true, true);
			if (n) {
				if (nf >= HIST_MAX_COLS) {
					md_fail_at(err, &pos, "more than %d fields in a record",
						   HIST_MAX_COLS);
					goto out;
				}
				cur = nf++;
				names[cur] = p;
				lens[cur] = n;
				prev = MK_NONE;
			} else if (cur != SIZE_MAX) {
				prev = c->m[cur];
			} else {
				continue;
			}
			if (border == 0) {
				/*
				 * no fixed margin: a segment carries a mark exactly when the
				 * next line continues it (its name part is blank)
				 */
				const struct pline *nx = ps_line(ps, i + 1);
				bool more = nx && nx->len && !is_record_header(nx) &&
					    (nx->s[0] == ' ' || nx->s[0] == '.');

				now = more ? mark_at(l, l->ncol - 1) : MK_NONE;
				col_range(l, bar + 1, now != MK_NONE ? l->ncol - 1 : l->ncol, &p, &n);
			} else {
				col_range(l, bar + 2, mk, &p, &n);
			}
			if (now != MK_WRAP)
				trim(&p, &n, false, true);
			if (border == 2 && now == MK_NONE && n && !memcmp(p + n - 1, "|", 1)) {
				n--;
				trim(&p, &n, false, true);
			}
			if (add_seg(c, cur, p, n, prev, &pos, err) < 0)
				goto out;
			c->m[cur] = now;
		}
	}
	ps->h->flags |= HIST_TABLE_SEEN;
	ps->h->format = border == 2 ? "psql expanded (border 2)" :
			border == 0 ? "psql expanded (border 0)" : "psql expanded";
	rc = 0;
out:
	cells_release(c);
	free(c);
	return rc;
}

/* --- unaligned --- */

static bool valid_first(int col, const char *p, size_t n)
{
	struct md_ts ts;

	switch (col) {
	case HC_ID:
		return hist_is_uuidish(p, n);
	case HC_CHECKSUM:
		return hist_is_hex64(p, n);
	case HC_STARTED_AT:
	case HC_FINISHED_AT:
	case HC_ROLLED_BACK_AT:
		return n == 0 || md_ts_parse(p, n, &ts) == 0;
	default:
		return n > 0;
	}
}

static int read_unaligned(struct psql *ps, size_t first, struct md_error *err)
{
	struct hist_colmap m;
	const struct pline *h0 = ps_line(ps, first);
	size_t i = first, L = SIZE_MAX, nrows0 = ps->h->nrows;
	struct sbuf rec = SBUF_INIT;
	struct md_pos recpos = { 0 };
	bool footer = false, header;
	int rc = -1;
	const char *names[HIST_MAX_COLS];
	size_t lens[HIST_MAX_COLS], n = 0;

	sbuf_init(&rec, HIST_MAX_FIELD);
	{
		const char *p = h0->s, *end = h0->s + h0->len;

		while (n < HIST_MAX_COLS) {
			const char *b = memchr(p, ps->sep, (size_t)(end - p));

			names[n] = p;
			lens[n] = (size_t)((b ? b : end) - p);
			n++;
			if (!b)
				break;
			p = b + 1;
		}
		header = hist_col_lookup(names[0], lens[0]) >= 0;
	}
	if (header) {
		struct md_pos pos;

		pos_of(ps, h0, &pos);
		if (hist_colmap_build(&m, names, lens, n, false, &pos, err) < 0)
			goto out;
		i++;
	} else {
		hist_colmap_prisma(&m);
		ps->h->flags |= HIST_BY_POSITION;
	}
	for (size_t k = 0; k < m.ncols; k++)
		if (m.map[k] == HC_LOGS)
			L = k;
	hist_note_missing(ps->h, &m);
	ps->h->flags |= HIST_TABLE_SEEN;
	for (;; i++) {
		const struct pline *l;

		ps_forget(ps, i > 0 ? i - 1 : 0);
		l = ps_line(ps, i);
		bool starts_rec = false;

		if (l && is_footer(l))
			footer = true;
		if (l && !footer) {
			const char *b = memchr(l->s, ps->sep, l->len);

			starts_rec = b && valid_first(m.map[0], l->s, (size_t)(b - l->s));
			if (!b && m.ncols == 1)
				starts_rec = true;
		}
		if ((!l || footer || starts_rec) && recpos.file) {
			/* split the record: fields left of logs, logs, fields right of it */
			struct hist_field f[HC_NCOLS];
			const char *p = rec.buf, *end = rec.buf + rec.len;
			const char *fs[HIST_MAX_COLS];
			size_t fl[HIST_MAX_COLS];
			size_t left = L == SIZE_MAX ? m.ncols - 1 : L;
			size_t right = L == SIZE_MAX ? 0 : m.ncols - 1 - L;

			for (size_t k = 0; k < left; k++) {
				const char *b = memchr(p, ps->sep, (size_t)(end - p));

				if (!b)
					goto bad_rec;
				fs[k] = p;
				fl[k] = (size_t)(b - p);
				p = b + 1;
			}
			for (size_t k = 0; k < right; k++) {
				const char *b = memrchr(p, ps->sep, (size_t)(end - p));

				if (!b)
					goto bad_rec;
				fs[m.ncols - 1 - k] = b + 1;
				fl[m.ncols - 1 - k] = (size_t)(end - b - 1);
				end = b;
			}
			fs[left] = p;
			fl[left] = (size_t)(end - p);
			if (L == SIZE_MAX && memchr(p, ps->sep, fl[left]))
				goto bad_rec;
			for (int k = 0; k < HC_NCOLS; k++)
				f[k] = (struct hist_field){ "", 0, true, false };
			for (size_t k = 0; k < m.ncols; k++)
				if (m.map[k] >= 0)
					f[m.map[k]] = cell_field(ps, fs[k], fl[k]);
			if (hist_add_row(ps->h, f, &recpos, err) < 0)
				goto out;
			recpos.file = NULL;
		}
		if (!l || footer)
			break;
		if (starts_rec) {
			sbuf_reset(&rec);
			pos_of(ps, l, &recpos);
		} else if (!recpos.file) {
			if (l->len == 0)
				continue;
			{
				struct md_pos pos;

				pos_of(ps, l, &pos);
				md_fail_at(err, &pos, "psql unaligned line does not start a row (expected "
					   "'%s%s...')", hist_col_names[m.map[0] >= 0 ? m.map[0] : 0],
					   ps->sep == '\t' ? "<TAB>" : "|");
				goto out;
			}
		} else if (sbuf_addch(&rec, '\n') < 0) {
			goto too_long;
		}
		if (sbuf_add(&rec, l->s, l->len) < 0)
			goto too_long;
	}
	if (header && !footer && ps->sep == '|') { /* a TAB export by another tool has none */
		struct md_pos pos;

		pos_of(ps, ps_last(ps), &pos);
		md_fail_at(err, &pos, "psql output ends without its '(N rows)' footer; the paste "
			   "looks truncated");
		goto out;
	}
	if (footer && (size_t)strtoll(ps_line(ps, i)->s + 1, NULL, 10) != ps->h->nrows - nrows0) {
		struct md_pos pos;

		pos_of(ps, ps_line(ps, i), &pos);
		md_fail_at(err, &pos, "the footer says %lld rows but %zu were read",
			   strtoll(ps_line(ps, i)->s + 1, NULL, 10), ps->h->nrows - nrows0);
		goto out;
	}
	ps->h->format = ps->sep == '\t' ? (footer ? "psql unaligned, TAB-separated"
						 : "TAB-separated, values raw")
			: header ? "psql unaligned" : "psql unaligned, tuples only";
	rc = 0;
	goto out;
bad_rec:
	md_fail_at(err, &recpos, "psql unaligned row has fewer '%s' than the %zu columns",
		   ps->sep == '\t' ? "TAB" : "|", m.ncols);
	goto out;
too_long:
	md_fail_at(err, &recpos, "row longer than %zu MiB (HIST_MAX_FIELD)", HIST_MAX_FIELD >> 20);
out:
	sbuf_release(&rec);
	return rc;
}

/* --- entry --- */

static bool chatter(const struct pline *l)
{
	static const char *const notes[] = {
		"Expanded display is", "Border style is", "Line style is", "Output format is",
		"Target width is", "Null display is", "Field separator is", "Tuples only is",
		"Pager usage is", "Record separator is", "Unicode ", "Default footer is",
		"Title is",
	};

	for (size_t i = 0; i < MD_ARRAY_LEN(notes); i++)
		if (l->len >= strlen(notes[i]) && !memcmp(l->s, notes[i], strlen(notes[i])))
			return true;
	/* a prompt and query: "app=> SELECT ..." */
	return memmem(l->s, l->len, "=> ", 3) || memmem(l->s, l->len, "=# ", 3);
}

int hist_read_psql(struct history *h, struct md_stream *s, const struct history_opts *opts,
		   struct md_error *err)
{
	struct psql ps = { .h = h, .name = s->name };
	const struct pline *l;
	size_t first = 0;
	int rc = -1;

	(void)opts;
	md_reader_init(&ps.r, s, HIST_MAX_LINE);
	md_error_clear(&ps.ioerr);
	ps_start(&ps);
	while ((l = ps_line(&ps, first)) && (l->len == 0 || chatter(l))) {
		static const char nd[] = "Null display is \"";

		if (l->len > sizeof(nd) + 1 && !memcmp(l->s, nd, sizeof(nd) - 1) &&
		    !memcmp(l->s + l->len - 2, "\".", 2)) {
			free(ps.null_mark);
			ps.null_len = l->len - (sizeof(nd) - 1) - 2;
			ps.null_mark = xstrndup(l->s + sizeof(nd) - 1, ps.null_len);
		}
		first++;
	}
	if (!l) {
		if (!ps.failed)
			md_fail(err, "%s: no rows in this psql output", s->name);
		goto out;
	}
	ps_forget(&ps, first);
	{
		bool expanded = false, ruled = false;
		const struct pline *f0 = ps_line(&ps, first);

		for (size_t i = first; i < ps.prefix_end && (l = ps_line(&ps, i)) &&
				       !expanded; i++) {
			expanded = is_record_header(l);
			ruled |= is_rule(l);
		}
		ps.sep = !memchr(f0->s, '|', f0->len) && memchr(f0->s, '\t', f0->len) ? '\t' : '|';
		if (expanded)
			rc = read_expanded(&ps, first, err);
		else if (ruled || memmem(f0->s, f0->len, " | ", 3) ||
			 memmem(f0->s, f0->len, "\xe2\x94\x82", 3))
			rc = read_aligned(&ps, first, err);
		else
			rc = read_unaligned(&ps, first, err);
	}
out:
	if (ps.failed) {
		/* a read error (a line past HIST_MAX_LINE) ended the input early: that is the error */
		*err = ps.ioerr;
		rc = -1;
	}
	ps_forget(&ps, ps.base + ps.nwin);
	free(ps.win);
	free(ps.null_mark);
	md_reader_release(&ps.r);
	return rc;
}
