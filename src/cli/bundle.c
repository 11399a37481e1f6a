/*
 * bundle.c - 'migdoctor bundle': what a diagnosis needs from a customer's
 * exports, in one tar to attach to a ticket. The rows of
 * _prisma_migrations, the schema statements, the sizes of the tables'
 * data, the migration lines of the logs and a manifest; no table data;
 * secrets redacted. 'migdoctor check bundle.tar' reads it back.
 */
#include "migdoctor/common.h"
#include "migdoctor/bundle.h"
#include "migdoctor/history.h"
#include "migdoctor/json.h"
#include "migdoctor/logs.h"
#include "migdoctor/sbuf.h"
#include "migdoctor/sniff.h"
#include "cli.h"

#include <ctype.h>
#include <getopt.h>
#include <dirent.h>
#include <pthread.h>
#include <sys/stat.h>

static const struct cli_opt bundle_opts[] = {
	{ 0, 0, NULL, NULL, "inputs (the same as for check; positional INPUTs are recognised by content):",
	  0, NULL },
	{ 'H', 'H', "history", "FILE", "_prisma_migrations: pg_dump (plain, -Fc, -Fd, -Ft,\n"
	  "compressed), CSV, COPY text or psql output", 0, NULL },
	{ 's', 's', "schema", "FILE", "the schema: pg_dump -s or any dump with DDL", 0, NULL },
	{ 'l', 'l', "log", "FILE", "LiteLLM start-up log (repeat for rotated logs,\noldest first)", 0,
	  NULL },
	{ 0, 0, NULL, NULL, "options:", 0, NULL },
	{ 'o', 'o', "output", "OUT", "the bundle to write (required), atomically; '-' is\n"
	  "standard output", 0, NULL },
	{ 'n', 'n', "schema-name", "S", "schema of _prisma_migrations when the dump has\nseveral", 0,
	  NULL },
	{ 'd', 'd', "database", "D", "database of a pg_dumpall to read", 0, NULL },
	CLI_OPTS_COMMON,
};

const struct cli_cmd cli_cmd_bundle = {
	"bundle",
	"usage: migdoctor bundle [INPUT...] [-H FILE] [-s FILE] [-l FILE]... -o OUT\n"
	"\n"
	"Gather what a diagnosis of Prisma migrations needs into one file to send to\n"
	"support, without the database's data: the _prisma_migrations rows, the schema\n"
	"statements, the size of each table's data, the migration lines of the logs\n"
	"(with a few lines around each) and a manifest naming the files read (name,\n"
	"size, sha256). No table data is kept. Secrets are replaced by [REDACTED:kind]\n"
	"everywhere: API keys (sk-...), passwords in connection URLs, bearer tokens,\n"
	"emails, values of keys named like key/token/secret/password, LiteLLM's\n"
	"master_key and DATABASE_URL. OUT is a tar; 'migdoctor check OUT' reads it as\n"
	"it reads the original files, and gives the same findings.\n",
	bundle_opts, MD_ARRAY_LEN(bundle_opts),
	"examples:\n"
	"  migdoctor bundle dump.custom startup.log -o bundle.tar\n"
	"  migdoctor bundle -H history.csv -s schema.sql -l startup.log -o bundle.tar\n"
	"  migdoctor check bundle.tar -m migrations/ -o repair.sql   # the engineer's side\n"
	"\n"
	"exit status: 0 written; 2 usage error; 3 unreadable or invalid input;\n"
	"4 internal error\n",
};

/* Log context widths tried in turn until the kept lines give the same events. */
static const uint64_t log_contexts[] = { 5, 40, 400, UINT64_MAX / 4 };

struct b_inputs {
	const char *history, *schema, *dump, *export;
	const char **logs;
	size_t nlogs, logs_cap;
	char **keep;         /* names made for a folder's entries */
	size_t nkeep, keep_cap;
};

struct b_source {
	const char *role, *path, *format;
	uint64_t size;
	char sha256[65];
};

