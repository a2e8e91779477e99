-- AlterEnum
ALTER TYPE "AuditAction" ADD VALUE 'keys.rotate_data';

-- CreateTable
CREATE TABLE "DataKey" (
    "kid" TEXT NOT NULL,
    "wrappedKey" TEXT NOT NULL,
    "kekId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMPTZ(3),

    CONSTRAINT "DataKey_pkey" PRIMARY KEY ("kid")
);
