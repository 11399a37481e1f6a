#include "migdoctor/common.h"
#include "migdoctor/arena.h"

#define ARENA_CHUNK (64 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	_Alignas(max_align_t) unsigned char data[];
};

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->used = 0;
	a->total = 0;
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	arena_init(a);
}

void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_chunk *c;
	size_t csize;
	void *p;

	size = (size + 15) & ~(size_t)15;
	if (size == 0)
		size = 16;
	if (!a->head || a->head->size - a->used < size) {
		csize = size > ARENA_CHUNK / 4 ? size : ARENA_CHUNK;
		c = xmalloc(sizeof(*c) + csize);
		c->size = csize;
		if (a->head && csize != ARENA_CHUNK) {
			/* a big block goes behind the head so the head's room is kept */
			c->next = a->head->next;
			a->head->next = c;
			a->total += size;
			return c->data;
		}
		c->next = a->head;
		a->head = c;
		a->used = 0;
	}
	p = a->head->data + a->used; /* aligned: used is a multiple of 16 */
	a->used += size;
	a->total += size;
	return p;
}

void *arena_zalloc(struct arena *a, size_t size)
{
	void *p = arena_alloc(a, size);

	memset(p, 0, size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *tmp, *p;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		md_oom(0);
	p = arena_strndup(a, tmp, (size_t)n);
	free(tmp);
	return p;
}
