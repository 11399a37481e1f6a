/*
 * prefilter.c - find candidate lines in large buffers.
 *
 * Almost every byte of a production log is request traffic. Looking at
 * each line with PCRE2 would cost far more than reading the file, so the
 * reader first searches whole buffers for a small set of literals that
 * every migration line (or the first line of a Prisma block) contains,
 * and only the lines holding one are matched against the patterns.
 *
 * Where the CPU has AVX2 the search is Teddy, 32 positions at a time
 * (teddy.c). Otherwise, and for the last bytes of a buffer, it is the
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
#if TEDDY_AVX2
static struct teddy lf_td;
#endif

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
#if TEDDY_AVX2
	teddy_build(&lf_td, lf_literals, lf.n);
#endif
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

const char *lf_find(const char *p, const char *end)
{
	if (!lf.ready)
		lf_build();
#if TEDDY_AVX2
	if (lf_td.ok && end - p >= 36) {
		const char *done = p, *hit = teddy_first(&lf_td, p, end, &done);

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
