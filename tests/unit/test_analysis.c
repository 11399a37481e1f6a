/*
 * Decision tables of the analysis: each row shape and the fingerprint
 * Prisma's writers leave (prisma.md §1.2); LiteLLM's own rows; versions.
 */
#include "migdoctor/common.h"
#include "migdoctor/analysis.h"

#include <setjmp.h>
#include <cmocka.h>

#define T(us) ((struct md_ts){ MD_TS_VALUE, (us) })
#define NUL ((struct md_ts){ MD_TS_NULL, 0 })

static void row_fingerprints(void **state)
{
	static const struct {
		struct md_ts started, finished, rolled;
		int64_t steps;
		const char *logs;
		unsigned ambiguous;
		enum row_kind want;
	} cases[] = {
		/* migrate deploy: finished, steps 1, logs NULL */
		{ T(1000), T(2000), NUL, 1, NULL, 0, RK_DEPLOYED },
		/* resolve --applied: finished = started, steps 0, logs '' */
		{ T(1000), T(1000), NUL, 0, "", 0, RK_RESOLVED_APPLIED },
		/* the same, pasted from psql where '' and NULL look alike */
		{ T(1000), T(1000), NUL, 0, NULL, 1u << HC_LOGS, RK_RESOLVED_APPLIED },
		/* ... and a hand-written finished row with logs NULL, steps 0, same times */
		{ T(1000), T(1000), NUL, 0, NULL, 0, RK_RESOLVED_APPLIED },
		/* finished with steps 0 at another time: not Prisma's shape */
		{ T(1000), T(5000), NUL, 0, NULL, 0, RK_FINISHED_OTHER },
		/* P3018: finished NULL, logs set */
		{ T(1000), NUL, NUL, 0, "A migration failed to apply...", 0, RK_FAILED_SQL },
		/* killed after the script committed: steps 1, logs NULL */
		{ T(1000), NUL, NUL, 1, NULL, 0, RK_INTERRUPTED_DONE },
		/* killed during the script */
		{ T(1000), NUL, NUL, 0, NULL, 0, RK_INTERRUPTED },
		/* rolled back: ignored by deploy, whatever else it holds */
		{ T(1000), NUL, T(3000), 0, "x", 0, RK_ROLLED_BACK },
		{ T(1000), T(2000), T(3000), 1, NULL, 0, RK_ROLLED_BACK },
	};

	(void)state;
	for (size_t i = 0; i < MD_ARRAY_LEN(cases); i++) {
		struct history_row r = { 0 };

		r.started_at = cases[i].started;
		r.finished_at = cases[i].finished;
		r.rolled_back_at = cases[i].rolled;
		r.applied_steps_count = cases[i].steps;
		r.logs = cases[i].logs;
		r.ambiguous = cases[i].ambiguous;
		if (row_kind_of(&r) != cases[i].want) {
			print_error("case %zu: got %s, expected %s\n", i, row_kind_name(row_kind_of(&r)),
				    row_kind_name(cases[i].want));
			fail();
		}
	}
}

static void litellm_facts(void **state)
{
	(void)state;
	assert_true(litellm_local_row("0_init"));
	assert_true(litellm_local_row("20260216205725_baseline_diff"));
	/* one baseline_diff was shipped in a release: not a local row */
	assert_false(litellm_local_row("20260214124140_baseline_diff"));
	assert_false(litellm_local_row("20251219110931_add_deleted_keys_and_deleted_teams_tables"));
	assert_string_equal(litellm_shipped_in("20250326162113_baseline"), "1.65.1");
	assert_string_equal(litellm_shipped_in("20260214163027_add_pipeline_to_policy_table"), "1.81.12");
	assert_null(litellm_shipped_in("20240101000000_init"));
	assert_non_null(litellm_historical("20251004123655_mcp_allowed_tools_column"));
	assert_true(litellm_old_checksum("20251119131227_add_prompt_versioning",
					 "6f77e1c9e11d0b02f2a89c894770b691314085239903f2cdcbf02476c37270ac"));
	assert_false(litellm_old_checksum("20251119131227_add_prompt_versioning",
					  "66dadf30f1bd063eb248fa7f458dec1aedbb508c93d77a561d520255424bd004"));
}

static void severities(void **state)
{
	enum severity s;

	(void)state;
	assert_int_equal(severity_parse("warning", &s), 0);
	assert_int_equal(s, SEV_WARNING);
	assert_int_equal(severity_parse("fatal", &s), -1);
	assert_string_equal(severity_name(SEV_ERROR), "error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(row_fingerprints),
		cmocka_unit_test(litellm_facts),
		cmocka_unit_test(severities),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
