-- AlterTable
ALTER TABLE "Hook" ADD COLUMN     "fieldTypes" JSONB NOT NULL DEFAULT '{}';
