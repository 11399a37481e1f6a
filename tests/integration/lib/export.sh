# export.sh - what an operator can send from a database, in every format
# the readers accept.  Sourced after common.sh.
#
#   export_all DB OUTDIR   writes
#     full.sql     pg_dump plain (schema + data)
#     full.dump    pg_dump -Fc
#     schema.sql   pg_dump -s
#     history.csv  \copy _prisma_migrations to csv header
#     history.txt  psql aligned output of select * from _prisma_migrations
#   (history.csv / history.txt are absent when the table is: P3005 states)
export_all() { # db outdir
	local db=$1 out=$2
	mkdir -p "$out"
	pg_dump -d "$db" -f "$out/full.sql" &&
		pg_dump -Fc -d "$db" -f "$out/full.dump" &&
		pg_dump -s -d "$db" -f "$out/schema.sql" || return 1
	rm -f "$out/history.csv" "$out/history.txt"
	[ "$(q "$db" "SELECT to_regclass('_prisma_migrations') IS NOT NULL")" = t ] || return 0
	psql -X -q -d "$db" -c "\\copy _prisma_migrations to '$out/history.csv' csv header" &&
		psql -X -d "$db" -c 'select * from _prisma_migrations' >"$out/history.txt"
}
