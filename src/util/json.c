#include "migdoctor/common.h"
#include "migdoctor/json.h"

/* Length of a valid UTF-8 sequence at s (1-4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t k;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		k = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		k = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		k = 4;
	else
		return 0;
	if (k > n)
		return 0;
	for (size_t i = 1; i < k; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (k == 3 && s[0] == 0xE0 && s[1] < 0xA0)
		return 0;
	if (k == 3 && s[0] == 0xED && s[1] >= 0xA0)
		return 0; /* surrogates */
	if (k == 4 && s[0] == 0xF0 && s[1] < 0x90)
		return 0;
	if (k == 4 && s[0] == 0xF4 && s[1] >= 0x90)
		return 0;
	return k;
}

void json_strn(struct sbuf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	sb_putc(out, '"');
	while (i < len) {
		unsigned char c = p[i];
		size_t k;

		switch (c) {
		case '"': sb_puts(out, "\\\""); i++; continue;
		case '\\': sb_puts(out, "\\\\"); i++; continue;
		case '\n': sb_puts(out, "\\n"); i++; continue;
		case '\r': sb_puts(out, "\\r"); i++; continue;
		case '\t': sb_puts(out, "\\t"); i++; continue;
		default: break;
		}
		if (c < 0x20 || c == 0x7f) {
			sb_printf(out, "\\u%04x", c);
			i++;
			continue;
		}
		k = utf8_len(p + i, len - i);
		if (!k) {
			sb_puts(out, "\\ufffd");
			i++;
			continue;
		}
		sb_putn(out, p + i, k);
		i += k;
	}
	sb_putc(out, '"');
}

void json_str(struct sbuf *out, const char *s)
{
	if (!s)
		sb_puts(out, "null");
	else
		json_strn(out, s, strlen(s));
}

void json_key(struct sbuf *out, const char *key, bool *first)
{
	if (!*first)
		sb_putc(out, ',');
	*first = false;
	json_str(out, key);
	sb_putc(out, ':');
}

void json_str_array(struct sbuf *out, const char *const *v, size_t n)
{
	sb_putc(out, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_putc(out, ',');
		json_str(out, v[i]);
	}
	sb_putc(out, ']');
}
