/*
 * json.c - rows as JSON objects: json_agg output (one array of objects)
 * and row_to_json output (one object per line), as psql -A -t prints them.
 *
 * The input is streamed: a small scanner finds where each top-level
 * object ends (strings and nesting followed, nothing decoded), and only
 * that object is handed to jansson. JSON keeps NULL (null) apart from ''
 * (""). Keys are the column names; an unknown key is an error naming it
 * (this is not a _prisma_migrations row); a column no object has is not
 * exported, one that only some objects lack is NULL there
 * (json_strip_nulls drops null keys).
 */
#include "migdoctor/common.h"
#include "hist_internal.h"

#include <inttypes.h>
#include <jansson.h>

struct jscan {
	struct md_stream *s;
	char buf[65536];
	size_t pos, len;
	bool eof;
	uint64_t line;    /* of the next byte */
	uint64_t offset;  /* of the next byte */
};

/* The next byte, or -1 at the end (-2 on a read error). */
static int js_byte(struct jscan *j, struct md_error *err)
{
	int c;

	if (j->pos == j->len) {
		ssize_t r;

		if (j->eof)
			return -1;
		r = md_stream_read(j->s, j->buf, sizeof(j->buf), err);
		if (r < 0)
			return -2;
		if (r == 0) {
			j->eof = true;
			return -1;
		}
		j->pos = 0;
		j->len = (size_t)r;
	}
	c = (unsigned char)j->buf[j->pos++];
	j->offset++;
	if (c == '\n')
		j->line++;
	return c;
}

/* One object, from its '{' (already read) to its matching '}', into obj. */
static int js_object(struct jscan *j, struct sbuf *obj, const struct md_pos *pos,
		     struct md_error *err)
{
	int depth = 1;
	bool in_str = false, esc = false;

	sbuf_reset(obj);
	if (sbuf_addch(obj, '{') < 0)
		goto too_long;
	while (depth > 0) {
		int c = js_byte(j, err);

		if (c == -2)
			return -1;
		if (c == -1)
			return md_fail_at(err, pos, "the input ends inside this JSON object; the "
					  "paste looks truncated");
		if (sbuf_addch(obj, (char)c) < 0)
			goto too_long;
		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return 0;
too_long:
	return md_fail_at(err, pos, "JSON object longer than %zu MiB (HIST_MAX_LINE); expected a "
			  "_prisma_migrations row", HIST_MAX_LINE >> 20);
}

static int js_row(struct history *h, const char *text, size_t len, const struct md_pos *pos,
		  unsigned *seen, struct md_error *err)
{
	json_error_t je;
	json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
	struct hist_field f[HC_NCOLS];
	char num[32];
	const char *key;
	json_t *v;
	unsigned present = 0;
	int rc = -1;

	if (!o)
		return md_fail_at(err, pos, "not valid JSON (%s, at byte %d of the object); expected "
				  "a row object", je.text, je.position);
	for (int k = 0; k < HC_NCOLS; k++)
		f[k] = (struct hist_field){ "", 0, true, false };
	json_object_foreach(o, key, v) {
		int col = hist_col_lookup(key, strlen(key));

		if (col < 0) {
			md_fail_at(err, pos, "unknown key '%.80s' in a row object; expected the columns "
				   "of _prisma_migrations (id, checksum, finished_at, migration_name, "
				   "logs, rolled_back_at, started_at, applied_steps_count)", key);
			goto out;
		}
		present |= 1u << col;
		if (json_is_null(v))
			continue;
		if (json_is_string(v)) {
			f[col] = (struct hist_field){ json_string_value(v), json_string_length(v),
						      false, false };
		} else if (json_is_integer(v) && col == HC_APPLIED_STEPS_COUNT) {
			snprintf(num, sizeof(num), "%" PRId64, (int64_t)json_integer_value(v));
			f[col] = (struct hist_field){ num, strlen(num), false, false };
		} else {
			md_fail_at(err, pos, "key '%s' holds a JSON %s; expected a %s or null", key,
				   json_is_integer(v) || json_is_real(v) ? "number" :
				   json_is_boolean(v) ? "boolean" : json_is_array(v) ? "array" :
				   "object", col == HC_APPLIED_STEPS_COUNT ? "whole number" : "string");
			goto out;
		}
	}
	if (!(present & (1u << HC_MIGRATION_NAME))) {
		md_fail_at(err, pos, "a row object without 'migration_name'; expected the columns "
			   "of _prisma_migrations");
		goto out;
	}
	*seen |= present;
	rc = hist_add_row(h, f, pos, err);
out:
	json_decref(o);
	return rc;
}

int hist_read_json(struct history *h, struct md_stream *s, const struct history_opts *opts,
		   struct md_error *err)
{
	struct jscan *j = xcalloc(1, sizeof(*j));
	struct sbuf obj = SBUF_INIT;
	unsigned seen = 0;
	bool array = false, closed = false, any = false;
	int rc = -1;

	(void)opts;
	j->s = s;
	j->line = 1;
	j->offset = s->offset;
	sbuf_init(&obj, HIST_MAX_LINE);
	for (;;) {
		struct md_pos pos = { s->name, j->line, 0, j->offset };
		int c = js_byte(j, err);

		if (c == -2)
			goto out;
		if (c == -1)
			break;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == '[' && !array && !any) {
			array = true;
			continue;
		}
		if (c == ',' && array && any)
			continue;
		if (c == ']' && array && !closed) {
			closed = true;
			continue;
		}
		if (c == '{' && !closed) {
			if (js_object(j, &obj, &pos, err) < 0 || js_row(h, obj.buf, obj.len, &pos, &seen,
								       err) < 0)
				goto out;
			any = true;
			continue;
		}
		md_fail_at(err, &pos, "unexpected '%c' %s; expected an array of row objects "
			   "(json_agg) or one object per line (row_to_json)", c >= 0x20 && c < 0x7f ? c : '?',
			   closed ? "after the closing ']'" : "between JSON objects");
		goto out;
	}
	if (array && !closed) {
		md_fail(err, "%s: the JSON array is never closed (no ']'); the paste looks truncated",
			s->name);
		goto out;
	}
	h->missing |= ((1u << HC_NCOLS) - 1) & ~seen;
	h->flags |= HIST_TABLE_SEEN;
	h->format = array ? "JSON array (json_agg)" : "JSON objects (row_to_json)";
	rc = 0;
out:
	sbuf_release(&obj);
	free(j);
	return rc;
}
