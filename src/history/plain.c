/*
 * plain.c - plain SQL dumps: pg_dump -Fp, pg_restore -f, pg_dumpall.
 *
 * The file is streamed once. Statements are split by the light lexer
 * (sqllex.c); COPY blocks of other tables are skipped by a vector search
 * for "\n\\." over large reads, with no per-line work, which is what
 * makes a multi-GB dump of request logs cheap. Rows of every
 * _prisma_migrations found (per database of a pg_dumpall, per schema) are
 * kept apart and the one asked for (--database, --schema-name) is chosen
 * at the end.
 */
#include "migdoctor/common.h"
#include "hist_internal.h"
#include "hist_sql.h"
#include "sqllex.h"
#include "migdoctor/scan.h"

#include <ctype.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

struct inst {
	const char *db;      /* NULL outside a pg_dumpall/--create section */
	const char *schema;
	bool has_data;       /* a COPY block or INSERTs were read */
	bool external_data;  /* COPY ... FROM '$$PATH$$/N.dat' (tar restore.sql) */
	const char **cols;   /* CREATE TABLE columns, for INSERTs without a list */
	size_t ncols;
};

struct plain {
	struct history *h;
	const struct history_opts *opts;
	struct md_reader r;
	struct sqllex lx;
	struct sbuf stmt, schema, name, tmp;
	const char *db;              /* current database (\connect) */
	const char *search_path;     /* old dumps: SET search_path = x, pg_catalog */
	struct inst *insts;
	size_t ninsts, insts_cap;
	unsigned *row_inst;          /* instance of each row of h->rows */
	size_t row_inst_cap;
	const char **ddl_db;         /* database of each h->ddl entry */
	size_t ddl_db_cap;
	const char **dbs;            /* every database seen */
	size_t ndbs, dbs_cap;
	bool dumpall;
	bool crlf;                   /* the file went through a LF -> CRLF conversion */
	char last_ins[256];          /* "INSERT INTO <name> " of the last INSERT seen */
	size_t last_ins_len;
	bool last_ins_ours;
	char version[64];
};

static bool starts(const char *l, size_t n, const char *w)
{
	size_t k = strlen(w);

	return n >= k && !memcmp(l, w, k);
}

static void line_pos(struct plain *p, size_t len, struct md_pos *pos)
{
	pos->file = p->h->source;
	pos->line = p->r.line - 1;
	pos->column = 0;
	pos->offset = md_reader_line_offset(&p->r, len);
}

static const char *qualified(struct plain *p, const char *schema, const char *name)
{
	sbuf_reset(&p->tmp);
	if (schema && *schema)
		sb_printf(&p->tmp, "%s.", schema);
	sb_puts(&p->tmp, name);
	return p->tmp.buf;
}

/* Find or add the instance of _prisma_migrations for (current db, schema). */
static size_t inst_get(struct plain *p, const char *schema)
{
	const char *s = schema && *schema ? schema : (p->search_path ? p->search_path : "public");

	for (size_t i = 0; i < p->ninsts; i++) {
		struct inst *in = &p->insts[i];

		if (!strcmp(in->schema, s) &&
		    ((!in->db && !p->db) || (in->db && p->db && !strcmp(in->db, p->db))))
			return i;
	}
	MD_GROW(p->insts, p->ninsts, p->insts_cap);
	memset(&p->insts[p->ninsts], 0, sizeof(struct inst));
	p->insts[p->ninsts].db = p->db;
	p->insts[p->ninsts].schema = arena_strdup(&p->h->arena, s);
	p->h->flags |= HIST_TABLE_SEEN;
	return p->ninsts++;
}

static void tag_rows(struct plain *p, size_t from, size_t inst)
{
	if (p->h->nrows > p->row_inst_cap) {
		p->row_inst_cap = p->h->nrows * 2;
		p->row_inst = xreallocarray(p->row_inst, p->row_inst_cap, sizeof(unsigned));
	}
	for (size_t i = from; i < p->h->nrows; i++)
		p->row_inst[i] = (unsigned)inst;
}

