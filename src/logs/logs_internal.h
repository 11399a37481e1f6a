/*
 * logs_internal.h - what the files of src/logs share: the literal
 * prefilter, the compiled PCRE2 patterns, JSON string decoding and the
 * per-file scanner state.
 */
#ifndef MIGDOCTOR_LOGS_INTERNAL_H
#define MIGDOCTOR_LOGS_INTERNAL_H

#include "migdoctor/common.h"
#include "migdoctor/logs.h"
#include "migdoctor/sbuf.h"

/* --- prefilter.c: find candidate lines without looking at every byte --- */

/* First position in [p, end) where one of the prefilter literals starts. */
const char *lf_find(const char *p, const char *end);
/* The literals (NULL-terminated), for the benchmark and the tests. */
extern const char *const lf_literals[];
/* Number of '\n' bytes in [p, end). */
uint64_t lf_count_nl(const char *p, const char *end);
/*
 * For the differential test only: every line through every pattern, with
 * neither the prefilter nor the gates before PCRE2 (the literal a pattern
 * needs, lp_line_set; the first byte an anchored pattern can start with).
 */
extern bool logs_exhaustive;

/* --- teddy.c: the literals of a small set, 32 positions at a time (AVX2) --- */

#if defined(__x86_64__) && defined(__GNUC__)
#define TEDDY_AVX2 1
#else
#define TEDDY_AVX2 0
#endif
#define TEDDY_MAX 64

struct teddy {
	_Alignas(32) uint8_t lo[3][32]; /* per place, low nibble -> buckets (both lanes) */
	_Alignas(32) uint8_t hi[3][32]; /* per place, high nibble -> buckets */
	uint8_t bucket[8][TEDDY_MAX];   /* the literals of each bucket */
	uint8_t nb[8];
	uint8_t len[TEDDY_MAX];
	uint32_t head[TEDDY_MAX];       /* the first four bytes, for a compare before memcmp */
	const char *const *lit;
	size_t n;
	bool ok;                        /* the CPU has AVX2: the searches below may run */
};

#if TEDDY_AVX2
/* Literals of 4 to 255 bytes; at most TEDDY_MAX. */
void teddy_build(struct teddy *t, const char *const *lits, size_t n);
/*
 * The first literal starting in [p, end) before end - 35; NULL when none,
 * and *done is where the search stopped (the caller searches the rest).
 */
const char *teddy_first(const struct teddy *t, const char *p, const char *end,
			const char **done);
/*
 * The literals in [p, p+n), as a set: bit i for lits[i]. The bytes
 * [p, p+readable) may be read (readable >= n): with 35 bytes more than n,
 * no copy is made.
 */
uint64_t teddy_set(const struct teddy *t, const char *p, size_t n, size_t readable);
#endif

/* --- patterns.c: PCRE2, compiled once with JIT --- */

