/*
 * bundle_write.c - the bytes of a bundle: ustar members with nothing in
 * their headers that differs from run to run, and dump.sql, the schema
 * statements and _prisma_migrations rows as a plain pg_dump.
 */
#include "migdoctor/common.h"
#include "migdoctor/bundle.h"
#include "migdoctor/history.h"
#include "migdoctor/json.h"
#include "migdoctor/quote.h"
#include "migdoctor/redact.h"
#include "migdoctor/sbuf.h"
#include "migdoctor/sql.h"

#define TAR_BLOCK 512

static void octal(unsigned char *field, size_t width, uint64_t v)
{
	/* width - 1 digits, zero-padded, then NUL, as GNU tar writes them */
	for (size_t i = width - 1; i-- > 0; v >>= 3)
		field[i] = (unsigned char)('0' + (v & 7));
	field[width - 1] = '\0';
}

void bundle_tar_add(struct sbuf *tar, const char *name, const void *data, size_t len)
{
	unsigned char h[TAR_BLOCK];
	unsigned sum = 0;
	size_t nlen = strlen(name);

	if (nlen >= 100)
		MD_BUG("bundle member name too long: %s", name);
	memset(h, 0, sizeof(h));
	memcpy(h, name, nlen);
	octal(h + 100, 8, 0644);
	octal(h + 108, 8, 0);
	octal(h + 116, 8, 0);
	octal(h + 124, 12, len);
	octal(h + 136, 12, 0);
	h[156] = '0';
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memcpy(h + 265, "root", 4);
	memcpy(h + 297, "root", 4);
	octal(h + 329, 8, 0);
	octal(h + 337, 8, 0);
	memset(h + 148, ' ', 8);
	for (size_t i = 0; i < TAR_BLOCK; i++)
		sum += h[i];
	octal(h + 148, 7, sum);
	h[155] = ' ';
	sb_putn(tar, h, sizeof(h));
	sb_putn(tar, data, len);
	if (len % TAR_BLOCK) {
		static const unsigned char zero[TAR_BLOCK];

		sb_putn(tar, zero, TAR_BLOCK - len % TAR_BLOCK);
	}
}

void bundle_tar_end(struct sbuf *tar)
{
	static const unsigned char zero[2 * TAR_BLOCK];

	sb_putn(tar, zero, sizeof(zero));
}

/* --- dump.sql --- */

/* A value in COPY text format: \N for NULL, backslash escapes. */
static void copy_value(struct sbuf *out, const char *s, struct sbuf *tmp, size_t *nred)
{
	if (!s) {
		sb_puts(out, "\\N");
		return;
	}
	sbuf_reset(tmp);
	*nred += redact_append(tmp, s, strlen(s));
	for (size_t i = 0; i < tmp->len; i++) {
		char c = tmp->buf[i];

		switch (c) {
		case '\\': sb_puts(out, "\\\\"); break;
		case '\n': sb_puts(out, "\\n"); break;
		case '\r': sb_puts(out, "\\r"); break;
		case '\t': sb_puts(out, "\\t"); break;
		default: sb_putc(out, c); break;
		}
	}
}

static void copy_ts(struct sbuf *out, const struct md_ts *ts)
{
	char buf[MD_TS_BUFSIZE];

	if (ts->kind == MD_TS_NULL) {
		sb_puts(out, "\\N");
		return;
	}
	md_ts_format(ts, buf, sizeof(buf));
	sb_puts(out, buf);
}

static void write_rows(struct sbuf *out, const struct history *h, size_t *nred)
{
	struct sbuf tmp = SBUF_INIT;
	bool first = true;

	sb_puts(out, "COPY ");
	/* unqualified when the input did not say (a CSV): the script then names no schema either */
	if (h->schema_name) {
		(void)sql_quote_ident_always(out, h->schema_name);
		sb_putc(out, '.');
	}
	sb_puts(out, "_prisma_migrations (");
	for (int c = 0; c < HC_NCOLS; c++) {
		if (h->missing & (1u << c))
			continue;
		sb_puts(out, first ? "" : ", ");
		sb_puts(out, hist_col_names[c]);
		first = false;
	}
	sb_puts(out, ") FROM stdin;\n");
	for (size_t i = 0; i < h->nrows; i++) {
		const struct history_row *r = &h->rows[i];

		first = true;
		for (int c = 0; c < HC_NCOLS; c++) {
			if (h->missing & (1u << c))
				continue;
			if (!first)
				sb_putc(out, '\t');
			first = false;
			switch (c) {
			case HC_ID: copy_value(out, r->id, &tmp, nred); break;
			case HC_CHECKSUM: copy_value(out, r->checksum, &tmp, nred); break;
			case HC_MIGRATION_NAME: copy_value(out, r->migration_name, &tmp, nred); break;
			case HC_LOGS: copy_value(out, r->logs, &tmp, nred); break;
			case HC_STARTED_AT: copy_ts(out, &r->started_at); break;
			case HC_FINISHED_AT: copy_ts(out, &r->finished_at); break;
			case HC_ROLLED_BACK_AT: copy_ts(out, &r->rolled_back_at); break;
			default:
				if (r->steps_null)
					sb_puts(out, "\\N");
				else
					sb_printf(out, "%lld", (long long)r->applied_steps_count);
				break;
			}
		}
		sb_putc(out, '\n');
	}
	sb_puts(out, "\\.\n\n");
	sbuf_release(&tmp);
}

