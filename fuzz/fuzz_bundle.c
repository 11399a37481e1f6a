/*
 * libFuzzer: no byte of table data reaches a bundle. The input is a plain
 * dump whose every COPY row of a table but _prisma_migrations gets a
 * canary; it is read as 'migdoctor bundle' reads it (DDL, rows, table
 * sizes by the tap), dump.sql and sizes.json are written, and the canary
 * must appear in neither.
 */
#include "migdoctor/common.h"
#include "migdoctor/bundle.h"
#include "migdoctor/sbuf.h"
#include "history/hist_internal.h"

#define CANARY "QZXCANARYJW"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool starts(const char *l, size_t n, const char *w)
{
	return n >= strlen(w) && !memcmp(l, w, strlen(w));
}

/* The line names _prisma_migrations, in any case (the readers fold unquoted names). */
static bool names_ours(const char *l, size_t n)
{
	static const char w[] = "_prisma_migrations";

	for (size_t i = 0; i + sizeof(w) - 1 <= n; i++)
		if (!strncasecmp(l + i, w, sizeof(w) - 1))
			return true;
	return false;
}

static bool is_term(const char *l, size_t n)
{
	return (n == 2 || (n == 3 && l[2] == '\r')) && l[0] == '\\' && l[1] == '.';
}

/* An odd run of backslashes at the end: COPY text's escaped newline, the row goes on. */
static bool continues(const char *l, size_t n)
{
	size_t k = 0;

	while (k < n && l[n - 1 - k] == '\\')
		k++;
	return k & 1;
}

/*
 * The dump with the canary at the start of every line of another table's
 * COPY data, before the first _prisma_migrations rows (a COPY block or an
 * INSERT): those rows are kept, and where a hostile one ends (a malformed
 * COPY row taken over several lines, an INSERT's string literal left open)
 * is the readers' to say, so blocks after them are not marked. Another
 * table's block ends at the first "\." line.
 */
static void plant(struct sbuf *out, const char *p, size_t n)
{
	const char *end = p + n;
	bool in_copy = false, ours = false, cont = false, seen_ours = false;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);

		if (in_copy && ours) {
			if (!cont && is_term(p, len))
				in_copy = false;
			else
				cont = continues(p, len);
		} else if (in_copy) {
			if (is_term(p, len))
				in_copy = false;
			else if (!seen_ours)
				sb_puts(out, CANARY);
		} else if (starts(p, len, "COPY ") && memmem(p, len, "FROM stdin;", 11)) {
			in_copy = true;
			cont = false;
			ours = names_ours(p, len);
			seen_ours |= ours;
		}
		if (!in_copy && starts(p, len, "INSERT") && names_ours(p, len))
			seen_ours = true;
		sb_putn(out, p, len);
		if (nl)
			sb_putc(out, '\n');
		p = nl ? nl + 1 : end;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sbuf dump = SBUF_INIT, out = SBUF_INIT;
	struct history h;
	struct md_error err;
	struct history_opts opts = { 0 };
	struct bundle_sizes z;
	struct md_stream *s;

	if (memmem(data, size, CANARY, strlen(CANARY)) || memmem(data, size, "QZX", 3))
		return 0; /* the canary must come from plant() alone */
	plant(&dump, (const char *)data, size);
	opts.want_ddl = true;
	opts.allow_no_rows = true;
	bundle_sizes_init(&z);
	history_init(&h);
	h.source = "fuzz.sql";
	s = md_stream_open_mem("fuzz.sql", dump.buf, dump.len);
	bundle_sizes_tap(&z, dump.buf, dump.len);
	if (hist_read_plain(&h, s, &opts, &err) == 0) {
		bundle_write_dump(&out, &h, &h, "fuzz.sql");
		bundle_write_sizes(&out, &z, "fuzz.sql");
		if (memmem(out.buf, out.len, CANARY, strlen(CANARY)))
			MD_BUG("table data in a bundle:\n%s", out.buf);
	}
	md_stream_close(s);
	history_release(&h);
	bundle_sizes_release(&z);
	sbuf_release(&dump);
	sbuf_release(&out);
	return 0;
}
