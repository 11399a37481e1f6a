/*
 * sha256.c - the one SHA-256 helper (see sha256.h), on OpenSSL EVP.
 */
#include "migdoctor/common.h"
#include "migdoctor/sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

/* EVP runs fastest over large blocks (fewer calls; SHA-NI hashes about 1.8 GB/s here) */
#define HASH_BLOCK (1024 * 1024)

struct md_sha256 {
	EVP_MD_CTX *ctx;
};

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

struct md_sha256 *md_sha256_new(void)
{
	struct md_sha256 *h = xcalloc(1, sizeof(*h));

	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || !EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL))
		md_oom(0);
	return h;
}

void md_sha256_update(struct md_sha256 *h, const void *data, size_t len)
{
	if (!EVP_DigestUpdate(h->ctx, data, len))
		MD_BUG("sha256 failed");
}

void md_sha256_final(struct md_sha256 *h, char out[MD_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (!EVP_DigestFinal_ex(h->ctx, md, &len) || len != 32)
		MD_BUG("sha256 failed");
	to_hex(md, len, out);
	md_sha256_free(h);
}

void md_sha256_free(struct md_sha256 *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

/*
 * Digests of files hashed while a reader read them (md_stream), keyed by
 * what stat says of the file: a file changed since gives another key and
 * is read again. Few entries (one per input); a lock because 'bundle'
 * hashes in a thread of its own.
 */
struct seen {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	char hex[MD_SHA256_HEX];
};

static struct seen *seen;
static size_t nseen, seen_cap;
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;

static bool same_file(const struct seen *s, const struct stat *st)
{
	return s->dev == st->st_dev && s->ino == st->st_ino && s->size == st->st_size &&
	       s->mtime.tv_sec == st->st_mtim.tv_sec && s->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

void md_sha256_remember(const struct stat *st, const char hex[MD_SHA256_HEX])
{
	pthread_mutex_lock(&seen_lock);
	for (size_t i = 0; i < nseen; i++)
		if (same_file(&seen[i], st)) {
			memcpy(seen[i].hex, hex, MD_SHA256_HEX);
			pthread_mutex_unlock(&seen_lock);
			return;
		}
	MD_GROW(seen, nseen, seen_cap);
	seen[nseen] = (struct seen){ st->st_dev, st->st_ino, st->st_size, st->st_mtim, "" };
	memcpy(seen[nseen++].hex, hex, MD_SHA256_HEX);
	pthread_mutex_unlock(&seen_lock);
}

bool md_sha256_known(const struct stat *st, char out[MD_SHA256_HEX])
{
	bool found = false;

	pthread_mutex_lock(&seen_lock);
	for (size_t i = 0; i < nseen && !found; i++)
		if (same_file(&seen[i], st)) {
			memcpy(out, seen[i].hex, MD_SHA256_HEX);
			found = true;
		}
	pthread_mutex_unlock(&seen_lock);
	return found;
}

int md_sha256_file(const char *path, char out[MD_SHA256_HEX], struct md_error *err)
{
	struct md_sha256 *h;
	struct stat st;
	unsigned char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	out[0] = '\0';
	if (fd < 0)
		return md_fail(err, "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && md_sha256_known(&st, out)) {
		close(fd);
		return 0;
	}
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	h = md_sha256_new();
	buf = xmalloc(HASH_BLOCK);
	for (;;) {
		ssize_t r = read(fd, buf, HASH_BLOCK);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			free(buf);
			md_sha256_free(h);
			return md_fail(err, "cannot read '%s': %s", path, strerror(e));
		}
		if (r == 0)
			break;
		md_sha256_update(h, buf, (size_t)r);
	}
	close(fd);
	free(buf);
	md_sha256_final(h, out);
	return 0;
}
