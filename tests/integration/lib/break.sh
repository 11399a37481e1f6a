# break.sh - put a database into the broken states seen in the field.
# Sourced after common.sh (uses deploy, pg_psql, q).  Each breaker says
# which field story it reproduces.
#
#   break_restore_table DB TABLE FROM_DB
#       "restored an old backup of one table": TABLE is dropped (CASCADE)
#       and re-created with its data from FROM_DB (an older state), so
#       columns/constraints added by later migrations are gone while their
#       _prisma_migrations rows stay.
#   break_drop DB OBJECT_SQL...
#       "rollback to an older version / restore of an old backup": objects
#       created by applied migrations vanish, their rows stay.
#   break_manual DB SQL
#       a hand-made hotfix or `db push`: objects a pending migration also
#       creates (its next deploy fails 42P07/42701/42710).
#   break_unbaselined DB DIR
#       every migration's SQL run by hand, no _prisma_migrations (P3005).
#   break_interrupted DB DIR NAME STEPS
#       the deploy process was killed: the row was inserted, then either
#       nothing (STEPS 0: the script's implicit transaction rolled back) or
#       the script committed and steps = 1 was written but finished_at
#       never was (STEPS 1).
#   break_resolved_without_running DB DIR NAME
#       LiteLLM's automatic recovery: `resolve --applied` on a migration
#       whose SQL never ran (steps 0, logs '').
#   break_edit_migration DIR NAME
#       checksum drift: the local migration.sql edited after it was applied.
#   break_no_create_role DB ROLE
#       a role that may use the tables' schema and _prisma_migrations but
#       owns nothing and has no CREATE: DDL fails 42501.

break_restore_table() { # db table from_db
	pg_dump -d "$3" -t "\"$2\"" --no-owner >"$WORK/.restore.sql" || return 1
	pg_psql -d "$1" -c "DROP TABLE \"$2\" CASCADE" >/dev/null &&
		pg_psql -d "$1" -f "$WORK/.restore.sql" >/dev/null
}

break_drop() { # db sql...
	local db=$1 s
	shift
	for s in "$@"; do pg_psql -d "$db" -c "$s" >/dev/null || return 1; done
}

break_manual() { pg_psql -d "$1" -c "$2" >/dev/null; }

break_unbaselined() { # db dir
	local d f
	for d in "$2"/*/; do
		f=$d/migration.sql
		[ -f "$f" ] || continue
		psql -X -q -v ON_ERROR_STOP=1 -d "$1" -c "$(cat "$f")" >/dev/null || return 1
	done
}

break_interrupted() { # db dir name steps
	local db=$1 f=$2/$3/migration.sql
	pg_psql -d "$db" -v id="$(cat /proc/sys/kernel/random/uuid)" \
		-v sum="$(sha256sum <"$f" | cut -d' ' -f1)" \
		-v started="$(date -u +'%Y-%m-%d %H:%M:%S.%6N+00')" -v name="$3" >/dev/null <<'SQL' || return 1
INSERT INTO "_prisma_migrations" ("id","checksum","started_at","migration_name") VALUES (:'id', :'sum', :'started', :'name');
SQL
	[ "$4" = 1 ] || return 0
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "$(cat "$f")" >/dev/null || return 1
	pg_psql -d "$db" -v name="$3" >/dev/null <<'SQL'
UPDATE "_prisma_migrations" SET "applied_steps_count" = ("applied_steps_count" + 1) WHERE migration_name = :'name' AND finished_at IS NULL;
SQL
}

break_resolved_without_running() { # db dir name
	deploy resolve -d "$1" -m "$2" --applied "$3" >/dev/null
}

break_edit_migration() { # dir name
	printf '\n-- edited after release\n' >>"$1/$2/migration.sql"
}

break_no_create_role() { # db role
	pg_psql -d "$1" >/dev/null <<SQL
DO \$\$ BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$2') THEN CREATE ROLE "$2" LOGIN; END IF;
END \$\$;
GRANT USAGE ON SCHEMA public TO "$2";
REVOKE CREATE ON SCHEMA public FROM "$2";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "$2";
SQL
}