static void add_ddl(struct plain *p, const struct md_pos *pos)
{
	struct history *h = p->h;

	history_add_ddl(h, p->stmt.buf, p->stmt.len, pos);
	if (h->nddl > p->ddl_db_cap) {
		p->ddl_db_cap = h->nddl * 2;
		p->ddl_db = xreallocarray(p->ddl_db, p->ddl_db_cap, sizeof(char *));
	}
	p->ddl_db[h->nddl - 1] = p->db;
}

/* --- skipping COPY data --- */

/* Is b (at a line start) the "\." end marker line? Returns its length with the line end, or 0. */
static size_t term_len(const char *b, size_t avail, bool eof)
{
	if (avail < 2 || b[0] != '\\' || b[1] != '.')
		return 0;
	if (avail == 2)
		return eof ? 2 : 0;
	if (b[2] == '\n')
		return 3;
	if (b[2] == '\r' && (avail == 3 ? eof : b[3] == '\n'))
		return avail == 3 ? 3 : 4;
	return 0;
}

static int truncated_copy(struct md_reader *r, uint64_t copy_line, struct md_error *err)
{
	struct md_pos pos;

	/* count the lines left so the message names the line after the last */
	for (size_t i = r->start; i < r->end; i++)
		r->line += r->buf[i] == '\n';
	r->start = r->end;
	md_reader_pos(r, &pos);
	return md_fail_at(err, &pos, "the file ends inside the COPY data that starts at line "
			  "%llu; expected a '\\.' line: the dump is truncated",
			  (unsigned long long)copy_line);
}

/*
 * Read more into the reader's buffer, at most SKIP_READ bytes at a time so
 * the bytes are still in cache when the scan reaches them (1 MiB reads
 * measured within noise of 128 KiB ones on the bench machine).
 */
#define SKIP_READ ((size_t)128 << 10)

static int skip_fill(struct md_reader *r, size_t want, struct md_error *err)
{
	while (r->end - r->start < want && !r->eof) {
		ssize_t n;

		if (r->start > 0 && r->cap - r->end < SKIP_READ) {
			memmove(r->buf, r->buf + r->start, r->end - r->start);
			r->base += r->start;
			r->end -= r->start;
			r->start = 0;
		}
		n = md_stream_read(r->s, r->buf + r->end, MD_MIN(r->cap - r->end, SKIP_READ), err);
		if (n < 0)
			return -1;
		if (n == 0)
			r->eof = true;
		r->end += (size_t)n;
	}
	return 0;
}

static int skip_copy(struct plain *p, uint64_t copy_line, struct md_error *err)
{
	struct md_reader *r = &p->r;
	bool line_start = true;

	for (;;) {
		ssize_t avail = md_reader_fill(r, 4, err);
		const char *b;
		size_t hit, t;
		uint64_t nls = 0;
		bool found;

		if (avail < 0)
			return -1;
		b = r->buf + r->start;
		if (line_start && (t = term_len(b, (size_t)avail, r->eof)) > 0) {
			r->start += t;
			r->line++;
			return 0;
		}
		if (r->eof && (size_t)avail < 3)
			return truncated_copy(r, copy_line, err);
		found = md_find_copy_end(b, (size_t)avail, &hit, &nls);
		r->line += nls;
		if (found) {
			r->start += hit + 1;
			r->line++;
			line_start = true;
			if (md_reader_fill(r, 4, err) < 0)
				return -1;
			b = r->buf + r->start;
			t = term_len(b, r->end - r->start, r->eof);
			if (t) {
				r->start += t;
				r->line++;
				return 0;
			}
			r->start += 1; /* "\." inside a line: not the marker */
			line_start = false;
			continue;
		}
		/* keep the last two bytes: "\n\\" may continue in the next read */
		r->start += (size_t)avail - 2;
		line_start = false;
		if (r->eof)
			return truncated_copy(r, copy_line, err);
		if (skip_fill(r, 3, err) < 0)
			return -1;
	}
}

/* --- skipping runs of INSERTs into other tables --- */

