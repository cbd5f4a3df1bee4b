-- AlterTable
ALTER TABLE "Listener" ADD COLUMN     "name" TEXT;
