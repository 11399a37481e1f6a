/*
 * parse.c - split a script into statements with libpg_query's scanner and
 * parse each one on its own, so one syntax error is reported at its
 * file:line:column and does not hide the statements around it.
 */
#include "migdoctor/common.h"
#include "internal.h"

#include <ctype.h>

void sql_script_init(struct sql_script *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	arena_init(&s->arena);
	s->name = name;
}

void sql_script_release(struct sql_script *s)
{
	free(s->stmts);
	free(s->effects);
	arena_release(&s->arena);
	memset(s, 0, sizeof(*s));
}

void sql_line_col(const char *text, size_t off, uint32_t *line, uint32_t *column)
{
	uint32_t l = 1, c = 1;

	for (size_t i = 0; i < off && text[i]; i++) {
		if (text[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*column = c;
}

/* Byte offset of the first token: whitespace and comments are not the statement. */
static size_t skip_blank(const char *t, size_t i, size_t end)
{
	while (i < end) {
		if (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r' || t[i] == '\f' ||
		    t[i] == '\v') {
			i++;
		} else if (t[i] == '-' && i + 1 < end && t[i + 1] == '-') {
			while (i < end && t[i] != '\n')
				i++;
		} else if (t[i] == '/' && i + 1 < end && t[i + 1] == '*') {
			int depth = 1; /* PostgreSQL block comments nest */

			i += 2;
			while (i < end && depth) {
				if (t[i] == '/' && i + 1 < end && t[i + 1] == '*') {
					depth++;
					i += 2;
				} else if (t[i] == '*' && i + 1 < end && t[i + 1] == '/') {
					depth--;
					i += 2;
				} else {
					i++;
				}
			}
		} else {
			break;
		}
	}
	return i;
}

/* libpg_query's cursorpos counts characters from 1; return a byte offset. */
static size_t char_to_byte(const char *s, size_t len, int cursorpos)
{
	size_t i = 0;
	int chars = 1;

	while (i < len && chars < cursorpos) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		chars++;
	}
	return i;
}

/*
 * The SQLSTATE of an error of PostgreSQL's raw parser: gram.y and scan.l
 * raise syntax_error but for a few (checked on PostgreSQL 15).
 */
static const char *raw_sqlstate(const PgQueryError *e)
{
	if (strstr(e->message, "not yet implemented") || strstr(e->message, "not supported"))
		return "0A000"; /* CREATE ASSERTION, UNIQUE predicate, WITH CHECK OPTION on recursive views */
	if (e->funcname && !strcmp(e->funcname, "core_yylex") &&
	    !strcmp(e->message, "invalid Unicode escape"))
		return "22025"; /* E'\u00': invalid_escape_sequence */
	return "42601";
}

/*
 * The parser's message as the server words it. libpg_query 15-4 is older
 * than the PostgreSQL 15 releases in use, whose scanner takes the whole
 * identifier after a number as the junk ("1CREATE", not "1C", which can
 * also cut a UTF-8 character in two). off is the error's byte offset in
 * text.
 */
static const char *pg_message(struct arena *a, const PgQueryError *e, const char *text, size_t len,
			      size_t off)
{
	static const char junk[] = "trailing junk after numeric literal at or near \"";
	size_t near, end;

	if (strncmp(e->message, junk, sizeof(junk) - 1) || e->cursorpos <= 0)
		return arena_strdup(a, e->message);
	near = strlen(e->message) - (sizeof(junk) - 1) - 1; /* the quoted bytes */
	end = off + near;
	if (end > len || memcmp(text + off, e->message + sizeof(junk) - 1, near))
		return arena_strdup(a, e->message);
	while (end < len && (isalnum((unsigned char)text[end]) || text[end] == '_' || text[end] == '$' ||
			     (unsigned char)text[end] >= 0x80))
		end++;
	return arena_printf(a, "%s%.*s\"", junk, (int)(end - off), text + off);
}

PgQuery__ParseResult *sql_tree(const char *text, uint32_t line, struct md_error *err)
{
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(text);
	PgQuery__ParseResult *pr = NULL;

	if (r.error)
		md_fail(err, "line %u: statement does not parse: %s", line, r.error->message);
	else if (!(pr = pg_query__parse_result__unpack(NULL, r.parse_tree.len,
						       (const uint8_t *)r.parse_tree.data)))
		md_fail(err, "line %u: libpg_query's parse tree could not be decoded", line);
	pg_query_free_protobuf_parse_result(r);
	return pr;
}

/*
 * Parse one statement: the script's bytes from its first token to end,
 * its ';' included when it has one. PostgreSQL parses the whole script, so
 * "ALTER TABLE a ADD COLUMN;" fails at or near ";", not at the end of
 * input. Returns whether the parser refused it.
 */
static bool parse_one(struct sql_script *s, struct sql_stmt *st, uint32_t idx, const char *script,
		      size_t end)
{
	size_t qlen = end - st->offset;
	char *q = xstrndup(script + st->offset, qlen);
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(q);
	PgQuery__ParseResult *pr;

	st->first_effect = s->neffects;
	if (r.error) {
		size_t off = r.error->cursorpos > 0 ? char_to_byte(q, qlen, r.error->cursorpos) : 0;

		st->parse_error = true;
		st->error = sql_error_brief(&s->arena, pg_message(&s->arena, r.error, q, qlen, off));
		sql_line_col(script, st->offset + off, &st->error_line, &st->error_column);
		s->nerrors++;
		pg_query_free_protobuf_parse_result(r);
		free(q);
		return true;
	}
	free(q);
	pr = pg_query__parse_result__unpack(NULL, r.parse_tree.len, (const uint8_t *)r.parse_tree.data);
	pg_query_free_protobuf_parse_result(r);
	if (!pr) {
		st->parse_error = true;
		st->error = "libpg_query returned a parse tree that could not be decoded";
		st->error_line = st->line;
		st->error_column = st->column;
		s->nerrors++;
		return false;
	}
	for (size_t i = 0; i < pr->n_stmts; i++) {
		struct fx_ctx cx = { s, idx, st->line, 0, 0 };
		const char *tag = "OTHER";

		if (!pr->stmts[i]->stmt)
			continue;
		st->kind = sql_fx_stmt(&cx, pr->stmts[i]->stmt, &tag);
		st->tag = tag;
	}
	pg_query__parse_result__free_unpacked(pr, NULL);
	st->neffects = s->neffects - st->first_effect;
	if (st->data)
		s->ndata++;
	return false;
}

/*
 * A statement of text[start, end), blanks and comments before it left out
 * unless exact; NULL if none.
 */
static struct sql_stmt *add_stmt_at(struct sql_script *s, const char *text, size_t start, size_t end,
				    bool exact)
{
	size_t first = exact ? start : skip_blank(text, start, end);
	struct sql_stmt *st;

	while (end > first && strchr(" \t\r\n\f\v", text[end - 1]))
		end--;
	if (first >= end)
		return NULL;
	MD_GROW(s->stmts, s->nstmts, s->stmts_cap);
	st = &s->stmts[s->nstmts++];
	memset(st, 0, sizeof(*st));
	st->offset = (uint32_t)first;
	st->len = (uint32_t)(end - first);
	st->text = arena_strndup(&s->arena, text + first, end - first);
	st->tag = "OTHER";
	sql_line_col(text, first, &st->line, &st->column);
	return st;
}

static struct sql_stmt *add_stmt(struct sql_script *s, const char *text, size_t start, size_t end)
{
	return add_stmt_at(s, text, start, end, false);
}

/* Only blanks, comments and ';' in text[i, end): nothing the split left out. */
static bool only_blank(const char *t, size_t i, size_t end)
{
	for (;;) {
		i = skip_blank(t, i, end);
		if (i < end && t[i] == ';')
			i++;
		else
			return i >= end;
	}
}

/*
 * The statements of text split at the ';' tokens outside parentheses, as
 * psql splits. For when the scanner split failed or left text out. Where
 * the text stops scanning (an unterminated quote or comment), the last
 * statement runs from the last ';' before it to the end.
 */
static void split_tokens(struct sql_script *s, const char *text, size_t len)
{
	PgQueryScanResult r = pg_query_scan(text);
	PgQuery__ScanResult *sr = NULL;
	size_t start = 0, upto = len;
	struct sql_stmt *st;

	s->nstmts = s->neffects = s->nerrors = s->ndata = 0;
	if (r.error) {
		char *prefix;

		upto = r.error->cursorpos > 0 ? char_to_byte(text, len, r.error->cursorpos) : 0;
		pg_query_free_scan_result(r);
		prefix = xstrndup(text, upto);
		r = pg_query_scan(prefix);
		free(prefix);
	}
	if (!r.error)
		sr = pg_query__scan_result__unpack(NULL, r.pbuf.len, (const uint8_t *)r.pbuf.data);
	for (size_t i = 0, depth = 0; sr && i < sr->n_tokens; i++) {
		const PgQuery__ScanToken *tk = sr->tokens[i];

		if (tk->token == PG_QUERY__TOKEN__ASCII_40) {
			depth++;
		} else if (tk->token == PG_QUERY__TOKEN__ASCII_41) {
			if (depth)
				depth--;
		} else if (tk->token == PG_QUERY__TOKEN__ASCII_59 && !depth) {
			st = add_stmt(s, text, start, (size_t)tk->start);
			if (st)
				parse_one(s, st, (uint32_t)(s->nstmts - 1), text, (size_t)tk->start + 1);
			start = (size_t)tk->start + 1;
		}
	}
	if (sr)
		pg_query__scan_result__free_unpacked(sr, NULL);
	pg_query_free_scan_result(r);
	/* an unterminated comment is not blank: the statement starts where scanning stopped */
	if (skip_blank(text, start, upto) < upto)
		st = add_stmt(s, text, start, len);
	else
		st = add_stmt_at(s, text, upto, len, true);
	if (st)
		parse_one(s, st, (uint32_t)(s->nstmts - 1), text, len);
}

/*
 * PostgreSQL's answer to the whole script as one query. Called when a
 * statement does not parse or the split went wrong; the whole parse is the
 * authority, as it is what the server does (a split can be wrong where the
 * grammar is not).
 */
static void parse_whole(struct sql_script *s, const char *text, size_t len, bool split_ok)
{
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(text);
	size_t off = len, at = 0;
	struct sql_stmt *st;

	if (!r.error) {
		pg_query_free_protobuf_parse_result(r);
		if (!split_ok)
			split_tokens(s, text, len);
		return;
	}
	s->rejected = true;
	s->reject_sqlstate = raw_sqlstate(r.error);
	if (r.error->cursorpos > 0) {
		off = char_to_byte(text, len, r.error->cursorpos);
		sql_line_col(text, off, &s->reject_line, &s->reject_column);
	}
	s->reject_message = pg_message(&s->arena, r.error, text, len, off);
	pg_query_free_protobuf_parse_result(r);
	if (!split_ok)
		split_tokens(s, text, len);
	if (!s->nstmts && !add_stmt(s, text, 0, len))
		add_stmt_at(s, text, 0, len, true); /* an unterminated comment from the start */
	if (!s->nstmts) {
		s->rejected = false; /* only blanks: cannot be */
		return;
	}
	if (s->reject_line) {
		/* the statement that holds off: the last that starts at or before it */
		while (at + 1 < s->nstmts && s->stmts[at + 1].offset <= off)
			at++;
	} else {
		/* no position (CREATE ASSERTION ...): the first statement that does not parse */
		while (at + 1 < s->nstmts && !s->stmts[at].parse_error)
			at++;
		if (!s->stmts[at].parse_error)
			at = 0;
	}
	s->reject_stmt = at;
	st = &s->stmts[at];
	if (!st->parse_error)
		s->nerrors++;
	st->parse_error = true;
	st->error = sql_error_brief(&s->arena, s->reject_message);
	st->error_line = s->reject_line ? s->reject_line : st->line;
	st->error_column = s->reject_line ? s->reject_column : st->column;
}

const char *sql_error_brief(struct arena *a, const char *msg)
{
	size_t n = strcspn(msg, "\r\n"), k;

	if (!msg[n] && n <= 200)
		return msg;
	k = n < 200 ? n : 200;
	while (k && ((unsigned char)msg[k] & 0xC0) == 0x80)
		k--; /* not inside a UTF-8 sequence */
	return arena_printf(a, "%.*s...%s", (int)k, msg, msg[strlen(msg) - 1] == '"' ? "\"" : "");
}

int sql_script_parse(struct sql_script *s, const char *text, size_t len, struct md_error *err)
{
	PgQuerySplitResult sr;
	const char *nul = memchr(text, '\0', len);
	bool split_ok, refused = false;
	size_t covered = 0;

	if (nul) {
		uint32_t l, c;

		sql_line_col(text, (size_t)(nul - text), &l, &c);
		if (len >= 2 && ((unsigned char)text[0] == 0xFF && (unsigned char)text[1] == 0xFE))
			return md_fail(err, "%s: file is UTF-16 text; expected UTF-8 SQL "
				       "(re-save it as UTF-8)", s->name);
		return md_fail(err, "%s:%u:%u: NUL byte in the file; expected SQL text", s->name, l, c);
	}
	if (len > SQL_MAX_SCRIPT)
		return md_fail(err, "%s: script is larger than %u MiB; expected a migration",
			       s->name, SQL_MAX_SCRIPT >> 20);

	sr = pg_query_split_with_scanner(text);
	split_ok = !sr.error;
	for (int i = 0; split_ok && i < sr.n_stmts; i++) {
		size_t start = (size_t)sr.stmts[i]->stmt_location;
		size_t end = start + (size_t)sr.stmts[i]->stmt_len;
		struct sql_stmt *st;

		if (end > len)
			end = len;
		/* the split drops what it cannot place (unbalanced parentheses) */
		split_ok = start >= covered && only_blank(text, covered, start);
		covered = end;
		st = split_ok ? add_stmt(s, text, start, end) : NULL;
		if (st)
			refused |= parse_one(s, st, (uint32_t)(s->nstmts - 1), text,
					     end < len && text[end] == ';' ? end + 1 : end);
	}
	split_ok = split_ok && only_blank(text, covered, len);
	pg_query_free_split_result(sr);
	if (refused || !split_ok)
		parse_whole(s, text, len, split_ok);
	return 0;
}

/* Used by DO blocks: parse a nested statement and add its effects. */
void sql_fx_text(struct fx_ctx *cx, const char *sql)
{
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(sql);
	PgQuery__ParseResult *pr;

	if (r.error) {
		/* not read: what it does to rows is not known either */
		pg_query_free_protobuf_parse_result(r);
		sql_fx_data(cx, "a statement that does not parse");
		return;
	}
	pr = pg_query__parse_result__unpack(NULL, r.parse_tree.len, (const uint8_t *)r.parse_tree.data);
	pg_query_free_protobuf_parse_result(r);
	if (!pr) {
		sql_fx_data(cx, "a statement that could not be decoded");
		return;
	}
	for (size_t i = 0; i < pr->n_stmts; i++) {
		const char *tag;

		if (pr->stmts[i]->stmt)
			sql_fx_stmt(cx, pr->stmts[i]->stmt, &tag);
	}
	pg_query__parse_result__free_unpacked(pr, NULL);
}

const char *sql_action_name(enum sql_action a)
{
	static const char *const names[] = { "requires", "provides", "removes", "alters", "renames",
					     "data" };

	return (size_t)a < MD_ARRAY_LEN(names) ? names[a] : "?";
}

const char *sql_obj_name(enum sql_obj o)
{
	static const char *const names[] = { "schema", "table", "column", "constraint", "index",
					     "type", "enum value", "extension", "view", "function",
					     "trigger", "sequence" };

	return (size_t)o < MD_ARRAY_LEN(names) ? names[o] : "?";
}

const char *sql_prop_name(enum sql_prop p)
{
	static const char *const names[] = { "", "type", "set not null", "drop not null",
					     "set default", "drop default", "other" };

	return (size_t)p < MD_ARRAY_LEN(names) ? names[p] : "?";
}
