/*
 * sha256.c - the one SHA-256 helper (see sha256.h), on OpenSSL EVP.
 */
#include "migdoctor/common.h"
#include "migdoctor/sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <openssl/evp.h>

static void to_hex(const unsigned char *md, unsigned n, char out[MD_SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";

	for (unsigned i = 0; i < n; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * n] = '\0';
}

void md_sha256_hex(const void *data, size_t len, char out[MD_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) || n != 32)
		MD_BUG("sha256 failed");
	to_hex(md, n, out);
}

int md_sha256_file(const char *path, char out[MD_SHA256_HEX], struct md_error *err)
{
	EVP_MD_CTX *ctx;
	unsigned char buf[1 << 16], md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	out[0] = '\0';
	if (fd < 0)
		return md_fail(err, "cannot open '%s': %s", path, strerror(errno));
	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		md_oom(0);
	for (;;) {
		ssize_t r = read(fd, buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			EVP_MD_CTX_free(ctx);
			return md_fail(err, "cannot read '%s': %s", path, strerror(e));
		}
		if (r == 0)
			break;
		EVP_DigestUpdate(ctx, buf, (size_t)r);
	}
	close(fd);
	EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	if (len != 32)
		MD_BUG("sha256 failed");
	to_hex(md, len, out);
	return 0;
}
