/*
 * history.c - 'migdoctor history FILE': the _prisma_migrations rows found
 * in an export, normalised (timestamps in UTC, NULL distinct from '').
 */
#include "migdoctor/common.h"
#include "migdoctor/catalog.h"
#include "migdoctor/history.h"
#include "migdoctor/json.h"
#include "migdoctor/sbuf.h"
#include "cli.h"

static const struct cli_opt history_opts[] = {
	{ 'f', 'f', "format", "FORMAT", "text (default), csv or json", 0, NULL },
	{ 'n', 'n', "schema-name", "S", "read the _prisma_migrations of schema S (default:\n"
	  "the only one, else public)", 0, NULL },
	{ 'd', 'd', "database", "D", "pg_dumpall: read database D (required when several\n"
	  "databases hold the table)", 0, NULL },
	{ 'S', 'S', "print-schema", NULL, "show instead the schema the dump's DDL describes:\n"
	  "tables, columns (type, NOT NULL, default),\nconstraints, indexes, enums, extensions; one "
	  "fact\nper line (text) or JSON; works on pg_dump -s\noutput too", 0, NULL },
	/* --schema names a schema FILE in check and plan */
	{ 'S', 0, "schema", NULL, NULL, 0, "print-schema" },
	CLI_OPTS_COMMON,
};

const struct cli_cmd cli_cmd_history = {
	"history",
	"usage: migdoctor history [OPTIONS] FILE\n"
	"\n"
	"Print the rows of _prisma_migrations found in FILE, normalised: timestamps\n"
	"in UTC, NULL kept distinct from the empty string (logs = '' is what\n"
	"'prisma migrate resolve --applied' writes). The format is recognised from\n"
	"the content, never from the file name:\n"
	"  pg_dump plain SQL (COPY blocks, --inserts, --column-inserts,\n"
	"  --rows-per-insert, --quote-all-identifiers), pg_dumpall, pg_restore -f\n"
	"  output, compressed plain dumps, custom, directory and tar archives (-Fc,\n"
	"  -Fd, -Ft), CSV (COPY ... csv header, \\copy, psql --csv; with force_quote *\n"
	"  NULL and '' are told apart), COPY text (COPY ... TO STDOUT), TAB-separated\n"
	"  exports with a header (psql -A -F TAB, pgAdmin, DBeaver), JSON (json_agg,\n"
	"  row_to_json), Markdown tables, and psql screen output (aligned, expanded,\n"
	"  unaligned, wrapped, tuples-only, html, asciidoc; also indented or fenced\n"
	"  as a Markdown code block). Some formats cannot tell NULL from '': the\n"
	"  output says so. A column the export lacks is 'not exported' (json and\n"
	"  csv leave it out). FILE '-' is standard input, a pg_dump archive too.\n",
	history_opts, MD_ARRAY_LEN(history_opts),
	"output:\n"
	"  text   a table: NULL prints as NULL, the empty string as '', a value the\n"
	"         format cannot tell apart as NULL/''; logs are summarised (first\n"
	"         line); use json or csv for full values\n"
	"  csv    PostgreSQL CSV conventions: NULL is an unquoted empty field, ''\n"
	"         is \"\"; columns in Prisma's order, with a header\n"
	"  json   an object with source, format, database, schema, dump_time,\n"
	"         row_count, null_ambiguous, missing_columns and rows (one object\n"
	"         per row, null vs \"\"; \"ambiguous\": [\"logs\"] where the format\n"
	"         cannot tell); bytes that are not UTF-8 become U+FFFD\n"
	"\n"
	"examples:\n"
	"  migdoctor history dump.sql\n"
	"  migdoctor history --format json prisma_migrations.csv\n"
	"  migdoctor history --database app --schema-name tenant1 all.sql\n"
	"  migdoctor history --print-schema schema.sql\n"
	"\n"
	"exit codes: 0 rows printed, 2 usage error, 3 unreadable input or no\n"
	"_prisma_migrations rows in it, 4 internal error\n",
};

static void ts_str(const struct md_ts *ts, char *buf, size_t n)
{
	md_ts_format(ts, buf, n);
}

static void json_ts(struct sbuf *sb, const struct md_ts *ts)
{
	char buf[MD_TS_BUFSIZE];

	if (ts->kind == MD_TS_NULL) {
		sb_puts(sb, "null");
		return;
	}
	ts_str(ts, buf, sizeof(buf));
	json_str(sb, buf);
}

static void json_cols(struct sbuf *sb, unsigned bits)
{
	bool first = true;

	sb_putc(sb, '[');
	for (int c = 0; c < HC_NCOLS; c++) {
		if (!(bits & (1u << c)))
			continue;
		sb_puts(sb, first ? "" : ", ");
		json_str(sb, hist_col_names[c]);
		first = false;
	}
	sb_putc(sb, ']');
}

