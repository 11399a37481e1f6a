/*
 * strutil.c - string helpers shared by the readers (see strutil.h).
 */
#include "migdoctor/common.h"
#include "migdoctor/strutil.h"

long md_choose_schema(const char *const *schemas, size_t n, const char *wanted, bool *several)
{
	long pub = -1;

	if (several)
		*several = false;
	for (size_t i = 0; i < n; i++) {
		if (wanted && md_same_set(schemas[i], wanted))
			return (long)i;
		if (!wanted && md_same_set(schemas[i], "public"))
			pub = (long)i;
	}
	if (wanted || n == 0)
		return -1;
	if (n == 1)
		return 0;
	if (several && pub >= 0)
		*several = true;
	return pub;
}