/*
 * The sha256 of every source, in a thread of its own while the readers
 * stream the same files: on two cores a bundle then takes about the time
 * the reading takes, not that plus a second pass.
 */
struct b_hasher {
	const char *paths[2];
	const char **logs;
	size_t nlogs;
	char (*sha)[65];     /* paths, then logs */
	int rc;
	struct md_error err;
	pthread_t th;
	bool started;
};

struct b_state {
	struct b_source *src;
	size_t nsrc, src_cap;
	struct sbuf tar;
	size_t redactions;
	struct b_hasher *hash;
};

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	while (s && !s[1] && s > path) {
		/* a folder given as "dir/": its own name */
		const char *t = s;

		while (t > path && t[-1] != '/')
			t--;
		if (t == s)
			break;
		return t;
	}
	return s ? s + 1 : path;
}

static int assign(struct b_inputs *in, const char *path, enum input_role role)
{
	switch (role) {
	case ROLE_DUMP:
		return cli_set_role("bundle", &in->dump, path, "dumps", "choose with -H and -s");
	case ROLE_HISTORY:
		return cli_set_role("bundle", &in->export, path, "exports of _prisma_migrations",
				    "choose with -H and -s");
	case ROLE_LOG:
		MD_GROW(in->logs, in->nlogs, in->logs_cap);
		in->logs[in->nlogs++] = path;
		return 0;
	case ROLE_MIGRATIONS:
		md_warnf("%s: a migrations folder is not bundled (the engineer gives the version's "
			 "folder to check with -m)", path);
		return 0;
	case ROLE_PACKED:
		return cli_usage_error("bundle", "'%s' is already a migdoctor bundle", path);
	default:
		return 0;
	}
}

/* A folder of inputs: each entry recognised by its content, as check does. */
static int folder(struct b_inputs *in, const char *dir, struct md_error *err)
{
	char **names = NULL;
	size_t n = 0;
	int rc = 0;

	if (cli_folder_entries(dir, &names, &n, err))
		return -1;
	for (size_t i = 0; i < n; i++) {
		enum input_role role;
		struct md_error e;

		MD_GROW(in->keep, in->nkeep, in->keep_cap);
		in->keep[in->nkeep++] = names[i];
		if (rc)
			continue;
		if (input_sniff(names[i], &role, &e)) {
			md_warnf("%s: skipped: %s", dir, e.msg);
			continue;
		}
		if (role != ROLE_BUNDLE)
			rc = assign(in, names[i], role);
	}
	free(names);
	return rc ? MD_EXIT_USAGE : 0;
}

/* --- the sources: name, size, sha256 --- */

static uint64_t folder_size(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	uint64_t total = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char *p = xasprintf("%s/%s", path, de->d_name);
		struct stat st;

		if (!stat(p, &st) && S_ISREG(st.st_mode))
			total += (uint64_t)st.st_size;
		free(p);
	}
	closedir(d);
	return total;
}

static const char *hasher_path(const struct b_hasher *h, size_t i)
{
	return i < 2 ? h->paths[i] : h->logs[i - 2];
}

static void *hasher_main(void *arg)
{
	struct b_hasher *h = arg;

	for (size_t i = 0; i < 2 + h->nlogs && !h->rc; i++) {
		const char *p = hasher_path(h, i);
		struct stat st;

		h->sha[i][0] = '\0';
		if (!p || stat(p, &st) || S_ISDIR(st.st_mode))
			continue; /* a -Fd folder has no one sha256; a missing file fails in the reader */
		h->rc = md_sha256_file(p, h->sha[i], &h->err);
	}
	return NULL;
}

