/*
 * quote.c - the audited quoting functions (see quote.h for the rules).
 */
#include "migdoctor/common.h"
#include "migdoctor/quote.h"

static bool plain_char(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '\'' && c != '\\';
}

void sql_quote_literal(struct sbuf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	bool plain = true;

	for (size_t i = 0; i < len && plain; i++)
		plain = plain_char((unsigned char)s[i]);
	if (plain) {
		sb_putc(out, '\'');
		sb_putn(out, s, len);
		sb_putc(out, '\'');
		return;
	}
	sb_puts(out, "convert_from(decode('");
	for (size_t i = 0; i < len; i++) {
		sb_putc(out, hex[(unsigned char)s[i] >> 4]);
		sb_putc(out, hex[(unsigned char)s[i] & 15]);
	}
	sb_puts(out, "', 'hex'), 'UTF8')");
}

void sql_quote_literal_str(struct sbuf *out, const char *s)
{
	sql_quote_literal(out, s, strlen(s));
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

bool sql_ident_needs_quotes(const char *s)
{
	if (!*s || !((*s >= 'a' && *s <= 'z') || *s == '_'))
		return true;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return true;
	return false;
}

int sql_quote_ident_always(struct sbuf *out, const char *s)
{
	if (has_control(s))
		return -1;
	sb_putc(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			sb_putc(out, '"');
		sb_putc(out, *s);
	}
	sb_putc(out, '"');
	return 0;
}

int sql_quote_ident(struct sbuf *out, const char *s)
{
	if (sql_ident_needs_quotes(s))
		return sql_quote_ident_always(out, s);
	sb_puts(out, s);
	return 0;
}

void sql_comment_text(struct sbuf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			sb_puts(out, "\\n");
		else if (c == '\r')
			sb_puts(out, "\\r");
		else if (c == '\t')
			sb_putc(out, ' ');
		else if (c < 0x20 || c == 0x7f)
			sb_printf(out, "\\x%02x", c);
		else if (c == '*' && i + 1 < len && s[i + 1] == '/')
			sb_puts(out, "* ");
		else if (c == '/' && i + 1 < len && s[i + 1] == '*')
			sb_puts(out, "/ ");
		else
			sb_putc(out, (char)c);
	}
}

/* Would "$tag$" occur in s, or in s followed by the closing "$tag$", before s ends? */
static bool dollar_clash(const char *s, size_t len, const char *tag, size_t tlen)
{
	if (len >= tlen && memmem(s, len, tag, tlen))
		return true;
	for (size_t k = 1; k < tlen && k <= len; k++)
		if (!memcmp(s + len - k, tag, k) && !memcmp(tag + k, tag, tlen - k))
			return true;
	return false;
}

int sql_quote_dollar(struct sbuf *out, const char *s, size_t len, const char *base)
{
	char tag[64];
	size_t tlen;

	if (memchr(s, '\0', len))
		return -1;
	tlen = (size_t)snprintf(tag, sizeof(tag), "$%s$", base);
	for (unsigned i = 1; dollar_clash(s, len, tag, tlen); i++)
		tlen = (size_t)snprintf(tag, sizeof(tag), "$%s%u$", base, i);
	sb_putn(out, tag, tlen);
	sb_putn(out, s, len);
	sb_putn(out, tag, tlen);
	return 0;
}