/*
 * A statement that does not parse (a dump cut or edited by hand can let a
 * reader take COPY rows for the rest of a statement), that splits into no
 * statement at all, or that holds a COPY block is not kept: it could carry
 * table data. The schema model ignores such a statement; the placeholder
 * is ignored the same way (one that fails to parse where the statement
 * failed, one that splits into nothing where it did), so the bundle's
 * model stays the dump's.
 */
enum ddl_fate { DDL_KEEP, DDL_OUT_EMPTY, DDL_OUT_ERROR };

/* Only blanks, ';' and comments in sql[from, to): no text the splitter dropped. */
static bool gap_clean(const char *sql, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		if (sql[i] == '-' && i + 1 < to && sql[i + 1] == '-') {
			while (i < to && sql[i] != '\n')
				i++;
		} else if (sql[i] == '/' && i + 1 < to && sql[i + 1] == '*') {
			const char *e = memmem(sql + i + 2, to - i - 2, "*/", 2);

			if (!e)
				return false;
			i = (size_t)(e - sql) + 1;
		} else if (!strchr(" \t\r\n\f;", sql[i]) || !sql[i]) {
			return false;
		}
	}
	return true;
}

/* Every byte of sql is in a statement the parser accepted, or between them. */
static bool covered(const struct sql_script *s, const char *sql, size_t n)
{
	size_t at = 0;

	for (size_t i = 0; i < s->nstmts; i++) {
		if (s->stmts[i].offset < at || !gap_clean(sql, at, s->stmts[i].offset))
			return false;
		at = (size_t)s->stmts[i].offset + s->stmts[i].len;
	}
	return at <= n && gap_clean(sql, at, n);
}

static enum ddl_fate ddl_fate(const char *sql, size_t n)
{
	struct sql_script s;
	struct md_error err;
	enum ddl_fate f;

	sql_script_init(&s, "dump");
	if (sql_script_parse(&s, sql, n, &err) || s.nerrors)
		f = DDL_OUT_ERROR;
	else if (!s.nstmts)
		f = DDL_OUT_EMPTY;
	else if (!covered(&s, sql, n))
		f = DDL_OUT_ERROR;
	else if (memmem(sql, n, "FROM stdin;", 11) || memmem(sql, n, "\n\\.\n", 4) ||
		 (n >= 3 && !memcmp(sql, "\\.\n", 3)))
		f = DDL_OUT_ERROR;
	else
		f = DDL_KEEP;
	sql_script_release(&s);
	return f;
}

size_t bundle_write_dump(struct sbuf *out, const struct history *rows, const struct history *ddl,
			 const char *source)
{
	size_t nred = 0;

	sb_puts(out, "--\n-- migdoctor bundle: the schema statements and _prisma_migrations rows of ");
	sql_comment_text(out, source, strlen(source));
	sb_puts(out, "\n-- (no table data; secrets replaced by [REDACTED:kind])\n--\n\n");
	if (ddl) {
		for (size_t i = 0; i < ddl->nddl; i++) {
			const char *sql = ddl->ddl[i].sql;
			size_t n = strlen(sql), before = out->len;

			switch (ddl_fate(sql, n)) {
			case DDL_OUT_ERROR:
				sb_puts(out, "-- migdoctor: a statement that does not parse was left out (it "
					"may hold data)\nCREATE MIGDOCTOR_LEFT_OUT_A_STATEMENT;\n\n");
				continue;
			case DDL_OUT_EMPTY:
				sb_puts(out, "-- migdoctor: a statement that is no SQL was left out (it may "
					"hold data)\nMIGDOCTOR_LEFT_OUT_A_STATEMENT;\n\n");
				continue;
			default:
				break;
			}

			while (n && (sql[n - 1] == '\n' || sql[n - 1] == ' ' || sql[n - 1] == '\r' ||
				     sql[n - 1] == '\t'))
				n--;
			nred += redact_append(out, sql, n);
			/* a statement that ends in a comment line gets its ';' on a line of its own */
			if (out->len == before || out->buf[out->len - 1] != ';')
				sb_puts(out, "\n;");
			sb_puts(out, "\n\n");
		}
	}
	if (rows && ((rows->flags & HIST_TABLE_SEEN) || rows->nrows) && !(rows->flags & HIST_NO_ROW_DATA))
		write_rows(out, rows, &nred);
	return nred;
}

/* --- sizes.json --- */

void bundle_write_sizes(struct sbuf *out, const struct bundle_sizes *z, const char *source)
{
	sb_puts(out, "{\"source\": ");
	json_str(out, source);
	sb_puts(out, ",\n\"measure\": ");
	json_str(out, z->measure ? z->measure : "unknown: no dump was given");
	sb_puts(out, ",\n\"tables\": [");
	for (size_t i = 0; i < z->n; i++) {
		sb_puts(out, i ? ",\n  {\"table\": " : "\n  {\"table\": ");
		json_str(out, z->v[i].table);
		sb_printf(out, ", \"bytes\": %llu, \"rows\": ", (unsigned long long)z->v[i].bytes);
		if (z->v[i].rows_known)
			sb_printf(out, "%llu", (unsigned long long)z->v[i].rows);
		else
			sb_puts(out, "null");
		sb_printf(out, ", \"compressed\": %s}", z->v[i].compressed ? "true" : "false");
	}
	sb_puts(out, z->n ? "\n]\n}\n" : "]\n}\n");
}