/*
 * pg_dump --inserts writes one statement per row: a dump of request logs is
 * millions of INSERTs into a table already known to be skipped. Their end
 * is found 64 bytes at a time from bit masks (quotes, newlines and the
 * characters that would need the lexer), with the string state carried by
 * a prefix XOR of the quote mask: a '' inside a literal toggles twice. It
 * is exact only where the lexer would see nothing but '...' literals, so
 * any '"', '$', "--", a block comment outside a literal, an E'...' literal or
 * standard_conforming_strings off send the statement to the lexer, as does
 * one longer than the buffer or one near the end of the input.
 */
struct ins_masks {
	uint64_t quote, nl, bad, e;
};

/*
 * Masks of b[0..64) (b[64] is read too): quotes, newlines, E or e, and
 * what the lexer must see outside a literal: '"', '$', "--", a block comment.
 */
#ifdef __SSE2__
static void ins_masks(const char *b, struct ins_masks *m)
{
	const __m128i quote = _mm_set1_epi8('\''), nl = _mm_set1_epi8('\n');
	const __m128i dq = _mm_set1_epi8('"'), dollar = _mm_set1_epi8('$');
	const __m128i dash = _mm_set1_epi8('-'), slash = _mm_set1_epi8('/');
	const __m128i star = _mm_set1_epi8('*'), low = _mm_set1_epi8(0x20), e = _mm_set1_epi8('e');

	memset(m, 0, sizeof(*m));
	for (int k = 0; k < 4; k++) {
		__m128i v = _mm_loadu_si128((const void *)(b + 16 * k));
		__m128i w = _mm_loadu_si128((const void *)(b + 16 * k + 1));
		__m128i dd = _mm_and_si128(_mm_cmpeq_epi8(v, dash), _mm_cmpeq_epi8(w, dash));
		__m128i ss = _mm_and_si128(_mm_cmpeq_epi8(v, slash), _mm_cmpeq_epi8(w, star));
		__m128i qd = _mm_or_si128(_mm_cmpeq_epi8(v, dq), _mm_cmpeq_epi8(v, dollar));
		__m128i bad = _mm_or_si128(qd, _mm_or_si128(dd, ss));
		int sh = 16 * k;

		m->quote |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)) << sh;
		m->nl |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl)) << sh;
		m->bad |= (uint64_t)(unsigned)_mm_movemask_epi8(bad) << sh;
		m->e |= (uint64_t)(unsigned)_mm_movemask_epi8(
				_mm_cmpeq_epi8(_mm_or_si128(v, low), e)) << sh;
	}
}
#else
static void ins_masks(const char *b, struct ins_masks *m)
{
	memset(m, 0, sizeof(*m));
	for (int k = 0; k < 64; k++) {
		char c = b[k];
		bool bad = c == '"' || c == '$' || (c == '-' && b[k + 1] == '-') ||
			   (c == '/' && b[k + 1] == '*');

		m->quote |= (uint64_t)(c == '\'') << k;
		m->nl |= (uint64_t)(c == '\n') << k;
		m->bad |= (uint64_t)bad << k;
		m->e |= (uint64_t)(c == 'E' || c == 'e') << k;
	}
}
#endif

static uint64_t prefix_xor(uint64_t x)
{
	x ^= x << 1;
	x ^= x << 2;
	x ^= x << 4;
	x ^= x << 8;
	x ^= x << 16;
	x ^= x << 32;
	return x;
}

/* Without -mpopcnt, __builtin_popcountll is a libgcc call: this is inlined. */
static inline uint64_t popcount64(uint64_t x)
{
	x -= (x >> 1) & 0x5555555555555555u;
	x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
	return (x * 0x0101010101010101u) >> 56;
}

/* A newline outside literals at b[i]: does the statement end there (last token ';')? */
static bool ends_at(const char *b, size_t from, size_t i)
{
	while (i > from && (b[i - 1] == ' ' || b[i - 1] == '\t' || b[i - 1] == '\r'))
		i--;
	return i > from && b[i - 1] == ';';
}

/*
 * The statement at r->start (a line that starts with p->last_ins): its
 * length with the final '\n' in *len and its newlines in *nls, 1; 0 when
 * the lexer must read it; -1 on a read error.
 */
