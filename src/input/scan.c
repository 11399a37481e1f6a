/*
 * scan.c - "\n\\." in a block of COPY data, sixteen bytes at a time where
 * SSE2 is there (x86-64 always), with the newlines before it counted in
 * the same pass: a line number stays exact across skipped data.
 */
#include "migdoctor/common.h"
#include "migdoctor/scan.h"

#ifdef __SSE2__
#include <emmintrin.h>

/* The newlines an accumulator of -1 per match holds (at most 255 vectors). */
static inline uint64_t acc_sum(__m128i acc)
{
	const __m128i zero = _mm_setzero_si128();
	__m128i s = _mm_sad_epu8(_mm_sub_epi8(zero, acc), zero);

	return (uint64_t)_mm_cvtsi128_si32(s) + (uint64_t)_mm_cvtsi128_si32(_mm_srli_si128(s, 8));
}
#endif

bool md_find_copy_end(const char *b, size_t n, size_t *at, uint64_t *nls)
{
	size_t i = 0;
	uint64_t cnt = 0;

#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n'), bs = _mm_set1_epi8('\\'), dot = _mm_set1_epi8('.');

	while (i + 18 <= n) {
		__m128i acc = _mm_setzero_si128();
		size_t stop = MD_MIN(n - 2, i + 255 * 16);

		for (; i + 16 <= stop; i += 16) {
			__m128i a = _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(b + i)), nl);
			__m128i c = _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(b + i + 1)), bs);
			__m128i d = _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(b + i + 2)), dot);
			__m128i hit = _mm_and_si128(a, _mm_and_si128(c, d));
			unsigned m = (unsigned)_mm_movemask_epi8(hit);

			if (MD_UNLIKELY(m)) {
				unsigned k = (unsigned)__builtin_ctz(m);
				unsigned mn = (unsigned)_mm_movemask_epi8(a) & ((1u << k) - 1);

				*nls = cnt + acc_sum(acc) + (uint64_t)__builtin_popcount(mn);
				*at = i + k;
				return true;
			}
			acc = _mm_add_epi8(acc, a); /* each match is -1 */
		}
		cnt += acc_sum(acc);
		if (stop == n - 2)
			break; /* the rest is shorter than a vector: bytes below */
	}
#endif
	for (; i + 2 < n; i++) {
		if (b[i] != '\n')
			continue;
		if (b[i + 1] == '\\' && b[i + 2] == '.') {
			*nls = cnt;
			*at = i;
			return true;
		}
		cnt++;
	}
	*nls = cnt;
	*at = i;
	return false;
}
