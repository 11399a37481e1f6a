/*
 * strutil.h - small facts about strings that several modules need, in
 * one place so that they cannot drift apart.
 */
#ifndef MIGDOCTOR_STRUTIL_H
#define MIGDOCTOR_STRUTIL_H

#include "migdoctor/common.h"

/* Equal strings; two NULLs are equal (an absent name matches an absent name). */
static inline bool md_same(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/* Equal strings, both present: a NULL matches nothing, not even NULL. */
static inline bool md_same_set(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/*
 * Which of n schemas holding the table to read: the one named `wanted`
 * when given; else the only one; else "public". Returns its index, or -1
 * when `wanted` is not among them, when there are none, or when there are
 * several and none is "public" (the caller says which to choose from).
 * *several is set when the choice was "public" among several (callers warn).
 */
long md_choose_schema(const char *const *schemas, size_t n, const char *wanted, bool *several);

#endif