static int fast_insert_end(struct plain *p, size_t *len, uint64_t *nls, struct md_error *err)
{
	struct md_reader *r = &p->r;
	size_t i = p->last_ins_len;
	uint64_t in = 0, prev_e = 0, lines = 0;

	for (;;) {
		struct ins_masks m;
		const char *b;
		uint64_t inside, ends;

		if (r->end - r->start < i + 65) {
			if (r->eof || i + 65 > r->cap)
				return 0; /* near the end, or longer than the buffer: the lexer */
			if (skip_fill(r, i + 65, err) < 0)
				return -1;
			continue;
		}
		b = r->buf + r->start;
		ins_masks(b + i, &m);
		inside = prefix_xor(m.quote) ^ in;       /* an opening quote is inside */
		/* what the lexer must see, up to the end (not in the next statement) */
		m.bad = (m.bad & ~inside) | (m.quote & inside & (m.e << 1 | prev_e));
		for (ends = m.nl & ~inside; ends; ends &= ends - 1) {
			size_t k = (size_t)__builtin_ctzll(ends);
			uint64_t upto = 2 * (ends & -ends) - 1;

			if (m.bad & upto)
				return 0;
			if (ends_at(b, p->last_ins_len, i + k)) {
				*len = i + k + 1;
				*nls = lines + popcount64(m.nl & upto);
				return 1;
			}
		}
		if (m.bad)
			return 0;
		lines += popcount64(m.nl);
		in = inside >> 63 ? ~(uint64_t)0 : 0;
		prev_e = m.e >> 63;
		i += 64;
	}
}

/*
 * The line l (just read) starts an INSERT into the other table of
 * p->last_ins: skip it and the INSERTs into that table after it, as long
 * as each is simple enough. Returns 1 when done (the next line is not
 * such an INSERT), 0 when the lexer must read the statement now at l, -1
 * on error.
 */
