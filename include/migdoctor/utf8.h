/*
 * utf8.h - the one UTF-8 validator (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), used wherever input bytes are
 * checked or made safe for output.
 */
#ifndef MIGDOCTOR_UTF8_H
#define MIGDOCTOR_UTF8_H

#include "migdoctor/common.h"

/* Length (1-4) of the valid UTF-8 sequence at s, or 0 when it is invalid or cut at n. */
size_t utf8_len(const unsigned char *s, size_t n);
/* True when all of [s, s+n) is valid UTF-8. */
bool utf8_valid(const void *s, size_t n);

#endif
