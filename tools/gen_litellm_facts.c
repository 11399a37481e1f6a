/*
 * gen_litellm_facts.c - write src/analysis/litellm_facts.c from a LiteLLM
 * migrations directory: for each migration its name, the sha256 of its
 * file, and the objects it makes as migdoctor's own effects derive them,
 * each with the later migration that drops, renames or makes it again (if
 * any). Facts
 * only: no SQL text of LiteLLM is written.
 *
 *   build/gen_litellm_facts DIR > src/analysis/litellm_facts.c
 */
#include "migdoctor/common.h"
#include "migdoctor/analysis.h"
#include "migdoctor/catalog.h"
#include "migdoctor/migrations.h"
#include "analysis/analysis_int.h"

static const char *kind_enum(enum sql_obj k)
{
	switch (k) {
	case SQL_OBJ_TABLE: return "SQL_OBJ_TABLE";
	case SQL_OBJ_COLUMN: return "SQL_OBJ_COLUMN";
	case SQL_OBJ_CONSTRAINT: return "SQL_OBJ_CONSTRAINT";
	case SQL_OBJ_INDEX: return "SQL_OBJ_INDEX";
	case SQL_OBJ_TYPE: return "SQL_OBJ_TYPE";
	case SQL_OBJ_ENUM_VALUE: return "SQL_OBJ_ENUM_VALUE";
	case SQL_OBJ_EXTENSION: return "SQL_OBJ_EXTENSION";
	case SQL_OBJ_VIEW: return "SQL_OBJ_VIEW";
	case SQL_OBJ_SEQUENCE: return "SQL_OBJ_SEQUENCE";
	case SQL_OBJ_SCHEMA: return "SQL_OBJ_SCHEMA";
	default: return NULL;
	}
}

/* A C string literal of s: names are printable ASCII in practice; anything else is escaped. */
static void fcstr(FILE *f, const char *s)
{
	if (!s) {
		fputs("NULL", f);
		return;
	}
	putc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(f, "\\%03o", *p);
		else
			putc(*p, f);
	}
	putc('"', f);
}

static void cstr(const char *s)
{
	fcstr(stdout, s);
}

/* The migration that made this index or constraint last, when it is not `self`. */
static const char *remade_by(const struct catalog *c, const struct obj_ref *o, const char *self)
{
	const struct cat_table *t;
	const struct cat_index *x;

	if (o->kind == SQL_OBJ_INDEX) {
		x = catalog_index(c, o->schema, o->name);
		return x && x->origin && strcmp(x->origin, self) ? x->origin : NULL;
	}
	if (o->kind != SQL_OBJ_CONSTRAINT)
		return NULL;
	t = catalog_table(c, o->schema, o->table);
	for (size_t i = 0; t && i < t->ncons; i++)
		if (!strcmp(t->cons[i].name, o->name))
			return t->cons[i].origin && strcmp(t->cons[i].origin, self) ? t->cons[i].origin : NULL;
	return NULL;
}

/*
 * What a rename in a DO block's IF makes, when a replay of the directory up
 * to the migration takes the branch (an upgrade through every release):
 * the analysis verifies these for applied rows (state.c), so the facts hold
 * them too. Appended to the migration's objects.
 */
static void conditional_renames(struct analysis *a, size_t i)
{
	struct mig_state *ms = &a->v[i];
	struct catalog c;
	struct replay_error re;

	catalog_init(&c, NULL);
	for (size_t j = 0; j <= i; j++)
		for (size_t e = 0; a->v[j].m && e < a->v[j].m->script.neffects; e++)
			catalog_apply(&c, &a->v[j].m->script.effects[e], a->v[j].name, &re);
	for (size_t k = 0; ms->m && k < ms->m->script.neffects; k++) {
		const struct sql_effect *e = &ms->m->script.effects[k];
		struct obj_ref o = { 0 };

		if (e->action != SQL_RENAMES || !(e->flags & SQL_CONDITIONAL) || (e->flags & SQL_DYNAMIC) ||
		    !e->new_name || (e->obj != SQL_OBJ_COLUMN && e->obj != SQL_OBJ_TABLE))
			continue;
		o.kind = e->obj;
		o.schema = e->schema;
		o.table = e->obj == SQL_OBJ_COLUMN ? e->table : NULL;
		o.name = e->new_name;
		o.e = e;
		if (!object_exists(&c, &o))
			continue;
		MD_GROW(ms->objs, ms->nobjs, ms->objs_cap);
		ms->objs[ms->nobjs++] = o;
	}
	catalog_release(&c);
}

