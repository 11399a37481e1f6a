/*
 * litellm.c - facts about LiteLLM's migrations, from the provenance notes
 * kept beside the shared copy of its migrations directory (SOURCE.md at
 * BerriAI/litellm commit 69ee2c21, LiteLLM 1.81.13 / proxy-extras 0.4.40):
 * which release first shipped each migration, which names were shipped
 * and later renamed or removed, and which checksums belong to earlier
 * versions of edited files. Names only: no SQL of LiteLLM is held here.
 */
#include "migdoctor/common.h"
#include "migdoctor/analysis.h"
#include "litellm_facts.h"

static const struct {
	const char *name;
	const char *version;
} shipped[] = {
	{ "20250326162113_baseline", "1.65.1" },
	{ "20250326171002_add_daily_user_table", "1.65.1" },
	{ "20250327180120_add_api_requests_to_daily_user_table", "1.65.1" },
	{ "20250329084805_new_cron_job_table", "1.65.1" },
	{ "20250331215456_track_success_and_failed_requests_daily_agg_table", "1.65.1" },
	{ "20250411215431_add_managed_file_table", "1.65.8" },
	{ "20250412081753_team_member_permissions", "1.65.8" },
	{ "20250415151647_add_cache_read_write_tokens_daily_spend_transactions", "1.66.2" },
	{ "20250415191926_add_daily_team_table", "1.66.2" },
	{ "20250416115320_add_tag_table_to_db", "1.66.2" },
	{ "20250416151339_drop_tag_uniqueness_requirement", "1.66.2" },
	{ "20250416185146_add_allowed_routes_litellm_verification_token", "1.66.2" },
	{ "20250425182129_add_session_id", "1.67.3" },
	{ "20250430193429_add_managed_vector_stores", "1.67.5" },
	{ "20250507161526_add_mcp_table_to_db", "1.68.2" },
	{ "20250507161527_add_health_check_fields_to_mcp_servers", "1.74.12" },
	{ "20250507184818_add_mcp_key_team_permission_mgmt", "1.68.2" },
	{ "20250508072103_add_status_to_spendlogs", "1.68.2" },
	{ "20250509141545_use_big_int_for_daily_spend_tables", "1.68.2" },
	{ "20250510142544_add_session_id_index_spend_logs", "1.68.3" },
	{ "20250514142245_add_guardrails_table", "1.69.3" },
	{ "20250522223020_managed_object_table", "1.70.4" },
	{ "20250526154401_allow_null_entity_id", "1.71.1" },
	{ "20250528185438_add_vector_stores_to_object_permissions", "1.71.2" },
	{ "20250603210143_cascade_budget_changes", "1.72.1" },
	{ "20250618225828_add_health_check_table", "1.72.7" },
	{ "20250625145206_cascade_budget_and_loosen_managed_file_json", "1.73.2" },
	{ "20250625213625_add_status_to_managed_object_table", "1.73.2" },
	{ "20250707212517_add_mcp_info_column_mcp_servers", "1.74.1" },
	{ "20250707230009_add_mcp_namespaced_tool_name", "1.74.1" },
	{ "20250711220620_add_stdio_mcp", "1.74.2" },
	{ "20250718125714_add_litellm_params_to_vector_stores", "1.74.5" },
	{ "20250802162330_prompt_table", "1.74.15" },
	{ "20250806095134_rename_alias_to_server_name_mcp_table", "1.75.2" },
	{ "20250918083359_drop_spec_version_column_from_mcp_table", "1.77.2" },
	{ "20250926194702_unnamed_migration", "1.77.4" },
	{ "20251003165142_add_allowed_tools_to_mcp", "1.77.7" },
	{ "20251003190954_extra_headers_to_mcp_table", "1.77.7" },
	{ "20251006143948_add_mcp_tool_permissions", "1.77.7" },
	{ "20251011084309_add_tag_table", "1.77.7" },
	{ "20251023141814_add_search_tool_table", "1.78.8" },
	{ "20251031181430_add_cache_config_table", "1.79.1" },
	{ "20251101131415_add_managed_vector_store_index_table", "1.79.1" },
	{ "20251103072422_add_static_headers", "1.79.1" },
	{ "20251104220043_add_credentials_to_mcp_servers", "1.79.2" },
	{ "20251114173537_add_request_id_to_daily_tag_spend", "1.79.3" },
	{ "20251114180624_Add_org_usage_table", "1.79.4" },
	{ "20251114182247_agents_table", "1.79.4" },
	{ "20251119131227_add_prompt_versioning", "1.80.0" },
	{ "20251122125322_Add organization_id to spend logs", "1.80.0" },
	{ "20251204124859_add_end_user_spend_table", "1.80.7" },
	{ "20251204142718_add_agent_permissions", "1.80.7" },
	{ "20251209112246_add_ui_settings_table", "1.80.9" },
	{ "20251210125210_add_storage_backend_to_managed_files", "1.80.10" },
	{ "20251210205007_add_daily_agent_spend_table", "1.80.10" },
	{ "20251211100212_schema_sync", "1.80.10" },
	{ "20251219110931_add_deleted_keys_and_deleted_teams_tables", "1.80.10" },
	{ "20251220144550_schema_update", "1.80.10" },
	{ "20260102131258_add_metadata_urls_to_mcp_servers", "1.80.11" },
	{ "20260105151539_add_allow_all_keys_to_mcp_servers", "1.80.11" },
	{ "20260106155622_add_endpoint_to_daily_activity_tables", "1.80.11" },
	{ "20260107111013_add_router_settings_to_keys_teams", "1.80.12" },
	{ "20260108_add_user_email_lower_idx", "1.80.13" },
	{ "20260116142756_update_deleted_keys_teams_table_routing_settings", "1.80.17" },
	{ "20260123131407_add_policy_tables_and_policies_field", "1.81.2" },
	{ "20260131150814_add_team_user_to_vector_stores", "1.81.5" },
	{ "20260203120000_add_deprecated_verification_token_table", "1.81.6" },
	{ "20260205091235_allow_team_guardrail_config", "1.81.7" },
	{ "20260205144610_add_soft_budget_to_team_table", "1.81.8" },
	{ "20260207093506_add_available_on_public_internet_to_mcp_servers", "1.81.8" },
	{ "20260207110613_add_soft_budget_to_deleted_teams_table", "1.81.8" },
	{ "20260209085821_add_verificationtoken_indexes", "1.81.9" },
	{ "20260212103349_adjust_tags_policy_table", "1.81.10" },
	{ "20260212143306_add_access_group_table", "1.81.10" },
	{ "20260213105436_add_managed_vector_store_table", "1.81.10" },
	{ "20260213170952_access_group_change_to_model_name", "1.81.11" },
	{ "20260214094754_schema_sync", "1.81.11" },
	{ "20260214124140_baseline_diff", "1.81.12" },
	{ "20260214163027_add_pipeline_to_policy_table", "1.81.12" },
};