enum lp_id {
	/* wrappers */
	LP_KUBECTL_TS, LP_COMPOSE, LP_BRACKET_TS, LP_SYSLOG, LP_EXTRAS, LP_PROXY, LP_LEVEL,
	LP_APP_TS, LP_POD_PREFIX, LP_QUOTE,
	/* Prisma CLI */
	LP_PRISMA_ERROR, LP_SCHEMA_LOADED, LP_DATASOURCE, LP_FOUND, LP_NONE_FOUND,
	LP_APPLYING, LP_APPLIED_HDR, LP_TREE_NAME, LP_ALL_APPLIED, LP_NO_PENDING,
	LP_P3018_TEXT, LP_MIG_NAME, LP_DB_CODE, LP_DB_ERROR, LP_DBERROR_DEBUG,
	LP_SPAN_NAME, LP_CONNECTOR, LP_P3009_LINE, LP_P3005_TEXT, LP_P3015_TEXT,
	LP_P3019_TEXT, LP_P1001_TEXT, LP_P1002_TEXT, LP_P1002_CONTEXT, LP_LOCK_TEXT,
	LP_P3008_TEXT, LP_P3011_TEXT, LP_P3012_TEXT, LP_P3017_TEXT, LP_MARKED,
	LP_UPDATE_AVAILABLE, LP_LITELLM_VERSION,
	/* LiteLLM */
	LP_L_DEPLOY, LP_L_DEPLOY_DONE, LP_L_STDOUT, LP_L_DBERROR, LP_L_IDEM_NAMED,
	LP_L_IDEM_ANON, LP_L_IDEM_OLD, LP_L_IDEM_V2, LP_L_ROLLING_BACK, LP_L_FOUND_FAILED,
	LP_L_RESOLVING_EXISTING, LP_L_RESOLVING, LP_L_RESOLVE_FAILED, LP_L_RESOLVED,
	LP_L_PERM, LP_L_PERM_RAISE, LP_L_PERM_V2, LP_L_UNCLASSIFIED, LP_L_BASELINE,
	LP_L_BASELINE_DONE, LP_L_BASELINE_V2, LP_L_BASELINE_ADOPTED, LP_L_BASELINE_REFUSED,
	LP_L_BASELINE_ERROR, LP_L_BASELINE_OLD, LP_L_SANITY, LP_L_SANITY_DONE,
	LP_L_DIFF_CREATED, LP_L_DIFF_PERM, LP_L_DIFF_RUN, LP_L_DIFF_OK, LP_L_DIFF_FAIL,
	LP_L_DIFF_TIMEOUT, LP_L_RETRY, LP_L_TIMEOUT, LP_L_CONTINUING, LP_L_EXHAUSTED,
	LP_L_DB_AHEAD, LP_L_RECOVERED, LP_L_DRIFT, LP_L_DRIFT_SYNC, LP_L_DRIFT_FAIL, LP_L_NO_PRISMA,
	LP_L_NO_EXTRAS,
	LP_L_BASELINE_TIMEOUT, LP_L_MANUAL, LP_STATUS_HDR, LP_STATUS_NAME, LP_STATUS_OK,
	LP_STATUS_UNMANAGED,
	/* the CLI never ran; db push; a stale client */
	LP_CLI_DEPLOY, LP_NR_NPM, LP_NR_NOT_FOUND, LP_NR_EXIT127, LP_NR_SHLIB, LP_NR_DOWNLOAD,
	LP_NR_EACCES, LP_NR_CANT_WRITE, LP_NR_EROFS, LP_NR_NO_ENGINE,
	LP_PUSH_CMD, LP_PUSH_DONE, LP_PUSH_SAME, LP_PUSH_FAILED, LP_PUSH_REFUSED,
	LP_PUSH_DROP_COLUMN, LP_PUSH_DROP_TABLE, LP_STALE_CLIENT,
	/* runtime schema errors */
	LP_RT_COLUMN, LP_RT_TABLE, LP_RT_RELATION, LP_RT_PG_COLUMN,
	/* objects named by a Postgres message */
	LP_OBJ_COL_OF_REL, LP_OBJ_REL, LP_OBJ_COL, LP_OBJ_QUAL_COL,
	LP__COUNT
};

#define LP_MAXCAP 6

struct lp_match {
	const char *subject;
	size_t ov[2 * (LP_MAXCAP + 1)];
	int n; /* captures set, 0 = group 0 only */
};

/*
 * Announce the line the next lp_match calls look at: patterns that need a
 * literal this line lacks then fail without running PCRE2. The bytes
 * [s, s+readable) may be read (readable >= n; LP_PAD more spare a copy).
 */
#define LP_PAD 64
void lp_line_set(const char *s, size_t n, size_t readable);
/* The same line without leading blanks: what is known of it still holds. */
void lp_line_skip_blanks(const char *s, size_t n);
/* Match pattern id against [s, s+n); fills m on success. */
bool lp_match_run(enum lp_id id, const char *s, size_t n, struct lp_match *m);

/*
 * What is known of the line lp_line_set announced: the set of the literals
 * the patterns need (lp_need_key: index of a pattern's literal, or -1)
 * that it holds, found in one pass over the line on first use. A text line
 * is offered to a hundred patterns: those whose literal it lacks fail here,
 * without a call.
 */
struct lp_gate {
	const char *s;
	size_t n, readable;
	bool ready;
	uint64_t present;
};
extern struct lp_gate lp_gate;
extern int lp_need_key[LP__COUNT];
/* Per pattern and first byte of a line: may a match start so (patterns.c)? */
enum { LP_FIRST_UNKNOWN, LP_FIRST_MAY, LP_FIRST_NOT };
extern uint8_t lp_first[LP__COUNT][256];
/* The literals of the announced line, as bits of lp_need_key values. */
uint64_t lp_line_keys(void);

