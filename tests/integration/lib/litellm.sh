# litellm.sh - LiteLLM's proxy start-up around `prisma migrate deploy`
# (shared reference litellm.md §3-§6): the retry loop, the automatic
# reactions to P3009 / P3018 / P3005 as each LiteLLM version had them, and a
# start-up log in litellm_proxy_extras' plain format
#   2026-02-17 11:31:29,822 - litellm_proxy_extras - INFO - message
# (multi-line messages continue on the next lines with no prefix).
# Sourced after common.sh and break.sh (uses deploy, break_interrupted).
#
#   litellm_start DB DIR LOG [VERSION]
#       VERSION (default 1.81.13, the reference commit) selects the era:
#       < 1.65.8   P3005 only logged;  >= 1.65.8 P3005 baseline (0_init +
#                  resolve --applied of every folder)
#       1.66.3 - 1.80.4  every P3018 rolled back then marked applied
#       >= 1.80.5  permission errors: rolled back + RuntimeError; idempotent
#                  errors ("already exists", duplicate key; from 1.81.4
#                  also "does not exist") rolled back + applied; others
#                  retried
#       >= 1.81.4  P3009 whose text shows an idempotent error: applied
#       >= 1.77.7  post-deploy sanity check; with LITELLM_BASELINE_DIFF=1 it
#                  leaves a local <timestamp>_baseline_diff folder in DIR;
#                  with LITELLM_SANITY_FROM=OLDER_DB (a rollback: DIR is
#                  older than the database) it drops what OLDER_DB, a
#                  clean deploy of DIR, lacks (break_sanity_check)
#       Returns 0 when the start-up considered the database migrated.
#       LITELLM_JSON_LOGS=1 writes the JSON form instead (one object per
#       record: message, level, timestamp).  LITELLM_ATTEMPTS=N stops after
#       N attempts (the pod was restarted); LITELLM_TIMEOUT_AT=NAME, see
#       _ll_timeout.
# Not emulated: `migrate diff` / `db execute` (no Prisma
# here): the baseline's 0_init SQL is a pg_dump -s stand-in.

_ll_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