static void hasher_start(struct b_hasher *h, const char *a, const char *b, const char **logs,
			 size_t nlogs)
{
	memset(h, 0, sizeof(*h));
	h->paths[0] = a;
	h->paths[1] = b && (!a || strcmp(a, b)) ? b : NULL;
	h->logs = logs;
	h->nlogs = nlogs;
	h->sha = xcalloc(2 + nlogs, sizeof(*h->sha));
	/* without a thread (none left), the same work, now */
	h->started = pthread_create(&h->th, NULL, hasher_main, h) == 0;
	if (!h->started)
		hasher_main(h);
}

static int hasher_join(struct b_hasher *h, struct md_error *err)
{
	if (h->started)
		pthread_join(h->th, NULL);
	h->started = false;
	if (h->rc)
		*err = h->err;
	return h->rc;
}

static void hasher_free(struct b_hasher *h)
{
	if (h->started)
		pthread_join(h->th, NULL);
	free(h->sha);
}

static int add_source(struct b_state *b, const char *role, const char *path, const char *format,
		      struct md_error *err)
{
	struct b_source *s;
	struct stat st;

	MD_GROW(b->src, b->nsrc, b->src_cap);
	s = &b->src[b->nsrc++];
	memset(s, 0, sizeof(*s));
	s->role = role;
	s->path = path;
	s->format = format;
	if (stat(path, &st))
		return md_fail(err, "cannot open '%s'", path);
	if (S_ISDIR(st.st_mode)) {
		s->size = folder_size(path);
		return 0;
	}
	s->size = (uint64_t)st.st_size;
	if (hasher_join(b->hash, err))
		return -1;
	for (size_t i = 0; i < 2 + b->hash->nlogs; i++)
		if (hasher_path(b->hash, i) && !strcmp(hasher_path(b->hash, i), path)) {
			memcpy(s->sha256, b->hash->sha[i], sizeof(s->sha256));
			return 0;
		}
	return md_sha256_file(path, s->sha256, err);
}

/* --- logs --- */

struct b_log {
	const char *path;
	char member[100];
	struct sbuf kept;
	struct bundle_range *ranges;
	size_t nranges;
	size_t events;
};

/* Keep the lines of one log that give the same events as the whole log. */
static int keep_log(struct b_state *b, struct b_log *l, unsigned idx, struct md_error *err)
{
	struct log_events all;
	int rc = -1;

	log_events_init(&all);
	if (logs_read(&all, l->path, err))
		goto out;
	l->events = all.n;
	snprintf(l->member, sizeof(l->member), BUNDLE_DIR "logs/%u-", idx);
	{
		const char *base = base_name(l->path);
		size_t k = strlen(l->member);

		for (size_t i = 0; base[i] && k < 80; i++)
			l->member[k++] = (char)(isalnum((unsigned char)base[i]) || strchr("._-", base[i])
						? base[i] : '_');
		l->member[k] = '\0';
	}
	for (size_t c = 0; c < MD_ARRAY_LEN(log_contexts); c++) {
		struct log_events again;
		long nred;
		bool same;

		sbuf_release(&l->kept);
		free(l->ranges);
		l->ranges = NULL;
		nred = logs_keep_lines(&l->kept, &l->ranges, &l->nranges, l->path, &all, 0, all.n,
				       log_contexts[c], err);
		if (nred < 0)
			goto out;
		log_events_init(&again);
		if (logs_read_mem(&again, l->path, l->kept.buf, l->kept.len, err)) {
			log_events_release(&again);
			goto out;
		}
		for (size_t i = 0; i < again.n; i++) {
			struct bundle_log bl = { NULL, NULL, l->ranges, l->nranges };

			for (size_t r = 0; r < bl.nranges; r++)
				if (again.items[i].pos.line >= bl.ranges[r].first &&
				    again.items[i].pos.line - bl.ranges[r].first < bl.ranges[r].count) {
					again.items[i].pos.line = bl.ranges[r].orig +
								  (again.items[i].pos.line - bl.ranges[r].first);
					break;
				}
		}
		same = logs_events_same(&all, 0, all.n, &again, 0, again.n);
		log_events_release(&again);
		if (same || c + 1 == MD_ARRAY_LEN(log_contexts)) {
			if (!same)
				md_warnf("%s: the kept lines do not give back every event of the log "
					 "(a secret inside a migration name?)", l->path);
			b->redactions += (size_t)nred;
			rc = 0;
			break;
		}
	}
out:
	log_events_release(&all);
	return rc;
}

