/*
 * version.c - release numbers (see version.h).
 */
#include "migdoctor/common.h"
#include "migdoctor/version.h"

#include <errno.h>

/* Digits at *s (no sign, no space), at most 9 of them; *s moves past them. */
static int part(const char **s, long *out)
{
	const char *p = *s;
	char *end;

	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	*out = strtol(p, &end, 10);
	if (errno || end - p > 9)
		return -1;
	*s = end;
	return 0;
}

int md_version_parse(const char *s, struct md_version *v)
{
	if (!s || part(&s, &v->major) || *s++ != '.' || part(&s, &v->minor) || *s++ != '.' ||
	    part(&s, &v->patch))
		return -1;
	return 0;
}

int md_version_cmp(const struct md_version *a, const struct md_version *b)
{
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	if (a->patch != b->patch)
		return a->patch < b->patch ? -1 : 1;
	return 0;
}

bool md_version_newer(const char *a, const char *b)
{
	struct md_version va, vb;

	return !md_version_parse(a, &va) && !md_version_parse(b, &vb) &&
	       md_version_cmp(&va, &vb) > 0;
}
