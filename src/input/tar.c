/*
 * tar.c - a sequential ustar/pax/GNU tar reader over an md_stream.
 *
 * Just what pg_dump -Ft archives and tarballs of -Fd folders need:
 * member names (ustar prefix, pax "path", GNU 'L' long names), sizes
 * (octal, pax "size", GNU base-256 for members >= 8 GiB) and skipping.
 * A header is trusted only when its checksum matches; a member whose
 * size runs past the end of the file is reported when it is read or
 * skipped, with the member's name and offset.
 */
#include "migdoctor/common.h"
#include "migdoctor/archive.h"

#define TAR_BLOCK 512

void md_tar_init(struct md_tar *t, struct md_stream *s)
{
	memset(t, 0, sizeof(*t));
	t->s = s;
}

void md_tar_release(struct md_tar *t)
{
	md_stream_close(t->s);
	t->s = NULL;
}

static uint64_t pad512(uint64_t n)
{
	return (TAR_BLOCK - n % TAR_BLOCK) % TAR_BLOCK;
}

/* Octal (spaces/NULs around) or GNU base-256; -1 when malformed. */
static int tar_number(const unsigned char *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;

	if (p[0] & 0x80) {
		if (p[0] & 0x40)
			return -1; /* negative base-256 */
		v = p[0] & 0x3f;
		for (i = 1; i < n; i++) {
			if (v >> 55)
				return -1;
			v = (v << 8) | p[i];
		}
		*out = v;
		return 0;
	}
	while (i < n && p[i] == ' ')
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
		if (v >> 60)
			return -1;
		v = v * 8 + (uint64_t)(p[i] - '0');
	}
	for (; i < n; i++)
		if (p[i] != ' ' && p[i] != 0)
			return -1;
	*out = v;
	return 0;
}

static bool checksum_ok(const unsigned char *h)
{
	uint64_t want;
	unsigned long u = 0;
	long sg = 0;

	if (tar_number(h + 148, 8, &want))
		return false;
	for (int i = 0; i < TAR_BLOCK; i++) {
		unsigned char c = (i >= 148 && i < 156) ? ' ' : h[i];

		u += c;
		sg += (signed char)c;
	}
	return want == u || (long)want == sg;
}

static void set_name(struct md_tar *t, const char *p, size_t n)
{
	n = MD_MIN(n, (size_t)MD_TAR_MAX_NAME);
	memcpy(t->name, p, n);
	t->name[n] = 0;
}

/* Read an extension record (pax or GNU long name) of n bytes plus padding. */
static char *read_ext(struct md_tar *t, uint64_t n, struct md_error *err)
{
	char *buf;

	if (n > MD_TAR_MAX_EXT)
		return md_fail(err, "%s: byte %llu: tar extended header of %llu bytes; expected at "
			       "most %llu", t->s->name, (unsigned long long)t->header_offset,
			       (unsigned long long)n, (unsigned long long)MD_TAR_MAX_EXT), NULL;
	buf = xmalloc((size_t)n + 1);
	if (md_stream_read_full(t->s, buf, (size_t)n, "the tar extended header", err) ||
	    md_stream_skip(t->s, pad512(n), "tar padding", err)) {
		free(buf);
		return NULL;
	}
	buf[n] = 0;
	return buf;
}

/* pax records: "LEN key=value\n"; we want path and size. */
static int apply_pax(struct md_tar *t, const char *p, size_t n, bool *have_name, bool *have_size,
		     uint64_t *size, struct md_error *err)
{
	size_t i = 0;

	while (i < n) {
		size_t len = 0, j = i;

		while (j < n && p[j] >= '0' && p[j] <= '9' && len < n)
			len = len * 10 + (size_t)(p[j++] - '0');
		/* "LEN key=value\n": LEN counts everything, so it must reach past the
		 * space to at least the final newline */
		if (j >= n || p[j] != ' ' || len < j - i + 2 || len > n - i ||
		    p[i + len - 1] != '\n')
			return md_fail(err, "%s: byte %llu: malformed pax extended header record",
				       t->s->name, (unsigned long long)t->header_offset);
		const char *kv = p + j + 1, *end = p + i + len - 1; /* end: the '\n' */
		const char *eq = memchr(kv, '=', (size_t)(end - kv));

		if (eq && eq - kv == 4 && !memcmp(kv, "path", 4)) {
			set_name(t, eq + 1, (size_t)(end - eq - 1));
			*have_name = true;
		} else if (eq && eq - kv == 4 && !memcmp(kv, "size", 4)) {
			uint64_t v = 0;

			for (const char *q = eq + 1; q < end; q++) {
				if (*q < '0' || *q > '9' || v > UINT64_MAX / 16)
					return md_fail(err, "%s: byte %llu: bad pax size",
						       t->s->name,
						       (unsigned long long)t->header_offset);
				v = v * 10 + (uint64_t)(*q - '0');
			}
			*size = v;
			*have_size = true;
		}
		i += len;
	}
	return 0;
}