static void out_json(struct sbuf *sb, const struct history *h)
{
	sb_puts(sb, "{\n  \"format_version\": 1,\n  \"source\": ");
	json_str(sb, h->source);
	sb_puts(sb, ",\n  \"format\": ");
	json_str(sb, h->format);
	sb_puts(sb, ",\n  \"database\": ");
	json_str(sb, h->database);
	sb_puts(sb, ",\n  \"schema\": ");
	json_str(sb, h->schema_name);
	sb_puts(sb, ",\n  \"dump_time\": ");
	json_str(sb, h->dump_time);
	sb_printf(sb, ",\n  \"row_count\": %zu,\n  \"null_ambiguous\": %s,\n  \"missing_columns\": ",
		  h->nrows, (h->flags & HIST_NULL_AMBIGUOUS) ? "true" : "false");
	json_cols(sb, h->missing);
	sb_puts(sb, ",\n  \"rows\": [");
	for (size_t i = 0; i < h->nrows; i++) {
		const struct history_row *r = &h->rows[i];

		sb_puts(sb, i ? ",\n    " : "\n    ");
		/* a column not exported has no value to print: its key is left out */
		sb_putc(sb, '{');
		for (int c = 0, n = 0; c < HC_NCOLS; c++) {
			if (r->missing & (1u << c))
				continue;
			sb_printf(sb, "%s\"%s\": ", n++ ? ", " : "", hist_col_names[c]);
			switch (c) {
			case HC_ID: json_str(sb, r->id); break;
			case HC_CHECKSUM: json_str(sb, r->checksum); break;
			case HC_FINISHED_AT: json_ts(sb, &r->finished_at); break;
			case HC_MIGRATION_NAME: json_str(sb, r->migration_name); break;
			case HC_LOGS: json_str(sb, r->logs); break;
			case HC_ROLLED_BACK_AT: json_ts(sb, &r->rolled_back_at); break;
			case HC_STARTED_AT: json_ts(sb, &r->started_at); break;
			default:
				if (r->steps_null)
					sb_puts(sb, "null");
				else
					sb_printf(sb, "%lld", (long long)r->applied_steps_count);
				break;
			}
		}
		if (r->ambiguous) {
			sb_puts(sb, ", \"ambiguous\": ");
			json_cols(sb, r->ambiguous);
		}
		sb_putc(sb, '}');
	}
	sb_puts(sb, h->nrows ? "\n  ]\n}\n" : "]\n}\n");
}

static void csv_field(struct sbuf *sb, const char *s)
{
	if (!s)
		return;
	if (!*s || strpbrk(s, ",\"\n\r")) {
		sb_putc(sb, '"');
		for (; *s; s++) {
			if (*s == '"')
				sb_putc(sb, '"');
			sb_putc(sb, *s);
		}
		sb_putc(sb, '"');
		return;
	}
	sb_puts(sb, s);
}

static void csv_ts(struct sbuf *sb, const struct md_ts *ts)
{
	char buf[MD_TS_BUFSIZE];

	if (ts->kind == MD_TS_NULL)
		return;
	ts_str(ts, buf, sizeof(buf));
	sb_puts(sb, buf);
}

static void out_csv(struct sbuf *sb, const struct history *h)
{
	/* a column not exported is left out, so the CSV reads back the same */
	for (int c = 0, n = 0; c < HC_NCOLS; c++)
		if (!(h->missing & (1u << c)))
			sb_printf(sb, "%s%s", n++ ? "," : "", hist_col_names[c]);
	sb_putc(sb, '\n');
	for (size_t i = 0; i < h->nrows; i++) {
		const struct history_row *r = &h->rows[i];

		for (int c = 0, n = 0; c < HC_NCOLS; c++) {
			if (h->missing & (1u << c))
				continue;
			if (n++)
				sb_putc(sb, ',');
			switch (c) {
			case HC_ID: csv_field(sb, r->id); break;
			case HC_CHECKSUM: csv_field(sb, r->checksum); break;
			case HC_FINISHED_AT: csv_ts(sb, &r->finished_at); break;
			case HC_MIGRATION_NAME: csv_field(sb, r->migration_name); break;
			case HC_LOGS: csv_field(sb, r->logs); break;
			case HC_ROLLED_BACK_AT: csv_ts(sb, &r->rolled_back_at); break;
			case HC_STARTED_AT: csv_ts(sb, &r->started_at); break;
			default:
				if (!r->steps_null)
					sb_printf(sb, "%lld", (long long)r->applied_steps_count);
				break;
			}
		}
		sb_putc(sb, '\n');
	}
}