/* --- the manifest --- */

/* "key": after a comma and a new line unless first (the manifest is read by people too) */
static void key(struct sbuf *out, const char *k, bool *first, const char *sep)
{
	if (!*first)
		sb_puts(out, sep);
	*first = false;
	json_str(out, k);
	sb_puts(out, ": ");
}

static void json_u64(struct sbuf *out, const char *k, uint64_t v, bool *first)
{
	key(out, k, first, ", ");
	sb_printf(out, "%llu", (unsigned long long)v);
}

static void json_kstr(struct sbuf *out, const char *k, const char *v, bool *first)
{
	key(out, k, first, ", ");
	json_str(out, v);
}

static void json_kbool(struct sbuf *out, const char *k, bool v, bool *first)
{
	key(out, k, first, ", ");
	sb_puts(out, v ? "true" : "false");
}

struct b_member {
	const char *name, *holds;
	size_t size;
};

static void manifest(struct sbuf *m, const struct b_state *b, const struct history *rows,
		     bool separate, const char *rows_src, const char *rows_sha, const struct history *ddl,
		     const char *ddl_src, const struct b_log *logs, size_t nlogs,
		     const struct b_member *mem, size_t nmem)
{
	bool first = true, f2;

	sb_puts(m, "{\n");
	json_u64(m, "migdoctor_bundle", BUNDLE_FORMAT, &first);
	json_kstr(m, "migdoctor_version", MD_VERSION, &first);
	json_kstr(m, "note", "What 'migdoctor check' needs from these files: no table data; "
		  "secrets replaced by [REDACTED:kind]. Read it with 'migdoctor check THIS.tar'.",
		  &first);
	json_kbool(m, "has_dump", rows || (ddl && ddl->nddl), &first);
	json_kbool(m, "has_schema", ddl && ddl->nddl, &first);
	json_kbool(m, "has_history", rows != NULL, &first);
	json_u64(m, "redactions", b->redactions, &first);
	key(m, "members", &first, ",\n");
	sb_puts(m, "[");
	for (size_t i = 0; i < nmem; i++) {
		f2 = true;
		sb_puts(m, i ? ",\n  {" : "\n  {");
		json_kstr(m, "name", mem[i].name, &f2);
		json_u64(m, "size", mem[i].size, &f2);
		json_kstr(m, "holds", mem[i].holds, &f2);
		sb_puts(m, "}");
	}
	sb_puts(m, "\n]");
	key(m, "sources", &first, ",\n");
	sb_puts(m, "[");
	for (size_t i = 0; i < b->nsrc; i++) {
		f2 = true;
		sb_puts(m, i ? ",\n  {" : "\n  {");
		json_kstr(m, "role", b->src[i].role, &f2);
		json_kstr(m, "name", base_name(b->src[i].path), &f2);
		json_u64(m, "size", b->src[i].size, &f2);
		json_kstr(m, "sha256", b->src[i].sha256[0] ? b->src[i].sha256 : NULL, &f2);
		json_kstr(m, "format", b->src[i].format, &f2);
		sb_puts(m, "}");
	}
	sb_puts(m, "\n]");
	key(m, "history", &first, ",\n");
	if (rows) {
		f2 = true;
		sb_puts(m, "{");
		json_kstr(m, "source", base_name(rows_src), &f2);
		json_kstr(m, "sha256", rows_sha && *rows_sha ? rows_sha : NULL, &f2);
		json_kstr(m, "format", rows->format, &f2);
		json_u64(m, "rows", rows->nrows, &f2);
		json_kstr(m, "schema", rows->schema_name, &f2);
		json_kstr(m, "dump_time", rows->dump_time, &f2);
		json_kstr(m, "database", rows->database, &f2);
		json_kbool(m, "by_position", rows->flags & HIST_BY_POSITION, &f2);
		json_kbool(m, "separate", separate, &f2);
		key(m, "null_ambiguous", &f2, ", ");
		sb_puts(m, "[");
		{
			bool any = false;

			for (size_t i = 0; i < rows->nrows; i++) {
				if (!rows->rows[i].ambiguous)
					continue;
				sb_printf(m, "%s[%zu, %u]", any ? ", " : "", i, rows->rows[i].ambiguous);
				any = true;
			}
		}
		sb_puts(m, "]}");
	} else {
		sb_puts(m, "null");
	}
	key(m, "schema", &first, ",\n");
	if (ddl && ddl->nddl) {
		f2 = true;
		sb_puts(m, "{");
		json_kstr(m, "source", base_name(ddl_src), &f2);
		json_u64(m, "statements", ddl->nddl, &f2);
		sb_puts(m, "}");
	} else {
		sb_puts(m, "null");
	}
	key(m, "logs", &first, ",\n");
	sb_puts(m, "[");
	for (size_t i = 0; i < nlogs; i++) {
		f2 = true;
		sb_puts(m, i ? ",\n  {" : "\n  {");
		json_kstr(m, "source", base_name(logs[i].path), &f2);
		json_kstr(m, "member", logs[i].member, &f2);
		json_u64(m, "events", logs[i].events, &f2);
		key(m, "lines", &f2, ", ");
		sb_puts(m, "[");
		for (size_t r = 0; r < logs[i].nranges; r++)
			sb_printf(m, "%s[%llu, %llu, %llu]", r ? ", " : "",
				  (unsigned long long)logs[i].ranges[r].first,
				  (unsigned long long)logs[i].ranges[r].orig,
				  (unsigned long long)logs[i].ranges[r].count);
		sb_puts(m, "]}");
	}
	sb_puts(m, "\n]\n}\n");
}

