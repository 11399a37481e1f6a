/*
 * findings.c - building findings: code, evidence, fix actions.
 */
#include "migdoctor/common.h"
#include "migdoctor/quote.h"
#include "migdoctor/sbuf.h"
#include "analysis_int.h"

/* MDnnn -> nnn when it has a slot in a->first_of, else -1 */
static int code_slot(const char *code)
{
	int n = 0;

	if (!code || strncmp(code, "MD", 2) || strlen(code) != 5)
		return -1;
	for (int i = 2; i < 5; i++) {
		if (code[i] < '0' || code[i] > '9')
			return -1;
		n = n * 10 + (code[i] - '0');
	}
	return n < MD_CODE_SLOTS ? n : -1;
}

struct finding *finding_new(struct analysis *a, const char *code, const char *slug,
			    enum severity sev, const char *migration)
{
	struct finding *f;
	int slot = code_slot(code);

	/* findings live in the arena: rules keep pointers while adding others */
	f = arena_zalloc(&a->arena, sizeof(*f));
	MD_GROW(a->findings, a->nfindings, a->findings_cap);
	a->findings[a->nfindings++] = f;
	f->code = code;
	f->slug = slug;
	f->severity = sev;
	f->migration = migration;
	if (slot >= 0 && !a->first_of[slot])
		a->first_of[slot] = f;
	return f;
}

struct finding *finding_group(struct analysis *a, const char *code, const char *slug,
			      enum severity sev, const char *title, const char *fix)
{
	struct finding *f;
	int slot = code_slot(code);

	/* by the index finding_new keeps: a rule may ask once per row of a long history */
	if (slot >= 0 && a->first_of[slot])
		return a->first_of[slot];
	for (size_t i = 0; slot < 0 && i < a->nfindings; i++)
		if (!strcmp(a->findings[i]->code, code))
			return a->findings[i];
	f = finding_new(a, code, slug, sev, NULL);
	f->title = title;
	f->fix = fix;
	return f;
}

/* an unknown code is a bug of the analysis, not of the input */
static const struct finding_def *def_of(const char *code)
{
	const struct finding_def *d = finding_def(code);

	if (!d)
		MD_BUG("finding code %s is not in finding_defs", code ? code : "(null)");
	return d;
}

struct finding *finding_new_code(struct analysis *a, const char *code, const char *migration)
{
	const struct finding_def *d = def_of(code);

	return finding_new(a, d->code, d->slug, d->severity, migration);
}

struct finding *finding_group_code(struct analysis *a, const char *code, const char *title,
				   const char *fix)
{
	const struct finding_def *d = def_of(code);

	return finding_group(a, d->code, d->slug, d->severity, title, fix);
}

/* the format comes from this module's callers, checked by MD_PRINTF on each of them */
MD_PRINTF(2, 0) static char *vfmt(struct analysis *a, const char *fmt, va_list ap)
{
	char *tmp, *r;

	if (vasprintf(&tmp, fmt, ap) < 0)
		md_oom(0);
	r = arena_strdup(&a->arena, tmp);
	free(tmp);
	return r;
}

void finding_title(struct analysis *a, struct finding *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	f->title = vfmt(a, fmt, ap);
	va_end(ap);
}

void finding_fix(struct analysis *a, struct finding *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	f->fix = vfmt(a, fmt, ap);
	va_end(ap);
}

void finding_ev(struct analysis *a, struct finding *f, const char *kind, const struct md_pos *pos,
		const char *fmt, ...)
{
	struct evidence *e;
	va_list ap;

	MD_GROW(f->ev, f->nev, f->ev_cap);
	e = &f->ev[f->nev++];
	e->kind = kind;
	e->source = pos ? pos->file : NULL;
	e->line = pos ? pos->line : 0;
	va_start(ap, fmt);
	e->text = vfmt(a, fmt, ap);
	va_end(ap);
}

void finding_relation(struct analysis *a, struct finding *f, const char *rel)
{
	for (size_t i = 0; i < f->nrelations; i++)
		if (!strcmp(f->relations[i], rel))
			return;
	MD_GROW(f->relations, f->nrelations, f->relations_cap);
	f->relations[f->nrelations++] = arena_strdup(&a->arena, rel);
}

void finding_action(struct finding *f, enum fix_kind kind, const struct mig_state *ms,
		    const struct history_row *row, const char *why)
{
	struct fix_action *x;

	MD_GROW(f->actions, f->nactions, f->actions_cap);
	x = &f->actions[f->nactions++];
	x->kind = kind;
	x->ms = ms;
	x->row = row;
	x->why = why;
	x->premises = NULL;
	x->npremises = 0;
}

void analysis_unconcluded(struct analysis *a, const char *fmt, ...)
{
	va_list ap;

	MD_GROW(a->unconcluded, a->nunconcluded, a->unconcluded_cap);
	va_start(ap, fmt);
	a->unconcluded[a->nunconcluded++] = vfmt(a, fmt, ap);
	va_end(ap);
}

static void q(struct sbuf *sb, const char *s)
{
	if (!s || sql_quote_ident_always(sb, s))
		sb_puts(sb, "\"?\"");
}

const char *obj_text(struct arena *ar, const struct obj_ref *o)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	switch (o->kind) {
	case SQL_OBJ_COLUMN:
		if (o->prop == SQL_PROP_SET_NOT_NULL)
			sb_puts(&sb, "NOT NULL of column ");
		else if (o->prop == SQL_PROP_DROP_NOT_NULL)
			sb_puts(&sb, "nullability (DROP NOT NULL) of column ");
		else if (o->prop == SQL_PROP_TYPE)
			sb_printf(&sb, "type %s of column ", o->value ? o->value : "?");
		else if (o->prop == SQL_PROP_SET_DEFAULT)
			sb_printf(&sb, "default %s of column ",
				  o->value ? o->value : "(expression)");
		else if (o->prop == SQL_PROP_DROP_DEFAULT)
			sb_puts(&sb, "no default (DROP DEFAULT) of column ");
		else
			sb_puts(&sb, "column ");
		q(&sb, o->table);
		sb_putc(&sb, '.');
		q(&sb, o->name);
		break;
	case SQL_OBJ_INDEX:
		sb_puts(&sb, "index ");
		q(&sb, o->name);
		break;
	case SQL_OBJ_CONSTRAINT:
		sb_puts(&sb, "constraint ");
		q(&sb, o->name);
		sb_puts(&sb, " on ");
		q(&sb, o->table);
		break;
	case SQL_OBJ_ENUM_VALUE:
		sb_printf(&sb, "enum value '%s' of ", o->name);
		q(&sb, o->table);
		break;
	default:
		sb_printf(&sb, "%s ", sql_obj_name(o->kind));
		q(&sb, o->name);
	}
	r = arena_strndup(ar, sb.buf, sb.len);
	sbuf_release(&sb);
	return r;
}

void analysis_release(struct analysis *a)
{
	for (size_t i = 0; i < a->nfindings; i++) {
		free(a->findings[i]->relations);
		free(a->findings[i]->ev);
		free(a->findings[i]->actions);
	}
	free(a->findings);
	state_release(a);
	free(a->v);
	free(a->unconcluded);
	arena_release(&a->arena);
	memset(a, 0, sizeof(*a));
}

int analysis_worst(const struct analysis *a)
{
	int w = -1;

	for (size_t i = 0; i < a->nfindings; i++)
		if ((int)a->findings[i]->severity > w)
			w = (int)a->findings[i]->severity;
	return w;
}
