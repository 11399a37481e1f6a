#!/bin/bash
# log_findings.sh - what a start did instead of 'migrate deploy' becomes a
# finding of check: the Prisma CLI never ran (MD021), 'db push' (MD022), a
# stale Prisma client (MD023); each with the log lines as evidence.
source "$MD_ROOT/tests/lib/tap.sh"
L=$MD_ROOT/fixtures/logs
expect_exit 1 "the CLI never ran: an error (exit 1)" "$MIGDOCTOR" check -l "$L/cli_not_run.log"
ok_if "... MD021 with the reason" grep -q 'MD021 the Prisma CLI never ran' "$WORK/.out"
ok_if "... the npm install failure is its evidence" grep -q 'npm install prisma@5.4.2 failed' "$WORK/.out"
expect_exit 0 "db push: a warning (exit 0 at --fail-on error)" "$MIGDOCTOR" check -l "$L/db_push.log"
ok_if "... MD022, with what it would drop" sh -c "grep -q 'MD022' '$WORK/.out' && grep -q 'would drop' '$WORK/.out'"
expect_exit 1 "--fail-on warning makes db push fail the check" "$MIGDOCTOR" check -l "$L/db_push.log" --fail-on warning
expect_exit 0 "a stale client: a warning" "$MIGDOCTOR" check -l "$L/stale_client.log"
ok_if "... MD023 names the attribute" sh -c "grep -q 'MD023' '$WORK/.out' && grep -q 'no attribute litellm_' '$WORK/.out'"
tap_done
