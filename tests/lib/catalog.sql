-- catalog.sql - the schema of the current database, one fact per line, in
-- the canonical form of 'migdoctor touches --print-schema' (catalog_render_text):
-- the replay of the migrations must produce exactly these lines.
CREATE FUNCTION pg_temp.qi(x text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN x ~ '^[a-z_][a-z0-9_]*$' THEN x ELSE '"' || replace(x, '"', '""') || '"' END
$$;
SELECT line FROM (
  SELECT 'table ' || pg_temp.qi(n.nspname) || '.' || pg_temp.qi(c.relname) AS line
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p') AND n.nspname = :'schema' AND c.relname <> '_prisma_migrations'
  UNION ALL
  SELECT 'column ' || pg_temp.qi(n.nspname) || '.' || pg_temp.qi(c.relname) || '.' || pg_temp.qi(a.attname)
         || ' ' || format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
         || CASE WHEN a.atthasdef THEN ' default' ELSE '' END
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p') AND n.nspname = :'schema' AND c.relname <> '_prisma_migrations'
     AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'constraint ' || pg_temp.qi(n.nspname) || '.' || pg_temp.qi(c.relname) || ' ' || pg_temp.qi(con.conname)
         || ' ' || con.contype::text
         || CASE WHEN con.contype = 'f' THEN ' -> ' || pg_temp.qi(fn.nspname) || '.' || pg_temp.qi(fc.relname) ELSE '' END
    FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_class fc ON fc.oid = con.confrelid LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
   WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') AND n.nspname = :'schema' AND c.relname <> '_prisma_migrations'
  UNION ALL
  SELECT CASE WHEN i.indisunique THEN 'unique index ' ELSE 'index ' END
         || pg_temp.qi(n.nspname) || '.' || pg_temp.qi(ic.relname) || ' on ' || pg_temp.qi(c.relname) || ' ('
         || (SELECT string_agg(pg_get_indexdef(i.indexrelid, k, true), ', ' ORDER BY k)
               FROM generate_series(1, i.indnkeyatts) k) || ')'
    FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = ic.relnamespace
   WHERE n.nspname = :'schema' AND c.relname <> '_prisma_migrations'
  UNION ALL
  SELECT 'enum ' || pg_temp.qi(n.nspname) || '.' || pg_temp.qi(t.typname) || ' ('
         || string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) || ')'
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
   WHERE n.nspname = :'schema'
   GROUP BY n.nspname, t.typname
  UNION ALL
  SELECT 'extension ' || pg_temp.qi(extname) FROM pg_extension WHERE extname <> 'plpgsql'
) facts ORDER BY line COLLATE "C";
