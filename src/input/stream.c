#include "migdoctor/common.h"
#include "migdoctor/sha256.h"
#include "migdoctor/stream.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

struct md_stream *md_stream_new(const struct md_stream_ops *ops, const char *name, void *ctx)
{
	struct md_stream *s = xcalloc(1, sizeof(*s));

	s->ops = ops;
	s->name = xstrdup(name ? name : "<input>");
	s->ctx = ctx;
	return s;
}

ssize_t md_stream_read(struct md_stream *s, void *buf, size_t n, struct md_error *err)
{
	ssize_t r = s->ops->read(s, buf, n, err);

	if (r > 0)
		s->offset += (uint64_t)r;
	return r;
}

int md_stream_read_full(struct md_stream *s, void *buf, size_t n, const char *what,
			struct md_error *err)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = md_stream_read(s, (char *)buf + got, n - got, err);

		if (r < 0)
			return -1;
		if (r == 0)
			return md_fail(err, "%s: byte %llu: file is truncated: expected %s "
				       "(%zu more bytes)", s->name,
				       (unsigned long long)s->offset, what, n - got);
		got += (size_t)r;
	}
	return 0;
}

int md_stream_skip(struct md_stream *s, uint64_t n, const char *what, struct md_error *err)
{
	char scratch[16384];

	if (n == 0)
		return 0;
	if (s->skip) {
		if (s->skip(s, n, err))
			return -1;
		s->offset += n;
		return 0;
	}
	while (n > 0) {
		size_t want = n < sizeof(scratch) ? (size_t)n : sizeof(scratch);

		if (md_stream_read_full(s, scratch, want, what, err))
			return -1;
		n -= want;
	}
	return 0;
}

int md_stream_read_upto(struct md_stream *s, void *buf, size_t cap, size_t *n, struct md_error *err)
{
	*n = 0;
	while (*n < cap) {
		ssize_t r = md_stream_read(s, (char *)buf + *n, cap - *n, err);

		if (r < 0)
			return -1;
		if (r == 0)
			break;
		*n += (size_t)r;
	}
	return 0;
}

void md_stream_close(struct md_stream *s)
{
	if (!s)
		return;
	if (s->ops->close)
		s->ops->close(s);
	free(s->name);
	free(s);
}

/* --- files --- */

/*
 * With md_stream_hash_files(true), a regular file read front to back is
 * hashed on the way (md_sha256_remember): 'check -o' names its inputs by
 * sha256 without reading them a second time. A skip (a seek: the custom
 * format's data offsets) or a reader that stops early leaves the file to
 * md_sha256_file, which reads it again.
 */
static bool hash_files;

void md_stream_hash_files(bool on)
{
	hash_files = on;
}

struct file_ctx {
	int fd;
	struct md_sha256 *hash; /* while every byte so far went through file_read */
	struct stat st;
};

static void file_hash_done(struct file_ctx *f)
{
	char hex[MD_SHA256_HEX];

	md_sha256_final(f->hash, hex);
	f->hash = NULL;
	md_sha256_remember(&f->st, hex);
}

static ssize_t file_read(struct md_stream *s, void *buf, size_t n, struct md_error *err)
{
	struct file_ctx *f = s->ctx;

	for (;;) {
		ssize_t r = read(f->fd, buf, n);

		if (r > 0 && f->hash)
			md_sha256_update(f->hash, buf, (size_t)r);
		else if (r == 0 && f->hash)
			file_hash_done(f);
		if (r >= 0)
			return r;
		if (errno != EINTR)
			return md_fail(err, "cannot read '%s': %s", s->name, strerror(errno));
	}
}

static void file_close(struct md_stream *s)
{
	struct file_ctx *f = s->ctx;

	close(f->fd);
	md_sha256_free(f->hash);
	free(f);
}