/* Display width of UTF-8 text (continuation bytes take no column). */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void pad(struct sbuf *sb, const char *s, size_t w)
{
	size_t k = width(s);

	sb_puts(sb, s);
	while (k++ < w)
		sb_putc(sb, ' ');
}

#define NOT_EXPORTED "not exported"

/* A cell of a column the input lacks says so (it is not NULL). */
static const char *cell_missing(const struct history_row *r, int col, const char *text)
{
	return (r->missing & (1u << col)) ? NOT_EXPORTED : text;
}

/* A one-line summary of logs: the first line, shortened, and the line count. */
static char *logs_summary(const struct history_row *r)
{
	struct sbuf sb = SBUF_INIT;
	const char *s = r->logs;
	size_t lines = 1, n = 0;

	if (r->missing & (1u << HC_LOGS))
		return xstrdup(NOT_EXPORTED);
	if (r->ambiguous & (1u << HC_LOGS))
		return xstrdup("NULL/''");
	if (!s)
		return xstrdup("NULL");
	if (!*s)
		return xstrdup("''");
	for (const char *p = s; *p; p++)
		lines += *p == '\n';
	for (const char *p = s; *p && *p != '\n' && *p != '\r' && n < 48; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f)
			sb_putc(&sb, ' ');
		else
			sb_putc(&sb, c);
		n += (c & 0xc0) != 0x80;
	}
	/* do not cut a UTF-8 sequence in half */
	while (sb.len && ((unsigned char)sb.buf[sb.len - 1] & 0xc0) == 0xc0)
		sbuf_setlen(&sb, sb.len - 1);
	if (lines > 1 || strlen(s) > sb.len)
		sb_printf(&sb, "... (%zu line%s)", lines, lines > 1 ? "s" : "");
	return sbuf_detach(&sb, NULL);
}

static void out_text(struct sbuf *sb, const struct history *h)
{
	enum { T_NAME, T_STARTED, T_FINISHED, T_ROLLED, T_STEPS, T_LOGS, T_N };
	static const char *const heads[T_N] = { "migration_name", "started_at", "finished_at",
						 "rolled_back_at", "steps", "logs" };
	size_t w[T_N];
	char *cells[T_N];

	sb_printf(sb, "source:   %s\nformat:   %s\n", h->source, h->format ? h->format : "?");
	if (h->database)
		sb_printf(sb, "database: %s\n", h->database);
	if (h->dump_time)
		sb_printf(sb, "dumped:   %s (as the dump says)\n", h->dump_time);
	sb_printf(sb, "schema:   %s\nrows:     %zu\n",
		  h->schema_name ? h->schema_name : "(not recorded in this format)", h->nrows);
	if (h->flags & HIST_NULL_AMBIGUOUS)
		sb_puts(sb, "note:     this format prints NULL and '' alike: values shown as NULL/'' "
			    "may be either\n");
	if (h->flags & HIST_BY_POSITION)
		sb_puts(sb, "note:     no header: columns were taken in Prisma's order\n");
	if (h->missing) {
		sb_puts(sb, "note:     not exported (absent from the input, values unknown):");
		for (int c = 0; c < HC_NCOLS; c++)
			if (h->missing & (1u << c))
				sb_printf(sb, " %s", hist_col_names[c]);
		sb_putc(sb, '\n');
	}
	sb_puts(sb, "times are UTC; NULL is SQL NULL, '' the empty string\n\n");
	for (int c = 0; c < T_N; c++)
		w[c] = strlen(heads[c]);
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			for (int c = 0; c < T_N; c++) {
				if (c == T_N - 1)
					sb_puts(sb, heads[c]);
				else
					pad(sb, heads[c], w[c] + 2);
			}
			sb_putc(sb, '\n');
		}
		for (size_t i = 0; i < h->nrows; i++) {
			const struct history_row *r = &h->rows[i];
			char buf[3][MD_TS_BUFSIZE];

			md_ts_format(&r->started_at, buf[0], sizeof(buf[0]));
			md_ts_format(&r->finished_at, buf[1], sizeof(buf[1]));
			md_ts_format(&r->rolled_back_at, buf[2], sizeof(buf[2]));
			cells[T_NAME] = r->migration_name ? (*r->migration_name
							      ? xstrdup(r->migration_name)
							      : xstrdup("''"))
							  : xstrdup("NULL");
			cells[T_STARTED] = xstrdup(cell_missing(r, HC_STARTED_AT, buf[0]));
			cells[T_FINISHED] = xstrdup(cell_missing(r, HC_FINISHED_AT, buf[1]));
			cells[T_ROLLED] = xstrdup(cell_missing(r, HC_ROLLED_BACK_AT, buf[2]));
			cells[T_STEPS] = (r->missing & (1u << HC_APPLIED_STEPS_COUNT))
					 ? xstrdup(NOT_EXPORTED) : r->steps_null ? xstrdup("NULL")
					 : xasprintf("%lld", (long long)r->applied_steps_count);
			cells[T_LOGS] = logs_summary(r);
			for (int c = 0; c < T_N; c++) {
				if (pass == 0)
					w[c] = MD_MAX(w[c], width(cells[c]));
				else if (c == T_N - 1)
					sb_puts(sb, cells[c]);
				else
					pad(sb, cells[c], w[c] + 2);
				free(cells[c]);
			}
			if (pass == 1)
				sb_putc(sb, '\n');
		}
	}
}

