# common.sh - shared set-up for the PostgreSQL integration suites.
#
#   it_start             tap.sh + pg.sh, one server for the whole suite
#                        (skip_all when no server binaries)
#   db_new NAME [TMPL]   create a database (optionally from a template)
#   deploy ARGS...       the Prisma deploy emulator (lib/deploy.sh)
#   mig_prefix OUT SRC LAST [EXTRA_DIR...]
#                        a migrations directory holding SRC's lock file and
#                        folders up to LAST (byte order), plus EXTRA_DIR's
#   schema_dump DB OUT   pg_dump -s, header and \\restrict lines and
#                        migdoctor's backups dropped
#   rows_dump DB OUT     the _prisma_migrations rows, one per line, by id
#   q DB SQL             one value from a query
MD_ROOT=${MD_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
source "$MD_ROOT/tests/lib/tap.sh"
source "$MD_ROOT/tests/lib/pg.sh"
IT_LIB="$MD_ROOT/tests/integration/lib"
DEPLOY="$IT_LIB/deploy.sh"
FIX_MIG="$FIXTURES/scenarios/migrations"

it_start() {
	command -v psql >/dev/null && command -v pg_dump >/dev/null ||
		skip_all "no PostgreSQL client (psql, pg_dump)"
	pg_start >"$WORK/.pgstart" 2>&1 || {
		cat "$WORK/.pgstart" | tap_diag
		skip_all "cannot start a PostgreSQL server"
	}
	# pg.sh's EXIT trap replaced tap.sh's: keep both clean-ups
	trap 'pg_stop; rm -rf "$WORK"' EXIT
}

db_new() {
	if [ -n "${2:-}" ]; then pg_psql -d postgres -c "CREATE DATABASE \"$1\" TEMPLATE \"$2\""
	else pg_psql -d postgres -c "CREATE DATABASE \"$1\""; fi
}

deploy() { bash "$DEPLOY" "$@"; }

mig_prefix() { # out src last [extra...]
	local out=$1 src=$2 last=$3 d
	shift 3
	rm -rf "$out"; mkdir -p "$out"
	[ -f "$src/migration_lock.toml" ] && cp "$src/migration_lock.toml" "$out/"
	for d in "$src"/*/; do
		d=${d%/}
		[ -d "$d" ] || continue
		[[ "$(basename "$d")" > "$last" ]] && continue
		cp -r "$d" "$out/"
	done
	for d in "$@"; do cp -r "$d"/*/ "$out/"; done
}

schema_dump() { # db out
	# pg_dump >= 15.14 brackets the script with \restrict / \unrestrict and
	# a random key (CVE-2025-8714): different on every run
	# -x: grants are not part of what migrations manage here, and the
	# permission scenario's role keeps its grants after the repair
	# -N / -T: the backup copy of _prisma_migrations a repair script makes
	# first (DESIGN.md §5) is meant to stay; it is checked on its own.  It
	# lives in schema migdoctor_backup (issue 9); -T covers the older place,
	# next to _prisma_migrations in public
	pg_dump -s -x -N migdoctor_backup -T 'public._prisma_migrations_backup*' -d "$1" | grep -v -e '^-- Dumped from' -e '^-- Dumped by' \
		-e '^\\restrict ' -e '^\\unrestrict ' >"$2"
}

rows_dump() { # db out
	pg_psql -At -F '|' -d "$1" -c "SELECT id, checksum, finished_at, migration_name,
		coalesce(md5(logs), '<null>'), rolled_back_at, started_at, applied_steps_count
		FROM _prisma_migrations ORDER BY id" >"$2"
}

q() { pg_psql -At -d "$1" -c "$2"; }

# expect_exit, keeping the command's output in $WORK/last.out / last.err
# (ok_if overwrites tap.sh's .out/.err)
run_exit() {
	expect_exit "$@"
	cp "$WORK/.out" "$WORK/last.out"; cp "$WORK/.err" "$WORK/last.err"
}
