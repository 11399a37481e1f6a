/*
 * sizes.c - how big each table's data is in a plain (text) pg_dump,
 * measured from the bytes as the history reader pulls them (one pass):
 * a COPY block's bytes and lines, or the number of INSERT statements of
 * a --inserts dump. Inside a COPY block only newlines are counted and
 * the end marker searched, at memory speed.
 */
#include "migdoctor/common.h"
#include "migdoctor/bundle.h"
#include "migdoctor/scan.h"

enum { Z_LINE, Z_COPY };

void bundle_sizes_init(struct bundle_sizes *z)
{
	memset(z, 0, sizeof(*z));
}

void bundle_sizes_release(struct bundle_sizes *z)
{
	for (size_t i = 0; i < z->n; i++)
		free(z->v[i].table);
	free(z->v);
	memset(z, 0, sizeof(*z));
}

/* schema.table without SQL quoting, as an archive's TOC names it */
static size_t table(struct bundle_sizes *z, const char *qname, size_t qlen)
{
	char name[sizeof(z->line)];
	size_t len = 0;

	for (size_t i = 0; i < qlen && len < sizeof(name); i++) {
		if (qname[i] != '"')
			name[len++] = qname[i];
		else if (i + 1 < qlen && qname[i + 1] == '"')
			name[len++] = qname[i++];
	}
	/* the last table is the likely one: INSERTs come in runs */
	for (size_t i = z->n; i-- > 0;)
		if (strlen(z->v[i].table) == len && !memcmp(z->v[i].table, name, len))
			return i;
	MD_GROW(z->v, z->n, z->cap);
	memset(&z->v[z->n], 0, sizeof(z->v[z->n]));
	z->v[z->n].table = xstrndup(name, len);
	z->v[z->n].rows_known = true;
	return z->n++;
}

/* The name after "COPY " or "INSERT INTO ": up to a space or '(' outside quotes. */
static size_t name_len(const char *p, size_t n)
{
	bool q = false;
	size_t i = 0;

	for (; i < n; i++) {
		if (p[i] == '"')
			q = !q;
		else if (!q && (p[i] == ' ' || p[i] == '('))
			break;
	}
	return i;
}

static bool starts(const char *l, size_t n, const char *w)
{
	size_t k = strlen(w);

	return n >= k && !memcmp(l, w, k);
}

/* A whole line (its first 512 bytes) outside COPY data. */
static void line(struct bundle_sizes *z)
{
	const char *l = z->line;
	size_t n = z->line_len;

	if (starts(l, n, "COPY ")) {
		size_t k = name_len(l + 5, n - 5);

		if (!z->line_long && n >= 12 && !memcmp(l + n - 12, " FROM stdin;", 12)) {
			z->cur = table(z, l + 5, k);
			z->mode = Z_COPY;
			/* the line's '\n', so that "\\.\n" right away ends an empty block */
			z->carry[0] = '\n';
			z->ncarry = 1;
		}
	} else if (starts(l, n, "INSERT INTO ")) {
		size_t k = name_len(l + 12, n - 12), t = table(z, l + 12, k);

		z->v[t].rows++;
		z->v[t].bytes += z->line_total;
	}
}

#define ONES 0x0101010101010101ull
#define HIGH 0x8080808080808080ull

/* The high bit of each byte of x that is c (exact: no false positives). */
static inline uint64_t byte_bits(uint64_t x, unsigned char c)
{
	uint64_t y = x ^ (ONES * c);

	return ~(((y & ~HIGH) + ~HIGH) | y) & HIGH;
}

static inline uint64_t nl_bits(uint64_t x)
{
	return byte_bits(x, '\n');
}

/* The number of bits of a byte_bits() mask. */
static inline uint64_t bits_sum(uint64_t m)
{
	return ((m >> 7) * ONES) >> 56;
}

/* Newlines in [p, p+n). */
static uint64_t count_nl(const char *p, size_t n)
{
	uint64_t c = 0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x;

		memcpy(&x, p + i, 8);
		c += bits_sum(nl_bits(x));
	}
	for (; i < n; i++)
		c += p[i] == '\n';
	return c;
}

