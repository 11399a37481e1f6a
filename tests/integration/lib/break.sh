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
#   break_restore_old DB DUMP TABLE...
#       "restored some tables from an older backup to undo a bad delete":
#       `pg_restore --clean --if-exists -t A -t B old.dump` brings back the
#       TABLE and TABLE DATA entries only: no primary key, unique or plain
#       index, foreign key (separate archive entries), nor the columns that
#       later migrations added.  DUMP is a -Fc dump of the older database.
#   break_sanity_check DB OLDER_DB
#       LiteLLM >= 1.77.7 after a rollback: the post-deploy sanity check
#       (migrate diff against the older schema.prisma, then db execute)
#       drops what the older schema lacks: the tables, columns, plain
#       indexes and foreign keys that OLDER_DB (a clean deploy of the older
#       directory) does not have.  Expression indexes (lower(...)) are not
#       in Prisma's view of the schema: they stay.  Enums are left alone.

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

break_restore_old() { # db dump table...
	local db=$1 dump=$2 t args=()
	shift 2
	for t in "$@"; do args+=(-t "$t"); done
	# pg_restore exits 1 on errors it ignored; any would make the state
	# other than the story says
	pg_restore --clean --if-exists --no-owner -e "${args[@]}" -d "$db" "$dump"
}

# the sanity check's drops: catalog differences from OLDER_DB, in public
_sanity_objects() { # db: one line per object: kind|table|name
	psql -X -At -F '|' -d "$1" <<'SQL'
SELECT 'table', c.relname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname NOT LIKE '\_prisma\_migrations%'
UNION ALL
SELECT 'column', c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
	JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'fkey', c.relname, k.conname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
	JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND k.contype = 'f'
UNION ALL
SELECT CASE WHEN k.oid IS NULL THEN 'index' ELSE 'conindex' END, c.relname, ic.relname
	FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
	JOIN pg_namespace n ON n.oid = c.relnamespace
	LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid
	WHERE n.nspname = 'public' AND i.indexprs IS NULL AND c.relname NOT LIKE '\_prisma\_migrations%'
SQL
}

break_sanity_check() { # db older_db
	local db=$1 kind tab name sql=""
	_sanity_objects "$2" | sort >"$WORK/.sanity.old" || return 1
	_sanity_objects "$db" | sort >"$WORK/.sanity.new" || return 1
	# tables wholly new first, then the parts of tables both have
	local -A gone=()
	while IFS='|' read -r kind tab name; do
		[ "$kind" = table ] && gone[$tab]=1
	done < <(comm -13 "$WORK/.sanity.old" "$WORK/.sanity.new")
	for tab in "${!gone[@]}"; do sql+="DROP TABLE IF EXISTS \"$tab\" CASCADE;"$'\n'; done
	while IFS='|' read -r kind tab name; do
		[ -z "${gone[$tab]:-}" ] || continue
		case $kind in
		fkey | conindex) sql+="ALTER TABLE \"$tab\" DROP CONSTRAINT IF EXISTS \"$name\";"$'\n' ;;
		index) sql+="DROP INDEX IF EXISTS \"$name\";"$'\n' ;;
		esac
	done < <(comm -13 "$WORK/.sanity.old" "$WORK/.sanity.new")
	while IFS='|' read -r kind tab name; do
		[ -z "${gone[$tab]:-}" ] && [ "$kind" = column ] || continue
		sql+="ALTER TABLE \"$tab\" DROP COLUMN IF EXISTS \"$name\";"$'\n'
	done < <(comm -13 "$WORK/.sanity.old" "$WORK/.sanity.new")
	printf '%s' "$sql" >"$WORK/.sanity.sql"
	[ -z "$sql" ] || psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$WORK/.sanity.sql" >/dev/null
}
