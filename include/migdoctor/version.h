/*
 * version.h - "X.Y.Z" release numbers (LiteLLM, Prisma), parsed without
 * sscanf: each part is digits only, what follows Z ("-stable", "rc1") is
 * ignored.
 */
#ifndef MIGDOCTOR_VERSION_H
#define MIGDOCTOR_VERSION_H

#include "migdoctor/common.h"

struct md_version {
	long major, minor, patch;
};

/* 0 and *v set when s starts with X.Y.Z (digits, at most 9 each); else -1. */
int md_version_parse(const char *s, struct md_version *v);
/* <0, 0, >0 as a is older than, the same as, newer than b. */
int md_version_cmp(const struct md_version *a, const struct md_version *b);
/* True when both parse and a is newer than b. */
bool md_version_newer(const char *a, const char *b);

#endif