/* --print-schema: what the tool believes the database holds, from the dump's DDL. */
static int show_schema(struct history *h, enum cli_format fmt)
{
	struct catalog cat;
	struct sbuf out = SBUF_INIT;

	if (!h->nddl) {
		md_errorf("%s holds no schema statements (CREATE TABLE ...); expected a pg_dump with "
			  "DDL or pg_dump -s output", h->source);
		history_release(h);
		return MD_EXIT_INPUT;
	}
	if (fmt == CLI_FORMAT_CSV) {
		history_release(h);
		return cli_usage_error("history", "--print-schema prints text or json");
	}
	catalog_init(&cat, h->schema_name);
	catalog_from_dump(&cat, h->ddl, h->nddl, h->source);
	if (cat.nunparsed)
		md_warnf("%s: %zu schema statement%s did not parse and %s left out", h->source,
			 cat.nunparsed, cat.nunparsed == 1 ? "" : "s",
			 cat.nunparsed == 1 ? "is" : "are");
	if (fmt == CLI_FORMAT_JSON) {
		catalog_render_json(&cat, &out);
	} else {
		sb_printf(&out, "-- schema of %s (%s): %zu tables, %zu indexes, %zu other objects\n",
			  h->source, h->format ? h->format : "?", cat.ntables, cat.nindexes, cat.nobjects);
		catalog_render_text(&cat, &out);
	}
	(void)cli_write_stdout(out.buf, out.len);
	sbuf_release(&out);
	catalog_release(&cat);
	history_release(h);
	return MD_EXIT_OK;
}

static int run(int argc, char **argv)
{
	struct cli_parser p;
	struct history_opts opts = { 0 };
	enum cli_format fmt = CLI_FORMAT_TEXT;
	struct md_error err;
	struct history h;
	struct sbuf out = SBUF_INIT;
	bool schema = false;
	int c;

	cli_parser_init(&p, &cli_cmd_history, argc, argv);
	while ((c = cli_next(&p)) != CLI_END) {
		switch (c) {
		case 'f':
			if (cli_parse_format("history", p.arg,
					     (1u << CLI_FORMAT_TEXT) | (1u << CLI_FORMAT_JSON) |
						     (1u << CLI_FORMAT_CSV), &fmt))
				return MD_EXIT_USAGE;
			break;
		case 'n':
			opts.schema_name = p.arg;
			break;
		case 'd':
			opts.database = p.arg;
			break;
		case 'S':
			schema = true;
			opts.want_ddl = true;
			opts.allow_no_rows = true;
			break;
		case CLI_EXIT:
			return p.rc;
		default:
			md_bug(__FILE__, __LINE__, "option %d not handled", c);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("history", optind == argc ? "expected one FILE"
								 : "expected one FILE, got %d",
				       argc - optind);
	md_error_clear(&err);
	history_init(&h);
	if (history_read(&h, argv[optind], &opts, &err) < 0) {
		md_errorf("%s", err.msg);
		history_release(&h);
		return err.code ? (int)err.code : MD_EXIT_INPUT;
	}
	if (schema)
		return show_schema(&h, fmt);
	if (fmt == CLI_FORMAT_JSON)
		out_json(&out, &h);
	else if (fmt == CLI_FORMAT_CSV)
		out_csv(&out, &h);
	else
		out_text(&out, &h);
	if (fmt != CLI_FORMAT_TEXT && (h.flags & HIST_NULL_AMBIGUOUS))
		md_notef("%s: this format prints NULL and '' alike; ambiguous values are given as "
			 "NULL", h.source);
	(void)cli_write_stdout(out.buf, out.len);
	sbuf_release(&out);
	history_release(&h);
	return MD_EXIT_OK;
}

int cmd_history(int argc, char **argv)
{
	return cli_finish_stdout(run(argc, argv));
}
