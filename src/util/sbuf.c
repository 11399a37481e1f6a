#include "migdoctor/common.h"
#include "migdoctor/sbuf.h"

char sbuf_empty[1];

void sbuf_init(struct sbuf *sb, size_t limit)
{
	sb->buf = sbuf_empty;
	sb->len = 0;
	sb->alloc = 0;
	sb->limit = limit;
}

void sbuf_release(struct sbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	sbuf_init(sb, sb->limit);
}

int sbuf_grow(struct sbuf *sb, size_t extra)
{
	size_t want, n;

	if (extra > SIZE_MAX - sb->len - 1)
		return -1;
	want = sb->len + extra;
	if (sb->limit && want > sb->limit)
		return -1;
	if (want + 1 <= sb->alloc)
		return 0;
	n = sb->alloc ? sb->alloc : 64;
	while (n < want + 1)
		n = n > SIZE_MAX / 2 ? want + 1 : n * 2;
	if (sb->alloc) {
		sb->buf = xrealloc(sb->buf, n);
	} else {
		sb->buf = xmalloc(n);
		sb->buf[0] = '\0';
	}
	sb->alloc = n;
	return 0;
}

int sbuf_add(struct sbuf *sb, const void *data, size_t n)
{
	if (sbuf_grow(sb, n))
		return -1;
	if (n)
		memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
	return 0;
}

int sbuf_addstr(struct sbuf *sb, const char *s)
{
	return sbuf_add(sb, s, strlen(s));
}

int sbuf_addch(struct sbuf *sb, int c)
{
	if (sbuf_grow(sb, 1))
		return -1;
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
	return 0;
}

int sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || sbuf_grow(sb, (size_t)n))
		return -1;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
	return 0;
}

int sbuf_addf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = sbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return r;
}

void sbuf_setlen(struct sbuf *sb, size_t len)
{
	if (len > (sb->alloc ? sb->alloc - 1 : 0))
		MD_BUG("sbuf_setlen beyond allocation");
	sb->len = len;
	if (sb->alloc)
		sb->buf[len] = '\0';
}

char *sbuf_detach(struct sbuf *sb, size_t *len)
{
	char *p;

	if (len)
		*len = sb->len;
	p = sb->alloc ? sb->buf : xstrdup("");
	sbuf_init(sb, sb->limit);
	return p;
}

static void unbounded(int r)
{
	if (r)
		MD_BUG("unbounded sbuf write hit a limit");
}

void sb_puts(struct sbuf *sb, const char *s) { unbounded(sbuf_addstr(sb, s)); }
void sb_putn(struct sbuf *sb, const void *d, size_t n) { unbounded(sbuf_add(sb, d, n)); }
void sb_putc(struct sbuf *sb, int c) { unbounded(sbuf_addch(sb, c)); }

void sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	unbounded(sbuf_vaddf(sb, fmt, ap));
	va_end(ap);
}
