#!/bin/bash
# deploy.sh - an emulator of `prisma migrate deploy` and `prisma migrate
# resolve` for PostgreSQL, in bash + psql, following native Prisma
# semantics (shared reference prisma.md §1-§5):
#
#   deploy.sh deploy  -d DB -m DIR [--engine native|wasm]
#   deploy.sh resolve -d DB -m DIR --applied NAME | --rolled-back NAME
#
# Connection: PGHOST/PGPORT/PGUSER from the environment (tests/lib/pg.sh).
# Output: Prisma's console text (stdout for progress, stderr for "Error:"),
# exit 1 on any Prisma error, as the CLI does.
#
# What it reproduces, because the diagnosis depends on it:
# - rows written as the engine writes them: client-side v4 UUID, sha256 of
#   the file bytes, client clock with microseconds (milliseconds for wasm),
#   steps 0 -> 1 then finished_at on success, logs = P3018 text + span
#   trace on failure, resolve --applied = finished_at = started_at, steps 0,
#   logs '';
# - the native engine sends migration.sql as ONE simple-protocol Query
#   (here `SELECT $tag$<file>$tag$ \gexec`: psql sends the cell with one
#   PQexec, without splitting it), so a failing script leaves nothing
#   behind unless it has its own BEGIN/COMMIT;
# - --engine wasm runs the script split naively on ';' one fragment at a
#   time, as @prisma/adapter-pg does: partial application is possible.
# Not reproduced: the advisory lock (each psql call is its own session),
# database auto-creation, P1xxx connection errors.
set -u

DEPLOY_SCHEMA_NAME=${DEPLOY_SCHEMA_NAME:-public}
# Prisma's ?schema=S: every session runs with search_path S, so the history
# table and every unqualified name of the migrations live in S (the schema
# must exist; Prisma would create it)
[ "$DEPLOY_SCHEMA_NAME" = public ] || export PGOPTIONS="${PGOPTIONS:+$PGOPTIONS }-c search_path=$DEPLOY_SCHEMA_NAME"
# Prisma 5.4.2 is what LiteLLM pins: "The following migration have been
# applied:" in the singular; set DEPLOY_PRISMA=5.22 for "migration(s)".
DEPLOY_PRISMA=${DEPLOY_PRISMA:-5.4.2}

_dp_db=""
_dp_dir=""
_dp_engine=native

_dp_psql() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$_dp_db" "$@"; }

_dp_now() { # client clock, UTC, microseconds (native) or milliseconds (wasm)
	if [ "$_dp_engine" = wasm ]; then date -u +'%Y-%m-%d %H:%M:%S.%3N+00'
	else date -u +'%Y-%m-%d %H:%M:%S.%6N+00'; fi
}

_dp_uuid() { cat /proc/sys/kernel/random/uuid; }

_dp_header() {
	echo "Prisma schema loaded from schema.prisma"
	echo "Datasource \"client\": PostgreSQL database \"$_dp_db\", schema \"$DEPLOY_SCHEMA_NAME\" at \"${PGHOST_DISPLAY:-localhost}:${PGPORT:-5432}\""
	echo
}

# Engine errors reach the console as "Error: CODE\n\nMESSAGE\n" on stderr.
_dp_fail() { # code message
	printf 'Error: %s\n\n%s\n' "$1" "$2" >&2
	exit 1
}