/* --- the command --- */

static bool has_rows(const struct history *h)
{
	return (h->flags & HIST_TABLE_SEEN) && !(h->flags & HIST_NO_ROW_DATA);
}

static int make(struct b_inputs *in, const struct history_opts *hopts, const char *output,
		struct md_error *err)
{
	struct history sh, hh;
	const struct history *rows = NULL, *ddl = NULL;
	const char *rows_src = NULL, *ddl_src = NULL;
	struct b_state b;
	struct b_log *logs = xcalloc(in->nlogs + 1, sizeof(*logs));
	struct sbuf dump = SBUF_INIT, sizes = SBUF_INIT, man = SBUF_INIT;
	struct b_member mem[3 + 64];
	struct bundle_sizes z;
	struct b_hasher hasher;
	const char *sizes_src = in->schema ? in->schema : in->history;
	size_t nmem = 0;
	int rc = -1;

	memset(&b, 0, sizeof(b));
	bundle_sizes_init(&z);
	b.hash = &hasher;
	hasher_start(&hasher, in->schema, in->history, in->logs, in->nlogs);
	history_init(&sh);
	history_init(&hh);
	if (in->schema) {
		struct history_opts so = *hopts;

		so.allow_no_rows = true;
		so.tap = bundle_sizes_tap;
		so.tap_ctx = &z;
		if (history_read(&sh, in->schema, &so, err))
			goto out;
		if (!sh.nddl) {
			md_fail(err, "%s holds no schema statements (CREATE TABLE ...); expected pg_dump -s "
				"output or a dump with DDL", in->schema);
			goto out;
		}
		ddl = &sh;
		ddl_src = in->schema;
		if (add_source(&b, in->history && cli_same_input(in->history, in->schema) ? "dump" : "schema",
			       in->schema, sh.format, err))
			goto out;
	}
	if (in->history && ddl && cli_same_input(in->history, in->schema)) {
		rows = &sh;
		rows_src = in->schema;
	} else if (in->history && ddl && in->history == in->export && has_rows(&sh)) {
		md_warnf("%s: not read: the rows of %s are used (a dump tells NULL from '', a CSV "
			 "cannot)", in->export, in->schema);
		rows = &sh;
		rows_src = in->schema;
	} else if (in->history) {
		struct history_opts ho = *hopts;

		if (!in->schema) {
			ho.tap = bundle_sizes_tap;
			ho.tap_ctx = &z;
		}
		if (history_read(&hh, in->history, &ho, err))
			goto out;
		if (hh.flags & HIST_NO_ROW_DATA) {
			md_fail(err, "%s holds the _prisma_migrations table but no rows (%s); expected a "
				"dump with data, a CSV or psql output (give a schema-only dump with -s)",
				in->history, hh.format ? hh.format : "no data");
			goto out;
		}
		rows = &hh;
		rows_src = in->history;
		if (add_source(&b, "history", in->history, hh.format, err))
			goto out;
		if (!ddl && hh.nddl) {
			ddl = &hh;
			ddl_src = in->history;
			b.src[b.nsrc - 1].role = "dump";
		}
	} else if (ddl && (has_rows(&sh) || !(sh.flags & HIST_TABLE_SEEN))) {
		rows = &sh;
		rows_src = in->schema;
		b.src[b.nsrc - 1].role = "dump";
	}
	for (size_t i = 0; i < in->nlogs; i++) {
		logs[i].path = in->logs[i];
		if (keep_log(&b, &logs[i], (unsigned)i + 1, err) ||
		    add_source(&b, "log", in->logs[i], NULL, err))
			goto out;
	}
	if (rows || (ddl && ddl->nddl)) {
		b.redactions += bundle_write_dump(&dump, rows, ddl, base_name(rows_src ? rows_src : ddl_src));
		mem[nmem++] = (struct b_member){ BUNDLE_DUMP, "the schema statements and the "
						 "_prisma_migrations rows, as a plain pg_dump", dump.len };
	}
	if (sizes_src && bundle_sizes_archive(&z, sizes_src, err))
		goto out;
	bundle_write_sizes(&sizes, &z, sizes_src ? base_name(sizes_src) : NULL);
	mem[nmem++] = (struct b_member){ BUNDLE_SIZES, "bytes and rows of each table's data in the dump",
					 sizes.len };
	for (size_t i = 0; i < in->nlogs && nmem < MD_ARRAY_LEN(mem); i++)
		mem[nmem++] = (struct b_member){ logs[i].member, "the migration lines of a log, with "
						 "context", logs[i].kept.len };
	{
		const char *rows_sha = NULL;

		for (size_t i = 0; i < b.nsrc; i++)
			if (rows_src && b.src[i].path == rows_src)
				rows_sha = b.src[i].sha256;
		/* rows read on their own: check reads them as a history too (the dump's time names the backup) */
		manifest(&man, &b, rows, rows == &hh, rows_src, rows_sha, ddl, ddl_src, logs, in->nlogs, mem,
			 nmem);
	}
	bundle_tar_add(&b.tar, BUNDLE_MANIFEST, man.buf, man.len);
	if (dump.len)
		bundle_tar_add(&b.tar, BUNDLE_DUMP, dump.buf, dump.len);
	bundle_tar_add(&b.tar, BUNDLE_SIZES, sizes.buf, sizes.len);
	for (size_t i = 0; i < in->nlogs; i++)
		bundle_tar_add(&b.tar, logs[i].member, logs[i].kept.buf, logs[i].kept.len);
	bundle_tar_end(&b.tar);
	rc = cli_output_write(output, b.tar.buf, b.tar.len);
	if (rc == 0 && !cli_output_is_stdout(output))
		md_notef("bundle written to %s: %zu bytes, %zu source%s, %zu redaction%s", output, b.tar.len,
			 b.nsrc, b.nsrc == 1 ? "" : "s", b.redactions, b.redactions == 1 ? "" : "s");
	if (rc)
		rc = rc > 0 ? -rc : -MD_EXIT_INTERNAL;
out:
	for (size_t i = 0; i < in->nlogs; i++) {
		sbuf_release(&logs[i].kept);
		free(logs[i].ranges);
	}
	free(logs);
	free(b.src);
	sbuf_release(&b.tar);
	sbuf_release(&dump);
	sbuf_release(&sizes);
	sbuf_release(&man);
	history_release(&sh);
	history_release(&hh);
	bundle_sizes_release(&z);
	hasher_free(&hasher);
	return rc;
}

