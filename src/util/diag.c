#include "migdoctor/common.h"
#include "migdoctor/diag.h"

int md_quiet;
unsigned md_warning_count;

void md_error_clear(struct md_error *e)
{
	e->code = MD_EXIT_OK;
	e->msg[0] = '\0';
}

MD_PRINTF(4, 0) static int vfail(struct md_error *e, enum md_exit code, const char *prefix,
		 const char *fmt, va_list ap)
{
	size_t n = 0;

	if (!e)
		return -1;
	e->code = code;
	if (prefix) {
		n = strlen(prefix);
		if (n >= sizeof(e->msg))
			n = sizeof(e->msg) - 1;
		memcpy(e->msg, prefix, n);
	}
	vsnprintf(e->msg + n, sizeof(e->msg) - n, fmt, ap);
	return -1;
}

int md_fail(struct md_error *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(e, MD_EXIT_INPUT, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

int md_fail_code(struct md_error *e, enum md_exit code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(e, code, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

const char *md_pos_str(const struct md_pos *pos, char *buf, size_t size)
{
	const char *f = pos->file ? pos->file : "<input>";

	if (pos->line && pos->column)
		snprintf(buf, size, "%s:%llu:%llu", f, (unsigned long long)pos->line,
			 (unsigned long long)pos->column);
	else if (pos->line)
		snprintf(buf, size, "%s:%llu", f, (unsigned long long)pos->line);
	else
		snprintf(buf, size, "%s: byte %llu", f, (unsigned long long)pos->offset);
	return buf;
}

int md_fail_at(struct md_error *e, const struct md_pos *pos, const char *fmt, ...)
{
	char where[512], prefix[520];
	va_list ap;

	snprintf(prefix, sizeof(prefix), "%s: ", md_pos_str(pos, where, sizeof(where)));
	va_start(ap, fmt);
	vfail(e, MD_EXIT_INPUT, prefix, fmt, ap);
	va_end(ap);
	return -1;
}

void md_error_prefix(struct md_error *e, const char *fmt, ...)
{
	char old[MD_ERROR_MAX];
	size_t n;
	va_list ap;

	memcpy(old, e->msg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	n = strlen(e->msg);
	snprintf(e->msg + n, sizeof(e->msg) - n, "%s", old);
}

MD_PRINTF(2, 0) static void vmsg(const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "migdoctor: %s", kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void md_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("error: ", fmt, ap);
	va_end(ap);
}

void md_warnf(const char *fmt, ...)
{
	va_list ap;

	md_warning_count++;
	if (md_quiet)
		return;
	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void md_notef(const char *fmt, ...)
{
	va_list ap;

	if (md_quiet)
		return;
	va_start(ap, fmt);
	vmsg("note: ", fmt, ap);
	va_end(ap);
}