# migration_lock.toml check (engine error_on_changed_provider): first line
# starting with "provider", a leading "provider = " and quotes stripped.
_dp_lock_check() {
	local lock=$_dp_dir/migration_lock.toml line provider
	[ -f "$lock" ] || return 0
	line=$(grep -m1 '^provider' "$lock" || true)
	if [ -z "$line" ]; then provider='<PROVIDER NOT FOUND>'
	else
		provider=${line#provider = }
		provider=${provider#\"}; provider=${provider%\"}
	fi
	[ "$provider" = postgresql ] && return 0
	_dp_fail P3019 "The datasource provider \`postgresql\` specified in your schema does not match the one specified in the migration_lock.toml, \`$provider\`. Please remove your current migration directory and start a new migration history with prisma migrate dev. Read more: https://pris.ly/d/migrate-provider-switch"
}

# Immediate subdirectories (symlinks do not count), byte order (<= 6.5).
_dp_list() {
	[ -d "$_dp_dir" ] || return 0
	find "$_dp_dir" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | LC_ALL=C sort
}

_dp_table_exists() {
	[ "$(_dp_psql -c "SELECT to_regclass('_prisma_migrations') IS NOT NULL")" = t ]
}

# Prisma's exact DDL (prisma.md §1.1).
_dp_create_table() {
	_dp_psql -c 'CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);' >/dev/null
}

# Tables other than PostGIS's in the connection's schema.
_dp_other_tables() {
	_dp_psql -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
		AND c.relname NOT IN ('spatial_ref_sys', 'geography_columns', 'geometry_columns', 'raster_columns', 'raster_overviews')"
}

# chrono's Display of DateTime<Utc>: 6 fractional digits, 3 when the
# microseconds are a multiple of 1000, none when zero.
_dp_failed_lines() {
	_dp_psql -F $'\t' -c "SELECT migration_name, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
			to_char(started_at AT TIME ZONE 'UTC', 'US')
		FROM _prisma_migrations WHERE finished_at IS NULL AND rolled_back_at IS NULL
		ORDER BY started_at" |
	while IFS=$'\t' read -r name ts us; do
		if [ "$us" = 000000 ]; then frac=""
		elif [ "${us:3}" = 000 ]; then frac=".${us:0:3}"
		else frac=".$us"; fi
		printf 'The `%s` migration started at %s%s UTC failed\n' "$name" "$ts" "$frac"
	done
}

# Names that count as applied: any row with rolled_back_at IS NULL.
_dp_applied_names() {
	_dp_psql -c "SELECT DISTINCT migration_name FROM _prisma_migrations WHERE rolled_back_at IS NULL"
}

_dp_checksum() { sha256sum <"$1" | cut -d' ' -f1; }

# The file's exact bytes as one string, trailing newlines included.
_dp_read_file() { # file -> variable _dp_script
	_dp_script=$(cat "$1"; printf x)
	_dp_script=${_dp_script%x}
}

# psql VERBOSITY=verbose error output -> the pieces of a rust-postgres
# DbError.  Sets _e_code _e_msg _e_detail _e_hint _e_where _e_schema
# _e_table _e_column _e_datatype _e_constraint _e_file _e_line _e_routine
# _e_lineno _e_col.
_dp_parse_error() { # errfile
	local f=$1 line
	_e_code=none _e_msg="" _e_detail="" _e_hint="" _e_where="" _e_schema="" _e_table=""
	_e_column="" _e_datatype="" _e_constraint="" _e_file="" _e_line="" _e_routine=""
	_e_lineno="" _e_col=""
	local in=0 prev=""
	while IFS= read -r line; do
		case "$line" in
		ERROR:*)
			in=1; line=${line#ERROR:  }
			if [[ "$line" =~ ^([0-9A-Z]{5}):\ (.*)$ ]]; then
				_e_code=${BASH_REMATCH[1]}; _e_msg=${BASH_REMATCH[2]}
			else _e_msg=$line; fi ;;
		*) [ $in = 1 ] || continue
			case "$line" in
			"DETAIL:  "*) _e_detail=${line#DETAIL:  } ;;
			"HINT:  "*) _e_hint=${line#HINT:  } ;;
			"CONTEXT:  "*) _e_where=${line#CONTEXT:  } ;;
			"SCHEMA NAME:  "*) _e_schema=${line#SCHEMA NAME:  } ;;
			"TABLE NAME:  "*) _e_table=${line#TABLE NAME:  } ;;
			"COLUMN NAME:  "*) _e_column=${line#COLUMN NAME:  } ;;
			"DATATYPE NAME:  "*) _e_datatype=${line#DATATYPE NAME:  } ;;
			"CONSTRAINT NAME:  "*) _e_constraint=${line#CONSTRAINT NAME:  } ;;
			"LOCATION:  "*)
				line=${line#LOCATION:  }
				_e_routine=${line%%, *}; line=${line#*, }
				_e_file=${line%:*}; _e_line=${line##*:} ;;
			"LINE "*) prev=$line
				[[ "$line" =~ ^LINE\ ([0-9]+):\  ]] && _e_lineno=${BASH_REMATCH[1]} ;;
			*"^")
				# caret under the LINE display: column within the line,
				# unless psql shortened the line ("...")
				if [ -n "$prev" ] && [[ "$prev" =~ ^(LINE\ [0-9]+:\ )(.*)$ ]] &&
					[[ "${BASH_REMATCH[2]}" != ...* ]]; then
					_e_col=$(( ${#line} - ${#BASH_REMATCH[1]} ))
				fi
				prev="" ;;
			esac ;;
		esac
	done <"$f"
}

_dp_rust_str() { # Rust Debug of Option<String>
	if [ -z "$1" ]; then printf 'None'; return; fi
	local s=${1//\\/\\\\}
	s=${s//\"/\\\"}
	printf 'Some("%s")' "$s"
}

# database_error = "{db_error}{position}\n\n{db_error:?}" (prisma.md §3.6)
_dp_database_error() { # script-file
	local f=$1 out pos=None posblock="" from i n
	out="ERROR: $_e_msg"
	[ -n "$_e_detail" ] && out+=$'\n'"DETAIL: $_e_detail"
	[ -n "$_e_hint" ] && out+=$'\n'"HINT: $_e_hint"
	if [ -n "$_e_lineno" ]; then
		n=$_e_lineno
		from=$((n - 5)); [ $from -lt 1 ] && from=1
		posblock=$'\n\nPosition:'
		i=$from
		while IFS= read -r l; do
			if [ $i -eq $n ]; then posblock+=$'\n'"$(printf '\033[1;31m%3d %s\033[0m' "$i" "$l")"
			else posblock+=$'\n'"$(printf '\033[1m%3d\033[0m %s' "$i" "$l")"; fi
			i=$((i + 1))
		done < <(sed -n "${from},${n}p" "$f")
		if [ -n "$_e_col" ]; then
			# characters before the error line; _e_col is already 1-based
			local before
			before=$(head -n $((n - 1)) "$f" | wc -m)
			pos="Some(Original($((before + _e_col))))"
		fi
	fi
	out+=$posblock
	out+=$'\n\n'"DbError { severity: \"ERROR\", parsed_severity: Some(Error), code: SqlState(E$_e_code), message: $(_dp_rust_str "$_e_msg" | sed 's/^Some(//; s/)$//'), detail: $(_dp_rust_str "$_e_detail"), hint: $(_dp_rust_str "$_e_hint"), position: $pos, where_: $(_dp_rust_str "$_e_where"), schema: $(_dp_rust_str "$_e_schema"), table: $(_dp_rust_str "$_e_table"), column: $(_dp_rust_str "$_e_column"), datatype: $(_dp_rust_str "$_e_datatype"), constraint: $(_dp_rust_str "$_e_constraint"), file: $(_dp_rust_str "$_e_file"), line: $([ -n "$_e_line" ] && printf 'Some(%s)' "$_e_line" || printf None), routine: $(_dp_rust_str "$_e_routine") }"
	printf '%s' "$out"
}

_dp_p3018_message() { # name database_error
	printf 'A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\nMigration name: %s\n\nDatabase error code: %s\n\nDatabase error:\n%s\n' "$1" "$_e_code" "$2"
}

# The tracing span trace that ConnectorError's Display appends (E5.4
# frame names; line numbers are indicative).
_dp_span_trace() { # name
	printf '   0: sql_schema_connector::apply_migration::apply_script\n           with migration_name="%s"\n             at schema-engine/connectors/sql-schema-connector/src/apply_migration.rs:106\n   1: schema_core::commands::apply_migrations::Applying migration\n           with migration_name="%s"\n             at schema-engine/core/src/commands/apply_migrations.rs:91\n   2: schema_core::state::ApplyMigrations\n             at schema-engine/core/src/state.rs:201' "$1" "$1"
}

# Run one script: native = one Query message; wasm = naive ';' split.
# Returns 0 on success; on failure leaves psql's stderr in $1.err and sets
# the _e_* variables.
_dp_run_script() { # file errfile
	local f=$1 err=$2 frag
	_dp_read_file "$f"
	if [ "$_dp_engine" = native ]; then
		psql -X -q -v VERBOSITY=verbose -d "$_dp_db" -c "$_dp_script" >/dev/null 2>"$err" && return 0
		_dp_parse_error "$err"
		return 1
	fi
	local IFS=';'
	local -a frags
	read -r -d '' -a frags <<<"$_dp_script" || true
	unset IFS
	for frag in "${frags[@]}"; do
		frag=$(printf '%s' "$frag" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')
		[ -n "$frag" ] || continue
		if ! psql -X -q -v VERBOSITY=verbose -d "$_dp_db" -c "$frag" >/dev/null 2>"$err"; then
			_dp_parse_error "$err"
			return 1
		fi
	done
	return 0
}

_dp_summary() { # names...
	local n=$# word=migrations
	if [ "$DEPLOY_PRISMA" = 5.4.2 ]; then [ $n -eq 1 ] && word=migration
	else word='migration(s)'; fi
	printf '\nThe following %s have been applied:\n\nmigrations/\n' "$word"
	local m
	for m in "$@"; do printf '  └─ %s/\n    └─ migration.sql\n' "$m"; done
	printf '      \nAll migrations have been successfully applied.\n'
}

deploy_cmd() {
	local names=() n m
	_dp_header
	mapfile -t names < <(_dp_list)
	n=${#names[@]}
	if [ "$n" -eq 0 ]; then printf 'No migration found in prisma/migrations\n'
	else printf '%d migration%s found in prisma/migrations\n' "$n" "$([ "$n" -eq 1 ] || echo s)"; fi
	echo
	_dp_lock_check
	if ! _dp_table_exists; then
		if [ "$(_dp_other_tables)" != 0 ]; then
			_dp_fail P3005 "The database schema is not empty. Read more about how to baseline an existing production database: https://pris.ly/d/migrate-baseline"
		fi
		_dp_create_table
	fi
	local failed
	failed=$(_dp_failed_lines)
	if [ -n "$failed" ]; then
		_dp_fail P3009 "migrate found failed migrations in the target database, new migrations will not be applied. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve
$failed
"
	fi
	declare -A applied=()
	while IFS= read -r m; do [ -n "$m" ] && applied[$m]=1; done < <(_dp_applied_names)
	local done_names=() id sum started tmp
	tmp=$(mktemp)
	for m in "${names[@]}"; do
		[ -n "${applied[$m]:-}" ] && continue
		if [ ! -f "$_dp_dir/$m/migration.sql" ]; then
			rm -f "$tmp"
			_dp_fail P3015 "Could not find the migration file at $(realpath -m "$_dp_dir/$m/migration.sql"). Please delete the directory or restore the migration file."
		fi
		id=$(_dp_uuid)
		sum=$(_dp_checksum "$_dp_dir/$m/migration.sql")
		started=$(_dp_now)
		if [ "$_dp_engine" = native ]; then
			# One psql session per migration (speed): the INSERT commits on
			# its own, \gexec sends the script as ONE Query message, the
			# bookkeeping UPDATEs run only if it succeeded; finished_at is
			# taken from the client clock after the script.  The script
			# travels on stdin as a dollar-quoted literal (no argument size
			# limit; psql substitutes nothing inside dollar quotes).
			printf 'Applying migration `%s`\n' "$m"
			local tag
			tag=md$(_dp_uuid | tr -d -); tag=${tag:0:18}
			if grep -qF "\$$tag\$" "$_dp_dir/$m/migration.sql"; then tag=${tag}x; fi
			if { printf '%s\nSELECT $%s$' \
					"INSERT INTO \"_prisma_migrations\" (\"id\",\"checksum\",\"started_at\",\"migration_name\") VALUES (:'id', :'sum', :'started', :'name');" "$tag"
				cat "$_dp_dir/$m/migration.sql"
				cat <<SQL
\$$tag\$ \\gexec
\\set fin \`date -u +'%Y-%m-%d %H:%M:%S.%6N+00'\`
UPDATE "_prisma_migrations" SET "applied_steps_count" = ("applied_steps_count" + 1) WHERE "id" = :'id';
UPDATE "_prisma_migrations" SET "finished_at" = :'fin' WHERE "id" = :'id';
SQL
			} | psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d "$_dp_db" -v id="$id" -v sum="$sum" \
				-v started="$started" -v name="$m" >/dev/null 2>"$tmp"
			then
				done_names+=("$m")
				continue
			fi
			_dp_parse_error "$tmp"
		else
			_dp_psql -v id="$id" -v sum="$sum" -v started="$started" -v name="$m" >/dev/null <<'SQL'
INSERT INTO "_prisma_migrations" ("id","checksum","started_at","migration_name") VALUES (:'id', :'sum', :'started', :'name');
SQL
			[ "$_dp_engine" = native ] && printf 'Applying migration `%s`\n' "$m"
			if _dp_run_script "$_dp_dir/$m/migration.sql" "$tmp"; then
				_dp_psql -v id="$id" -v fin="$(_dp_now)" >/dev/null <<'SQL'
UPDATE "_prisma_migrations" SET "applied_steps_count" = ("applied_steps_count" + 1) WHERE "id" = :'id';
UPDATE "_prisma_migrations" SET "finished_at" = :'fin' WHERE "id" = :'id';
SQL
				done_names+=("$m")
				continue
			fi
		fi
		local logs msg
		if [ "$_dp_engine" = native ]; then
			msg=$(_dp_p3018_message "$m" "$(_dp_database_error "$_dp_dir/$m/migration.sql")"; printf x)
			msg=${msg%x}
			logs="$msg"$'\n'"$(_dp_span_trace "$m")"
		else
			msg="external connector error"$'\n'"$_e_msg"
			logs="$msg"$'\n'"$(_dp_span_trace "$m" | sed 's/schema_core::state::ApplyMigrations/schema_engine_wasm::wasm::engine::ApplyMigrations/')"
		fi
		_dp_psql -v id="$id" -v logs="$logs" >/dev/null <<'SQL'
UPDATE "_prisma_migrations" SET "logs" = :'logs' WHERE "id" = :'id';
SQL
		rm -f "$tmp"
		if [ "$_dp_engine" = native ]; then
			printf 'Error: P3018\n\n%s\n' "$msg" >&2
		else
			printf 'Error: %s\n' "$msg" >&2
		fi
		exit 1
	done
	rm -f "$tmp"
	if [ ${#done_names[@]} -eq 0 ]; then printf '\nNo pending migrations to apply.\n'
	else _dp_summary "${done_names[@]}"; fi
	return 0
}

resolve_applied() { # name
	local m=$1 now id sum
	_dp_header
	_dp_lock_check
	if [ ! -f "$_dp_dir/$m/migration.sql" ]; then
		_dp_fail P3017 "The migration $m could not be found. Please make sure that the migration exists, and that you included the whole name of the directory. (example: \"20201207184859_initial_migration\")"
	fi
	_dp_table_exists || _dp_create_table # baseline_initialize: no P3005 check
	if [ "$(_dp_psql -v name="$m" <<<"SELECT count(*) FROM _prisma_migrations WHERE migration_name = :'name' AND finished_at IS NOT NULL;")" != 0 ]; then
		_dp_fail P3008 "The migration \`$m\` is already recorded as applied in the database."
	fi
	now=$(_dp_now)
	id=$(_dp_uuid)
	sum=$(_dp_checksum "$_dp_dir/$m/migration.sql")
	_dp_psql -v name="$m" -v now="$now" -v id="$id" -v sum="$sum" >/dev/null <<'SQL'
UPDATE "_prisma_migrations" SET "rolled_back_at" = :'now' WHERE "migration_name" = :'name' AND "finished_at" IS NULL AND "rolled_back_at" IS NULL;
INSERT INTO "_prisma_migrations" ("id","checksum","logs","started_at","finished_at","migration_name","applied_steps_count") VALUES (:'id', :'sum', '', :'now', :'now', :'name', 0);
SQL
	printf '\nMigration %s marked as applied.\n' "$m"
}

resolve_rolled_back() { # name
	local m=$1 total finished
	_dp_header
	if ! _dp_table_exists; then
		printf 'Error: Invariant violation: called markMigrationRolledBack on a database without migrations table.\n' >&2
		exit 1
	fi
	total=$(_dp_psql -v name="$m" <<<"SELECT count(*) FROM _prisma_migrations WHERE migration_name = :'name';")
	if [ "$total" = 0 ]; then
		_dp_fail P3011 "Migration \`$m\` cannot be rolled back because it was never applied to the database. Hint: did you pass in the whole migration name? (example: \"20201207184859_initial_migration\")"
	fi
	finished=$(_dp_psql -v name="$m" <<<"SELECT count(*) FROM _prisma_migrations WHERE migration_name = :'name' AND finished_at IS NOT NULL;")
	if [ "$finished" = "$total" ]; then
		_dp_fail P3012 "Migration \`$m\` cannot be rolled back because it is not in a failed state."
	fi
	_dp_psql -v name="$m" -v now="$(_dp_now)" >/dev/null <<'SQL'
UPDATE "_prisma_migrations" SET "rolled_back_at" = :'now' WHERE "migration_name" = :'name' AND "finished_at" IS NULL AND "rolled_back_at" IS NULL;
SQL
	printf '\nMigration %s marked as rolled back.\n' "$m"
}

deploy_main() {
	local cmd=${1:-} applied="" rolled=""
	shift || true
	while [ $# -gt 0 ]; do
		case "$1" in
		-d) _dp_db=$2; shift 2 ;;
		-m) _dp_dir=$2; shift 2 ;;
		--engine) _dp_engine=$2; shift 2 ;;
		--applied) applied=$2; shift 2 ;;
		--rolled-back) rolled=$2; shift 2 ;;
		*) echo "deploy.sh: unknown argument '$1'" >&2; exit 2 ;;
		esac
	done
	[ -n "$_dp_db" ] && [ -n "$_dp_dir" ] || { echo "usage: deploy.sh deploy|resolve -d DB -m DIR ..." >&2; exit 2; }
	case "$cmd" in
	deploy) deploy_cmd ;;
	resolve)
		if [ -n "$applied" ] && [ -n "$rolled" ]; then
			echo "Error: Pass either --applied or --rolled-back, not both." >&2; exit 1
		elif [ -n "$applied" ]; then resolve_applied "$applied"
		elif [ -n "$rolled" ]; then resolve_rolled_back "$rolled"
		else echo "Error: --applied or --rolled-back must be part of the command" >&2; exit 1; fi ;;
	*) echo "usage: deploy.sh deploy|resolve -d DB -m DIR ..." >&2; exit 2 ;;
	esac
}

[ "${BASH_SOURCE[0]}" = "$0" ] && deploy_main "$@"
