/*
 * bundle_manifest.c - recognise a bundle by its first tar header, read
 * its manifest (JSON, jansson) and its members.
 *
 * The manifest is input like any other: every field is checked for its
 * type, a missing optional field is NULL, and a wrong one is an input
 * error naming the bundle.
 */
#include "migdoctor/common.h"
#include "migdoctor/archive.h"
#include "migdoctor/bundle.h"
#include "migdoctor/stream.h"

#include <jansson.h>

bool bundle_sniff(const unsigned char *head, size_t n)
{
	static const char name[] = BUNDLE_MANIFEST;

	return n >= 512 && archive_sniff(head, n) == ARCHIVE_TAR &&
	       !memcmp(head, name, sizeof(name)); /* the name, NUL-terminated */
}

void bundle_manifest_init(struct bundle_manifest *m)
{
	memset(m, 0, sizeof(*m));
	arena_init(&m->arena);
}

void bundle_manifest_release(struct bundle_manifest *m)
{
	arena_release(&m->arena);
	memset(m, 0, sizeof(*m));
}

int bundle_member_read(const char *path, const char *member, size_t limit, char **data, size_t *len,
		       struct md_error *err)
{
	struct md_stream *s, *ms;
	struct md_tar t;
	int got;

	*data = NULL;
	*len = 0;
	if (md_stream_open_auto(&s, path, err))
		return -1;
	md_tar_init(&t, s);
	while ((got = md_tar_next(&t, err)) > 0) {
		char *buf;

		if (strcmp(t.name, member))
			continue;
		if (t.size > limit) {
			md_tar_release(&t);
			return md_fail(err, "%s: member %s holds %llu bytes; a bundle's members are at "
				       "most %zu", path, member, (unsigned long long)t.size, limit);
		}
		buf = xmalloc((size_t)t.size + 1);
		ms = md_tar_member(&t);
		if (md_stream_read_full(ms, buf, (size_t)t.size, member, err)) {
			md_stream_close(ms);
			md_tar_release(&t);
			free(buf);
			return -1;
		}
		md_stream_close(ms);
		md_tar_release(&t);
		buf[t.size] = '\0';
		*data = buf;
		*len = (size_t)t.size;
		return 0;
	}
	md_tar_release(&t);
	if (got < 0)
		return -1;
	return md_fail(err, "%s: no member %s; expected a bundle written by 'migdoctor bundle'", path,
		       member);
}

/* --- the manifest --- */

struct mf {
	struct bundle_manifest *m;
	const char *path;
	struct md_error *err;
	bool bad;
};

static const char *str_or_null(struct mf *c, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		if (!c->bad)
			md_fail(c->err, "%s: manifest: \"%s\" is not a string", c->path, key);
		c->bad = true;
		return NULL;
	}
	return arena_strdup(&c->m->arena, json_string_value(v));
}

static uint64_t num(struct mf *c, json_t *v, const char *what)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		if (!c->bad)
			md_fail(c->err, "%s: manifest: %s is not a count", c->path, what);
		c->bad = true;
		return 0;
	}
	return (uint64_t)json_integer_value(v);
}

static json_t *array(struct mf *c, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_array(v)) {
		if (!c->bad)
			md_fail(c->err, "%s: manifest: \"%s\" is not an array", c->path, key);
		c->bad = true;
		return NULL;
	}
	return v;
}

static void read_sources(struct mf *c, json_t *root)
{
	json_t *a = array(c, root, "sources"), *v;
	size_t i;

	if (!a)
		return;
	c->m->sources = arena_zalloc(&c->m->arena, (json_array_size(a) + 1) * sizeof(*c->m->sources));
	json_array_foreach(a, i, v) {
		struct bundle_source *s = &c->m->sources[c->m->nsources++];
		json_t *size = json_object_get(v, "size");

		s->role = str_or_null(c, v, "role");
		s->name = str_or_null(c, v, "name");
		s->sha256 = str_or_null(c, v, "sha256");
		s->format = str_or_null(c, v, "format");
		s->size = size ? num(c, size, "a source's size") : 0;
		if (!s->name || !s->role) {
			if (!c->bad)
				md_fail(c->err, "%s: manifest: a source without a name or role", c->path);
			c->bad = true;
		}
		if (!s->sha256)
			s->sha256 = "";
	}
}

static void read_history(struct mf *c, json_t *root)
{
	json_t *h = json_object_get(root, "history"), *a, *v;
	size_t i;

	if (!h || !json_is_object(h))
		return;
	c->m->hist_source = str_or_null(c, h, "source");
	c->m->hist_sha256 = str_or_null(c, h, "sha256");
	c->m->hist_format = str_or_null(c, h, "format");
	c->m->dump_time = str_or_null(c, h, "dump_time");
	c->m->database = str_or_null(c, h, "database");
	c->m->hist_schema = str_or_null(c, h, "schema");
	c->m->by_position = json_is_true(json_object_get(h, "by_position"));
	c->m->hist_separate = json_is_true(json_object_get(h, "separate"));
	if (!(a = array(c, h, "null_ambiguous")))
		return;
	c->m->ambiguous = arena_zalloc(&c->m->arena, (2 * json_array_size(a) + 1) * sizeof(uint64_t));
	json_array_foreach(a, i, v) {
		if (!json_is_array(v) || json_array_size(v) != 2) {
			if (!c->bad)
				md_fail(c->err, "%s: manifest: null_ambiguous holds [row, mask] pairs", c->path);
			c->bad = true;
			return;
		}
		c->m->ambiguous[2 * i] = num(c, json_array_get(v, 0), "a row index");
		c->m->ambiguous[2 * i + 1] = num(c, json_array_get(v, 1), "a column mask");
		c->m->nambiguous++;
	}
}

