/*
 * arena.h - bump allocator: everything derived from one input (rows,
 * names, effects) is allocated from that input's arena and freed at once.
 */
#ifndef MIGDOCTOR_ARENA_H
#define MIGDOCTOR_ARENA_H

#include "migdoctor/common.h"

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used;  /* bytes used in head */
	size_t total; /* bytes handed out, for benchmarks and limits */
};

#define ARENA_INIT { NULL, 0, 0 }

void arena_init(struct arena *a);
void arena_release(struct arena *a);
void *arena_alloc(struct arena *a, size_t size);     /* 16-byte aligned */
void *arena_zalloc(struct arena *a, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
MD_PRINTF(2, 3) char *arena_printf(struct arena *a, const char *fmt, ...);

#endif
