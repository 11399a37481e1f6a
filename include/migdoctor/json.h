/*
 * json.h - writing JSON output: strings escaped per RFC 8259, invalid
 * UTF-8 replaced by U+FFFD so machine output is always valid JSON.
 */
#ifndef MIGDOCTOR_JSON_H
#define MIGDOCTOR_JSON_H

#include "migdoctor/common.h"
#include "migdoctor/sbuf.h"

/* Append s as a JSON string ("null" when s is NULL). */
void json_str(struct sbuf *out, const char *s);
void json_strn(struct sbuf *out, const char *s, size_t len);
/* Append ["a","b",...]. */
void json_str_array(struct sbuf *out, const char *const *v, size_t n);
/* Append "key": (with a leading comma unless first). */
void json_key(struct sbuf *out, const char *key, bool *first);

#endif
