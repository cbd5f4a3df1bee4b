-- DropIndex
DROP INDEX "Listener_hookId_indexKind_id_idx";

-- DropIndex
DROP INDEX "Listener_hookId_indexKind_indexField_indexValue_idx";

-- AlterTable
ALTER TABLE "Event" ADD COLUMN     "hookVersion" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Hook" ADD COLUMN     "configForm" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Listener" ADD COLUMN     "config" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "hookVersion" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "HookVersion" (
    "hookId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "providesArgs" TEXT[],
    "fieldTypes" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HookVersion_pkey" PRIMARY KEY ("hookId","version")
);

-- CreateIndex
CREATE INDEX "Listener_hookId_hookVersion_indexKind_indexField_indexValue_idx" ON "Listener"("hookId", "hookVersion", "indexKind", "indexField", "indexValue");

-- CreateIndex
CREATE INDEX "Listener_hookId_hookVersion_indexKind_id_idx" ON "Listener"("hookId", "hookVersion", "indexKind", "id");

-- AddForeignKey
ALTER TABLE "HookVersion" ADD CONSTRAINT "HookVersion_hookId_fkey" FOREIGN KEY ("hookId") REFERENCES "Hook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every hook's fields so far are its version 1.
INSERT INTO "HookVersion" ("hookId", version, "providesArgs", "fieldTypes", "createdAt")
SELECT id, version, "providesArgs", "fieldTypes", "createdAt" FROM "Hook";

-- The versions follow the hook's fields whoever writes them (the app, Durian's operational hooks'
-- upsert, a script): a new version number adds a version, the same number rewrites it in place.
CREATE FUNCTION "durian_record_hook_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "HookVersion" ("hookId", version, "providesArgs", "fieldTypes")
  VALUES (NEW.id, NEW.version, NEW."providesArgs", NEW."fieldTypes")
  ON CONFLICT ("hookId", version) DO UPDATE
    SET "providesArgs" = EXCLUDED."providesArgs", "fieldTypes" = EXCLUDED."fieldTypes";
  RETURN NULL;
END
$$;

CREATE TRIGGER "Hook_record_version_on_insert"
  AFTER INSERT ON "Hook"
  FOR EACH ROW EXECUTE FUNCTION "durian_record_hook_version"();

CREATE TRIGGER "Hook_record_version_on_update"
  AFTER UPDATE OF "providesArgs", "fieldTypes", version ON "Hook"
  FOR EACH ROW
  WHEN (OLD."providesArgs" IS DISTINCT FROM NEW."providesArgs" OR OLD."fieldTypes" IS DISTINCT FROM NEW."fieldTypes"
        OR OLD.version IS DISTINCT FROM NEW.version)
  EXECUTE FUNCTION "durian_record_hook_version"();

-- Ingest plans hold each version's fields: a change of types or versions outdates them too.
DROP TRIGGER "Hook_bump_ingest_version_on_update" ON "Hook";
CREATE TRIGGER "Hook_bump_ingest_version_on_update"
  BEFORE UPDATE OF "providesArgs", "fieldTypes", version, enabled ON "Hook"
  FOR EACH ROW
  WHEN (OLD."providesArgs" IS DISTINCT FROM NEW."providesArgs" OR OLD."fieldTypes" IS DISTINCT FROM NEW."fieldTypes"
        OR OLD.version IS DISTINCT FROM NEW.version OR OLD.enabled IS DISTINCT FROM NEW.enabled)
  EXECUTE FUNCTION "durian_bump_own_ingest_version"();