/*
 * The offset of the '\n' that starts "\n\\.\n" in p[0..n), or n; *nls
 * gets the newlines before it (all of them when not found). A "\n\\."
 * not followed by a newline is inside a row: the search goes on after it.
 */
static size_t scan_copy(const char *p, size_t n, uint64_t *nls)
{
	size_t i = 0, at;
	uint64_t c = 0, k;

	while (md_find_copy_end(p + i, n - i, &at, &k)) {
		c += k;
		if (i + at + 4 <= n && p[i + at + 3] == '\n') {
			*nls = c;
			return i + at;
		}
		c++; /* its newline ends a row */
		i += at + 1;
	}
	*nls = c + k + count_nl(p + i + at, n - i - at);
	return n;
}

/*
 * The end marker "\n\\.\n" split between the bytes before this chunk
 * (their last three in z->carry) and this one. The '\n' ends the last row;
 * bytes of the marker counted before are taken back. True when found (*p
 * then points after it); else z->carry holds the last three bytes so far.
 */
static bool copy_window(struct bundle_sizes *z, struct bundle_table_size *t, const char **p,
			const char *end)
{
	char w[8];
	size_t m = z->ncarry, k = MD_MIN((size_t)(end - *p), 3);

	memcpy(w, z->carry, m);
	memcpy(w + m, *p, k);
	for (size_t i = 0; i + 4 <= m + k; i++) {
		if (i + 4 <= m || memcmp(w + i, "\n\\.\n", 4))
			continue;
		if (i < m) {
			t->bytes -= m - (i + 1);
		} else {
			t->bytes += i - m + 1;
			t->rows += count_nl(*p, i - m + 1);
		}
		*p += i + 4 - m;
		z->ncarry = 0;
		z->mode = Z_LINE;
		return true;
	}
	/* a chunk shorter than the marker: the carry rolls on over it */
	if (k == (size_t)(end - *p)) {
		size_t keep = MD_MIN(m + k, 3);

		memmove(z->carry, w + m + k - keep, keep);
		z->ncarry = keep;
	} else {
		z->ncarry = 0;
	}
	return false;
}

void bundle_sizes_tap(void *vz, const void *buf, size_t n)
{
	struct bundle_sizes *z = vz;
	const char *p = buf, *end = p + n;

	if (!z->measure)
		z->measure = "bytes and lines of each table's COPY data (or, in a --inserts dump, "
			     "bytes and INSERT statements)";
	while (p < end) {
		if (z->mode == Z_COPY) {
			struct bundle_table_size *t = &z->v[z->cur];

			if (z->ncarry) {
				bool rolled;

				if (copy_window(z, t, &p, end))
					continue;
				rolled = z->ncarry != 0;
				if (rolled) {
					/* the whole chunk is in the carry; no marker in it */
					t->bytes += (uint64_t)(end - p);
					t->rows += count_nl(p, (size_t)(end - p));
					p = end;
					break;
				}
			}
			{
				uint64_t nls;
				size_t hit = scan_copy(p, (size_t)(end - p), &nls);

				if (hit < (size_t)(end - p)) {
					t->bytes += hit + 1;
					t->rows += nls + 1;
					p += hit + 4;
					z->mode = Z_LINE;
					continue;
				}
				t->bytes += (uint64_t)(end - p);
				t->rows += nls;
			}
			z->ncarry = MD_MIN((size_t)(end - p), 3);
			memcpy(z->carry, end - z->ncarry, z->ncarry);
			p = end;
			break;
		}
		{
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t k = (size_t)((nl ? nl : end) - p);

			z->line_total += k + (nl != NULL);

			if (z->line_len + k > sizeof(z->line)) {
				size_t room = sizeof(z->line) - z->line_len;

				memcpy(z->line + z->line_len, p, room);
				z->line_len = sizeof(z->line);
				z->line_long = true;
			} else {
				memcpy(z->line + z->line_len, p, k);
				z->line_len += k;
			}
			if (!nl) {
				p = end;
				break;
			}
			if (z->line_len && z->line[z->line_len - 1] == '\r')
				z->line_len--;
			line(z);
			z->line_len = 0;
			z->line_total = 0;
			z->line_long = false;
			p = nl + 1;
		}
	}
}
