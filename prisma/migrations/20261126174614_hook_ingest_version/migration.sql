-- AlterTable
ALTER TABLE "Hook" ADD COLUMN     "ingestVersion" INTEGER NOT NULL DEFAULT 0;

-- Event ingest plans in memory with the hook's ingestVersion and stores an event only while it is
-- unchanged, so every writer (the app, the delivery runner disabling a failing listener, a script,
-- a second server) must bump it: hence triggers rather than application code.
CREATE FUNCTION "durian_bump_hook_ingest_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE "Hook" SET "ingestVersion" = "ingestVersion" + 1 WHERE id = OLD."hookId";
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW."hookId" IS DISTINCT FROM OLD."hookId") THEN
    UPDATE "Hook" SET "ingestVersion" = "ingestVersion" + 1 WHERE id = NEW."hookId";
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Listener_bump_hook_ingest_version_on_insert_or_delete"
  AFTER INSERT OR DELETE ON "Listener"
  FOR EACH ROW EXECUTE FUNCTION "durian_bump_hook_ingest_version"();

-- Only what matching reads: a failure count or a rotated secret changes no event's fate.
CREATE TRIGGER "Listener_bump_hook_ingest_version_on_update"
  AFTER UPDATE OF enabled, filter, "hookId" ON "Listener"
  FOR EACH ROW
  WHEN (OLD.enabled IS DISTINCT FROM NEW.enabled OR OLD.filter IS DISTINCT FROM NEW.filter
        OR OLD."hookId" IS DISTINCT FROM NEW."hookId")
  EXECUTE FUNCTION "durian_bump_hook_ingest_version"();

CREATE FUNCTION "durian_bump_own_ingest_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."ingestVersion" := OLD."ingestVersion" + 1;
  RETURN NEW;
END
$$;

CREATE TRIGGER "Hook_bump_ingest_version_on_update"
  BEFORE UPDATE OF "providesArgs", enabled ON "Hook"
  FOR EACH ROW
  WHEN (OLD."providesArgs" IS DISTINCT FROM NEW."providesArgs" OR OLD.enabled IS DISTINCT FROM NEW.enabled)
  EXECUTE FUNCTION "durian_bump_own_ingest_version"();