static const struct {
	const char *name;
	const char *why;
} historical[] = {
	{ "20250101000000_add_health_check_fields_to_mcp_servers",
	  "shipped by LiteLLM 1.74.11, renamed to 20250507161527_add_health_check_fields_to_mcp_servers "
	  "(same SQL) the same day" },
	{ "20251004123655_mcp_allowed_tools_column",
	  "shipped by LiteLLM 1.77.7, removed as a duplicate of 20251003165142_add_allowed_tools_to_mcp" },
	{ "20251101123718_add_vector_store_index_table",
	  "shipped by LiteLLM 1.79.1, replaced by 20251101131415_add_managed_vector_store_index_table" },
	{ "20251115120021_baseline_diff",
	  "accidentally shipped by LiteLLM 1.80.0 (a local sanity-check diff), removed 2026-01-17" },
	{ "20251115120539_baseline_diff",
	  "accidentally shipped by LiteLLM 1.80.0 (a local sanity-check diff), removed 2026-01-17" },
	{ "20260129103648_add_verificationtoken_indexes",
	  "shipped by LiteLLM 1.81.6, reverted, re-added as 20260209085821_add_verificationtoken_indexes" },
	{ "20260211181323_baseline_diff",
	  "accidentally shipped by LiteLLM 1.81.11 (a local sanity-check diff), removed the same day" },
	{ "20251113000000_add_project_table",
	  "a back-dated migration of LiteLLM releases after 1.81.13" },
	{ "20251113000001_add_project_fields",
	  "a back-dated migration of LiteLLM releases after 1.81.13" },
};

/* Checksums of earlier versions of migrations LiteLLM edited after release. */
static const struct {
	const char *name;
	const char *checksum;
	const char *period;
} old_checksums[] = {
	{ "20250507161526_add_mcp_table_to_db",
	  "ac3d8f8a67edbc528513528bb422ca5334fe1c965450d1aab801280c12658caf", "LiteLLM 1.74.9-1.75.x" },
	{ "20250918083359_drop_spec_version_column_from_mcp_table",
	  "ed0d84d0e48ae306578bf19e351f6a17e49b421d4e1ef246f80fb4da74310605", "LiteLLM 1.77.2" },
	{ "20251114182247_agents_table",
	  "dcc5639d39dc0bf2d1b6b2c0b03a4f7aa1966b22bc69d3d9a314ba63f709a087", "2025-11-14 builds" },
	{ "20251119131227_add_prompt_versioning",
	  "6f77e1c9e11d0b02f2a89c894770b691314085239903f2cdcbf02476c37270ac", "LiteLLM 1.80.0-1.81.3" },
};

const char *litellm_shipped_in(const char *migration)
{
	size_t lo = 0, hi = MD_ARRAY_LEN(shipped);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(migration, shipped[mid].name);

		if (!c)
			return shipped[mid].version;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *litellm_historical(const char *migration)
{
	for (size_t i = 0; i < MD_ARRAY_LEN(historical); i++)
		if (!strcmp(migration, historical[i].name))
			return historical[i].why;
	return NULL;
}

bool litellm_old_checksum(const char *migration, const char *checksum)
{
	for (size_t i = 0; checksum && i < MD_ARRAY_LEN(old_checksums); i++)
		if (!strcmp(migration, old_checksums[i].name) && !strcmp(checksum, old_checksums[i].checksum))
			return true;
	return false;
}

bool litellm_local_row(const char *migration)
{
	size_t n = strlen(migration);

	if (!strcmp(migration, "0_init"))
		return true;
	return n > 14 && !strcmp(migration + n - 14, "_baseline_diff") && !litellm_shipped_in(migration);
}

const struct litellm_fact *litellm_fact(const char *name)
{
	size_t lo = 0, hi = litellm_nfacts;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, litellm_facts[mid].name);

		if (!c)
			return &litellm_facts[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
