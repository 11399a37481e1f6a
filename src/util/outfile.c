/*
 * outfile.c - replace a regular file atomically, or create one; refuse
 * anything else before writing a byte (a FIFO, /dev/full even as root, a
 * directory), and never open a name that is not known to be a regular file.
 */
#include "migdoctor/common.h"
#include "migdoctor/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* Linux's limit of links followed in one path (ELOOP past it) */
#define LINK_HOPS 40

/* Split p at its last '/': the folder ("." or "/" when it has none) and the last name. */
static int split(const char *p, char *dir, size_t dsize, const char **base)
{
	const char *slash = strrchr(p, '/');

	if (!slash) {
		snprintf(dir, dsize, ".");
		*base = p;
		return 0;
	}
	*base = slash + 1;
	if (slash == p)
		return snprintf(dir, dsize, "/") >= (int)dsize ? -1 : 0;
	return snprintf(dir, dsize, "%.*s", (int)(slash - p), p) >= (int)dsize ? -1 : 0;
}

static const char *kind_of(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO (named pipe)";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

int outfile_resolve(struct outfile *o, const char *name, struct md_error *err)
{
	char cur[PATH_MAX], dir[PATH_MAX], real[PATH_MAX], what[2 * PATH_MAX + 64];
	const char *base;
	struct stat st;
	int hops = 0;

	memset(o, 0, sizeof(*o));
	if (!*name)
		return md_fail_code(err, MD_EXIT_USAGE, "the output file name is empty");
	if (snprintf(cur, sizeof(cur), "%s", name) >= (int)sizeof(cur))
		return md_fail_code(err, MD_EXIT_USAGE, "the output file name is too long");
	for (;;) {
		char link[PATH_MAX];
		ssize_t n;

		if (lstat(cur, &st) < 0) {
			if (errno != ENOENT)
				return md_fail_code(err, MD_EXIT_USAGE, "cannot write '%s': %s",
						    name, strerror(errno));
			break;
		}
		o->exists = true;
		if (!S_ISLNK(st.st_mode))
			break;
		o->exists = false;
		o->via_link = true;
		if (++hops > LINK_HOPS)
			return md_fail_code(err, MD_EXIT_USAGE, "cannot write '%s': %s", name,
					    strerror(ELOOP));
		n = readlink(cur, link, sizeof(link) - 1);
		if (n < 0)
			return md_fail_code(err, MD_EXIT_USAGE,
					    "cannot read the symbolic link '%s': %s", cur,
					    strerror(errno));
		link[n] = '\0';
		if (link[0] != '/') {
			/* relative to the folder of the link, not to ours */
			if (split(cur, dir, sizeof(dir), &base) ||
			    snprintf(cur, sizeof(cur), "%s/%s", dir, link) >= (int)sizeof(cur))
				return md_fail_code(err, MD_EXIT_USAGE, "cannot write '%s': %s",
						    name, strerror(ENAMETOOLONG));
		} else {
			memcpy(cur, link, (size_t)n + 1);
		}
	}
	if (o->via_link)
		snprintf(what, sizeof(what), "'%s' (a symbolic link to '%s')", name, cur);
	else
		snprintf(what, sizeof(what), "'%s'", name);
	if (o->exists && !S_ISREG(st.st_mode))
		return md_fail_code(err, MD_EXIT_USAGE, "%s is %s; expected a regular file to "
				    "replace or a new file name", what, kind_of(st.st_mode));
	if (split(cur, dir, sizeof(dir), &base))
		return md_fail_code(err, MD_EXIT_USAGE, "cannot write %s: %s", what,
				    strerror(ENAMETOOLONG));
	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return md_fail_code(err, MD_EXIT_USAGE, "%s names a folder; expected a file name",
				    what);
	if (!realpath(dir, real) || stat(real, &st) < 0)
		return md_fail_code(err, MD_EXIT_USAGE, "cannot write %s: the folder '%s': %s",
				    what, dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return md_fail_code(err, MD_EXIT_USAGE, "cannot write %s: '%s' is not a folder",
				    what, dir);
	/* the temp file is made there: a folder we cannot write fails now, not after the work */
	if (access(real, W_OK | X_OK) < 0)
		return md_fail_code(err, MD_EXIT_USAGE, "cannot write in the folder '%s' of %s: %s",
				    dir, what, strerror(errno));
	if (snprintf(o->path, sizeof(o->path), "%s%s%s", real, strcmp(real, "/") ? "/" : "",
		     base) >= (int)sizeof(o->path))
		return md_fail_code(err, MD_EXIT_USAGE, "cannot write %s: %s", what,
				    strerror(ENAMETOOLONG));
	return 0;
}

/* Make the rename itself durable: a crash after we return keeps the new file. */
static void sync_folder(const char *path)
{
	char dir[PATH_MAX];
	const char *base;
	int fd;

	if (split(path, dir, sizeof(dir), &base))
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	/* some file systems refuse fsync on a folder; the file itself is synced */
	(void)fsync(fd);
	close(fd);
}

int md_write_atomic(const char *name, const void *data, size_t len, struct md_error *err)
{
	struct outfile o;
	struct stat st;
	mode_t mode;
	bool keep;
	char *tmp;
	size_t done = 0;
	int fd;

	if (outfile_resolve(&o, name, err))
		return -1;
	keep = o.exists && lstat(o.path, &st) == 0;
	if (keep) {
		mode = st.st_mode & 07777;
	} else {
		mode_t mask = umask(0);

		umask(mask);
		mode = 0666 & ~mask;
	}
	tmp = xasprintf("%s.tmp.XXXXXX", o.path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		md_fail_code(err, MD_EXIT_INTERNAL, "cannot write next to '%s': %s", name,
			     strerror(errno));
		free(tmp);
		return -1;
	}
	while (done < len) {
		ssize_t w = write(fd, (const char *)data + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			goto fail;
		done += (size_t)w;
	}
	/* the owner of the file replaced (root fixing another user's file); best effort */
	if (keep && fchown(fd, st.st_uid, st.st_gid) < 0) {
		/* the new file is then owned by whoever runs migdoctor */
	}
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	/* checked again at the last moment: something else may have been put there meanwhile */
	if (lstat(o.path, &st) == 0 && !S_ISREG(st.st_mode)) {
		md_fail_code(err, MD_EXIT_USAGE,
			     "'%s' became %s while migdoctor ran; nothing was written", name,
			     kind_of(st.st_mode));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if (rename(tmp, o.path) < 0)
		goto fail;
	sync_folder(o.path);
	free(tmp);
	return 0;
fail:
	md_fail_code(err, MD_EXIT_INTERNAL, "cannot write '%s': %s", name, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

int outfile_remove_stale(const char *name, const char *magic, enum outfile_stale *what,
			 struct md_error *err)
{
	struct outfile o;
	struct stat st;
	size_t mlen = strlen(magic), got = 0;
	char *head;
	int fd;

	*what = OUTFILE_ABSENT;
	if (outfile_resolve(&o, name, err))
		return -1;
	if (!o.exists)
		return 0;
	/* O_NONBLOCK: a FIFO put there since must not make open wait for a writer */
	fd = open(o.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return md_fail_code(err, MD_EXIT_INTERNAL, "cannot read '%s': %s", name,
				    strerror(errno));
	}
	*what = OUTFILE_KEPT;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	head = xmalloc(mlen + 1);
	while (got < mlen) {
		ssize_t r = read(fd, head + got, mlen - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got == mlen && !memcmp(head, magic, mlen)) {
		if (unlink(o.path) < 0) {
			free(head);
			return md_fail_code(err, MD_EXIT_INTERNAL, "cannot remove '%s': %s", name,
					    strerror(errno));
		}
		sync_folder(o.path);
		*what = OUTFILE_REMOVED;
	}
	free(head);
	return 0;
}
