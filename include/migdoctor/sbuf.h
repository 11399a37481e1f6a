/*
 * sbuf.h - growable byte buffer with a size cap.
 *
 * Invariants (after SBUF_INIT or sbuf_init): buf is never NULL, always
 * NUL-terminated at buf[len], and may hold NUL bytes inside. A buffer has
 * an optional limit (0 = none): a growth past it fails with -1 and leaves
 * the buffer unchanged, so a hostile 10 GB "line" becomes an error message
 * rather than an exhausted machine. sbuf_detach() is the only way to take
 * ownership of the bytes.
 */
#ifndef MIGDOCTOR_SBUF_H
#define MIGDOCTOR_SBUF_H

#include "migdoctor/common.h"

struct sbuf {
	char *buf;
	size_t len;
	size_t alloc; /* 0 while buf points at the shared empty string */
	size_t limit; /* largest len allowed; 0 means no limit */
};

extern char sbuf_empty[];
#define SBUF_INIT { sbuf_empty, 0, 0, 0 }

void sbuf_init(struct sbuf *sb, size_t limit);
void sbuf_release(struct sbuf *sb);
/* Ensure room for extra more bytes; -1 when that would pass the limit. */
MD_WARN_UNUSED int sbuf_grow(struct sbuf *sb, size_t extra);
MD_WARN_UNUSED int sbuf_add(struct sbuf *sb, const void *data, size_t n);
MD_WARN_UNUSED int sbuf_addstr(struct sbuf *sb, const char *s);
MD_WARN_UNUSED int sbuf_addch(struct sbuf *sb, int c);
MD_PRINTF(2, 3) MD_WARN_UNUSED int sbuf_addf(struct sbuf *sb, const char *fmt, ...);
MD_PRINTF(2, 0) MD_WARN_UNUSED int sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap);
void sbuf_setlen(struct sbuf *sb, size_t len);
static inline void sbuf_reset(struct sbuf *sb) { sbuf_setlen(sb, 0); }
/* Return the bytes (caller frees) and leave sb empty and initialised. */
char *sbuf_detach(struct sbuf *sb, size_t *len);

/*
 * Unbounded writers for output text built by the program itself (reports,
 * SQL): a limit cannot apply there, so these cannot fail.
 */
void sb_puts(struct sbuf *sb, const char *s);
void sb_putn(struct sbuf *sb, const void *data, size_t n);
void sb_putc(struct sbuf *sb, int c);
MD_PRINTF(2, 3) void sb_printf(struct sbuf *sb, const char *fmt, ...);

#endif
