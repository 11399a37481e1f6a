/*
 * decompress.h - streaming decompression filters stacked on any md_stream.
 *
 * gzip (RFC 1952, concatenated members as gzip(1) writes them, and raw
 * zlib RFC 1950 streams as pg_dump -Fc writes its gzip blocks), zstd
 * frames and LZ4 frames. Each filter owns and closes its inner stream.
 * md_stream_open_auto (stream.h) recognises the codec by its magic bytes.
 *
 * Decompression bombs: a filter refuses to produce more than
 * limits.max_out bytes, and once it has produced limits.ratio_after bytes
 * it refuses an output/input ratio above limits.max_ratio. Memory is
 * bounded anyway (the filters stream through fixed buffers): the limits
 * bound the time a hostile file can make a reader spend, and the
 * archive readers use the tight MD_DECOMP_BLOCK_* limits for the one
 * small table they decompress. Hitting a limit is an input error that
 * names the file and the compressed byte offset.
 */
#ifndef MIGDOCTOR_DECOMPRESS_H
#define MIGDOCTOR_DECOMPRESS_H

#include "migdoctor/common.h"
#include "migdoctor/stream.h"

enum md_codec {
	MD_CODEC_NONE = 0,
	MD_CODEC_GZIP, /* gzip members (1F 8B) or a zlib stream (78 xx): sniffed */
	MD_CODEC_LZ4,  /* LZ4 frame (04 22 4D 18) */
	MD_CODEC_ZSTD, /* zstd frame (28 B5 2F FD) */
};

struct md_decomp_limits {
	uint64_t max_out;     /* total decompressed bytes; 0 = no limit */
	uint64_t ratio_after; /* the ratio is checked once this much was produced */
	uint64_t max_ratio;   /* out/in; 0 = no limit */
};

/* Whole files (plain dumps of many GB, tarballs): generous. */
#define MD_DECOMP_FILE_MAX_OUT ((uint64_t)1 << 40)   /* 1 TiB */
#define MD_DECOMP_FILE_MAX_RATIO 5000
/* One archive data block (the _prisma_migrations table): tight. */
#define MD_DECOMP_BLOCK_MAX_OUT ((uint64_t)1 << 30)  /* 1 GiB */
#define MD_DECOMP_BLOCK_MAX_RATIO 1000
#define MD_DECOMP_RATIO_AFTER ((uint64_t)64 << 20)   /* 64 MiB */

extern const struct md_decomp_limits md_decomp_file_limits;
extern const struct md_decomp_limits md_decomp_block_limits;

/* The codec whose magic starts head (MD_CODEC_NONE if none). */
enum md_codec md_codec_sniff(const unsigned char *head, size_t n);
/* "none", "gzip", "lz4", "zstd". */
const char *md_codec_name(enum md_codec c);

/*
 * A decompressing filter over inner (owned: closed with the filter).
 * limits NULL means md_decomp_file_limits. MD_CODEC_NONE passes bytes
 * through unchanged (limits still apply).
 */
struct md_stream *md_stream_decompress(struct md_stream *inner, enum md_codec c,
				       const struct md_decomp_limits *limits);
struct md_stream *md_stream_gunzip(struct md_stream *inner);
struct md_stream *md_stream_unzstd(struct md_stream *inner);
struct md_stream *md_stream_unlz4(struct md_stream *inner);

/*
 * Sniff the codec from the first bytes of inner and stack the right
 * filter (or a pass-through that replays the sniffed bytes). *codec
 * (if not NULL) receives what was found.
 */
int md_stream_decompress_auto(struct md_stream **out, struct md_stream *inner,
			      const struct md_decomp_limits *limits, enum md_codec *codec,
			      struct md_error *err);

/* md_stream_open_auto, also telling which codec the file uses. */
int md_stream_open_auto_codec(struct md_stream **out, const char *path, enum md_codec *codec,
			      struct md_error *err);

#endif
