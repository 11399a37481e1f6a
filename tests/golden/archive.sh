#!/bin/bash
# archive.sh - every pg_dump archive read gives exactly the rows the
# database holds: fixtures/archive/expected*.json were written by the
# database itself (scripts/make-archive-fixtures.sh, pg_dump 15, archive
# 1.14); the pg_dump 18 samples (archive 1.16, lz4, zstd) in
# $SHARED/samples must agree with each other and with their plain dump.
source "$MD_ROOT/tests/lib/tap.sh"
A=$FIXTURES/archive
command -v jq >/dev/null || skip_all "jq is not installed"

rows() { # file [migdoctor options...] -> sorted-key JSON rows on stdout
	local f=$1; shift
	"$MIGDOCTOR" history --format json "$@" "$f" >"$WORK/out.json" 2>"$WORK/err.txt" || return 1
	jq -S .rows "$WORK/out.json"
}
field() { jq -r ".$1" "$WORK/out.json"; }

check_rows() { # name expected file [options]
	local name=$1 exp=$2 f=$3; shift 3
	if rows "$f" "$@" >"$WORK/rows.json"; then
		golden "$name" "$exp" "$WORK/rows.json"
	else
		tap_not_ok "$name (exit status)"; tap_diag <"$WORK/err.txt"
	fi
}

check_format() { # name want
	if [ "$(field format)" = "$2" ]; then tap_ok "$1"
	else tap_not_ok "$1: format '$(field format)', expected '$2'"; fi
}

# --- fixtures made by pg_dump 15 (archive 1.14) ---
check_rows "custom, gzip (default)" "$A/expected.json" "$A/custom.dump"
check_format "custom: format names version and codec" "pg_dump custom (archive 1.14, gzip)"
ok_if "custom: the database name from the header" test "$(field database)" = app
check_rows "custom, -Z0" "$A/expected.json" "$A/custom_z0.dump"
check_format "custom -Z0: no compression" "pg_dump custom (archive 1.14, none)"
check_rows "custom, -Z9" "$A/expected.json" "$A/custom_z9.dump"
check_rows "custom written to a pipe (no data offsets)" "$A/expected.json" "$A/custom_pipe.dump"
check_format "custom pipe: says there are no offsets" "pg_dump custom (archive 1.14, gzip, no data offsets)"
check_rows "custom -Z0 written to a pipe" "$A/expected.json" "$A/custom_pipe_z0.dump"
check_rows "custom --inserts" "$A/expected.json" "$A/custom_inserts.dump"
check_rows "custom --column-inserts --rows-per-insert=2" "$A/expected.json" "$A/custom_colins.dump"
check_rows "directory, gzip" "$A/expected.json" "$A/dir"
check_format "directory: format" "pg_dump directory (archive 1.14, gzip)"
check_rows "directory, -Z0" "$A/expected.json" "$A/dir_z0"
check_rows "tar (-Ft)" "$A/expected.json" "$A/tar.tar"
check_format "tar: format" "pg_dump tar (archive 1.14, none)"
check_rows "tarball of a -Fd folder (.tar.gz)" "$A/expected.json" "$A/dir.tar.gz"
check_rows "two schemas: --schema-name 'Tenant One'" "$A/expected_tenant.json" "$A/two_schemas.dump" --schema-name "Tenant One"
check_rows "two schemas: public by default" "$A/expected.json" "$A/two_schemas.dump"
ok_if "two schemas: the default is announced" grep -q "several schemas (Tenant One, public)" "$WORK/err.txt"

expect_exit 3 "schema-only dump: exit 3" "$MIGDOCTOR" history "$A/schema_only.dump"
ok_if "schema-only dump: says there are no rows" grep -q "holds the _prisma_migrations table but no rows" "$WORK/.err"
expect_exit 3 "dump without the table: exit 3" "$MIGDOCTOR" history "$A/no_table.dump"
ok_if "dump without the table: lists the tables" grep -qx "migdoctor: error: no _prisma_migrations data in $A/no_table.dump; tables found: public.LiteLLM_SpendLogs" "$WORK/.err"
expect_exit 3 "unknown schema: exit 3" "$MIGDOCTOR" history --schema-name nope "$A/two_schemas.dump"
ok_if "unknown schema: lists the schemas" grep -q "schemas with one: Tenant One, public" "$WORK/.err"

