/*
 * sha256.h - lowercase hex SHA-256 (OpenSSL EVP) of memory or of a file:
 * migration checksums as Prisma computes them, and the digests of inputs
 * named in a repair script's header.
 */
#ifndef MIGDOCTOR_SHA256_H
#define MIGDOCTOR_SHA256_H

#include "migdoctor/common.h"
#include "migdoctor/diag.h"

#define MD_SHA256_HEX 65 /* 64 hex digits + NUL */

/* Lowercase hex sha256 of data. */
void md_sha256_hex(const void *data, size_t len, char out[MD_SHA256_HEX]);
/*
 * Lowercase hex sha256 of a file's bytes; out is "" on error. A digest
 * remembered for the same file (md_sha256_remember: hashed while a reader
 * read it front to back) is answered without reading; otherwise the file
 * is read once more, sequentially, in large blocks.
 */
int md_sha256_file(const char *path, char out[MD_SHA256_HEX], struct md_error *err);

/* Incremental hashing: new, update as often as needed, final (which frees). */
struct md_sha256;
struct md_sha256 *md_sha256_new(void);
void md_sha256_update(struct md_sha256 *h, const void *data, size_t len);
void md_sha256_final(struct md_sha256 *h, char out[MD_SHA256_HEX]);
/* Drop an unfinished hash (NULL is fine). */
void md_sha256_free(struct md_sha256 *h);

struct stat;
/*
 * The digest of the file stat describes (device, inode, size, mtime), as
 * hashed by whoever read all of it; md_sha256_known finds it again.
 */
void md_sha256_remember(const struct stat *st, const char hex[MD_SHA256_HEX]);
bool md_sha256_known(const struct stat *st, char out[MD_SHA256_HEX]);

#endif
