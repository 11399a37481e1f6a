#!/bin/bash
# history_samples.sh - the pg_dump 18 / psql 18 exports in $MIGDOCTOR_SHARED/samples
# read back as the rows their setup.sql creates, rendered by a PostgreSQL
# this script starts (the ground truth is setup.sql, not migdoctor).
# Skips cleanly when the samples folder or the server is absent.
source "$MD_ROOT/tests/lib/tap.sh"
source "$MD_ROOT/tests/lib/pg.sh"
S=$SHARED/samples
[ -f "$S/setup.sql" ] || skip_all "no $S (set MIGDOCTOR_SHARED)"
pg_start >/dev/null 2>&1 || skip_all "cannot start PostgreSQL"

pg_psql -f "$S/setup.sql" >/dev/null 2>&1 || { echo "not ok 1 - setup.sql"; exit 1; }
expected() { # logs-expression extra -> sorted rows
	PGDATABASE=app psql -X -q -A -t -v ON_ERROR_STOP=1 <<SQL | mask | LC_ALL=C sort
SET TimeZone = 'UTC';
CREATE FUNCTION pg_temp.j(t text) RETURNS text LANGUAGE sql AS \$\$ SELECT coalesce(to_json(t)::text, 'null') \$\$;
CREATE FUNCTION pg_temp.disp(t text) RETURNS text LANGUAGE plpgsql AS \$\$
DECLARE r text := ''; col int := 0; c text;
BEGIN
  IF t IS NULL THEN RETURN NULL; END IF;
  FOR i IN 1 .. length(t) LOOP
    c := substr(t, i, 1);
    IF c = E'\n' THEN r := r || c; col := 0;
    ELSIF c = E'\t' THEN r := r || repeat(' ', 8 - col % 8); col := col + 8 - col % 8;
    ELSIF c = E'\r' THEN r := r || '\r'; col := col + 2;
    ELSIF ascii(c) < 32 OR ascii(c) = 127 THEN r := r || '\x' || upper(lpad(to_hex(ascii(c)), 2, '0')); col := col + 4;
    ELSE r := r || c; col := col + 1;
    END IF;
  END LOOP;
  RETURN r;
END \$\$;
SELECT '{"id": ' || pg_temp.j(id) || ', "checksum": ' || pg_temp.j(checksum)
  || ', "finished_at": ' || pg_temp.j(finished_at::text)
  || ', "migration_name": ' || pg_temp.j(migration_name)
  || ', "logs": ' || pg_temp.j($1)
  || ', "rolled_back_at": ' || pg_temp.j(rolled_back_at::text)
  || ', "started_at": ' || pg_temp.j(started_at::text)
  || ', "applied_steps_count": ' || coalesce(applied_steps_count::text, 'null')
  || $2 || '}'
FROM _prisma_migrations;
SQL
}
# setup.sql sets one rolled_back_at to now(): compare that one as "set"
mask() { sed 's/"rolled_back_at": "[^"]*"/"rolled_back_at": "<set>"/'; }
amb="CASE WHEN coalesce(logs, '') = '' THEN ', \"ambiguous\": [\"logs\"]' ELSE '' END"
expected logs "''" >"$WORK/exact"
expected "nullif(logs, '')" "$amb" >"$WORK/raw"
expected "nullif(pg_temp.disp(logs), '')" "$amb" >"$WORK/display"
pg_stop

check() { # expected-file file [args]
	local exp=$1 f=$2; shift 2
	if [ ! -e "$S/$f" ]; then tap_skip "$f" "absent"; return; fi
	"$MIGDOCTOR" history --format json "$@" "$S/$f" 2>"$WORK/err" |
		sed -n 's/^    \({.*}\),\{0,1\}$/\1/p' | mask | LC_ALL=C sort >"$WORK/got"
	golden "$f $*" "$WORK/$exp" "$WORK/got"
}
for f in pg18/plain.sql pg18/plain_key.sql pg18/qai.sql pg18/inserts.sql pg18/colins.sql \
	pg18/inserts_nostd.sql pg18/stats.sql psql/copytext.tsv psql/copycsv.txt psql/copyclient.csv; do
	check exact "$f"
done
check exact pg18/all.sql --database app
for f in psql/psqlcsv.txt psql/unaligned.txt; do check raw "$f"; done
for f in psql/aligned.txt psql/border2.txt psql/unicode.txt psql/wrapped.txt psql/expanded.txt \
	psql/expanded_wrapped.txt psql/tuples_only.txt; do
	check display "$f"
done
tap_done