static const char *prop_enum(enum sql_prop p)
{
	switch (p) {
	case SQL_PROP_TYPE: return "SQL_PROP_TYPE";
	case SQL_PROP_SET_DEFAULT: return "SQL_PROP_SET_DEFAULT";
	case SQL_PROP_DROP_DEFAULT: return "SQL_PROP_DROP_DEFAULT";
	case SQL_PROP_SET_NOT_NULL: return "SQL_PROP_SET_NOT_NULL";
	case SQL_PROP_DROP_NOT_NULL: return "SQL_PROP_DROP_NOT_NULL";
	default: return "SQL_PROP_NONE";
	}
}

static bool same_s(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool is_nullability(enum sql_prop p)
{
	return p == SQL_PROP_SET_NOT_NULL || p == SQL_PROP_DROP_NOT_NULL;
}

/* Does a later effect of the script change the same property of the column? */
static bool prop_later(const struct sql_script *s, size_t k)
{
	const struct sql_effect *e = &s->effects[k];

	for (size_t j = k + 1; j < s->neffects; j++) {
		const struct sql_effect *x = &s->effects[j];

		if (x->action != SQL_ALTERS || x->obj != SQL_OBJ_COLUMN || !same_s(x->table, e->table) ||
		    !same_s(x->sub, e->sub))
			continue;
		if (e->prop == SQL_PROP_TYPE ? x->prop == SQL_PROP_TYPE :
		    is_nullability(e->prop) ? is_nullability(x->prop) :
		    x->prop == SQL_PROP_SET_DEFAULT || x->prop == SQL_PROP_DROP_DEFAULT)
			return true;
	}
	return false;
}

/*
 * The column properties a migration's ALTER COLUMN leaves: NOT NULL or its
 * lack, and the type and default it set last as a replay of the whole
 * directory leaves them (final). The analysis verifies these for applied
 * rows (state.c), so the facts hold them too; a later migration that
 * changes one again is its undone_by. Appended to the migration's objects;
 * the values live in final's arena.
 */
static void column_props(struct analysis *a, size_t i, const struct catalog *final)
{
	struct mig_state *ms = &a->v[i];
	const struct sql_script *s = ms->m ? &ms->m->script : NULL;

	for (size_t k = 0; s && k < s->neffects; k++) {
		const struct sql_effect *e = &s->effects[k];
		bool type = e->prop == SQL_PROP_TYPE;
		const struct cat_column *col;
		struct obj_ref o = { 0 };

		if (e->action != SQL_ALTERS || e->obj != SQL_OBJ_COLUMN ||
		    (e->flags & (SQL_CONDITIONAL | SQL_DYNAMIC | SQL_IMPLIED)) ||
		    (!type && e->prop != SQL_PROP_SET_DEFAULT && e->prop != SQL_PROP_DROP_DEFAULT &&
		     !is_nullability(e->prop)) || prop_later(s, k))
			continue;
		o.kind = SQL_OBJ_COLUMN;
		o.schema = e->schema;
		o.table = e->table;
		o.name = e->sub;
		o.e = e;
		if (is_nullability(e->prop)) {
			o.prop = e->prop;
			MD_GROW(ms->objs, ms->nobjs, ms->objs_cap);
			ms->objs[ms->nobjs++] = o;
			continue;
		}
		col = cat_table_column(catalog_table(final, e->schema, e->table), e->sub);
		if (!col || !same_s(type ? col->type_origin : col->default_origin, ms->name))
			continue;
		if (type) {
			o.prop = SQL_PROP_TYPE;
			o.value = col->type;
		} else {
			o.prop = col->has_default ? SQL_PROP_SET_DEFAULT : SQL_PROP_DROP_DEFAULT;
			o.value = col->has_default ? col->default_sql : NULL;
		}
		MD_GROW(ms->objs, ms->nobjs, ms->objs_cap);
		ms->objs[ms->nobjs++] = o;
	}
}

/*
 * One object's line; its property goes on a line of its own where the
 * whole would pass 100 columns (the project's limit, a tab being 8).
 */
static void entry(const struct obj_ref *o, const char *undone)
{
	char *head = NULL, *tail = NULL;
	size_t nhead = 0, ntail = 0;
	FILE *f = open_memstream(&head, &nhead);

	if (!f)
		abort();
	fprintf(f, "{ %s, ", kind_enum(o->kind));
	fcstr(f, o->schema);
	fputs(", ", f);
	fcstr(f, o->table);
	fputs(", ", f);
	fcstr(f, o->name);
	fputs(", ", f);
	fcstr(f, undone);
	fputc(',', f);
	fclose(f);
	f = open_memstream(&tail, &ntail);
	if (!f)
		abort();
	fprintf(f, "%s, ", prop_enum(o->prop));
	fcstr(f, o->value);
	fputs(" },", f);
	fclose(f);
	if (8 + nhead + 1 + ntail > 100)
		printf("\t%s\n\t  %s\n", head, tail);
	else
		printf("\t%s %s\n", head, tail);
	free(head);
	free(tail);
}

int main(int argc, char **argv)
{
	struct migration_dir dir;
	struct analysis_input in = { 0 };
	struct analysis a;
	struct md_error err;
	struct catalog final;
	struct replay_error fre;

	if (argc != 2) {
		fprintf(stderr, "usage: %s MIGRATIONS_DIR\n", argv[0]);
		return 2;
	}
	migration_dir_init(&dir);
	if (migration_dir_load(&dir, argv[1], &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return 3;
	}
	in.dir = &dir;
	analysis_run(&a, &in);
	catalog_init(&final, NULL);
	for (size_t j = 0; j < a.n; j++)
		for (size_t e = 0; a.v[j].m && e < a.v[j].m->script.neffects; e++)
			catalog_apply(&final, &a.v[j].m->script.effects[e], a.v[j].name, &fre);
	printf("/*\n * litellm_facts.c - GENERATED by tools/gen_litellm_facts.c from LiteLLM's\n"
	       " * migrations directory (%zu migrations): names, the sha256 of each file and\n"
	       " * the objects each migration makes, as migdoctor's effects derive them (and\n"
	       " * the column types and defaults its ALTERs set last), with the later\n"
	       " * migration that drops or renames each. Facts only, no SQL.\n"
	       " * Regenerate with 'make litellm-facts'; tests/golden/litellm_facts.sh checks it.\n */\n",
	       dir.n);
	puts("#include \"migdoctor/common.h\"\n#include \"litellm_facts.h\"\n");
	for (size_t i = 0; i < a.n; i++) {
		struct mig_state *ms = &a.v[i];

		conditional_renames(&a, i);
		column_props(&a, i, &final);
		printf("static const struct litellm_obj objs_%zu[] = {\n", i);
		for (size_t k = 0; k < ms->nobjs; k++) {
			const struct obj_ref *o = &ms->objs[k];
			const char *undone = NULL;
			struct catalog c;
			struct replay_error re;

			if (!kind_enum(o->kind))
				continue;
			/* the first later migration after which the object is gone */
			catalog_init(&c, NULL);
			for (size_t j = 0; j < a.n && !undone; j++) {
				const struct migration *m = a.v[j].m;

				for (size_t e = 0; m && e < m->script.neffects; e++)
					catalog_apply(&c, &m->script.effects[e], m->name, &re);
				if (j > i && !object_exists(&c, o))
					undone = a.v[j].name;
			}
			/* dropped and made again later: the migration that made it last owns it */
			if (!undone) {
				/* a stable copy of the name: the catalog's goes with it */
				const char *by = remade_by(&c, o, ms->name);

				for (size_t j = 0; by && j < a.n && !undone; j++)
					if (!strcmp(a.v[j].name, by))
						undone = a.v[j].name;
			}
			catalog_release(&c);
			entry(o, undone);
		}
		puts("\t{ 0, NULL, NULL, NULL, NULL, SQL_PROP_NONE, NULL },\n};\n");
	}
	puts("const struct litellm_fact litellm_facts[] = {");
	for (size_t i = 0; i < a.n; i++) {
		const struct mig_state *ms = &a.v[i];
		size_t n = 0;

		for (size_t k = 0; k < ms->nobjs; k++)
			n += kind_enum(ms->objs[k].kind) != NULL;
		putchar('\t');
		putchar('{');
		putchar(' ');
		cstr(ms->name);
		fputs(", ", stdout);
		cstr(ms->m->checksum);
		printf(", objs_%zu, %zu, %s },\n", i, n, ms->m->script.ndata ? "true" : "false");
	}
	puts("};\n");
	printf("const size_t litellm_nfacts = %zu;\n", a.n);
	analysis_release(&a);
	catalog_release(&final);
	migration_dir_release(&dir);
	return 0;
}
