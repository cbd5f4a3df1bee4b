-- AlterTable
ALTER TABLE "DeliveryAttempt" ADD COLUMN     "bodyConfig" TEXT,
ADD COLUMN     "bodyEnvelope" BOOLEAN NOT NULL DEFAULT false,
ALTER COLUMN "requestBody" DROP NOT NULL;
