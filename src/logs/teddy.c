/*
 * teddy.c - find the literals of a small set, 32 positions at a time.
 *
 * Teddy, as in Hyperscan and Rust's aho-corasick, with AVX2 where the CPU
 * has it (checked at run time: the baseline is SSE2). Each literal goes to
 * one of 8 buckets; for the first three bytes of the literals, two 16-entry
 * tables give the buckets whose byte at that place has this low (high)
 * nibble. pshufb looks up 32 bytes at once; the AND over the three places
 * leaves, per position, the buckets whose literals may start there, which
 * are then compared in full. Text without candidates goes by at 32 bytes
 * per few instructions.
 *
 * Two users: the prefilter (the first literal of a buffer, read.c) and the
 * pattern gate (every literal of one line, patterns.c). Without AVX2 each
 * keeps its own scalar search.
 */
#include "migdoctor/common.h"
#include "logs_internal.h"

#include <limits.h>

#if TEDDY_AVX2
#include <immintrin.h>

/*
 * Which literals share a bucket decides how often a position is a false
 * candidate: a bucket accepts, at each place, every byte whose low nibble
 * and high nibble are among its literals' (the product of the two sets).
 * Starting from one bucket per literal, the two whose merge adds the
 * fewest accepted byte triples are merged until 8 are left (so "prisma
 * db" and "prisma: " share one, and "EROFS" does not widen it).
 */
struct td_group {
	uint16_t lo[3], hi[3];
	uint64_t members;
};

static unsigned td_area(const struct td_group *a, const struct td_group *b)
{
	unsigned area = 1;

	for (int j = 0; j < 3; j++)
		area *= (unsigned)__builtin_popcount((unsigned)(a->lo[j] | b->lo[j])) *
			(unsigned)__builtin_popcount((unsigned)(a->hi[j] | b->hi[j]));
	return area;
}

static size_t td_group(struct td_group *g, const char *const *lits, size_t n)
{
	size_t ng = n;

	for (size_t i = 0; i < n; i++) {
		const unsigned char *l = (const unsigned char *)lits[i];

		memset(&g[i], 0, sizeof(g[i]));
		g[i].members = (uint64_t)1 << i;
		for (int j = 0; j < 3; j++) {
			g[i].lo[j] = (uint16_t)(1u << (l[j] & 15));
			g[i].hi[j] = (uint16_t)(1u << (l[j] >> 4));
		}
	}
	while (ng > 8) {
		size_t bi = 0, bj = 1;
		long best = LONG_MAX;

		for (size_t i = 0; i < ng; i++)
			for (size_t j = i + 1; j < ng; j++) {
				long d = (long)td_area(&g[i], &g[j]) - (long)td_area(&g[i], &g[i]) -
					 (long)td_area(&g[j], &g[j]);

				if (d < best) {
					best = d;
					bi = i;
					bj = j;
				}
			}
		for (int k = 0; k < 3; k++) {
			g[bi].lo[k] |= g[bj].lo[k];
			g[bi].hi[k] |= g[bj].hi[k];
		}
		g[bi].members |= g[bj].members;
		g[bj] = g[--ng];
	}
	return ng;
}

void teddy_build(struct teddy *t, const char *const *lits, size_t n)
{
	struct td_group g[TEDDY_MAX];
	size_t ng;

	memset(t, 0, sizeof(*t));
	if (n > TEDDY_MAX)
		MD_BUG("teddy: %zu literals, at most %d", n, TEDDY_MAX);
	t->lit = lits;
	t->n = n;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(lits[i]);

		if (len < 4 || len > 255)
			MD_BUG("teddy: literal '%s': 4 to 255 bytes", lits[i]);
		t->len[i] = (uint8_t)len;
		memcpy(&t->head[i], lits[i], 4);
	}
	ng = td_group(g, lits, n);
	for (size_t b = 0; b < ng; b++) {
		for (uint64_t m = g[b].members; m; m &= m - 1) {
			unsigned i = (unsigned)__builtin_ctzll(m);
			const unsigned char *l = (const unsigned char *)lits[i];

			t->bucket[b][t->nb[b]++] = (uint8_t)i;
			for (int j = 0; j < 3; j++) {
				/* the same 16 entries in both lanes: pshufb stays in its lane */
				t->lo[j][l[j] & 15] |= (uint8_t)(1u << b);
				t->hi[j][l[j] >> 4] |= (uint8_t)(1u << b);
				t->lo[j][16 + (l[j] & 15)] |= (uint8_t)(1u << b);
				t->hi[j][16 + (l[j] >> 4)] |= (uint8_t)(1u << b);
			}
		}
	}
	t->ok = __builtin_cpu_supports("avx2");
}

