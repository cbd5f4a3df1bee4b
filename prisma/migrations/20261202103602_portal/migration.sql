-- AlterTable
ALTER TABLE "Listener" ADD COLUMN     "customer" TEXT;

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "portalOrigins" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "portalTheme" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "PortalLink" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "customer" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PortalLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PortalLink_tokenHash_key" ON "PortalLink"("tokenHash");

-- CreateIndex
CREATE INDEX "PortalLink_projectId_customer_createdAt_idx" ON "PortalLink"("projectId", "customer", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Listener_projectId_customer_idx" ON "Listener"("projectId", "customer");

-- AddForeignKey
ALTER TABLE "PortalLink" ADD CONSTRAINT "PortalLink_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
