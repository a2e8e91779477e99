-- CreateEnum
CREATE TYPE "GuardianStatus" AS ENUM ('ACTIVE', 'DISABLED');

-- CreateEnum
CREATE TYPE "VaultStatus" AS ENUM ('DRAFT', 'INVITING', 'KEYGEN', 'ACTIVE', 'DISABLED', 'DELETED');

-- CreateEnum
CREATE TYPE "VaultRole" AS ENUM ('GUARDIAN');

-- CreateEnum
CREATE TYPE "SessionSubjectType" AS ENUM ('USER', 'GUARDIAN');

-- AlterEnum
ALTER TYPE "AuditAction" ADD VALUE 'guardian.logout';

-- CreateTable
CREATE TABLE "Guardian" (
    "id" UUID NOT NULL,
    "identityPublicKey" VARCHAR(64) NOT NULL,
    "displayName" VARCHAR(100) NOT NULL,
    "status" "GuardianStatus" NOT NULL DEFAULT 'ACTIVE',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Guardian_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Vault" (
    "id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "chain" VARCHAR(32) NOT NULL,
    "threshold" INTEGER NOT NULL,
    "guardianCount" INTEGER NOT NULL,
    "status" "VaultStatus" NOT NULL DEFAULT 'DRAFT',
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Vault_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VaultMembership" (
    "id" UUID NOT NULL,
    "vaultId" UUID NOT NULL,
    "guardianId" UUID NOT NULL,
    "role" "VaultRole" NOT NULL,
    "invitationId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "VaultMembership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Invitation" (
    "id" UUID NOT NULL,
    "vaultId" UUID NOT NULL,
    "role" "VaultRole" NOT NULL,
    "codeHmac" VARCHAR(64) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "usedByGuardianId" UUID,
    "revokedAt" TIMESTAMPTZ(3),
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" UUID NOT NULL,
    "subjectType" "SessionSubjectType" NOT NULL,
    "subjectId" UUID NOT NULL,
    "refreshHash" VARCHAR(64),
    "previousRefreshHash" VARCHAR(64),
    "rotatedAt" TIMESTAMPTZ(3),
    "refreshGeneration" INTEGER NOT NULL DEFAULT 0,
    "ip" VARCHAR(64),
    "userAgent" VARCHAR(512),
    "deviceName" VARCHAR(100),
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "lastActivityAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "revokeReason" VARCHAR(64),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "prefix" VARCHAR(32) NOT NULL,
    "secretHmac" VARCHAR(64) NOT NULL,
    "scopes" TEXT[],
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "lastUsedAt" TIMESTAMPTZ(3),
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdentityChallenge" (
    "id" UUID NOT NULL,
    "identityPublicKey" VARCHAR(64) NOT NULL,
    "challenge" VARCHAR(64) NOT NULL,
    "purpose" VARCHAR(64) NOT NULL,
    "origin" VARCHAR(255) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "IdentityChallenge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Guardian_identityPublicKey_key" ON "Guardian"("identityPublicKey");

-- CreateIndex
CREATE UNIQUE INDEX "VaultMembership_invitationId_key" ON "VaultMembership"("invitationId");

-- CreateIndex
CREATE INDEX "VaultMembership_guardianId_idx" ON "VaultMembership"("guardianId");

-- CreateIndex
CREATE UNIQUE INDEX "VaultMembership_vaultId_guardianId_key" ON "VaultMembership"("vaultId", "guardianId");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_codeHmac_key" ON "Invitation"("codeHmac");

-- CreateIndex
CREATE INDEX "Invitation_vaultId_idx" ON "Invitation"("vaultId");

-- CreateIndex
CREATE INDEX "Session_subjectType_subjectId_idx" ON "Session"("subjectType", "subjectId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_prefix_key" ON "ApiKey"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "IdentityChallenge_challenge_key" ON "IdentityChallenge"("challenge");

-- CreateIndex
CREATE INDEX "IdentityChallenge_expiresAt_idx" ON "IdentityChallenge"("expiresAt");

-- AddForeignKey
ALTER TABLE "Vault" ADD CONSTRAINT "Vault_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VaultMembership" ADD CONSTRAINT "VaultMembership_vaultId_fkey" FOREIGN KEY ("vaultId") REFERENCES "Vault"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VaultMembership" ADD CONSTRAINT "VaultMembership_guardianId_fkey" FOREIGN KEY ("guardianId") REFERENCES "Guardian"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VaultMembership" ADD CONSTRAINT "VaultMembership_invitationId_fkey" FOREIGN KEY ("invitationId") REFERENCES "Invitation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_vaultId_fkey" FOREIGN KEY ("vaultId") REFERENCES "Vault"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_usedByGuardianId_fkey" FOREIGN KEY ("usedByGuardianId") REFERENCES "Guardian"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