/* Per position of the 32 at p: the buckets whose literals may start there. */
__attribute__((target("avx2"))) static inline __m256i td_candidates(const struct teddy *t,
								      const unsigned char *p)
{
	const __m256i nib = _mm256_set1_epi8(15);
	__m256i c = _mm256_set1_epi8(-1);

	for (int j = 0; j < 3; j++) {
		__m256i v = _mm256_loadu_si256((const void *)(p + j));
		__m256i lo = _mm256_load_si256((const void *)t->lo[j]);
		__m256i hi = _mm256_load_si256((const void *)t->hi[j]);
		__m256i high = _mm256_and_si256(_mm256_srli_epi16(v, 4), nib);

		c = _mm256_and_si256(c, _mm256_and_si256(
			_mm256_shuffle_epi8(lo, _mm256_and_si256(v, nib)),
			_mm256_shuffle_epi8(hi, high)));
	}
	return c;
}

/*
 * The literals of the buckets in bits that start at s (which has e - s
 * bytes, and four readable ones at least), as a set, leaving out skip.
 */
__attribute__((target("avx2"), always_inline)) static inline uint64_t
td_verify(const struct teddy *t, const unsigned char *s,
			  const unsigned char *e, unsigned bits, uint64_t skip)
{
	uint64_t found = 0;
	uint32_t head;

	memcpy(&head, s, 4);
	for (; bits; bits &= bits - 1) {
		unsigned b = (unsigned)__builtin_ctz(bits);

		for (size_t k = 0; k < t->nb[b]; k++) {
			size_t li = t->bucket[b][k];

			if (head == t->head[li] && !(skip >> li & 1) &&
			    (size_t)(e - s) >= t->len[li] &&
			    !memcmp(s + 4, t->lit[li] + 4, t->len[li] - 4))
				found |= (uint64_t)1 << li;
		}
	}
	return found;
}

/* The starts in [p, p+32) that may hold a literal (bit k: p + k); their buckets in bits. */
__attribute__((target("avx2"))) static inline unsigned td_mask(const struct teddy *t,
							     const unsigned char *p,
							     uint8_t bits[32])
{
	__m256i c = td_candidates(t, p);
	unsigned m = ~(unsigned)_mm256_movemask_epi8(
		_mm256_cmpeq_epi8(c, _mm256_setzero_si256()));

	if (m)
		memcpy(bits, &c, 32);
	return m;
}

__attribute__((target("avx2"))) const char *teddy_first(const struct teddy *t, const char *p,
							const char *end, const char **done)
{
	const unsigned char *s = (const unsigned char *)p, *e = (const unsigned char *)end;
	uint8_t bits[32];

	/* 32 starts need 34 bytes; 4 more so that td_verify's head is in the text */
	for (; e - s >= 36; s += 32) {
		for (unsigned m = td_mask(t, s, bits); m; m &= m - 1) {
			unsigned k = (unsigned)__builtin_ctz(m);

			if (td_verify(t, s + k, e, bits[k], 0))
				return (const char *)(s + k);
		}
	}
	*done = (const char *)s;
	return NULL;
}

__attribute__((target("avx2"))) uint64_t teddy_set(const struct teddy *t, const char *p,
						   size_t n, size_t readable)
{
	const unsigned char *s = (const unsigned char *)p, *e = s + n;
	unsigned char pad[96];
	uint8_t bits[32];
	uint64_t found = 0;

	/* every literal has 4 bytes: the starts are [p, e - 3) */
	for (; e - s >= 4; s += 32) {
		const unsigned char *v = s;
		size_t left = (size_t)(e - s);
		unsigned m;

		/*
		 * 32 starts read 36 bytes. Where the caller cannot promise them
		 * (fewer than 36 are left), a padded copy; copying costs a stalled
		 * load, the caller's padding nothing (text_line's lines have it).
		 */
		if ((size_t)(s - (const unsigned char *)p) + 36 > readable) {
			const __m256i zero = _mm256_setzero_si256();

			for (size_t k = 0; k < sizeof(pad); k += 32)
				memcpy(pad + k, &zero, 32);
			memcpy(pad, s, left);
			v = pad;
		}
		m = td_mask(t, v, bits);
		if (left - 3 < 32)
			m &= (1u << (left - 3)) - 1;
		for (; m; m &= m - 1) {
			unsigned k = (unsigned)__builtin_ctz(m);

			found |= td_verify(t, v + k, v + left, bits[k], found);
		}
	}
	return found;
}
#endif
