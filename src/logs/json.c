/*
 * json.c - just enough JSON for log records: find the "message" and
 * "timestamp" members of one object and decode their strings (escapes,
 * \uXXXX with surrogate pairs, to UTF-8). Everything else is skipped.
 * A record cut in the middle (an excerpt pasted into a ticket) gives
 * what was decoded up to the cut: the events in it are still worth having.
 */
#include "migdoctor/common.h"
#include "logs_internal.h"

static long hex4(const char *p, const char *end)
{
	long v = 0;

	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		int h = md_hexval((unsigned char)p[i]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static void put_utf8(struct sbuf *out, unsigned long cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (sbuf_add(out, b, n))
		return; /* over the cap: the rest of a huge message is dropped */
}

const char *lj_decode_string(const char *p, const char *end, struct sbuf *out)
{
	while (p < end) {
		const char *q = p;

		while (q < end && *q != '"' && *q != '\\')
			q++;
		if (q > p && sbuf_add(out, p, (size_t)(q - p)))
			return end;
		p = q;
		if (p >= end)
			break;
		if (*p == '"')
			return p + 1;
		/* backslash */
		if (++p >= end)
			break;
		switch (*p) {
		case 'n': put_utf8(out, '\n'); break;
		case 't': put_utf8(out, '\t'); break;
		case 'r': put_utf8(out, '\r'); break;
		case 'b': put_utf8(out, '\b'); break;
		case 'f': put_utf8(out, '\f'); break;
		case 'u': {
			long cp = hex4(p + 1, end);

			if (cp < 0) {
				put_utf8(out, 0xfffd);
				break;
			}
			p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && end - p >= 7 && p[1] == '\\' &&
			    p[2] == 'u') {
				long lo = hex4(p + 3, end);

				if (lo >= 0xdc00 && lo <= 0xdfff) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					p += 6;
				}
			}
			if (cp >= 0xd800 && cp <= 0xdfff)
				cp = 0xfffd; /* a lone surrogate */
			put_utf8(out, (unsigned long)cp);
			break;
		}
		default: /* \" \\ \/ and anything unknown: the character itself */
			put_utf8(out, (unsigned char)*p);
			break;
		}
		p++;
	}
	return end;
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* Skip one JSON value of any type; returns the end or NULL if malformed. */
static const char *skip_value(const char *p, const char *end)
{
	int depth = 0;

	p = skip_ws(p, end);
	do {
		if (p >= end)
			return NULL;
		if (*p == '"') {
			p++;
			while (p < end && *p != '"') {
				if (*p == '\\' && end - p > 1)
					p++;
				p++;
			}
			if (p >= end)
				return NULL;
			p++;
		} else if (*p == '{' || *p == '[') {
			if (++depth > 64)
				return NULL;
			p++;
		} else if (*p == '}' || *p == ']') {
			if (depth == 0)
				return p; /* end of the enclosing container */
			depth--;
			p++;
		} else if (depth > 0 && (*p == ',' || *p == ':' || *p == ' ' || *p == '\t')) {
			p++;
		} else {
			/* number, true, false, null */
			while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ')
				p++;
		}
	} while (depth > 0);
	return p;
}

/*
 * The name of a member, at p (after its quote): is it s? A name without
 * escapes (all of them, in practice) is compared where it is; one with
 * escapes is decoded first. Returns the end of the name.
 */
static const char *lj_name(const char *p, const char *end, struct sbuf *key, const char *s,
			   bool *is)
{
	const char *q = p;

	while (q < end && *q != '"' && *q != '\\')
		q++;
	if (q < end && *q == '"') {
		*is = (size_t)(q - p) == strlen(s) && !memcmp(p, s, (size_t)(q - p));
		return q + 1;
	}
	sbuf_reset(key);
	q = lj_decode_string(p, end, key);
	*is = !strcmp(key->buf, s);
	return q;
}

int lj_decode_record(const char *s, size_t n, struct sbuf *msg, struct sbuf *ts)
{
	const char *p = s, *end = s + n;
	bool have = false;
	struct sbuf key = SBUF_INIT;

	sbuf_reset(msg);
	sbuf_reset(ts);
	p = skip_ws(p, end);
	if (p >= end || *p != '{')
		return -1;
	p++;
	for (;;) {
		const char *name;
		bool is_msg, is_ts = false;

		p = skip_ws(p, end);
		if (p >= end || *p != '"')
			break;
		name = p + 1;
		p = lj_name(name, end, &key, "message", &is_msg);
		if (!is_msg)
			lj_name(name, end, &key, "timestamp", &is_ts);
		p = skip_ws(p, end);
		if (p >= end || *p != ':')
			break;
		p = skip_ws(p + 1, end);
		if (p < end && *p == '"' && is_msg && !have) {
			p = lj_decode_string(p + 1, end, msg);
			have = true;
		} else if (p < end && *p == '"' && is_ts && !ts->len) {
			p = lj_decode_string(p + 1, end, ts);
		} else {
			p = skip_value(p, end);
			if (!p)
				break;
		}
		p = skip_ws(p, end);
		if (p >= end || *p != ',')
			break;
		p++;
	}
	sbuf_release(&key);
	return have ? 0 : -1;
}
