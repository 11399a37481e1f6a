/*
 * common.h - the first include of every .c file in migdoctor.
 *
 * Feature macros, the standard headers every module needs, compiler
 * attributes, and the x* allocation family: allocation failure is not an
 * input error, so it ends the process with exit code 4 in one place
 * instead of NULL checks scattered over every call site.
 */
#ifndef MIGDOCTOR_COMMON_H
#define MIGDOCTOR_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MD_VERSION "0.1.0"

#define MD_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define MD_NORETURN __attribute__((noreturn))
#define MD_UNUSED __attribute__((unused))
#define MD_WARN_UNUSED __attribute__((warn_unused_result))
#define MD_NOINLINE __attribute__((noinline))
#define MD_LIKELY(x) __builtin_expect(!!(x), 1)
#define MD_UNLIKELY(x) __builtin_expect(!!(x), 0)

#define MD_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MD_MIN(a, b) ((a) < (b) ? (a) : (b))
#define MD_MAX(a, b) ((a) > (b) ? (a) : (b))

/* Exit codes are API (doc/migdoctor.1, EXIT STATUS); only main() turns them into exit(). */
enum md_exit {
	MD_EXIT_OK = 0,
	MD_EXIT_FINDINGS = 1,
	MD_EXIT_USAGE = 2,
	MD_EXIT_INPUT = 3,
	MD_EXIT_INTERNAL = 4,
};

/* The value of a hex digit, or -1. */
static inline int md_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

MD_NORETURN void md_oom(size_t size);
MD_NORETURN MD_PRINTF(3, 4) void md_bug(const char *file, int line, const char *fmt, ...);
#define MD_BUG(...) md_bug(__FILE__, __LINE__, __VA_ARGS__)

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
/* realloc for arrays: checks n*size for overflow. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
MD_PRINTF(1, 2) char *xasprintf(const char *fmt, ...);

/*
 * Grow an array held as (ptr, n, cap) so that one more element fits.
 *   MD_GROW(v->items, v->n, v->cap);  v->items[v->n++] = x;
 */
#define MD_GROW(ptr, n, cap)                                                  \
	do {                                                                  \
		if ((n) >= (cap)) {                                           \
			size_t md_grow_nc_ = (cap) ? (cap) * 2 : 8;           \
			(ptr) = xreallocarray((ptr), md_grow_nc_, sizeof(*(ptr))); \
			(cap) = md_grow_nc_;                                  \
		}                                                             \
	} while (0)

#endif