/* Seek forward on a regular file; read and discard on pipes. */
static int file_skip(struct md_stream *s, uint64_t n, struct md_error *err)
{
	struct file_ctx *f = s->ctx;
	int fd = f->fd;
	struct stat st;
	off_t cur = lseek(fd, 0, SEEK_CUR);

	md_sha256_free(f->hash); /* bytes not seen: md_sha256_file reads the file itself */
	f->hash = NULL;
	if (cur >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		if ((uint64_t)st.st_size < (uint64_t)cur || n > (uint64_t)st.st_size - (uint64_t)cur) {
			lseek(fd, 0, SEEK_END);
			return md_fail(err, "%s: byte %llu: file is truncated: expected %llu more "
				       "bytes, found %llu", s->name, (unsigned long long)s->offset,
				       (unsigned long long)n,
				       (unsigned long long)((uint64_t)st.st_size > (uint64_t)cur
							    ? (uint64_t)st.st_size - (uint64_t)cur : 0));
		}
		if (lseek(fd, (off_t)n, SEEK_CUR) < 0)
			return md_fail(err, "cannot seek in '%s': %s", s->name, strerror(errno));
		return 0;
	}
	for (char scratch[16384]; n > 0;) {
		ssize_t r = read(fd, scratch, n < sizeof(scratch) ? (size_t)n : sizeof(scratch));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return md_fail(err, "cannot read '%s': %s", s->name, strerror(errno));
		if (r == 0)
			return md_fail(err, "%s: byte %llu: file is truncated: expected %llu more "
				       "bytes", s->name, (unsigned long long)s->offset,
				       (unsigned long long)n);
		n -= (uint64_t)r;
	}
	return 0;
}

static const struct md_stream_ops file_ops = { file_read, file_close };

static struct md_stream *file_stream(const char *name, int fd, const struct stat *st)
{
	struct file_ctx *f = xcalloc(1, sizeof(*f));
	struct md_stream *s;
	char known[MD_SHA256_HEX];

	f->fd = fd;
	if (st) {
		f->st = *st;
		if (hash_files && S_ISREG(st->st_mode) && !md_sha256_known(st, known))
			f->hash = md_sha256_new();
	}
	s = md_stream_new(&file_ops, name, f);
	s->skip = file_skip;
	return s;
}

static int open_regular(const char *path, int *fdp, struct stat *st, struct md_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return md_fail(err, "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, st) < 0) {
		int e = errno;

		close(fd);
		return md_fail(err, "cannot stat '%s': %s", path, strerror(e));
	}
	if (S_ISDIR(st->st_mode)) {
		close(fd);
		return md_fail(err, "'%s' is a directory; expected a file", path);
	}
	*fdp = fd;
	return 0;
}

bool md_path_is_stdin(const char *path)
{
	return path && !strcmp(path, "-");
}

const char *md_path_name(const char *path)
{
	return md_path_is_stdin(path) ? MD_STDIN_NAME : path;
}

int md_stream_open_file(struct md_stream **out, const char *path, struct md_error *err)
{
	struct stat st;
	int fd;

	if (md_path_is_stdin(path)) {
		/* a copy: closing the stream leaves fd 0 to the process */
		fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
		if (fd < 0)
			return md_fail(err, "cannot read standard input: %s", strerror(errno));
		if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			close(fd);
			return md_fail(err, "standard input is a directory; expected a file or a pipe");
		}
		*out = file_stream(MD_STDIN_NAME, fd, NULL);
		return 0;
	}
	if (open_regular(path, &fd, &st, err))
		return -1;
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	*out = file_stream(path, fd, &st);
	return 0;
}

