/*
 * cli.c - what the commands share: option values, usage errors, and
 * output that reports its own failure (exit 4) instead of losing it.
 */
#include "migdoctor/common.h"
#include "migdoctor/outfile.h"
#include "cli.h"

#include <dirent.h>
#include <sys/stat.h>

#include <errno.h>
#include <unistd.h>

/* the first line of every repair script (src/report/repair.c) */

/* one message for a failing standard output, however many writes failed */
static bool stdout_failed;

static const char *const format_names[] = { "text", "json", "csv" };

int cli_parse_format(const char *cmd, const char *arg, unsigned allowed, enum cli_format *out)
{
	for (size_t i = 0; i < MD_ARRAY_LEN(format_names); i++) {
		if (!strcmp(arg, format_names[i]) && (allowed & (1u << i))) {
			*out = (enum cli_format)i;
			return 0;
		}
	}
	return cli_usage_error(cmd, "unknown --format '%s'; expected %s", arg,
			       (allowed & (1u << CLI_FORMAT_CSV)) ? "text, json or csv"
								  : "text or json");
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "migdoctor %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'migdoctor %s --help'.\n", cmd);
	return MD_EXIT_USAGE;
}

bool cli_output_is_stdout(const char *name)
{
	return !strcmp(name, "-");
}

int cli_output_check(const char *cmd, const char *name)
{
	struct outfile o;
	struct md_error err;

	if (cli_output_is_stdout(name))
		return 0;
	md_error_clear(&err);
	if (outfile_resolve(&o, name, &err))
		return cli_usage_error(cmd, "-o: %s", err.msg);
	return 0;
}

int cli_output_write(const char *name, const void *data, size_t len)
{
	struct md_error err;

	if (cli_output_is_stdout(name))
		return cli_write_stdout(data, len) ? MD_EXIT_INTERNAL : 0;
	md_error_clear(&err);
	if (md_write_atomic(name, data, len, &err)) {
		md_errorf("%s", err.msg);
		return err.code ? (int)err.code : MD_EXIT_INTERNAL;
	}
	return 0;
}

int cli_output_remove_stale(const char *name, const char *kind, const char *why)
{
	struct md_error err;
	enum outfile_stale what;
	char magic[64];

	if (cli_output_is_stdout(name))
		return 0;
	md_error_clear(&err);
	snprintf(magic, sizeof(magic), "-- migdoctor %s script", kind);
	if (outfile_remove_stale(name, magic, &what, &err)) {
		md_errorf("%s", err.msg);
		return err.code ? (int)err.code : MD_EXIT_INTERNAL;
	}
	if (what == OUTFILE_REMOVED)
		md_notef("removed the stale %s script %s from an earlier run: %s", kind, name, why);
	else if (what == OUTFILE_KEPT)
		md_warnf("'%s' is not a migdoctor %s script: left as it is (%s, no script written)", name,
			 kind, why);
	return 0;
}

static void stdout_error(int e)
{
	if (stdout_failed)
		return;
	stdout_failed = true;
	if (e)
		md_errorf("cannot write to standard output: %s", strerror(e));
	else
		md_errorf("cannot write to standard output");
}

int cli_write_stdout(const void *buf, size_t len)
{
	errno = 0;
	if ((len && fwrite(buf, 1, len, stdout) != len) || fflush(stdout)) {
		stdout_error(errno);
		return -1;
	}
	return 0;
}

int cli_finish_stdout(int rc)
{
	bool bad;

	errno = 0;
	bad = fflush(stdout) != 0 || ferror(stdout);
	if (bad) {
		stdout_error(errno);
		fclose(stdout);
	} else if (fclose(stdout) != 0 && errno != EBADF) {
		/* a file system that reports errors only at close (NFS); EBADF: started closed, nothing written */
		bad = true;
		stdout_error(errno);
	}
	return bad || stdout_failed ? MD_EXIT_INTERNAL : rc;
}

/* Two names of one input: the same file or folder, or two files with the same bytes. */
bool cli_same_input(const char *a, const char *b)
{
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	bool same = ra && rb && !strcmp(ra, rb);
	struct stat sa, sb;

	free(ra);
	free(rb);
	if (same || !strcmp(a, b))
		return true;
	if (stat(a, &sa) || stat(b, &sb) || !S_ISREG(sa.st_mode) || !S_ISREG(sb.st_mode) ||
	    sa.st_size != sb.st_size)
		return false;
	{
		FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
		char ba[65536], bb[65536];
		size_t na, nb;

		same = fa && fb;
		while (same && (na = fread(ba, 1, sizeof(ba), fa)) > 0) {
			nb = fread(bb, 1, na, fb);
			same = nb == na && !memcmp(ba, bb, na);
		}
		same = same && !ferror(fa) && !ferror(fb);
		if (fa)
			fclose(fa);
		if (fb)
			fclose(fb);
	}
	return same;
}

/* One input per role: a second one is refused (exit 2) unless it is the same. */
int cli_set_role(const char *cmd, const char **slot, const char *path, const char *what,
		    const char *hint)
{
	if (*slot && !cli_same_input(*slot, path))
		return cli_usage_error(cmd, "two %s ('%s', '%s'); %s", what, *slot, path, hint);
	if (!*slot)
		*slot = path;
	return 0;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cli_folder_entries(const char *dir, char ***names, size_t *n, struct md_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t cap = 0;

	*names = NULL;
	*n = 0;
	if (!d)
		return md_fail(err, "cannot read '%s'", dir);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		MD_GROW(*names, *n, cap);
		(*names)[(*n)++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(**names), cmp_path);
	return 0;
}
