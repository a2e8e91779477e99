-- CreateEnum
CREATE TYPE "DkgCeremonyStatus" AS ENUM ('OPEN', 'COMPLETED', 'FAILED', 'EXPIRED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "TransactionStatus" AS ENUM ('PENDING', 'SIGNING', 'COMPLETED', 'FAILED', 'EXPIRED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "SigningAttemptStatus" AS ENUM ('COMMITTING', 'SIGNING', 'COMPLETED', 'FAILED', 'EXPIRED', 'CANCELLED');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "AuditAction" ADD VALUE 'vault.disable';
ALTER TYPE "AuditAction" ADD VALUE 'vault.delete';
ALTER TYPE "AuditAction" ADD VALUE 'vault.invite_open';
ALTER TYPE "AuditAction" ADD VALUE 'vault.activate';
ALTER TYPE "AuditAction" ADD VALUE 'keygen.start';
ALTER TYPE "AuditAction" ADD VALUE 'keygen.round1';
ALTER TYPE "AuditAction" ADD VALUE 'keygen.round2';
ALTER TYPE "AuditAction" ADD VALUE 'keygen.round3';
ALTER TYPE "AuditAction" ADD VALUE 'keygen.fail';
ALTER TYPE "AuditAction" ADD VALUE 'keygen.expire';
ALTER TYPE "AuditAction" ADD VALUE 'transaction.create';
ALTER TYPE "AuditAction" ADD VALUE 'transaction.cancel';
ALTER TYPE "AuditAction" ADD VALUE 'transaction.complete';
ALTER TYPE "AuditAction" ADD VALUE 'transaction.fail';
ALTER TYPE "AuditAction" ADD VALUE 'transaction.expire';
ALTER TYPE "AuditAction" ADD VALUE 'signing.commit';
ALTER TYPE "AuditAction" ADD VALUE 'signing.package';
ALTER TYPE "AuditAction" ADD VALUE 'signing.share';
ALTER TYPE "AuditAction" ADD VALUE 'signing.cheater';
ALTER TYPE "AuditAction" ADD VALUE 'signing.attempt';

-- AlterTable
ALTER TABLE "Vault" ADD COLUMN     "activatedAt" TIMESTAMPTZ(3),
ADD COLUMN     "deletedAt" TIMESTAMPTZ(3),
ADD COLUMN     "disabledAt" TIMESTAMPTZ(3),
ADD COLUMN     "groupPublicKey" VARCHAR(66),
ADD COLUMN     "groupPublicKeyXOnly" VARCHAR(64),
ADD COLUMN     "network" VARCHAR(32) NOT NULL DEFAULT 'mainnet',
ADD COLUMN     "publicKeyPackage" JSONB;

-- AlterTable
ALTER TABLE "VaultMembership" ADD COLUMN     "guardianIndex" INTEGER;

-- CreateTable
CREATE TABLE "DkgCeremony" (
    "id" UUID NOT NULL,
    "vaultId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "round" INTEGER NOT NULL,
    "status" "DkgCeremonyStatus" NOT NULL DEFAULT 'OPEN',
    "roundDeadline" TIMESTAMPTZ(3) NOT NULL,
    "failureReason" VARCHAR(64),
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "closedAt" TIMESTAMPTZ(3),

    CONSTRAINT "DkgCeremony_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DkgRound1Submission" (
    "id" UUID NOT NULL,
    "ceremonyId" UUID NOT NULL,
    "guardianIndex" INTEGER NOT NULL,
    "guardianId" UUID NOT NULL,
    "package" JSONB NOT NULL,
    "roundPublicKey" VARCHAR(64) NOT NULL,
    "roundKeySignature" VARCHAR(128) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DkgRound1Submission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DkgRound2Envelope" (
    "id" UUID NOT NULL,
    "ceremonyId" UUID NOT NULL,
    "senderIndex" INTEGER NOT NULL,
    "recipientIndex" INTEGER NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "signature" VARCHAR(128) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DkgRound2Envelope_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DkgRound3Report" (
    "id" UUID NOT NULL,
    "ceremonyId" UUID NOT NULL,
    "guardianIndex" INTEGER NOT NULL,
    "publicKeyPackage" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DkgRound3Report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Transaction" (
    "id" UUID NOT NULL,
    "vaultId" UUID NOT NULL,
    "chain" VARCHAR(32) NOT NULL,
    "network" VARCHAR(32) NOT NULL,
    "destination" VARCHAR(128) NOT NULL,
    "amount" VARCHAR(80) NOT NULL,
    "memo" VARCHAR(1024) NOT NULL,
    "digest" VARCHAR(64) NOT NULL,
    "status" "TransactionStatus" NOT NULL DEFAULT 'PENDING',
    "currentAttempt" INTEGER NOT NULL DEFAULT 1,
    "maxAttempts" INTEGER NOT NULL,
    "signature" VARCHAR(128),
    "failureReason" VARCHAR(64),
    "createdByType" VARCHAR(16) NOT NULL,
    "createdByActor" UUID NOT NULL,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "completedAt" TIMESTAMPTZ(3),
    "cancelledAt" TIMESTAMPTZ(3),

    CONSTRAINT "Transaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SigningAttempt" (
    "id" UUID NOT NULL,
    "transactionId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status" "SigningAttemptStatus" NOT NULL DEFAULT 'COMMITTING',
    "signerIndexes" INTEGER[],
    "signingPackage" JSONB,
    "roundDeadline" TIMESTAMPTZ(3) NOT NULL,
    "failureReason" VARCHAR(64),
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "closedAt" TIMESTAMPTZ(3),

    CONSTRAINT "SigningAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SigningCommitment" (
    "id" UUID NOT NULL,
    "attemptId" UUID NOT NULL,
    "guardianId" UUID NOT NULL,
    "signerIndex" INTEGER NOT NULL,
    "hiding" VARCHAR(66) NOT NULL,
    "binding" VARCHAR(66) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SigningCommitment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignatureShareSubmission" (
    "id" UUID NOT NULL,
    "attemptId" UUID NOT NULL,
    "guardianId" UUID NOT NULL,
    "signerIndex" INTEGER NOT NULL,
    "share" VARCHAR(64) NOT NULL,
    "valid" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SignatureShareSubmission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SigningExclusion" (
    "id" UUID NOT NULL,
    "transactionId" UUID NOT NULL,
    "guardianId" UUID NOT NULL,
    "signerIndex" INTEGER NOT NULL,
    "attempt" INTEGER NOT NULL,
    "reason" VARCHAR(64) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SigningExclusion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GuardianEvent" (
    "id" BIGSERIAL NOT NULL,
    "guardianId" UUID NOT NULL,
    "vaultId" UUID,
    "type" VARCHAR(64) NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "GuardianEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DkgCeremony_status_roundDeadline_idx" ON "DkgCeremony"("status", "roundDeadline");

-- CreateIndex
CREATE UNIQUE INDEX "DkgCeremony_vaultId_attempt_key" ON "DkgCeremony"("vaultId", "attempt");

-- CreateIndex
CREATE UNIQUE INDEX "DkgRound1Submission_ceremonyId_guardianIndex_key" ON "DkgRound1Submission"("ceremonyId", "guardianIndex");

-- CreateIndex
CREATE INDEX "DkgRound2Envelope_ceremonyId_recipientIndex_idx" ON "DkgRound2Envelope"("ceremonyId", "recipientIndex");

-- CreateIndex
CREATE UNIQUE INDEX "DkgRound2Envelope_ceremonyId_senderIndex_recipientIndex_key" ON "DkgRound2Envelope"("ceremonyId", "senderIndex", "recipientIndex");

-- CreateIndex
CREATE UNIQUE INDEX "DkgRound3Report_ceremonyId_guardianIndex_key" ON "DkgRound3Report"("ceremonyId", "guardianIndex");

-- CreateIndex
CREATE INDEX "Transaction_vaultId_createdAt_idx" ON "Transaction"("vaultId", "createdAt");

-- CreateIndex
CREATE INDEX "Transaction_status_expiresAt_idx" ON "Transaction"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "SigningAttempt_status_roundDeadline_idx" ON "SigningAttempt"("status", "roundDeadline");

-- CreateIndex
CREATE UNIQUE INDEX "SigningAttempt_transactionId_attempt_key" ON "SigningAttempt"("transactionId", "attempt");

-- CreateIndex
CREATE UNIQUE INDEX "SigningCommitment_hiding_key" ON "SigningCommitment"("hiding");

-- CreateIndex
CREATE UNIQUE INDEX "SigningCommitment_binding_key" ON "SigningCommitment"("binding");

-- CreateIndex
CREATE UNIQUE INDEX "SigningCommitment_attemptId_signerIndex_key" ON "SigningCommitment"("attemptId", "signerIndex");

-- CreateIndex
CREATE UNIQUE INDEX "SignatureShareSubmission_attemptId_signerIndex_key" ON "SignatureShareSubmission"("attemptId", "signerIndex");

-- CreateIndex
CREATE UNIQUE INDEX "SigningExclusion_transactionId_guardianId_key" ON "SigningExclusion"("transactionId", "guardianId");

-- CreateIndex
CREATE INDEX "GuardianEvent_guardianId_id_idx" ON "GuardianEvent"("guardianId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "VaultMembership_vaultId_guardianIndex_key" ON "VaultMembership"("vaultId", "guardianIndex");

-- AddForeignKey
ALTER TABLE "DkgCeremony" ADD CONSTRAINT "DkgCeremony_vaultId_fkey" FOREIGN KEY ("vaultId") REFERENCES "Vault"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DkgRound1Submission" ADD CONSTRAINT "DkgRound1Submission_ceremonyId_fkey" FOREIGN KEY ("ceremonyId") REFERENCES "DkgCeremony"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DkgRound2Envelope" ADD CONSTRAINT "DkgRound2Envelope_ceremonyId_fkey" FOREIGN KEY ("ceremonyId") REFERENCES "DkgCeremony"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DkgRound3Report" ADD CONSTRAINT "DkgRound3Report_ceremonyId_fkey" FOREIGN KEY ("ceremonyId") REFERENCES "DkgCeremony"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Transaction" ADD CONSTRAINT "Transaction_vaultId_fkey" FOREIGN KEY ("vaultId") REFERENCES "Vault"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SigningAttempt" ADD CONSTRAINT "SigningAttempt_transactionId_fkey" FOREIGN KEY ("transactionId") REFERENCES "Transaction"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SigningCommitment" ADD CONSTRAINT "SigningCommitment_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "SigningAttempt"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SignatureShareSubmission" ADD CONSTRAINT "SignatureShareSubmission_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "SigningAttempt"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SigningExclusion" ADD CONSTRAINT "SigningExclusion_transactionId_fkey" FOREIGN KEY ("transactionId") REFERENCES "Transaction"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
