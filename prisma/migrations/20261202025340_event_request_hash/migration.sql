-- AlterTable
ALTER TABLE "Event" ADD COLUMN     "requestHash" TEXT;
