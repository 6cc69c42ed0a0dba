-- Index mirror for FerretDB v1 on PostgreSQL, run in FerretDB's database at every engine start.
--
-- FerretDB pushes a top-level equality filter down as `_jsonb -> $1 @> $2`, but the indexes it makes
-- for createIndexes (what mongoose's schema.index() and unique fields send) are btree indexes on
-- `(_jsonb -> 'field')`, which `@>` cannot use. For each such index this creates the GIN
-- `jsonb_path_ops` index on the same expression, which `@>` can use once plans are custom
-- (`plan_cache_mode = force_custom_plan`, set on the database by the engine). So every index a schema
-- declares is mirrored with no application code: new ones by the event trigger as FerretDB creates
-- them, existing ones by the sweep at the end of this file. Idempotent.

CREATE OR REPLACE FUNCTION qh_mirror_index(index_oid oid) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  def text := pg_get_indexdef(index_oid);
  tbl regclass;
  field text;
  name text;
  made integer := 0;
BEGIN
  IF def ILIKE '%USING gin%' THEN RETURN 0; END IF;
  SELECT indrelid::regclass INTO tbl FROM pg_index WHERE indexrelid = index_oid;
  -- Each top-level field of the index (a compound index gives several): `_jsonb -> 'field'::text`.
  FOR field IN SELECT DISTINCT (regexp_matches(def, '\(_jsonb -> ''([^'']+)''::text\)', 'g'))[1] LOOP
    name := left(split_part(replace(tbl::text, '"', ''), '.', 2), 40) || '_' || left(md5(field), 8) || '_gin';
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING gin ((_jsonb -> %L) jsonb_path_ops)', name, tbl, field);
    made := made + 1;
  END LOOP;
  RETURN made;
END $$;

CREATE OR REPLACE FUNCTION qh_mirror_new_indexes() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' LOOP
    PERFORM qh_mirror_index(r.objid);
  END LOOP;
END $$;

DROP EVENT TRIGGER IF EXISTS qh_mirror_new_indexes;
CREATE EVENT TRIGGER qh_mirror_new_indexes ON ddl_command_end WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION qh_mirror_new_indexes();

-- Indexes made before the trigger existed (an older data folder): mirrored now.
SELECT count(qh_mirror_index(i.indexrelid))
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND pg_get_indexdef(i.indexrelid) LIKE '%(_jsonb -> %';