int md_tar_next(struct md_tar *t, struct md_error *err)
{
	unsigned char h[TAR_BLOCK];
	bool have_name = false, have_size = false;
	uint64_t pax_size = 0;

	if (t->done)
		return 0;
	if (md_stream_skip(t->s, t->remaining + pad512(t->size), "the rest of a tar member", err))
		return md_fail(err, "%s: byte %llu: file is truncated: tar member '%s' claims %llu "
			       "bytes (padded to 512) from byte %llu, past the end of the file",
			       t->s->name, (unsigned long long)t->header_offset, t->name,
			       (unsigned long long)t->size, (unsigned long long)t->data_offset);
	t->remaining = t->size = 0;
	for (;;) {
		ssize_t got = 0;
		uint64_t size;

		t->header_offset = t->s->offset;
		while ((size_t)got < sizeof(h)) {
			ssize_t r = md_stream_read(t->s, h + got, sizeof(h) - (size_t)got, err);

			if (r < 0)
				return -1;
			if (r == 0)
				break;
			got += r;
		}
		if (got == 0) { /* no end-of-archive blocks: accept, as GNU tar does */
			t->done = true;
			return 0;
		}
		if ((size_t)got < sizeof(h))
			return md_fail(err, "%s: byte %llu: file is truncated inside a tar header",
				       t->s->name, (unsigned long long)t->header_offset);
		bool zero = true;
		for (size_t i = 0; i < sizeof(h) && zero; i++)
			zero = h[i] == 0;
		if (zero) {
			t->done = true;
			return 0;
		}
		if (!checksum_ok(h))
			return md_fail(err, "%s: byte %llu: bad tar header checksum; expected a "
				       "ustar header", t->s->name, (unsigned long long)t->header_offset);
		if (tar_number(h + 124, 12, &size))
			return md_fail(err, "%s: byte %llu: bad tar member size field", t->s->name,
				       (unsigned long long)t->header_offset);
		t->type = h[156] ? (char)h[156] : '0';
		if (t->type == 'x' || t->type == 'L') {
			char *ext = read_ext(t, size, err);
			int rc = 0;

			if (!ext)
				return -1;
			if (t->type == 'L') {
				set_name(t, ext, strnlen(ext, (size_t)size));
				have_name = true;
			} else {
				rc = apply_pax(t, ext, (size_t)size, &have_name, &have_size,
					       &pax_size, err);
			}
			free(ext);
			if (rc)
				return -1;
			continue;
		}
		if (t->type == 'g' || t->type == 'K') { /* global pax, GNU long link: ignore */
			if (size > MD_TAR_MAX_SIZE ||
			    md_stream_skip(t->s, size + pad512(size), "a tar extended header", err))
				return size > MD_TAR_MAX_SIZE ? md_fail(err, "%s: byte %llu: implausible "
									"tar header size", t->s->name,
									(unsigned long long)t->header_offset)
							      : -1;
			continue;
		}
		if (have_size)
			size = pax_size;
		if (size > MD_TAR_MAX_SIZE)
			return md_fail(err, "%s: byte %llu: tar member claims %llu bytes; expected at "
				       "most %llu", t->s->name, (unsigned long long)t->header_offset,
				       (unsigned long long)size, (unsigned long long)MD_TAR_MAX_SIZE);
		if (!have_name) {
			char full[256 + 1];
			size_t pn = strnlen((const char *)h + 345, 155);
			size_t nn = strnlen((const char *)h, 100);

			if (!memcmp(h + 257, "ustar\0", 6) && pn) {
				memcpy(full, h + 345, pn);
				full[pn] = '/';
				memcpy(full + pn + 1, h, nn);
				set_name(t, full, pn + 1 + nn);
			} else {
				set_name(t, (const char *)h, nn);
			}
		}
		/* links and folders have no data, whatever the size field says */
		if (t->type == '1' || t->type == '2' || t->type == '5' || t->type == '3' ||
		    t->type == '4' || t->type == '6')
			size = 0;
		t->size = t->remaining = size;
		t->data_offset = t->s->offset;
		return 1;
	}
}

/* --- the current member as a stream --- */

static ssize_t member_read(struct md_stream *ms, void *buf, size_t n, struct md_error *err)
{
	struct md_tar *t = ms->ctx;
	ssize_t r;

	if (t->remaining == 0)
		return 0;
	if (n > t->remaining)
		n = (size_t)t->remaining;
	r = md_stream_read(t->s, buf, n, err);
	if (r < 0)
		return -1;
	if (r == 0)
		return md_fail(err, "%s: byte %llu: file is truncated: tar member '%s' claims %llu "
			       "bytes but the file ends after %llu of them", t->s->name,
			       (unsigned long long)t->s->offset, t->name,
			       (unsigned long long)t->size,
			       (unsigned long long)(t->size - t->remaining));
	t->remaining -= (uint64_t)r;
	return r;
}

static int member_skip(struct md_stream *ms, uint64_t n, struct md_error *err)
{
	struct md_tar *t = ms->ctx;

	if (n > t->remaining)
		return md_fail(err, "%s: byte %llu: file is truncated: expected %llu more bytes in "
			       "tar member '%s', found %llu", ms->name,
			       (unsigned long long)ms->offset, (unsigned long long)n, t->name,
			       (unsigned long long)t->remaining);
	if (md_stream_skip(t->s, n, "tar member data", err))
		return -1;
	t->remaining -= n;
	return 0;
}

static const struct md_stream_ops member_ops = { member_read, NULL };

struct md_stream *md_tar_member(struct md_tar *t)
{
	char *name = xasprintf("%s[%s]", t->s->name, t->name);
	struct md_stream *ms = md_stream_new(&member_ops, name, t);

	free(name);
	ms->skip = member_skip;
	return ms;
}
