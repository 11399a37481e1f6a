/*
 * parse.c - split a script into statements with libpg_query's scanner and
 * parse each one on its own, so one syntax error is reported at its
 * file:line:column and does not hide the statements around it.
 */
#include "migdoctor/common.h"
#include "internal.h"

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

static void parse_one(struct sql_script *s, struct sql_stmt *st, uint32_t idx, const char *script)
{
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(st->text);
	PgQuery__ParseResult *pr;

	st->first_effect = s->neffects;
	if (r.error) {
		size_t off = r.error->cursorpos > 0 ? char_to_byte(st->text, st->len, r.error->cursorpos) : 0;

		st->parse_error = true;
		st->error = arena_strdup(&s->arena, r.error->message);
		sql_line_col(script, st->offset + off, &st->error_line, &st->error_column);
		s->nerrors++;
		pg_query_free_protobuf_parse_result(r);
		return;
	}
	pr = pg_query__parse_result__unpack(NULL, r.parse_tree.len, (const uint8_t *)r.parse_tree.data);
	pg_query_free_protobuf_parse_result(r);
	if (!pr) {
		st->parse_error = true;
		st->error = "libpg_query returned a parse tree that could not be decoded";
		st->error_line = st->line;
		st->error_column = st->column;
		s->nerrors++;
		return;
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
}

int sql_script_parse(struct sql_script *s, const char *text, size_t len, struct md_error *err)
{
	PgQuerySplitResult sr;
	const char *nul = memchr(text, '\0', len);

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
	if (sr.error) {
		size_t off = sr.error->cursorpos > 0 ? char_to_byte(text, len, sr.error->cursorpos) : 0;

		s->lex_error = true;
		s->lex_message = arena_strdup(&s->arena, sr.error->message);
		sql_line_col(text, off, &s->lex_line, &s->lex_column);
		md_fail(err, "%s:%u:%u: %s; expected SQL that PostgreSQL can tokenize", s->name,
			s->lex_line, s->lex_column, sr.error->message);
		pg_query_free_split_result(sr);
		return -1;
	}
	for (int i = 0; i < sr.n_stmts; i++) {
		size_t start = (size_t)sr.stmts[i]->stmt_location;
		size_t end = start + (size_t)sr.stmts[i]->stmt_len;
		size_t first;
		struct sql_stmt *st;

		if (end > len)
			end = len;
		first = skip_blank(text, start, end);
		if (first >= end)
			continue;
		MD_GROW(s->stmts, s->nstmts, s->stmts_cap);
		st = &s->stmts[s->nstmts];
		memset(st, 0, sizeof(*st));
		st->offset = (uint32_t)first;
		st->len = (uint32_t)(end - first);
		st->text = arena_strndup(&s->arena, text + first, end - first);
		st->tag = "OTHER";
		sql_line_col(text, first, &st->line, &st->column);
		s->nstmts++;
		parse_one(s, st, (uint32_t)(s->nstmts - 1), text);
	}
	pg_query_free_split_result(sr);
	return 0;
}

/* Used by DO blocks: parse a nested statement and add its effects. */
void sql_fx_text(struct fx_ctx *cx, const char *sql)
{
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(sql);
	PgQuery__ParseResult *pr;

	if (r.error) {
		pg_query_free_protobuf_parse_result(r);
		return;
	}
	pr = pg_query__parse_result__unpack(NULL, r.parse_tree.len, (const uint8_t *)r.parse_tree.data);
	pg_query_free_protobuf_parse_result(r);
	if (!pr)
		return;
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
