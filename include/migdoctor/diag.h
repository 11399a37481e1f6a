/*
 * diag.h - errors as values, and the three message functions.
 *
 * Library code never exits and never prints errors itself: it fills a
 * caller-owned struct md_error and returns -1 (md_fail does both), so a
 * reader deep in a gzip stream can say "FILE:LINE: what was found; what
 * was expected" and main() alone decides the exit code. Warnings and
 * notes go to stderr at once: they never end up in machine output.
 *
 * Message style: lowercase first word, no final period, the subject in
 * single quotes, what failed first, then what was expected.
 */
#ifndef MIGDOCTOR_DIAG_H
#define MIGDOCTOR_DIAG_H

#include "migdoctor/common.h"

#define MD_ERROR_MAX 1024

struct md_error {
	enum md_exit code; /* MD_EXIT_INPUT, MD_EXIT_USAGE or MD_EXIT_INTERNAL */
	char msg[MD_ERROR_MAX];
};

/* A place in an input, for messages: line is 0 when only the offset is known. */
struct md_pos {
	const char *file;
	uint64_t line;
	uint64_t column; /* 1-based; 0 if unknown */
	uint64_t offset; /* byte offset from the start of the (decompressed) input */
};

void md_error_clear(struct md_error *e);

/* Fill e with an input error (exit 3) and return -1. */
MD_PRINTF(2, 3) int md_fail(struct md_error *e, const char *fmt, ...);
/* Same, prefixed by "FILE:LINE:COL: " or "FILE: byte OFFSET: " from pos. */
MD_PRINTF(3, 4) int md_fail_at(struct md_error *e, const struct md_pos *pos, const char *fmt, ...);
/* Fill e with the given exit code. */
MD_PRINTF(3, 4) int md_fail_code(struct md_error *e, enum md_exit code, const char *fmt, ...);
/* Prepend context ("while reading 'X': ") to an existing message. */
MD_PRINTF(2, 3) void md_error_prefix(struct md_error *e, const char *fmt, ...);

/* Format pos as "file:line:col" (or "file: byte N") into buf. */
const char *md_pos_str(const struct md_pos *pos, char *buf, size_t size);

/* stderr messages: "migdoctor: error: ...", "migdoctor: warning: ...". */
MD_PRINTF(1, 2) void md_errorf(const char *fmt, ...);
MD_PRINTF(1, 2) void md_warnf(const char *fmt, ...);
MD_PRINTF(1, 2) void md_notef(const char *fmt, ...);
/* Warnings can be silenced (-q) and counted. */
extern int md_quiet;
extern unsigned md_warning_count;

#endif