static int skip_inserts(struct plain *p, const char **l, size_t *n, struct md_error *err)
{
	struct md_reader *r = &p->r;
	bool first = true;

	if (!p->lx.scs)
		return 0;
	/* back to the line's start: md_reader_line left it in the buffer */
	r->start = (size_t)(*l - r->buf);
	r->line--;
	for (;;) {
		size_t len = 0;
		uint64_t nls = 0;
		int rc;

		if (!first) {
			if (md_reader_fill(r, p->last_ins_len + 1, err) < 0)
				return -1;
			if (r->end - r->start <= p->last_ins_len ||
			    memcmp(r->buf + r->start, p->last_ins, p->last_ins_len))
				return 1;
		}
		rc = fast_insert_end(p, &len, &nls, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			break;
		r->start += len;
		r->line += nls;
		first = false;
	}
	/* this statement goes to the lexer: hand its first line back */
	{
		int got = md_reader_line(r, l, n, err);

		if (got < 0)
			return -1;
		if (got == 0)
			MD_BUG("a line seen is gone");
	}
	return 0;
}

/* --- statements --- */

/* "COPY <qname> (<cols>) FROM stdin;" */
static int handle_copy(struct plain *p, const char *l, size_t n, struct md_error *err)
{
	const char *q = l + 5, *end = l + n;
	const char *names[HIST_MAX_COLS];
	size_t lens[HIST_MAX_COLS], ncols = 0;
	struct md_pos pos;
	uint64_t copy_line = p->r.line - 1;
	bool ours, stdin_data;
	const char **cols;
	struct arena a;
	int rc = 0;

	line_pos(p, n, &pos);
	if (hist_parse_qname(&q, end, &p->schema, &p->name) < 0)
		return md_fail_at(err, &pos, "cannot read the table name of a COPY statement");
	ours = !strcmp(p->name.buf, "_prisma_migrations");
	stdin_data = memmem(l, n, "FROM stdin;", 11) != NULL;
	history_add_table(p->h, qualified(p, p->schema.len ? p->schema.buf : p->search_path,
					  p->name.buf));
	if (!ours) {
		if (!stdin_data)
			return 0;
		return skip_copy(p, copy_line, err);
	}
	arena_init(&a);
	if (hist_parse_collist(&q, end, &a, &cols, &ncols) < 0) {
		rc = md_fail_at(err, &pos, "cannot read the column list of the COPY statement");
		goto out;
	}
	if (ncols > HIST_MAX_COLS) {
		rc = md_fail_at(err, &pos, "more than %d columns in the COPY list (HIST_MAX_COLS)",
				HIST_MAX_COLS);
		goto out;
	}
	for (size_t i = 0; i < ncols; i++) {
		names[i] = cols[i];
		lens[i] = strlen(cols[i]);
	}
	{
		size_t in = inst_get(p, p->schema.buf);
		struct hist_colmap m;
		size_t before = p->h->nrows;

		if (!stdin_data) {
			/* restore.sql of a tar/directory dump: the rows are in another file */
			p->insts[in].external_data = true;
			goto out;
		}
		if (ncols == 0) {
			if (p->insts[in].ncols) {
				for (size_t i = 0; i < p->insts[in].ncols; i++) {
					names[i] = p->insts[in].cols[i];
					lens[i] = strlen(names[i]);
				}
				rc = hist_colmap_build(&m, names, lens, p->insts[in].ncols, false,
						       &pos, err);
			} else {
				hist_colmap_prisma(&m);
				p->h->flags |= HIST_BY_POSITION;
			}
		} else {
			rc = hist_colmap_build(&m, names, lens, ncols, false, &pos, err);
		}
		if (rc == 0)
			rc = hist_copy_rows(p->h, &p->r, &m, true, err);
		p->insts[in].has_data = true;
		tag_rows(p, before, in);
	}
out:
	arena_release(&a);
	return rc;
}

/* SET lines that change how the rest reads. */
static void handle_set(struct plain *p, const char *l, size_t n)
{
	if (starts(l, n, "SET standard_conforming_strings = ")) {
		const char *v = l + 34;

		p->lx.scs = !(starts(v, (size_t)(l + n - v), "off") ||
			      starts(v, (size_t)(l + n - v), "'off'"));
	} else if (starts(l, n, "SET search_path = ")) {
		const char *q = l + 18, *end = l + n;

		if (hist_parse_qname(&q, end, &p->schema, &p->name) == 0 && strcmp(p->name.buf, "pg_catalog"))
			p->search_path = arena_strdup(&p->h->arena, p->name.buf);
	}
}

static void handle_connect(struct plain *p, const char *l, size_t n)
{
	const char *q = l + 9, *end = l + n;
	const char *dbn;

	while (end > q && (end[-1] == '\r' || end[-1] == ' '))
		end--;
	while (q < end && *q == ' ')
		q++;
	sbuf_reset(&p->tmp);
	if (starts(q, (size_t)(end - q), "-reuse-previous=on ")) {
		/* \connect -reuse-previous=on "dbname='weird name'" */
		const char *s = memmem(q, (size_t)(end - q), "dbname='", 8);

		if (s) {
			for (s += 8; s < end && *s != '\''; s++) {
				if (*s == '\\' && s + 1 < end)
					s++;
				sb_putc(&p->tmp, *s);
			}
		}
	} else if (q < end && *q == '"') {
		for (q++; q < end; q++) {
			if (*q == '"') {
				if (q + 1 < end && q[1] == '"')
					q++;
				else
					break;
			}
			sb_putc(&p->tmp, *q);
		}
	} else {
		while (q < end && *q != ' ')
			sb_putc(&p->tmp, *q++);
	}
	dbn = p->tmp.buf;
	for (size_t i = 0; i < p->ndbs; i++) {
		if (!strcmp(p->dbs[i], dbn)) {
			p->db = p->dbs[i];
			return;
		}
	}
	MD_GROW(p->dbs, p->ndbs, p->dbs_cap);
	p->dbs[p->ndbs] = arena_strdup(&p->h->arena, dbn);
	p->db = p->dbs[p->ndbs++];
}

enum stmt_kind { SK_SKIP, SK_DDL, SK_INSERT, SK_CREATE_OURS };

/* Read lines until the statement that starts with l ends; keep it when asked. */
static int statement(struct plain *p, const char *l, size_t n, enum stmt_kind kind,
		     struct md_error *err)
{
	struct md_pos pos;
	bool keep = kind != SK_SKIP;
	bool done;

	line_pos(p, n, &pos);
	sqllex_reset(&p->lx);
	sbuf_reset(&p->stmt);
	for (;;) {
		size_t before = p->stmt.len;

		/*
		 * pg_dump writes LF only. In a converted file every LF got a CR, also
		 * inside literals: drop exactly one. Otherwise a raw CR inside a
		 * literal is data, and one at a line end outside it a stray CRLF.
		 */
		if (p->crlf && n && l[n - 1] == '\r')
			n--;
		done = sqllex_line(&p->lx, l, n, keep ? &p->stmt : NULL);
		if (keep && p->lx.state == LX_NORMAL && p->stmt.len > before &&
		    p->stmt.buf[p->stmt.len - 1] == '\r')
			sbuf_setlen(&p->stmt, p->stmt.len - 1);
		if (keep && (p->stmt.len > HIST_MAX_STMT || sbuf_addch(&p->stmt, '\n') < 0))
			return md_fail_at(err, &pos, "SQL statement longer than %zu MiB "
					  "(HIST_MAX_STMT); expected a dump statement",
					  HIST_MAX_STMT >> 20);
		if (done)
			break;
		{
			int got = md_reader_line(&p->r, &l, &n, err);

			if (got < 0)
				return -1;
			if (got == 0) {
				if (kind == SK_INSERT || p->lx.state != LX_NORMAL)
					return md_fail_at(err, &pos, "the file ends inside this %s "
							  "statement; expected its closing ';': the "
							  "dump is truncated",
							  kind == SK_INSERT ? "INSERT" : "SQL");
				break; /* a last statement without ';' */
			}
		}
	}
	if (!keep)
		return 0;
	if (kind == SK_INSERT) {
		struct inst *in;
		size_t before = p->h->nrows;
		size_t ii = inst_get(p, p->schema.buf);

		in = &p->insts[ii];
		in->has_data = true;
		if (hist_read_inserts_cols(p->h, p->stmt.buf, &pos, in->cols, in->ncols, err) < 0)
			return -1;
		tag_rows(p, before, ii);
		return 0;
	}
	if (kind == SK_CREATE_OURS) {
		size_t ii = inst_get(p, p->schema.buf);
		struct inst *in = &p->insts[ii];

		if (hist_create_table_cols(p->stmt.buf, &pos, &p->h->arena, &in->cols, &in->ncols,
					   err) < 0)
			return -1;
		if (!p->opts->want_ddl)
			return 0;
	}
	add_ddl(p, &pos);
	return 0;
}

static int dispatch(struct plain *p, const char *l, size_t n, struct md_error *err)
{
	if (starts(l, n, "COPY "))
		return handle_copy(p, l, n, err);
	if (starts(l, n, "INSERT INTO ")) {
		const char *q = l + 12;

		/* a --inserts dump repeats the same table name on every row: decide once */
		if (p->last_ins_len && n > p->last_ins_len && !memcmp(l, p->last_ins, p->last_ins_len)) {
			if (p->last_ins_ours) {
				q = l + 12;
				if (hist_parse_qname(&q, l + n, &p->schema, &p->name) == 0)
					return statement(p, l, n, SK_INSERT, err);
				return statement(p, l, n, SK_SKIP, err);
			}
			switch (skip_inserts(p, &l, &n, err)) {
			case 1:
				return 0;
			case 0:
				return statement(p, l, n, SK_SKIP, err);
			default:
				return -1;
			}
		}
		if (hist_parse_qname(&q, l + n, &p->schema, &p->name) == 0) {
			size_t k = (size_t)(q - l);

			p->last_ins_len = 0;
			if (k < sizeof(p->last_ins) && q < l + n && *q == ' ') {
				memcpy(p->last_ins, l, k + 1);
				p->last_ins_len = k + 1;
				p->last_ins_ours = !strcmp(p->name.buf, "_prisma_migrations");
			}
			history_add_table(p->h, qualified(p, p->schema.len ? p->schema.buf
									     : p->search_path,
							      p->name.buf));
			if (!strcmp(p->name.buf, "_prisma_migrations"))
				return statement(p, l, n, SK_INSERT, err);
		}
		return statement(p, l, n, SK_SKIP, err);
	}
	if (starts(l, n, "SET ")) {
		handle_set(p, l, n);
		return statement(p, l, n, SK_SKIP, err);
	}
	if (starts(l, n, "SELECT pg_catalog.set_config(") || starts(l, n, "SELECT pg_catalog.setval(") ||
	    starts(l, n, "SELECT pg_catalog.lo_") || starts(l, n, "BEGIN;") || starts(l, n, "COMMIT;"))
		return statement(p, l, n, SK_SKIP, err);
	if (starts(l, n, "CREATE TABLE ") || starts(l, n, "CREATE UNLOGGED TABLE ")) {
		const char *q = l + (l[7] == 'T' ? 13 : 22);

		if (hist_parse_qname(&q, l + n, &p->schema, &p->name) == 0) {
			history_add_table(p->h, qualified(p, p->schema.len ? p->schema.buf
									     : p->search_path,
							      p->name.buf));
			if (!strcmp(p->name.buf, "_prisma_migrations"))
				return statement(p, l, n, SK_CREATE_OURS, err);
		}
	}
	return statement(p, l, n, p->opts->want_ddl ? SK_DDL : SK_SKIP, err);
}

/* --- choosing among the tables found --- */

static void list_names(struct sbuf *sb, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_puts(sb, ", ");
		sb_puts(sb, v[i] ? v[i] : "(default)");
	}
}

