/*
 * Unit tests for finding_defs: the table of finding codes, doc/findings.md
 * and the codes the analysis writes must agree. Reads the tree at
 * $MD_ROOT (tests/run.sh sets it; else the current directory).
 */
#include "migdoctor/common.h"
#include "migdoctor/analysis.h"
#include "analysis/analysis_int.h"

#include <dirent.h>
#include <setjmp.h>
#include <cmocka.h>

static char *read_file(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static const char *root(void)
{
	const char *r = getenv("MD_ROOT");

	return r && *r ? r : ".";
}

static bool is_code(const char *p)
{
	return p[0] == 'M' && p[1] == 'D' && p[2] >= '0' && p[2] <= '9' && p[3] >= '0' &&
	       p[3] <= '9' && p[4] >= '0' && p[4] <= '9';
}

static void table_is_sound(void **state)
{
	(void)state;
	assert_true(finding_defs_n > 0);
	for (size_t i = 0; i < finding_defs_n; i++) {
		const struct finding_def *d = &finding_defs[i];

		assert_true(is_code(d->code) && strlen(d->code) == 5);
		assert_true(d->slug[0] && d->summary[0]);
		if (i)
			assert_true(strcmp(finding_defs[i - 1].code, d->code) < 0); /* sorted, unique */
		assert_ptr_equal(finding_def(d->code), d);
	}
	assert_null(finding_def("MD999"));
	assert_null(finding_def(NULL));
}

/* Field k (0-based) of a Markdown table row "| a | b | c |", trimmed, into out. */
static void md_field(const char *line, int k, char *out, size_t cap)
{
	const char *p = line, *end;
	size_t n;

	for (int i = 0; i <= k; i++) {
		p = strchr(p, '|');
		assert_non_null(p);
		p++;
	}
	end = strchr(p, '|');
	assert_non_null(end);
	while (p < end && *p == ' ')
		p++;
	while (end > p && end[-1] == ' ')
		end--;
	n = (size_t)(end - p);
	assert_true(n < cap);
	memcpy(out, p, n);
	out[n] = '\0';
}

/* doc/findings.md lists exactly the codes of the table, with their slug and severity. */
static void doc_agrees(void **state)
{
	char *doc = read_file(root(), "doc/findings.md");
	bool *seen = calloc(finding_defs_n, sizeof(*seen));
	size_t rows = 0;

	(void)state;
	for (char *line = doc; line && *line;) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		if (!strncmp(line, "| MD", 4)) {
			char code[16], slug[64], sev[16];
			const struct finding_def *d;

			md_field(line, 0, code, sizeof(code));
			md_field(line, 1, slug, sizeof(slug));
			md_field(line, 2, sev, sizeof(sev));
			d = finding_def(code);
			if (!d)
				fail_msg("doc/findings.md lists %s, which finding_defs lacks", code);
			if (strcmp(d->slug, slug) || strcmp(severity_name(d->severity), sev))
				fail_msg("%s: doc/findings.md says %s/%s, finding_defs %s/%s", code, slug,
					 sev, d->slug, severity_name(d->severity));
			if (seen[d - finding_defs])
				fail_msg("doc/findings.md lists %s twice", code);
			seen[d - finding_defs] = true;
			rows++;
		}
		line = nl ? nl + 1 : NULL;
	}
	for (size_t i = 0; i < finding_defs_n; i++)
		if (!seen[i])
			fail_msg("doc/findings.md does not list %s", finding_defs[i].code);
	assert_int_equal(rows, finding_defs_n);
	free(seen);
	free(doc);
}

/* Every "MDnnn" string the analysis writes is a code of the table. */
static void analysis_codes_known(void **state)
{
	char dir[4096];
	DIR *d;
	struct dirent *de;
	unsigned files = 0, codes = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/src/analysis", root());
	d = opendir(dir);
	if (!d)
		fail_msg("cannot open %s", dir);
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char *text;

		if (n < 3 || strcmp(de->d_name + n - 2, ".c"))
			continue;
		text = read_file(dir, de->d_name);
		files++;
		for (const char *p = text; (p = strstr(p, "\"MD")); p++) {
			char code[6];

			if (!is_code(p + 1) || p[6] != '"')
				continue;
			memcpy(code, p + 1, 5);
			code[5] = '\0';
			codes++;
			if (!finding_def(code))
				fail_msg("src/analysis/%s writes \"%s\", which finding_defs lacks",
					 de->d_name, code);
		}
		free(text);
	}
	closedir(d);
	assert_true(files > 3);
	assert_true(codes > 0); /* today's rules.c names codes; finding_defs.c does too */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_is_sound),
		cmocka_unit_test(doc_agrees),
		cmocka_unit_test(analysis_codes_known),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
