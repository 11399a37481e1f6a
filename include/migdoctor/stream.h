/*
 * stream.h - byte streams over inputs, and a buffered line reader.
 *
 * Readers never load a whole input: they pull bytes from a struct
 * md_stream, which may be a plain file, a memory block (tests, archive
 * members) or a decompressing filter stacked on another stream. The
 * reader on top hands out lines that point into its buffer, with the line
 * number and byte offset every diagnostic needs, and refuses lines longer
 * than its limit instead of growing without bound.
 */
#ifndef MIGDOCTOR_STREAM_H
#define MIGDOCTOR_STREAM_H

#include "migdoctor/common.h"
#include "migdoctor/diag.h"

#include <sys/types.h>

struct md_stream;

struct md_stream_ops {
	/* Read up to n bytes: bytes read, 0 at end, -1 with err filled. */
	ssize_t (*read)(struct md_stream *s, void *buf, size_t n, struct md_error *err);
	void (*close)(struct md_stream *s);
};

struct md_stream {
	const struct md_stream_ops *ops;
	char *name;        /* for messages: the file name, or "file (gzip)" */
	uint64_t offset;   /* bytes delivered by md_stream_read so far */
	void *ctx;
	/*
	 * Optional (NULL from md_stream_new): skip n bytes without delivering
	 * them, e.g. a seek on a file; 0, or -1 with err filled (truncated
	 * input). Without it md_stream_skip reads and discards.
	 */
	int (*skip)(struct md_stream *s, uint64_t n, struct md_error *err);
};

/*
 * "-" names standard input (pg_dump -Fc | migdoctor history -). It is read
 * once, front to back: a reader that would open its input a second time
 * says so instead. Messages call it MD_STDIN_NAME.
 */
#define MD_STDIN_NAME "<stdin>"
bool md_path_is_stdin(const char *path);
/* The name messages give path: MD_STDIN_NAME for "-", else path. */
const char *md_path_name(const char *path);

/*
 * A regular file, or standard input for "-"; a directory or unreadable
 * path is an input error.
 */
int md_stream_open_file(struct md_stream **out, const char *path, struct md_error *err);
/*
 * From now on, hash every regular file opened here while it is read: one
 * read front to back leaves its sha256 for md_sha256_file (sha256.h).
 */
void md_stream_hash_files(bool on);
/* Read-only view of memory the caller keeps alive until close. */
struct md_stream *md_stream_open_mem(const char *name, const void *data, size_t len);
/*
 * A file with transparent decompression: gzip, zstd and lz4 frames are
 * recognised by their magic bytes (never by the file name). Without a
 * decompressor compiled in, this is md_stream_open_file.
 */
int md_stream_open_auto(struct md_stream **out, const char *path, struct md_error *err);
ssize_t md_stream_read(struct md_stream *s, void *buf, size_t n, struct md_error *err);
/* Read exactly n bytes, or fail with "truncated" naming what was wanted. */
int md_stream_read_full(struct md_stream *s, void *buf, size_t n, const char *what,
			struct md_error *err);
/* Read until cap bytes or the end, whichever first (for sniffing heads); *n is set. */
int md_stream_read_upto(struct md_stream *s, void *buf, size_t cap, size_t *n, struct md_error *err);
void md_stream_close(struct md_stream *s);
/* The first cap bytes of a file (or fewer), after any whole-file compression: for sniffing. */
int md_file_head(const char *path, void *buf, size_t cap, size_t *n, struct md_error *err);
/*
 * Skip exactly n bytes (seeking where the stream can), or fail with
 * "truncated" naming what was skipped; s->offset advances by n.
 */
int md_stream_skip(struct md_stream *s, uint64_t n, const char *what, struct md_error *err);

/* Allocate a stream with the given ops; name is copied. */
struct md_stream *md_stream_new(const struct md_stream_ops *ops, const char *name, void *ctx);

/*
 * Read a whole small file (a migration, a TOML file) into memory,
 * NUL-terminated, refusing files larger than limit.
 */
int md_read_file(const char *path, size_t limit, char **data, size_t *len, struct md_error *err);

#define MD_READER_BUFSIZE (1024 * 1024)
#define MD_MAX_LINE (64 * 1024 * 1024) /* longest line any reader accepts */

struct md_reader {
	struct md_stream *s;
	char *buf;
	size_t cap;       /* allocated bytes in buf */
	size_t start;     /* first unconsumed byte */
	size_t end;       /* one past the last valid byte */
	bool eof;
	uint64_t line;    /* number of the next line md_reader_line returns */
	uint64_t base;    /* stream offset of buf[0] */
	size_t max_line;
};

void md_reader_init(struct md_reader *r, struct md_stream *s, size_t max_line);
void md_reader_release(struct md_reader *r);
/*
 * Next line, without its '\n' (a '\r' before it is kept: formats decide).
 * The pointer is valid until the next call. Returns 1 for a line, 0 at the
 * end of input, -1 with err filled (read error, line longer than max_line).
 * A final line without '\n' is returned as a line.
 */
int md_reader_line(struct md_reader *r, const char **line, size_t *len, struct md_error *err);
/* Byte offset (in the stream) of the line last returned. */
uint64_t md_reader_line_offset(const struct md_reader *r, size_t len);
/*
 * Make at least want bytes available at buf+start (fewer at end of input).
 * Returns the number available, or -1.
 */
ssize_t md_reader_fill(struct md_reader *r, size_t want, struct md_error *err);
/* The position of the next unread byte, for messages. */
void md_reader_pos(const struct md_reader *r, struct md_pos *pos);

#endif
