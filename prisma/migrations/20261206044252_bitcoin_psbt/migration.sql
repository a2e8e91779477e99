-- AlterEnum
ALTER TYPE "AuditAction" ADD VALUE 'transaction.import';

-- AlterTable
ALTER TABLE "SignatureShareSubmission" ADD COLUMN     "inputShares" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "SigningAttempt" ADD COLUMN     "signingPackages" JSONB;

-- AlterTable
ALTER TABLE "Transaction" ADD COLUMN     "psbt" TEXT,
ADD COLUMN     "psbtSummary" JSONB,
ADD COLUMN     "rawTransaction" TEXT,
ADD COLUMN     "sighashes" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "signatures" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "signedPsbt" TEXT,
ADD COLUMN     "txid" VARCHAR(64);

-- CreateTable
CREATE TABLE "SigningInputCommitment" (
    "id" UUID NOT NULL,
    "commitmentId" UUID NOT NULL,
    "inputIndex" INTEGER NOT NULL,
    "hiding" VARCHAR(66) NOT NULL,
    "binding" VARCHAR(66) NOT NULL,

    CONSTRAINT "SigningInputCommitment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SigningInputCommitment_hiding_key" ON "SigningInputCommitment"("hiding");

-- CreateIndex
CREATE UNIQUE INDEX "SigningInputCommitment_binding_key" ON "SigningInputCommitment"("binding");

-- CreateIndex
CREATE UNIQUE INDEX "SigningInputCommitment_commitmentId_inputIndex_key" ON "SigningInputCommitment"("commitmentId", "inputIndex");

-- AddForeignKey
ALTER TABLE "SigningInputCommitment" ADD CONSTRAINT "SigningInputCommitment_commitmentId_fkey" FOREIGN KEY ("commitmentId") REFERENCES "SigningCommitment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
