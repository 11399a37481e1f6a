/*
 * redact.c - secrets out of kept text: PCRE2 patterns applied one after
 * another, each match replaced by "[REDACTED:kind]".
 *
 * The order matters: whole settings first (DATABASE_URL=..., master_key:),
 * then quoted values of secret-named keys, then the shapes that can occur
 * anywhere (URL passwords, bearer tokens, sk- keys, emails). A pattern
 * never matches a marker, so redacting twice changes nothing.
 */
#include "migdoctor/common.h"
#include "migdoctor/redact.h"
#include "logs_internal.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* a value not already a marker, optionally quoted */
#define NOT_DONE "(?![\"']?\\[REDACTED:)"

static const struct {
	const char *kind;
	const char *re;
} rx_table[] = {
	/* LiteLLM settings: env lines, YAML, key=value; the whole value goes */
	{ "database-url", "(?i)\\b(?:DATABASE_URL|DIRECT_URL)\\b[\"']?\\s*[:=]\\s*" NOT_DONE "[\"']?\\K[^\\s,}\"'\\\\]+" },
	{ "master-key", "(?i)\\b(?:LITELLM_)?master_key\\b[\"']?\\s*[:=]\\s*" NOT_DONE "[\"']?\\K[^\\s,}\"'\\\\]+" },
	/* JSON / Python-dict string values of keys named like a secret */
	{ "secret", "(?i)([\"'])[\\w.-]*(?:key|token|secret|password|passwd|credential)[\\w.-]*\\1"
		    "\\s*:\\s*([\"'])" NOT_DONE "\\K(?:(?!\\2)[^\\\\]|\\\\.)+(?=\\2)" },
	/* unquoted key=value / key: value settings */
	{ "secret", "(?i)\\b(?:api[_-]?key|x-api-key|secret[_-]?key|access[_-]?token|auth[_-]?token)\\b"
		    "\\s*[:=]\\s*" NOT_DONE "[\"']?\\K[^\\s\"',;&}\\\\]+" },
	{ "password", "(?i)\\b(?:password|passwd|pwd)\\b\\s*[:=]\\s*" NOT_DONE "[\"']?\\K[^\\s\"',;&}\\\\]+" },
	/* SQL: CREATE ROLE ... PASSWORD '...' (pg_dumpall), USER MAPPING OPTIONS (password '...') */
	{ "password", "(?i)\\bpassword\\s+'" NOT_DONE "\\K(?:[^']|'')+(?=')" },
	/* scheme://user:PASSWORD@host */
	{ "password", "(?i)\\b[a-z][a-z0-9+.-]*://[^\\s:/@]*:" NOT_DONE "\\K[^\\s/]+(?=@)" },
	{ "token", "(?i)\\b(?:bearer|basic)\\s+" NOT_DONE "\\K[A-Za-z0-9._~+/=-]{6,}" },
	{ "api-key", "\\bsk-[A-Za-z0-9_-]{3,}" },
	{ "email", "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}" },
};

static pcre2_code *rx_code[MD_ARRAY_LEN(rx_table)];
static pcre2_match_data *rx_md;

static void rx_compile(void)
{
	for (size_t i = 0; i < MD_ARRAY_LEN(rx_table); i++) {
		int ec;
		PCRE2_SIZE eo;

		rx_code[i] = pcre2_compile((PCRE2_SPTR)rx_table[i].re, PCRE2_ZERO_TERMINATED, 0, &ec,
					   &eo, NULL);
		if (!rx_code[i]) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(ec, msg, sizeof(msg));
			MD_BUG("redaction pattern %zu at offset %zu: %s", i, (size_t)eo, (const char *)msg);
		}
		/* JIT only speeds it up; without exec memory matching still works (and
		 * valgrind cannot see into JIT code: the interpreter runs there) */
		if (!LP_UNDER_VALGRIND())
			(void)pcre2_jit_compile(rx_code[i], PCRE2_JIT_COMPLETE);
	}
	rx_md = pcre2_match_data_create(8, NULL);
	if (!rx_md)
		md_oom(0);
}

/* One pattern over in, into out; the number of replacements. */
static size_t rx_apply(size_t k, const char *in, size_t n, struct sbuf *out)
{
	size_t pos = 0, copied = 0, count = 0;

	while (pos <= n) {
		int rc = pcre2_match(rx_code[k], (PCRE2_SPTR)in, n, pos, 0, rx_md, NULL);
		PCRE2_SIZE *ov;

		if (rc < 0)
			break; /* no match, or a match limit on hostile text: keep the rest as is */
		ov = pcre2_get_ovector_pointer(rx_md);
		if (ov[1] <= ov[0]) {
			/* empty (a \K at the end): nothing to replace here */
			pos = (ov[1] > pos ? ov[1] : pos) + 1;
			continue;
		}
		sb_putn(out, in + copied, ov[0] - copied);
		sb_printf(out, REDACT_MARK "%s]", rx_table[k].kind);
		copied = ov[1];
		pos = ov[1];
		count++;
	}
	sb_putn(out, in + copied, n - copied);
	return count;
}

size_t redact_append(struct sbuf *out, const char *p, size_t n)
{
	struct sbuf a = SBUF_INIT, b = SBUF_INIT;
	size_t count = 0;

	if (!rx_md)
		rx_compile();
	sb_putn(&a, p, n);
	for (size_t k = 0; k < MD_ARRAY_LEN(rx_table); k++) {
		sbuf_reset(&b);
		count += rx_apply(k, a.buf, a.len, &b);
		{
			struct sbuf t = a;

			a = b;
			b = t;
		}
	}
	sb_putn(out, a.buf, a.len);
	sbuf_release(&a);
	sbuf_release(&b);
	return count;
}
