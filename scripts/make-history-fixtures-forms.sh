#!/bin/bash
# make-history-fixtures-forms.sh - the export forms people paste besides
# those of make-history-fixtures.sh: tab-separated with a header, FORCE_QUOTE
# CSV, json_agg / row_to_json, \pset format html/asciidoc/latex/troff-ms,
# a column subset. The database is fixtures/history/all.sql restored into a
# throw-away PostgreSQL 15, so the rows are those of expected*.jsonl.
#
#   scripts/make-history-fixtures-forms.sh [OUTDIR]   (default fixtures/history)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/fixtures/history}
WORK=$(mktemp -d)
. "$root/tests/lib/pg.sh"
pg_start
mkdir -p "$out"
# CREATE ROLE postgres fails (it exists): no ON_ERROR_STOP here
psql -X -q -f "$root/fixtures/history/all.sql" >/dev/null 2>&1
[ "$(PGDATABASE=app psql -X -A -t -c "SELECT count(*) FROM _prisma_migrations")" = 6 ]
export PGDATABASE=app PGTZ=UTC
q='SELECT * FROM _prisma_migrations'
cd "$out"
# psql -A -F TAB: values raw (a logs keeps its newlines and tabs), NULL empty
psql -X -A -F $'\t' -c "$q" >tsv_psql.tsv
# CSV that tells NULL from '': every non-NULL value quoted (the README's command),
# and the same without the row whose logs is '' (no "" anywhere: still exact)
psql -X -q -c "\\copy _prisma_migrations to 'csv_force_quote.csv' with (format csv, header, force_quote *)"
psql -X -q -c "\\copy (SELECT * FROM _prisma_migrations WHERE logs IS DISTINCT FROM '') to 'csv_force_quote_noempty.csv' with (format csv, header, force_quote *)"
psql -X -q -c "\\copy (SELECT * FROM _prisma_migrations WHERE logs IS DISTINCT FROM '') to 'csv_noempty.csv' csv header"
# pgAdmin "copy with headers" (TAB, strings quoted, NULL empty), written by COPY
psql -X -q -c "COPY _prisma_migrations TO STDOUT WITH (FORMAT csv, HEADER, DELIMITER E'\\t', FORCE_QUOTE (id, checksum, migration_name, logs))" >tsv_quoted.tsv
# a Markdown table as DBeaver copies one into a GitHub issue: NULL empty, '|' as \|, newlines as <br>
psql -X -q -A -t <<'SQL' >markdown.md
CREATE FUNCTION pg_temp.md(t text) RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(replace(replace(t, '|', '\|'), E'\n', '<br>'), '') $$;
SELECT '| id | checksum | finished_at | migration_name | logs | rolled_back_at | started_at | applied_steps_count |'
UNION ALL SELECT '|---|---|---|---|---|---|---|---|'
UNION ALL (SELECT '| ' || concat_ws(' | ', pg_temp.md(id), pg_temp.md(checksum), pg_temp.md(finished_at::text),
  pg_temp.md(migration_name), pg_temp.md(logs), pg_temp.md(rolled_back_at::text), pg_temp.md(started_at::text),
  pg_temp.md(applied_steps_count::text)) || ' |' FROM _prisma_migrations ORDER BY started_at);
SQL
# json: one array (json_agg), one object per line (row_to_json)
psql -X -A -t -c "SELECT json_agg(m) FROM _prisma_migrations m" >json_agg.json
psql -X -A -t -c "SELECT row_to_json(m) FROM _prisma_migrations m" >row_to_json.jsonl
# other \pset formats
for f in html asciidoc latex troff-ms; do
	psql -X -P format=$f -c "$q" >"psql_$f.txt"
done
# a subset of the columns
psql -X -q -c "\\copy (SELECT checksum, finished_at, migration_name, started_at, applied_steps_count FROM _prisma_migrations) TO 'csv_subset.csv' WITH (FORMAT csv, HEADER)"
# its rows as 'migdoctor history --format json' prints them: no key for a column not exported
psql -X -q -A -t <<'SQL' | LC_ALL=C sort >expected_subset.jsonl
CREATE FUNCTION pg_temp.j(t text) RETURNS text LANGUAGE sql AS $$ SELECT coalesce(to_json(t)::text, 'null') $$;
SELECT '{"checksum": ' || pg_temp.j(checksum) || ', "finished_at": ' || pg_temp.j(finished_at::text)
  || ', "migration_name": ' || pg_temp.j(migration_name) || ', "started_at": ' || pg_temp.j(started_at::text)
  || ', "applied_steps_count": ' || applied_steps_count || '}' FROM _prisma_migrations;
SQL
pg_stop
