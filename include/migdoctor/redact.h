/*
 * redact.h - secrets cut out of text a bundle keeps (log lines, DDL,
 * _prisma_migrations values), PCRE2 patterns of src/logs.
 *
 * Each secret is replaced by a marker naming its kind, "[REDACTED:api-key]",
 * so a reader sees that something was there. The result depends on the
 * text only: the same input gives the same bytes.
 */
#ifndef MIGDOCTOR_REDACT_H
#define MIGDOCTOR_REDACT_H

#include "migdoctor/common.h"
#include "migdoctor/sbuf.h"

/* Every marker starts with this. */
#define REDACT_MARK "[REDACTED:"

/*
 * Append p[0..n) to out with every secret replaced; returns the number of
 * replacements. Kinds: api-key (sk-...), password (in a URL or password=),
 * token (Bearer, Authorization), email, secret (the value of a JSON or
 * Python-dict key named like key/token/secret/password), master-key and
 * database-url (LiteLLM's master_key / DATABASE_URL settings).
 */
size_t redact_append(struct sbuf *out, const char *p, size_t n);

#endif
