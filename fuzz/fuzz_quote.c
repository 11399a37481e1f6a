/*
 * libFuzzer: the one quoting module. Whatever the bytes, a literal must
 * come out as one SQL expression that PostgreSQL's parser reads back as
 * exactly those bytes (a plain string constant, or convert_from(decode(
 * '<hex>', 'hex'), 'UTF8') whose hex decodes to them), and an identifier
 * as one name equal to the input, and a dollar-quoted text (the deploy
 * script's migrations) as one constant equal to it. A mismatch aborts: a way out of the
 * quotes would show up here first.
 */
#include "migdoctor/common.h"
#include "migdoctor/quote.h"
#include "migdoctor/sbuf.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static PgQuery__ParseResult *parse(const char *sql)
{
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(sql);
	PgQuery__ParseResult *pr = NULL;

	if (!r.error)
		pr = pg_query__parse_result__unpack(NULL, r.parse_tree.len, (const uint8_t *)r.parse_tree.data);
	pg_query_free_protobuf_parse_result(r);
	if (!pr || pr->n_stmts != 1)
		abort(); /* the quoted value must parse as exactly one statement */
	return pr;
}

static const PgQuery__Node *target(PgQuery__ParseResult *pr)
{
	const PgQuery__SelectStmt *ss = pr->stmts[0]->stmt->select_stmt;

	if (pr->stmts[0]->stmt->node_case != PG_QUERY__NODE__NODE_SELECT_STMT || ss->n_target_list != 1)
		abort();
	return ss->target_list[0]->res_target->val;
}

static void check_literal(const char *v, size_t n)
{
	struct sbuf sql = SBUF_INIT;
	PgQuery__ParseResult *pr;
	const PgQuery__Node *t;

	sb_puts(&sql, "SELECT ");
	sql_quote_literal(&sql, v, n);
	pr = parse(sql.buf);
	t = target(pr);
	if (t->node_case == PG_QUERY__NODE__NODE_A_CONST) {
		const char *got = t->a_const->sval->sval;

		if (strlen(got) != n || memcmp(got, v, n))
			abort();
	} else if (t->node_case == PG_QUERY__NODE__NODE_FUNC_CALL) {
		/* convert_from(decode('<hex>', 'hex'), 'UTF8') */
		const PgQuery__FuncCall *fc = t->func_call;
		const PgQuery__Node *dec = fc->args[0];
		const char *hex = dec->func_call->args[0]->a_const->sval->sval;

		if (strlen(hex) != 2 * n)
			abort();
		for (size_t i = 0; i < n; i++)
			if ((char)(md_hexval(hex[2 * i]) * 16 + md_hexval(hex[2 * i + 1])) != v[i])
				abort();
	} else {
		abort();
	}
	pg_query__parse_result__free_unpacked(pr, NULL);
	sbuf_release(&sql);
}

static void check_ident(const char *v)
{
	struct sbuf sql = SBUF_INIT;
	PgQuery__ParseResult *pr;
	const PgQuery__Node *t;

	sb_puts(&sql, "SELECT ");
	if (sql_quote_ident_always(&sql, v)) {
		sbuf_release(&sql);
		return; /* refused: a control character */
	}
	pr = parse(sql.buf);
	t = target(pr);
	if (t->node_case != PG_QUERY__NODE__NODE_COLUMN_REF || t->column_ref->n_fields != 1 ||
	    strcmp(t->column_ref->fields[0]->string->sval, v))
		abort();
	pg_query__parse_result__free_unpacked(pr, NULL);
	sbuf_release(&sql);
}

/* The deploy script's dollar quote: one string constant, exactly the bytes (psql reads it whole). */
static void check_dollar(const char *v, size_t n)
{
	struct sbuf sql = SBUF_INIT;
	PgQuery__ParseResult *pr;
	const PgQuery__Node *t;

	sb_puts(&sql, "SELECT ");
	if (sql_quote_dollar(&sql, v, n, "migdoctor_sql"))
		abort(); /* only a NUL is refused, and v has none */
	pr = parse(sql.buf);
	t = target(pr);
	if (t->node_case != PG_QUERY__NODE__NODE_A_CONST || !t->a_const->sval ||
	    strlen(t->a_const->sval->sval) != n || memcmp(t->a_const->sval->sval, v, n))
		abort();
	pg_query__parse_result__free_unpacked(pr, NULL);
	sbuf_release(&sql);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *v = xstrndup((const char *)data, size);
	size_t n = strlen(v); /* SQL text cannot hold NUL */

	check_literal(v, n);
	check_dollar(v, n);
	/* PostgreSQL truncates identifiers to 63 bytes; test what a name can be */
	if (n > 0 && n <= 63)
		check_ident(v);
	{
		struct sbuf c = SBUF_INIT;

		sql_comment_text(&c, v, n);
		if (memchr(c.buf, '\n', c.len) || memchr(c.buf, '\r', c.len))
			abort(); /* a comment must stay on its line */
		sbuf_release(&c);
	}
	free(v);
	return 0;
}
