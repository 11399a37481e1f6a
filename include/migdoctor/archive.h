/*
 * archive.h - pg_dump archives: custom (-Fc), directory (-Fd, as a folder
 * or a tarball of it) and tar (-Ft).
 *
 * The reader parses the header and the TOC (never compressed, small),
 * takes every DDL defn from the TOC, finds the TABLE DATA entry of
 * _prisma_migrations and streams only that block through the right
 * decompressor into the COPY-text or INSERT parsers of history.h. Other
 * tables' data is never decompressed: with data offsets the reader seeks
 * straight to the block; without them (a dump written to a pipe) it skips
 * each block by its chunk length headers.
 *
 * Limits (hostile input; every length read from a file is capped before
 * anything is allocated from it):
 *   ARCHIVE_MAX_TOC_ENTRIES  entries in a TOC
 *   ARCHIVE_MAX_STR          one TOC string (a defn can be a big function body)
 *   ARCHIVE_MAX_TOC_BYTES    all TOC strings together
 *   ARCHIVE_MAX_CHUNK        one data chunk length (pg_dump writes <= ~64 KiB;
 *                            uncompressed dumps one chunk per row, so a row
 *                            with a huge logs value is the largest case)
 * The decompressed size of the _prisma_migrations block and its expansion
 * ratio are bounded by the limits in decompress.h (MD_DECOMP_*); hitting
 * one is an input error naming the file and the byte offset.
 */
#ifndef MIGDOCTOR_ARCHIVE_H
#define MIGDOCTOR_ARCHIVE_H

#include "migdoctor/common.h"
#include "migdoctor/diag.h"
#include "migdoctor/history.h"
#include "migdoctor/sniff.h"

#define ARCHIVE_MAX_TOC_ENTRIES (4u * 1024 * 1024)
#define ARCHIVE_MAX_STR ((size_t)256 * 1024 * 1024)
#define ARCHIVE_MAX_TOC_BYTES ((uint64_t)1024 * 1024 * 1024)
#define ARCHIVE_MAX_CHUNK ((uint64_t)1024 * 1024 * 1024)

/* Oldest and newest archive versions read (K_VERS_1_12 .. K_VERS_1_16). */
#define ARCHIVE_MIN_MINOR 12
#define ARCHIVE_MAX_MINOR 16

/* archive_sniff() and archive_is_dump_dir() live in src/input (sniff.h). */

/*
 * Read the _prisma_migrations rows (and, with opts->want_ddl, every DDL
 * defn of the TOC) from a custom archive, a -Fd folder, a -Ft tar or a
 * tarball (optionally gzip/zstd/lz4-compressed) of a -Fd folder.
 * Fills h->format, h->schema_name, h->dump_time, h->flags, h->tables.
 * The table read is the one in opts->schema_name, else the only one, else
 * public (with a warning), else an error listing the schemas. The dump
 * time is the header's creation time: the dumping host's local time (the
 * archive stores no offset), as "YYYY-MM-DDTHH:MM:SS".
 */
int archive_read_history(struct history *h, const char *path, const struct history_opts *opts,
			 struct md_error *err);
/*
 * The same from a stream read once, front to back (standard input): s is
 * owned, kind is archive_sniff()'s answer for its head and codec the
 * whole-file compression already taken off. Offsets are followed forward
 * only; what would need a second pass over the input is an error saying so.
 */
int archive_read_history_stream(struct history *h, const char *name, struct md_stream *s,
				int kind, int codec, const struct history_opts *opts,
				struct md_error *err);

/*
 * A small tar reader (POSIX ustar, pax 'x' headers, GNU long names and
 * base-256 sizes) over any md_stream: pg_dump -Ft archives and tarballs
 * of -Fd folders. Sequential: md_tar_next skips the rest of the current
 * member (seeking when the stream can) and reads the next header.
 */
#define MD_TAR_MAX_NAME 4096                   /* longest member name kept */
#define MD_TAR_MAX_EXT ((uint64_t)1 << 20)     /* a pax or GNU long-name record */
#define MD_TAR_MAX_SIZE ((uint64_t)1 << 50)    /* a member size we believe */

struct md_tar {
	struct md_stream *s;       /* owned */
	char name[MD_TAR_MAX_NAME + 1];
	char type;                 /* '0' file, '5' folder, '2' symlink, ... */
	uint64_t size;             /* of the current member */
	uint64_t remaining;        /* bytes of it not read yet */
	uint64_t header_offset;    /* of the current member's header */
	uint64_t data_offset;      /* of its first byte */
	bool done;
};

void md_tar_init(struct md_tar *t, struct md_stream *s);
void md_tar_release(struct md_tar *t);
/* Next member: 1, 0 at the end of the archive, -1 with err filled. */
int md_tar_next(struct md_tar *t, struct md_error *err);
/*
 * The current member's data as a stream (named "TAR[MEMBER]"). It reads
 * from the tar's stream, so it must be closed before md_tar_next.
 */
struct md_stream *md_tar_member(struct md_tar *t);

#endif