# --- variants made here from the fixtures ---
cp -r "$A/dir" "$WORK/d"
chmod -R u+w "$WORK/d"
gz=$(cd "$WORK/d" && ls [0-9]*.dat.gz | tail -n 1)
(cd "$WORK/d" && for f in [0-9]*.dat.gz; do gunzip -c "$f" | zstd -q -o "${f%.gz}.zst" && rm "$f"; done)
check_rows "directory with zstd data files" "$A/expected.json" "$WORK/d"
(cd "$WORK/d" && for f in [0-9]*.dat.zst; do zstd -q -d -c "$f" | lz4 -q -z - "${f%.zst}.lz4" && rm "$f"; done)
check_rows "directory with lz4 data files" "$A/expected.json" "$WORK/d"
(cd "$WORK" && tar -cf d_toc_last.tar d/[0-9]* d/toc.dat && zstd -q d_toc_last.tar)
check_rows "tarball with toc.dat after the data (read twice)" "$A/expected.json" "$WORK/d_toc_last.tar"
check_rows "tarball .tar.zst" "$A/expected.json" "$WORK/d_toc_last.tar.zst"
mkdir -p "$WORK/ln" && ln -s "$WORK/d" "$WORK/ln/dump"
check_rows "directory reached through a symlink" "$A/expected.json" "$WORK/ln/dump"
gzip -c "$A/custom.dump" >"$WORK/custom.dump.gz"
check_rows "custom dump gzip-compressed as a whole (no seeking)" "$A/expected.json" "$WORK/custom.dump.gz"

# --- pg_dump 18 samples (archive 1.16; lz4, zstd), when present ---
S=$SHARED/samples/pg18
if [ -d "$S" ]; then
	rows "$S/plain.sql" --schema-name public >"$WORK/plain18.json" 2>/dev/null
	rows "$S/plain.sql" --schema-name "Tenant One" >"$WORK/plain18t.json" 2>/dev/null
	ok_if "pg18 plain: 4 public rows" test "$(jq length "$WORK/plain18.json")" = 4
	for f in custom.dump custom_pipe.dump custom_z0.dump custom_lz4.dump custom_zstd.dump \
		custom_inserts.dump dir dir_lz4 dir_zstd tar.tar; do
		check_rows "pg18 $f: public rows equal the plain dump's" "$WORK/plain18.json" "$S/$f" --schema-name public
		[ "$f" = custom_inserts.dump ] && continue
		check_rows "pg18 $f: Tenant One rows equal the plain dump's" "$WORK/plain18t.json" "$S/$f" --schema-name "Tenant One"
	done
	rows "$S/custom_lz4.dump" -n public >/dev/null
	check_format "pg18 lz4: format" "pg_dump custom (archive 1.16, lz4)"
	rows "$S/dir_zstd" -n public >/dev/null
	check_format "pg18 dir zstd: format" "pg_dump directory (archive 1.16, zstd)"
	# ground truth from setup.sql: NULL vs '' vs the two characters \N
	rows "$S/custom_zstd.dump" -n public >"$WORK/r.json"
	ok_if "pg18: logs NULL, '' and '\\N' kept apart (setup.sql)" bash -c "
		[ \"\$(jq -c '[.[].logs|type]' '$WORK/r.json')\" = '[\"null\",\"string\",\"string\",\"string\"]' ] &&
		[ \"\$(jq -r '.[2].logs' '$WORK/r.json')\" = '' ] &&
		[ \"\$(jq -r '.[3].logs' '$WORK/r.json' | cut -c1-2)\" = '\\N' ]"
	ok_if "pg18: 6-digit and 1-digit fractions (setup.sql)" bash -c "
		[ \"\$(jq -r '.[3].rolled_back_at' '$WORK/r.json')\" = '2026-01-19 12:05:00.000001+00' ] &&
		[ \"\$(jq -r '.[3].started_at' '$WORK/r.json')\" = '2026-01-19 12:00:00.5+00' ]"
	rows "$S/small_z0.dump" >/dev/null
	ok_if "pg18 small_z0.dump reads" test "$(field row_count)" -ge 1
	rows "$S/stats.dump" >/dev/null
	ok_if "pg18 stats.dump: STATISTICS DATA is not table data" test "$(field row_count)" -ge 1
else
	tap_skip "pg_dump 18 samples" "no $S"
fi
tap_done
