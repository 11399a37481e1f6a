/*
 * outfile.h - the files migdoctor writes (check -o): only a regular file
 * is replaced, or a new one created, and always atomically.
 */
#ifndef MIGDOCTOR_OUTFILE_H
#define MIGDOCTOR_OUTFILE_H

#include "migdoctor/common.h"
#include "migdoctor/diag.h"

#include <limits.h>

/*
 * Where a name given for output leads. A symbolic link stands for its
 * target (followed to the end, also when the target does not exist yet),
 * as it does for a shell's '>': the link stays, the target is replaced.
 */
struct outfile {
	char path[PATH_MAX]; /* the file to write: its folder resolved, no link left */
	bool exists;         /* path is a regular file now */
	bool via_link;       /* the name given is a symbolic link */
};

/*
 * Resolve name and check that it may be written, without opening it (a
 * FIFO would block): a directory, a FIFO, a device or a socket is refused,
 * and so is a folder that does not exist or cannot be written. Errors
 * carry MD_EXIT_USAGE: the name is wrong, not an input.
 */
int outfile_resolve(struct outfile *o, const char *name, struct md_error *err);

/*
 * Write data to name atomically: resolved and checked again (it may have
 * changed since the first check), a temp file in the same folder, fsync,
 * rename over the old file, fsync of the folder. A replaced file keeps its
 * mode; a new one gets 0666 less the umask. Write errors carry
 * MD_EXIT_INTERNAL; nothing is left half-written.
 */
int md_write_atomic(const char *name, const void *data, size_t len, struct md_error *err);

enum outfile_stale {
	OUTFILE_ABSENT,     /* nothing at name */
	OUTFILE_REMOVED,    /* a file starting with magic: removed */
	OUTFILE_KEPT,       /* a regular file that does not start with magic: left */
};

/*
 * Remove the file at name (through its links) when it is a regular file
 * whose first bytes are magic: what an earlier run wrote and this run
 * would not write again.
 */
int outfile_remove_stale(const char *name, const char *magic, enum outfile_stale *what,
			 struct md_error *err);

#endif
