/*
 * prefilter.c - find candidate lines in large buffers.
 *
 * Almost every byte of a production log is request traffic. Looking at
 * each line with PCRE2 would cost far more than reading the file, so the
 * reader first searches whole buffers for a small set of literals that
 * every migration line (or the first line of a Prisma block) contains,
 * and only the lines holding one are matched against the patterns.
 *
 * Where the CPU has AVX2 the search is Teddy, 32 positions at a time (see
 * td_find). Otherwise, and for the last bytes of a buffer, it is the
 * Wu-Manber multi-literal algorithm: a window of the shortest literal's
 * length slides over the text; a table indexed by the window's last two
 * bytes says how far it may jump. Text without those byte pairs is skipped
 * LF_MIN-1 bytes at a time. Candidates are checked against the literals
 * that end in that pair.
 */
#include "migdoctor/common.h"
#include "logs_internal.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/*
 * Every line the patterns of patterns.c start from holds one of these
 * (bench/events.sh gives the same list to grep -F). Keep each at least
 * LF_MIN bytes long: a shorter literal would slow every search.
 */
const char *const lf_literals[] = {
	"igrat",              /* migrate, Migration, migrations found, ... */
	"IGRAT",              /* LITELLM_MIGRATION_DIR */
	"Error: P",           /* every Prisma error code */
	"does not exist",     /* runtime schema errors */
	"already exist",
	"timed out",          /* Attempt N timed out, P1002 */
	"Timed out",
	"Retrying",
	"Datasource",
	"Prisma schema",
	"external connector",
	"prisma db",
	"could not classify",
	"Update available",
	"Current Version",
	"schema is not empty",
	"baseline",
	"database server",
	"DB Schema",          /* check_migration.py: Changes to DB Schema detected */
	"out of sync",
	"prisma package",     /* prisma binary missing */
	"proxy extras",
	"up to date!",        /* migrate status */
	"CalledProcessError", /* the CLI never ran: npm install, exit status 127 */
	"prisma: ",           /* sh: prisma: not found */
	"shared librar",      /* node: error while loading shared libraries */
	"binaries.prisma",    /* engine download */
	"EACCES",
	"EROFS",
	"Can't write to",
	"engine binary",
	"db push",
	"'db', 'push'",
	"in sync with",
	"data loss",
	"about to drop",
	"no attribute",       /* a stale Prisma client */
	NULL,
};

bool logs_exhaustive;

#define LF_MIN 5
#define LF_MAXLIT 48

struct lf_table {
	uint8_t shift[65536];
	/* literals whose LF_MIN-byte prefix ends in a pair: a short list */
	uint16_t bucket_start[65536];
	uint8_t bucket_len[65536];
	uint8_t lits[LF_MAXLIT];
	size_t len[LF_MAXLIT];
	uint32_t head[LF_MAXLIT]; /* the first four bytes, for a compare before memcmp */
	size_t n;
	bool ready;
};

static struct lf_table lf;

static unsigned pair(const unsigned char *p)
{
	return ((unsigned)p[0] << 8) | p[1];
}

static void lf_build(void)
{
	uint8_t order[LF_MAXLIT];
	size_t k = 0;

	memset(lf.shift, LF_MIN - 1, sizeof(lf.shift));
	for (lf.n = 0; lf_literals[lf.n]; lf.n++) {
		const unsigned char *l = (const unsigned char *)lf_literals[lf.n];

		lf.len[lf.n] = strlen(lf_literals[lf.n]);
		if (lf.len[lf.n] < LF_MIN || lf.n >= LF_MAXLIT)
			MD_BUG("prefilter literal '%s' is too short", lf_literals[lf.n]);
		memcpy(&lf.head[lf.n], l, 4);
		for (size_t j = 1; j < LF_MIN; j++) {
			unsigned h = pair(l + j - 1);
			uint8_t s = (uint8_t)(LF_MIN - 1 - j);

			if (s < lf.shift[h])
				lf.shift[h] = s;
		}
	}
	/* buckets for the pairs that end a prefix (shift 0) */
	for (unsigned h = 0; h < 65536; h++) {
		if (lf.shift[h] != 0)
			continue;
		lf.bucket_start[h] = (uint16_t)k;
		for (size_t i = 0; i < lf.n; i++) {
			if (pair((const unsigned char *)lf_literals[i] + LF_MIN - 2) == h)
				order[k++] = (uint8_t)i;
		}
		lf.bucket_len[h] = (uint8_t)(k - lf.bucket_start[h]);
	}
	memcpy(lf.lits, order, k);
	lf.ready = true;
}

/* Wu-Manber: portable, and for what is left after the vector scan. */
static const char *wm_find(const char *p, const char *end)
{
	const unsigned char *t = (const unsigned char *)p;
	const unsigned char *e = (const unsigned char *)end;
	const unsigned char *w;

	if (e - t < LF_MIN)
		return NULL;
	w = t + LF_MIN - 1; /* last byte of the window */
	while (w < e) {
		unsigned h = pair(w - 1);
		uint8_t s = lf.shift[h];

		if (MD_LIKELY(s)) {
			w += s;
			continue;
		}
		const unsigned char *start = w - (LF_MIN - 1);
		uint32_t head;

		memcpy(&head, start, 4);
		for (unsigned i = 0; i < lf.bucket_len[h]; i++) {
			size_t li = lf.lits[lf.bucket_start[h] + i];

			if (head == lf.head[li] && (size_t)(e - start) >= lf.len[li] &&
			    !memcmp(start + 4, lf_literals[li] + 4, lf.len[li] - 4))
				return (const char *)start;
		}
		w++;
	}
	return NULL;
}

