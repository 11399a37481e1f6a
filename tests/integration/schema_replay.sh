#!/bin/bash
# schema_replay.sh - replaying a migrations directory must give the schema
# PostgreSQL has after 'migrate deploy' of that directory.
#
# For each directory (the project's fixtures; LiteLLM's real migrations
# when $MIGDOCTOR_SHARED/litellm is there): apply every migration.sql in Prisma's
# order to a fresh database on a real PostgreSQL, then compare what its
# catalog says (tests/lib/catalog.sql) with 'migdoctor touches --print-schema'.
source "$MD_ROOT/tests/lib/tap.sh"
source "$MD_ROOT/tests/lib/pg.sh"

pg_start || skip_all "cannot start PostgreSQL"

check_dir() { # name dir
	local name=$1 dir=$2 db="replay_$1" m failed=""
	createdb "$db" || { tap_not_ok "$name: createdb"; return; }
	for m in "$dir"/*/; do
		[ -f "$m/migration.sql" ] || continue
		# one batch per script, as the native engine sends it
		if ! psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "$(cat "$m/migration.sql")" \
			>"$WORK/$name.apply" 2>&1; then
			failed=$m; break
		fi
	done
	if [ -n "$failed" ]; then
		tap_not_ok "$name: PostgreSQL applies every migration (failed at $(basename "$failed"))"
		tap_diag <"$WORK/$name.apply"
		return
	fi
	tap_ok "$name: PostgreSQL applies every migration"
	psql -X -q -At -v ON_ERROR_STOP=1 -v schema=public -d "$db" -f "$MD_ROOT/tests/lib/catalog.sql" \
		>"$WORK/$name.pg" 2>&1
	"$MIGDOCTOR" touches --print-schema "$dir" 2>"$WORK/$name.err" |
		grep -E '^(table|column|constraint|index|unique index|enum|extension) ' >"$WORK/$name.md"
	golden "$name: replayed schema equals PostgreSQL's catalog" "$WORK/$name.pg" "$WORK/$name.md"
	ok_if "$name: replay predicts no failing statement" test ! -s "$WORK/$name.err"
}

check_dir fixtures "$FIXTURES/migrations"
if [ -d "$SHARED/litellm/migrations" ]; then
	check_dir litellm "$SHARED/litellm/migrations"
else
	tap_skip "litellm: replayed schema equals PostgreSQL's catalog" "no $SHARED/litellm/migrations (set MIGDOCTOR_SHARED)"
fi
tap_done
