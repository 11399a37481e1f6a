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
/* Lowercase hex sha256 of a file's bytes, streamed; out is "" on error. */
int md_sha256_file(const char *path, char out[MD_SHA256_HEX], struct md_error *err);

#endif