int md_read_file(const char *path, size_t limit, char **data, size_t *len, struct md_error *err)
{
	struct stat st;
	size_t got = 0, cap;
	char *buf;
	int fd;

	if (open_regular(path, &fd, &st, err))
		return -1;
	cap = st.st_size > 0 && (uint64_t)st.st_size < limit ? (size_t)st.st_size + 1 : 4096;
	buf = xmalloc(cap + 1);
	for (;;) {
		ssize_t r;

		if (got == cap) {
			if (cap >= limit) {
				free(buf);
				close(fd);
				return md_fail(err, "'%s' is larger than the %zu MiB accepted "
					       "for this kind of file", path, limit >> 20);
			}
			cap = MD_MIN(cap * 2, limit);
			buf = xrealloc(buf, cap + 1);
		}
		r = read(fd, buf + got, cap - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(buf);
			close(fd);
			return md_fail(err, "cannot read '%s': %s", path, strerror(e));
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return 0;
}

/* --- memory --- */

struct mem_ctx {
	const char *data;
	size_t len, pos;
};

static ssize_t mem_read(struct md_stream *s, void *buf, size_t n, struct md_error *err)
{
	struct mem_ctx *m = s->ctx;
	size_t k = MD_MIN(n, m->len - m->pos);

	(void)err;
	memcpy(buf, m->data + m->pos, k);
	m->pos += k;
	return (ssize_t)k;
}

static void mem_close(struct md_stream *s)
{
	free(s->ctx);
}

static const struct md_stream_ops mem_ops = { mem_read, mem_close };

struct md_stream *md_stream_open_mem(const char *name, const void *data, size_t len)
{
	struct mem_ctx *m = xcalloc(1, sizeof(*m));

	m->data = data;
	m->len = len;
	return md_stream_new(&mem_ops, name, m);
}

/* --- buffered line reader --- */

void md_reader_init(struct md_reader *r, struct md_stream *s, size_t max_line)
{
	memset(r, 0, sizeof(*r));
	r->s = s;
	r->cap = MD_READER_BUFSIZE;
	r->buf = xmalloc(r->cap + 1);
	r->line = 1;
	r->max_line = max_line ? max_line : MD_MAX_LINE;
}

void md_reader_release(struct md_reader *r)
{
	free(r->buf);
	r->buf = NULL;
}

ssize_t md_reader_fill(struct md_reader *r, size_t want, struct md_error *err)
{
	while (r->end - r->start < want && !r->eof) {
		ssize_t n;

		if (r->start > 0 && (r->end == r->cap || r->cap - r->end < want)) {
			memmove(r->buf, r->buf + r->start, r->end - r->start);
			r->base += r->start;
			r->end -= r->start;
			r->start = 0;
		}
		if (r->end == r->cap) {
			size_t nc = r->cap * 2;

			if (r->cap >= r->max_line + 1)
				return (ssize_t)(r->end - r->start);
			if (nc > r->max_line + 1)
				nc = r->max_line + 1;
			r->buf = xrealloc(r->buf, nc + 1);
			r->cap = nc;
		}
		n = md_stream_read(r->s, r->buf + r->end, r->cap - r->end, err);
		if (n < 0)
			return -1;
		if (n == 0)
			r->eof = true;
		r->end += (size_t)n;
	}
	return (ssize_t)(r->end - r->start);
}

int md_reader_line(struct md_reader *r, const char **line, size_t *len, struct md_error *err)
{
	size_t scanned = 0;

	for (;;) {
		char *p = r->buf + r->start;
		size_t avail = r->end - r->start;
		char *nl = memchr(p + scanned, '\n', avail - scanned);

		if (nl) {
			*line = p;
			*len = (size_t)(nl - p);
			r->start += *len + 1;
			r->line++;
			return 1;
		}
		scanned = avail;
		if (avail > r->max_line) {
			struct md_pos pos = { r->s->name, r->line, 0, r->base + r->start };

			return md_fail_at(err, &pos, "line is longer than %zu MiB; expected "
					  "a text file with lines of a sane length",
					  r->max_line >> 20);
		}
		if (r->eof) {
			if (avail == 0)
				return 0;
			p[avail] = '\0';
			*line = p;
			*len = avail;
			r->start = r->end;
			r->line++;
			return 1;
		}
		if (md_reader_fill(r, avail + 1, err) < 0)
			return -1;
		if (r->end - r->start == avail && !r->eof) {
			/* buffer at its cap and no newline: too long */
			struct md_pos pos = { r->s->name, r->line, 0, r->base + r->start };

			return md_fail_at(err, &pos, "line is longer than %zu MiB; expected "
					  "a text file with lines of a sane length",
					  r->max_line >> 20);
		}
	}
}

uint64_t md_reader_line_offset(const struct md_reader *r, size_t len)
{
	/* the line just returned ended at start-1 (its '\n') or at end */
	return r->base + r->start - len - (r->start > 0 && r->buf[r->start - 1] == '\n' ? 1 : 0);
}

void md_reader_pos(const struct md_reader *r, struct md_pos *pos)
{
	pos->file = r->s->name;
	pos->line = r->line;
	pos->column = 0;
	pos->offset = r->base + r->start;
}