static int run(int argc, char **argv)
{
	struct cli_parser p;
	struct b_inputs in = { 0 };
	struct history_opts hopts = { 0 };
	const char *output = NULL;
	struct md_error err;
	int c, rc = 0;

	hopts.want_ddl = true;
	hopts.allow_no_rows = true;
	cli_parser_init(&p, &cli_cmd_bundle, argc, argv);
	while ((c = cli_next(&p)) != CLI_END) {
		switch (c) {
		case 'H':
			if (cli_set_role("bundle", &in.history, p.arg, "histories", "choose with -H and -s"))
				return MD_EXIT_USAGE;
			break;
		case 's':
			if (cli_set_role("bundle", &in.schema, p.arg, "schemas", "choose with -H and -s"))
				return MD_EXIT_USAGE;
			break;
		case 'l':
			MD_GROW(in.logs, in.nlogs, in.logs_cap);
			in.logs[in.nlogs++] = p.arg;
			break;
		case 'o': output = p.arg; break;
		case 'n': hopts.schema_name = p.arg; break;
		case 'd': hopts.database = p.arg; break;
		case CLI_EXIT:
			return p.rc;
		default:
			md_bug(__FILE__, __LINE__, "option %d not handled", c);
		}
	}
	if (!output)
		return cli_usage_error("bundle", "expected -o OUT, the bundle to write");
	if ((rc = cli_output_check("bundle", output)))
		return rc;
	md_error_clear(&err);
	for (int i = optind; i < argc && !rc; i++) {
		enum input_role role;

		if (input_sniff(argv[i], &role, &err)) {
			md_errorf("%s", err.msg);
			rc = MD_EXIT_INPUT;
		} else if (role == ROLE_BUNDLE) {
			rc = folder(&in, argv[i], &err);
			if (rc < 0) {
				md_errorf("%s", err.msg);
				rc = MD_EXIT_INPUT;
			}
		} else {
			rc = assign(&in, argv[i], role);
		}
	}
	/* the roles, as check gives them: an export is the history, a dump the schema (and rows) */
	if (!rc && in.export)
		rc = cli_set_role("bundle", &in.history, in.export, "histories", "choose with -H and -s");
	if (!rc && in.dump) {
		if (!in.schema || cli_same_input(in.schema, in.dump))
			in.schema = in.dump;
		else
			rc = cli_set_role("bundle", &in.history, in.dump, "histories",
					  "choose with -H and -s");
	}
	if (!rc && !in.history && !in.schema && !in.nlogs)
		rc = cli_usage_error("bundle", "expected inputs: a dump, an export, a log, or a folder "
				     "of them");
	if (!rc) {
		rc = make(&in, &hopts, output, &err);
		if (rc == -1) {
			md_errorf("%s", err.msg);
			rc = err.code ? (int)err.code : MD_EXIT_INPUT;
		} else if (rc < 0) {
			rc = -rc;
		}
	}
	for (size_t i = 0; i < in.nkeep; i++)
		free(in.keep[i]);
	free(in.keep);
	free(in.logs);
	return rc;
}

int cmd_bundle(int argc, char **argv)
{
	return cli_finish_stdout(run(argc, argv));
}
