#include "migdoctor/common.h"
#include "migdoctor/utf8.h"
#include "migdoctor/json.h"

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