_ll_log() { # level message
	if [ "${LITELLM_JSON_LOGS:-}" = 1 ]; then
		# JsonFormatter: json.dumps of {"message", "level", "timestamp"},
		# ensure_ascii (non-ASCII as \uXXXX, surrogate pairs above U+FFFF)
		printf '%s' "$2" | perl -CS -0777 -ne '
			my %e = ("\"" => "\\\"", "\\" => "\\\\", "\n" => "\\n", "\r" => "\\r", "\t" => "\\t", "\b" => "\\b", "\f" => "\\f");
			s/(["\\\n\r\t\x08\x0c])/$e{$1}/g;
			s/([\x00-\x1f])/sprintf("\\u%04x", ord($1))/ge;
			s/([^\x00-\x7f])/my $c = ord($1); $c > 0xffff
				? sprintf("\\u%04x\\u%04x", 0xd800 + (($c - 0x10000) >> 10), 0xdc00 + (($c - 0x10000) & 0x3ff))
				: sprintf("\\u%04x", $c)/ge;
			print "{\"message\": \"$_\", ";' >>"$_ll_logf"
		printf '"level": "%s", "timestamp": "%s"}\n' "$1" "$(date -u '+%Y-%m-%dT%H:%M:%S.%6N')" >>"$_ll_logf"
		return
	fi
	printf '%s - litellm_proxy_extras - %s - %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S,%3N')" "$1" "$2" >>"$_ll_logf"
}

_ll_idempotent() { # text: the patterns of _is_idempotent_error
	local re='already exists|column .* already exists|duplicate key value violates|relation .* already exists|constraint .* already exists|can.t drop database.* because it doesn.t exist'
	_ll_ge "$_ll_ver" 1.81.4 && re+='|does not exist'
	grep -Eqi "$re" <<<"$1"
}

_ll_permission() {
	grep -Eq 'Database error code: 42501|must be owner of table|permission denied for schema|permission denied for table|must be owner of schema' <<<"$1"
}

_ll_resolve() { deploy resolve -d "$_ll_db" -m "$_ll_dir" "$@" >/dev/null 2>&1; }

_ll_baseline() {
	_ll_log INFO 'Database schema is not empty, creating baseline migration. In read-only file system, please set an environment variable `LITELLM_MIGRATION_DIR` to a writable directory to enable migrations. Learn more - https://docs.litellm.ai/docs/proxy/prod#read-only-file-system'
	_ll_log INFO 'Generating baseline migration...'
	mkdir -p "$_ll_dir/0_init"
	pg_dump -s --no-owner -d "$_ll_db" | grep -v -e '^--' -e '^SET ' -e '^SELECT pg_catalog' -e '^$' >"$_ll_dir/0_init/migration.sql"
	_ll_log INFO 'Marking baseline migration as applied...'
	_ll_resolve --applied 0_init
	_ll_log INFO 'Baseline migration created, resolving all migrations'
	local d name out
	for d in "$_ll_dir"/*/; do
		name=$(basename "$d")
		_ll_log INFO "Resolving migration: $name"
		out=$(deploy resolve -d "$_ll_db" -m "$_ll_dir" --applied "$name" 2>&1) && continue
		grep -q 'is already recorded as applied in the database.' <<<"$out" ||
			_ll_log INFO "Failed to resolve migration $name: $out"
	done
	_ll_log INFO '✅ All migrations resolved.'
}

# LITELLM_TIMEOUT_AT=NAME: the 60 s limit kills the engine inside NAME's
# script whenever deploy reaches it: what comes before NAME is applied, NAME
# keeps an interrupted row (finished NULL, logs NULL, steps 0: its implicit
# transaction rolled back).  Returns 1 (no timeout) when NAME is not pending
# or deploy fails before reaching it; the caller then deploys normally.
_ll_timeout() {
	local name=$LITELLM_TIMEOUT_AT pre prev
	[ -f "$_ll_dir/$name/migration.sql" ] || return 1
	if [ "$(q "$_ll_db" "SELECT to_regclass('_prisma_migrations') IS NOT NULL")" = t ] &&
		[ "$(pg_psql -At -d "$_ll_db" -v name="$name" <<<"SELECT count(*) FROM _prisma_migrations
			WHERE migration_name = :'name' AND rolled_back_at IS NULL;")" != 0 ]; then
		return 1
	fi
	prev=$(find "$_ll_dir" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | LC_ALL=C sort | awk -v n="$name" '$0 < n' | tail -n1)
	pre=$WORK/.ll_pre
	mig_prefix "$pre" "$_ll_dir" "${prev:-0}"
	deploy deploy -d "$_ll_db" -m "$pre" >/dev/null 2>&1 || return 1
	break_interrupted "$_ll_db" "$_ll_dir" "$name" 0
}

litellm_start() { # db dir log [version]
	_ll_db=$1 _ll_dir=$2 _ll_logf=$3 _ll_ver=${4:-1.81.13}
	local attempt out err rc name left
	: >>"$_ll_logf"
	local attempts=${LITELLM_ATTEMPTS:-4}
	for ((attempt = 1; attempt <= attempts; attempt++)); do
		left=$((4 - attempt))
		_ll_log INFO 'Running prisma migrate deploy'
		if [ -n "${LITELLM_TIMEOUT_AT:-}" ] && _ll_timeout; then
			_ll_log WARNING "Attempt $attempt timed out"
			continue
		fi
		# Python logs the captured text as is: keep its trailing newlines
		deploy deploy -d "$_ll_db" -m "$_ll_dir" >"$WORK/.ll_out" 2>"$WORK/.ll_err"; rc=$?
		out=$(cat "$WORK/.ll_out"; printf x); out=${out%x}
		err=$(cat "$WORK/.ll_err"; printf x); err=${err%x}
		if [ $rc -eq 0 ]; then
			_ll_log INFO "prisma migrate deploy stdout: $out"
			_ll_log INFO 'prisma migrate deploy completed'
			if _ll_ge "$_ll_ver" 1.77.7; then
				_ll_log INFO 'Running post-migration sanity check...'
				if [ "${LITELLM_BASELINE_DIFF:-}" = 1 ]; then
					local bd
					bd="$_ll_dir/$(date -u +%Y%m%d%H%M%S)_baseline_diff"
					mkdir -p "$bd"
					printf -- '-- This is an empty migration.\n' >"$bd/migration.sql"
					_ll_log INFO 'Generating migration diff between DB and schema.prisma...'
					_ll_log INFO "Migration diff created at $bd/migration.sql"
					_ll_log INFO 'Running prisma db execute to apply the migration diff...'
					_ll_log INFO '✅ Migration diff applied successfully'
				fi
				if [ -n "${LITELLM_SANITY_FROM:-}" ]; then
					_ll_log INFO 'Generating migration diff between DB and schema.prisma...'
					break_sanity_check "$_ll_db" "$LITELLM_SANITY_FROM" ||
						_ll_log ERROR 'Failed to apply the migration diff'
					_ll_log INFO "Migration diff applied: $(grep -c . "$WORK/.sanity.sql") statements"
				fi
				_ll_log INFO '✅ Post-migration sanity check completed'
			fi
			return 0
		fi
		_ll_log INFO "prisma db error: $err, e: $out"
		if grep -q 'migrate found failed migrations' <<<"$err"; then
			name=$(grep -o '`[0-9][0-9]*_.*` migration' <<<"$err" | head -n1 | sed 's/^`//; s/` migration$//')
			if _ll_ge "$_ll_ver" 1.81.4 && _ll_idempotent "$err"; then
				_ll_log INFO "Migration $name failed due to idempotent error (e.g., column already exists), resolving as applied"
				_ll_resolve --rolled-back "$name"
				_ll_resolve --applied "$name"
				_ll_log INFO "✅ Migration $name resolved."
				return 0
			fi
			_ll_log INFO "Found failed migration: $name, marking as rolled back"
			_ll_resolve --rolled-back "$name"
			_ll_log INFO "✅ Migration $name marked as rolled back... retrying"
			continue
		fi
		if grep -q P3005 <<<"$err" && grep -q 'database schema is not empty' <<<"$err"; then
			if _ll_ge "$_ll_ver" 1.65.8; then _ll_baseline; return 0; fi
			_ll_log INFO 'Error: Database schema is not empty'
			return 1
		fi
		if grep -q 'A migration failed to apply' <<<"$err"; then
			name=$(sed -n 's/^Migration name: \([0-9][0-9]*_.*\)$/\1/p' <<<"$err" | head -n1)
			if _ll_ge "$_ll_ver" 1.66.3 && ! _ll_ge "$_ll_ver" 1.80.5; then
				_ll_log INFO 'Migration already exists, resolving specific migration'
				_ll_resolve --rolled-back "$name"
				_ll_log INFO "Resolving migration $name that failed due to existing columns"
				_ll_resolve --applied "$name"
				_ll_log INFO '✅ Migration resolved.'
				continue
			fi
			if _ll_ge "$_ll_ver" 1.80.5 && _ll_permission "$err"; then
				_ll_log ERROR "❌ Migration $name failed due to insufficient permissions. Please check database user privileges. Error: $err"
				_ll_resolve --rolled-back "$name"
				_ll_log INFO "Migration $name marked as rolled back"
				_ll_log ERROR "RuntimeError: Migration failed due to permission error. Migration $name was NOT applied. Please grant necessary database permissions and retry."
				return 1
			fi
			if _ll_ge "$_ll_ver" 1.80.5 && _ll_idempotent "$err"; then
				_ll_log INFO 'Migration failed due to idempotent error (e.g., column already exists), resolving as applied'
				_ll_log INFO "Rolling back migration $name"
				_ll_resolve --rolled-back "$name"
				_ll_log INFO "Resolving migration $name that failed due to existing schema objects"
				_ll_resolve --applied "$name"
				_ll_log INFO '✅ Migration resolved.'
				continue
			fi
			_ll_ge "$_ll_ver" 1.80.5 &&
				_ll_log WARNING "P3018 error encountered but could not classify as permission or idempotent error. Error: $err"
		fi
		_ll_log WARNING "The process failed to execute. Details: Command '['prisma', 'migrate', 'deploy']' returned non-zero exit status 1.. Retrying... ($left attempts left)"
	done
	return 1
}
