-- Ingest compiles a payload validator per hook into its plan, keyed by ingestVersion: a change of
-- field types must bump it like a change of providesArgs does, whoever makes it.
DROP TRIGGER "Hook_bump_ingest_version_on_update" ON "Hook";

CREATE TRIGGER "Hook_bump_ingest_version_on_update"
  BEFORE UPDATE OF "providesArgs", "fieldTypes", enabled ON "Hook"
  FOR EACH ROW
  WHEN (OLD."providesArgs" IS DISTINCT FROM NEW."providesArgs" OR OLD."fieldTypes" IS DISTINCT FROM NEW."fieldTypes"
        OR OLD.enabled IS DISTINCT FROM NEW.enabled)
  EXECUTE FUNCTION "durian_bump_own_ingest_version"();