static void read_logs(struct mf *c, json_t *root)
{
	json_t *a = array(c, root, "logs"), *v;
	size_t i;

	if (!a)
		return;
	c->m->logs = arena_zalloc(&c->m->arena, (json_array_size(a) + 1) * sizeof(*c->m->logs));
	json_array_foreach(a, i, v) {
		struct bundle_log *l = &c->m->logs[c->m->nlogs++];
		json_t *r = array(c, v, "lines"), *x;
		size_t k;

		l->member = str_or_null(c, v, "member");
		l->source = str_or_null(c, v, "source");
		if (!l->member || !l->source) {
			if (!c->bad)
				md_fail(c->err, "%s: manifest: a log without a member or source", c->path);
			c->bad = true;
			return;
		}
		if (!r)
			continue;
		l->ranges = arena_zalloc(&c->m->arena, (json_array_size(r) + 1) * sizeof(*l->ranges));
		json_array_foreach(r, k, x) {
			if (!json_is_array(x) || json_array_size(x) != 3) {
				if (!c->bad)
					md_fail(c->err, "%s: manifest: a log's lines are [first, original, "
						"count] triples", c->path);
				c->bad = true;
				return;
			}
			l->ranges[k].first = num(c, json_array_get(x, 0), "a line number");
			l->ranges[k].orig = num(c, json_array_get(x, 1), "a line number");
			l->ranges[k].count = num(c, json_array_get(x, 2), "a line count");
			l->nranges++;
		}
	}
}

int bundle_manifest_read(struct bundle_manifest *m, const char *path, struct md_error *err)
{
	char *data;
	size_t len;
	json_error_t je;
	json_t *root, *fmt;
	struct mf c = { m, path, err, false };

	if (bundle_member_read(path, BUNDLE_MANIFEST, BUNDLE_MAX_MANIFEST, &data, &len, err))
		return -1;
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	free(data);
	if (!root || !json_is_object(root)) {
		if (root)
			json_decref(root);
		return md_fail(err, "%s: %s:%d: not a bundle manifest (%s); expected the JSON object "
			       "'migdoctor bundle' writes", path, BUNDLE_MANIFEST, je.line,
			       root ? "not an object" : je.text);
	}
	fmt = json_object_get(root, "migdoctor_bundle");
	if (!json_is_integer(fmt) || json_integer_value(fmt) != BUNDLE_FORMAT) {
		json_decref(root);
		return md_fail(err, "%s: bundle format %s; this migdoctor reads format %d (update "
			       "migdoctor)", path, json_is_integer(fmt) ? "newer" : "unknown",
			       BUNDLE_FORMAT);
	}
	m->version = str_or_null(&c, root, "migdoctor_version");
	m->has_dump = json_is_true(json_object_get(root, "has_dump"));
	m->has_ddl = json_is_true(json_object_get(root, "has_schema"));
	m->has_rows = json_is_true(json_object_get(root, "has_history"));
	read_sources(&c, root);
	read_history(&c, root);
	read_logs(&c, root);
	json_decref(root);
	return c.bad ? -1 : 0;
}

/* --- sizes.json --- */

static bool count_or_null(const json_t *v)
{
	return !v || json_is_null(v) || (json_is_integer(v) && json_integer_value(v) >= 0);
}

int bundle_sizes_read(struct bundle_sizes *z, const char *path, struct md_error *err)
{
	char *data;
	size_t len, i;
	json_error_t je;
	json_t *root, *a, *v;

	if (bundle_member_read(path, BUNDLE_SIZES, BUNDLE_MAX_MANIFEST, &data, &len, err))
		return -1;
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	free(data);
	a = root && json_is_object(root) ? json_object_get(root, "tables") : NULL;
	if (!json_is_array(a)) {
		md_fail(err, "%s: %s:%d: expected the object 'migdoctor bundle' writes, with a "
			"\"tables\" array%s%s", path, BUNDLE_SIZES, root ? 1 : je.line,
			root ? "" : ": ", root ? "" : je.text);
		json_decref(root);
		return -1;
	}
	json_array_foreach(a, i, v) {
		json_t *t = json_object_get(v, "table"), *b = json_object_get(v, "bytes");
		json_t *r = json_object_get(v, "rows");
		struct bundle_table_size *e;

		if (!json_is_string(t) || !json_is_integer(b) || json_integer_value(b) < 0 ||
		    !count_or_null(r)) {
			md_fail(err, "%s: %s: table %zu: expected \"table\" (a name), \"bytes\" "
				"and \"rows\" (counts, rows may be null)", path, BUNDLE_SIZES,
				i + 1);
			json_decref(root);
			bundle_sizes_release(z);
			return -1;
		}
		MD_GROW(z->v, z->n, z->cap);
		e = &z->v[z->n++];
		memset(e, 0, sizeof(*e));
		e->table = xstrdup(json_string_value(t));
		e->bytes = (uint64_t)json_integer_value(b);
		e->rows_known = json_is_integer(r);
		e->rows = e->rows_known ? (uint64_t)json_integer_value(r) : 0;
		e->compressed = json_is_true(json_object_get(v, "compressed"));
	}
	json_decref(root);
	z->measure = "read from the bundle's sizes.json (measured when the bundle was made)";
	return 0;
}