static inline bool lp_match(enum lp_id id, const char *s, size_t n, struct lp_match *m)
{
	int k = lp_need_key[id];

	if (n > 0 && lp_first[id][(unsigned char)*s] == LP_FIRST_NOT && !logs_exhaustive)
		return false;
	if (k >= 0 && s == lp_gate.s && n == lp_gate.n &&
	    !((lp_gate.ready ? lp_gate.present : lp_line_keys()) >> k & 1))
		return false;
	return lp_match_run(id, s, n, m);
}
/* Group i of a match: pointer and length; NULL when unset. */
const char *lp_group(const struct lp_match *m, int i, size_t *len);

/* --- json.c --- */

/*
 * Decode the "message" (into msg) and "timestamp" (into ts) string
 * members of the JSON object in [s, s+n). A line cut in the middle
 * yields what was decoded so far. Returns 0 when a message was found.
 */
int lj_decode_record(const char *s, size_t n, struct sbuf *msg, struct sbuf *ts);
/* Decode a JSON string body starting after the opening quote; returns end. */
const char *lj_decode_string(const char *p, const char *end, struct sbuf *out);

/* --- parse.c: the per-file state machine --- */

enum ls_block {
	BLK_NONE,
	BLK_P3018,      /* P3018 text: name, code, "Database error:" then message */
	BLK_CONNECTOR,  /* driver adapter: "external connector error" then message */
	BLK_P3009,
	BLK_APPLIED,    /* the tree under "have been applied:" */
	BLK_ERROR,      /* "Error: Pxxxx" waiting for its message */
	BLK_STATUS,     /* migrate status: names under "Following migration(s) have ..." */
};

#define LS_RING 4

struct ls_record_mark {
	size_t first, n;   /* events [first, first+n) */
	uint64_t line;
	bool json, used;
};

struct log_scan {
	struct log_events *ev;
	const char *file;           /* arena copy */
	uint64_t line;              /* number of the line being handled */
	uint64_t offset;            /* its byte offset */
	/* the record (one log call) the current line belongs to */
	bool in_record;             /* a prefixed record or JSON object is open */
	bool rec_json;
	size_t rec_first;           /* first event of the record */
	uint64_t rec_line;
	struct sbuf rec_tsraw;      /* its timestamp text */
	const char *rec_ts;         /* the same in the arena, once an event took it */
	unsigned rec_lines;         /* lines seen in the record */
	unsigned block_lines;       /* lines seen since the block opened */
	/* the Prisma block inside it */
	enum ls_block block;
	size_t open;                /* 1 + index of the event being filled; 0 = none */
	bool want_message;          /* the next non-empty line is the Postgres message */
	enum log_event_kind status_kind; /* BLK_STATUS: failed or pending */
	struct ls_record_mark ring[LS_RING];
	unsigned ring_next;
	struct sbuf clean;          /* the line without CR and ANSI codes */
	struct sbuf sub;            /* one line of a JSON message, cleaned */
	bool clean_padded, sub_padded; /* LP_PAD zero bytes follow them */
	struct sbuf jmsg, jts;      /* decoded JSON message and timestamp */
	const char *lts;            /* the current line's own timestamp (kubectl), or NULL */
	size_t ltsn;
	size_t file_first;          /* first event of this file */
};

void ls_init(struct log_scan *s, struct log_events *ev, const char *file);
void ls_release(struct log_scan *s);
/* Handle one physical line (without '\n'); line/offset set by the caller. */
void ls_line(struct log_scan *s, const char *p, size_t n);
/* Does the line start a record (a JSON object, a logger's prefix)? Changes nothing kept. */
bool ls_starts_record(struct log_scan *s, const char *p, size_t n);
/* True when the next lines must be looked at even without a literal. */
bool ls_wants_next(const struct log_scan *s);
/* End of input: close the open record. */
void ls_finish(struct log_scan *s);

/* --- events.c --- */

struct log_event *le_add(struct log_events *ev, enum log_event_kind kind);
/* Arena copy with control bytes and invalid UTF-8 replaced. */
const char *le_str(struct log_events *ev, const char *s, size_t n);
bool le_equal(const struct log_event *a, const struct log_event *b);

/*
 * JIT-compiled code is opaque to valgrind, which reports its reads as
 * uses of uninitialised memory; under valgrind (make valgrind) the
 * interpreter runs instead. RUNNING_ON_VALGRIND is 0 elsewhere.
 */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define LP_UNDER_VALGRIND() RUNNING_ON_VALGRIND
#endif
#endif
#ifndef LP_UNDER_VALGRIND
#define LP_UNDER_VALGRIND() 0
#endif

#endif
