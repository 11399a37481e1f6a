/*
 * scan.h - the end of a COPY block, found at memory speed: the one search
 * both the plain-dump reader (skipping other tables' data) and the table
 * sizes of a text dump (measuring it) run over every byte of the data.
 */
#ifndef MIGDOCTOR_SCAN_H
#define MIGDOCTOR_SCAN_H

#include "migdoctor/common.h"

/*
 * The first "\n\\." lying whole in p[0..n): true, its '\n' at *at, and
 * *nls the newlines before it. False when there is none: *at is where the
 * search stopped (n - 2, or 0 when n < 3; the last two bytes may begin a
 * marker the next block ends) and *nls the newlines before *at.
 */
bool md_find_copy_end(const char *p, size_t n, size_t *at, uint64_t *nls);

#endif