static int choose(struct plain *p, struct md_error *err)
{
	struct history *h = p->h;
	const struct history_opts *o = p->opts;
	const char *names[64];
	size_t nn = 0, chosen = SIZE_MAX, kept = 0;
	const char *want_db = o->database;
	struct sbuf sb = SBUF_INIT;

	if (want_db) {
		bool seen = false;

		for (size_t i = 0; i < p->ndbs; i++)
			seen |= !strcmp(p->dbs[i], want_db);
		if (!seen) {
			list_names(&sb, p->dbs, p->ndbs);
			md_fail(err, "%s: no database '%s' in this dump; databases: %s", h->source,
				want_db, p->ndbs ? sb.buf : "none (not a pg_dumpall)");
			sbuf_release(&sb);
			return -1;
		}
	} else {
		/* several databases hold the table: the user must pick */
		for (size_t i = 0; i < p->ninsts; i++) {
			bool dup = false;

			for (size_t k = 0; k < nn; k++)
				dup |= names[k] == p->insts[i].db;
			if (!dup && nn < MD_ARRAY_LEN(names))
				names[nn++] = p->insts[i].db;
		}
		if (nn > 1) {
			list_names(&sb, names, nn);
			md_fail(err, "%s: _prisma_migrations is in several databases: %s; pick one "
				"with --database NAME", h->source, sb.buf);
			sbuf_release(&sb);
			return -1;
		}
		want_db = nn == 1 ? names[0] : NULL;
	}
	nn = 0;
	for (size_t i = 0; i < p->ninsts; i++) {
		struct inst *in = &p->insts[i];

		if (want_db && (!in->db || strcmp(in->db, want_db)))
			continue;
		if (nn < MD_ARRAY_LEN(names))
			names[nn++] = in->schema;
		if (o->schema_name ? !strcmp(in->schema, o->schema_name)
				   : chosen == SIZE_MAX || !strcmp(in->schema, "public"))
			chosen = i;
	}
	if (o->schema_name && chosen == SIZE_MAX && nn) {
		list_names(&sb, names, nn);
		md_fail(err, "%s: no _prisma_migrations in schema '%s'; schemas that have one: %s",
			h->source, o->schema_name, sb.buf);
		sbuf_release(&sb);
		return -1;
	}
	if (!o->schema_name && nn > 1) {
		list_names(&sb, names, nn);
		md_warnf("%s: _prisma_migrations is in several schemas (%s); reading '%s' "
			 "(choose with --schema-name)", h->source, sb.buf, p->insts[chosen].schema);
		sbuf_release(&sb);
	}
	/* keep the chosen table's rows, and the chosen database's DDL */
	for (size_t i = 0; i < h->nrows; i++)
		if (chosen != SIZE_MAX && p->row_inst[i] == chosen)
			h->rows[kept++] = h->rows[i];
	h->nrows = kept;
	if (want_db) {
		kept = 0;
		for (size_t i = 0; i < h->nddl; i++)
			if (p->ddl_db[i] && !strcmp(p->ddl_db[i], want_db))
				h->ddl[kept++] = h->ddl[i];
		h->nddl = kept;
		h->database = want_db;
	}
	if (chosen == SIZE_MAX) {
		h->flags &= ~(unsigned)HIST_TABLE_SEEN;
		return 0;
	}
	h->schema_name = p->insts[chosen].schema;
	if (h->nrows == 0 && p->insts[chosen].external_data) {
		/* restore.sql of a tar: an empty COPY block, then COPY FROM '$$PATH$$/N.dat' */
		h->flags |= HIST_NO_ROW_DATA;
		h->format = arena_printf(&h->arena, "%s; its COPY reads an external file: a "
					 "restore.sql without its .dat files", h->format);
	} else if (!p->insts[chosen].has_data) {
		h->flags |= HIST_NO_ROW_DATA;
		h->format = arena_printf(&h->arena, "%s, schema only", h->format);
	}
	return 0;
}