/*
 * Teddy (as in Hyperscan and Rust's aho-corasick), with AVX2 where the CPU
 * has it (checked at run time: the baseline is SSE2): each literal goes to
 * one of 8 buckets; for the first three bytes of the literals, two 16-entry
 * tables give the buckets whose byte at that place has this low (high)
 * nibble. pshufb looks up 32 bytes at once; the AND over the three places
 * leaves, per position, the buckets whose literals may start there, which
 * are then compared in full. Text without candidates goes by at 32 bytes
 * per few instructions.
 */
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define LF_TEDDY 1

static uint8_t td_lo[3][16], td_hi[3][16];
static uint8_t td_bucket[8][LF_MAXLIT]; /* literal indexes of each bucket */
static size_t td_nb[8];
static bool td_ok;

static void td_build(void)
{
	for (size_t i = 0; i < lf.n; i++) {
		const unsigned char *l = (const unsigned char *)lf_literals[i];
		unsigned b = (unsigned)(i % 8);

		td_bucket[b][td_nb[b]++] = (uint8_t)i;
		for (int j = 0; j < 3; j++) {
			td_lo[j][l[j] & 15] |= (uint8_t)(1u << b);
			td_hi[j][l[j] >> 4] |= (uint8_t)(1u << b);
		}
	}
	td_ok = __builtin_cpu_supports("avx2");
}

__attribute__((target("avx2"))) static __m256i td_class(const unsigned char *p, __m256i lo,
							  __m256i hi)
{
	const __m256i nib = _mm256_set1_epi8(15);
	__m256i v = _mm256_loadu_si256((const void *)p);
	__m256i high = _mm256_and_si256(_mm256_srli_epi16(v, 4), nib);

	return _mm256_and_si256(_mm256_shuffle_epi8(lo, _mm256_and_si256(v, nib)),
				_mm256_shuffle_epi8(hi, high));
}

/* A literal of the buckets in bits starting at s (which has e - s bytes)? */
static bool td_verify(const unsigned char *s, const unsigned char *e, unsigned bits)
{
	uint32_t head;

	memcpy(&head, s, 4);
	for (; bits; bits &= bits - 1) {
		unsigned b = (unsigned)__builtin_ctz(bits);

		for (size_t k = 0; k < td_nb[b]; k++) {
			size_t li = td_bucket[b][k];

			if (head == lf.head[li] && (size_t)(e - s) >= lf.len[li] &&
			    !memcmp(s + 4, lf_literals[li] + 4, lf.len[li] - 4))
				return true;
		}
	}
	return false;
}

/* The first literal in [p, end), looking at starts before end - 35; *done is where it stopped. */
__attribute__((target("avx2"))) static const char *td_find(const char *p, const char *end,
							 const char **done)
{
	const unsigned char *t = (const unsigned char *)p, *e = (const unsigned char *)end;
	__m256i lo[3], hi[3];
	const __m256i zero = _mm256_setzero_si256();

	for (int j = 0; j < 3; j++) {
		lo[j] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const void *)td_lo[j]));
		hi[j] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const void *)td_hi[j]));
	}
	/* 32 starts need 34 bytes; 4 more so that td_verify's head is in the text */
	for (; e - t >= 36; t += 32) {
		__m256i c = _mm256_and_si256(_mm256_and_si256(td_class(t, lo[0], hi[0]),
							      td_class(t + 1, lo[1], hi[1])),
					     td_class(t + 2, lo[2], hi[2]));
		unsigned m = ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(c, zero));

		uint8_t bits[32];

		if (m)
			memcpy(bits, &c, sizeof(bits));
		for (; m; m &= m - 1) {
			unsigned k = (unsigned)__builtin_ctz(m);

			if (td_verify(t + k, e, bits[k]))
				return (const char *)(t + k);
		}
	}
	*done = (const char *)t;
	return NULL;
}
#endif

const char *lf_find(const char *p, const char *end)
{
	if (!lf.ready) {
		lf_build();
#ifdef LF_TEDDY
		td_build();
#endif
	}
#ifdef LF_TEDDY
	if (td_ok && end - p >= 36) {
		const char *done = p, *hit = td_find(p, end, &done);

		if (hit)
			return hit;
		p = done;
	}
#endif
	return wm_find(p, end);
}

/*
 * Newlines: with SSE2, 16 bytes per compare, summed by psadbw every 255
 * vectors; else SWAR, eight bytes at a time (a zero byte of x^'\n' is a
 * newline), with a popcount that needs no libgcc call.
 */
uint64_t lf_count_nl(const char *p, const char *end)
{
	uint64_t n = 0;

#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();

	while (end - p >= 16) {
		size_t k = MD_MIN((size_t)(end - p) / 16, (size_t)255);
		__m128i acc = zero, sum;

		for (size_t i = 0; i < k; i++, p += 16) {
			__m128i v = _mm_loadu_si128((const void *)p);

			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, nl)); /* a match is -1 */
		}
		sum = _mm_sad_epu8(acc, zero);
		n += (uint64_t)_mm_cvtsi128_si32(sum);
		n += (uint64_t)_mm_cvtsi128_si32(_mm_srli_si128(sum, 8));
	}
#else
	const uint64_t ones = 0x0101010101010101ULL, nlw = ones * '\n';
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL;

	while (end - p >= 8) {
		uint64_t x, y;

		memcpy(&x, p, 8);
		x ^= nlw;
		/* high bit set in each byte of y where the byte of x is zero */
		y = ~(((x & low7) + low7) | x | low7) >> 7;
		n += (y * ones) >> 56;
		p += 8;
	}
#endif
	while (p < end) {
		n += *p == '\n';
		p++;
	}
	return n;
}
