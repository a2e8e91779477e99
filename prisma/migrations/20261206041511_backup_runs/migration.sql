-- CreateEnum
CREATE TYPE "BackupKind" AS ENUM ('DATABASE', 'SECRETS');

-- CreateEnum
CREATE TYPE "BackupRunStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "AuditAction" ADD VALUE 'backup.create';
ALTER TYPE "AuditAction" ADD VALUE 'backup.restore';

-- CreateTable
CREATE TABLE "BackupRun" (
    "id" UUID NOT NULL,
    "kind" "BackupKind" NOT NULL,
    "status" "BackupRunStatus" NOT NULL DEFAULT 'RUNNING',
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),
    "fileName" VARCHAR(255),
    "ciphertextSha256" VARCHAR(64),
    "ciphertextBytes" BIGINT,
    "auditHeadSeq" BIGINT,
    "failureReason" VARCHAR(200),
    "operator" VARCHAR(100) NOT NULL,

    CONSTRAINT "BackupRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BackupRun_kind_status_finishedAt_idx" ON "BackupRun"("kind", "status", "finishedAt");