int hist_read_plain(struct history *h, struct md_stream *s, const struct history_opts *opts,
		    struct md_error *err)
{
	struct plain *p = xcalloc(1, sizeof(*p));
	int rc = -1;
	bool first = true;

	p->h = h;
	p->opts = opts;
	p->lx.scs = true;
	md_reader_init(&p->r, s, HIST_MAX_LINE);
	sbuf_init(&p->stmt, HIST_MAX_STMT + 2);
	sbuf_init(&p->schema, 0);
	sbuf_init(&p->name, 0);
	sbuf_init(&p->tmp, 0);
	for (;;) {
		const char *l;
		size_t n;
		int got = md_reader_line(&p->r, &l, &n, err);

		if (got < 0)
			goto out;
		if (got == 0)
			break;
		if (p->r.line == 2)
			p->crlf = n && l[n - 1] == '\r';
		if (n == 0 || (n == 1 && l[0] == '\r'))
			continue;
		if (l[0] == '-' && n > 1 && l[1] == '-') {
			if (first || starts(l, n, "-- PostgreSQL database cluster dump"))
				p->dumpall |= starts(l, n, "-- PostgreSQL database cluster dump");
			if (starts(l, n, "-- Started on ") && !h->dump_time) /* pg_dump -v */
				h->dump_time = arena_strndup(&h->arena, l + 14,
							     n - 14 - (l[n - 1] == '\r'));
			if (starts(l, n, "-- Dumped by pg_dump version ") && !p->version[0])
				snprintf(p->version, sizeof(p->version), "%.*s", (int)MD_MIN(n - 29, 40),
					 l + 29);
			first = false;
			continue;
		}
		first = false;
		if (l[0] == '\\') {
			if (starts(l, n, "\\connect "))
				handle_connect(p, l, n);
			continue; /* \restrict, \unrestrict, \encoding: no-ops for a reader */
		}
		if (dispatch(p, l, n, err) < 0)
			goto out;
	}
	h->format = p->dumpall ? "pg_dumpall SQL" : "pg_dump plain SQL";
	if (p->version[0])
		h->format = arena_printf(&h->arena, "%s (pg_dump %s)", h->format, p->version);
	rc = choose(p, err);
out:
	md_reader_release(&p->r);
	sbuf_release(&p->stmt);
	sbuf_release(&p->schema);
	sbuf_release(&p->name);
	sbuf_release(&p->tmp);
	free(p->insts);
	free(p->row_inst);
	free(p->ddl_db);
	free(p->dbs);
	free(p);
	return rc;
}
