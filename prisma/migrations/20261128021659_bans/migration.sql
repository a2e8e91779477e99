-- CreateTable
CREATE TABLE "Ban" (
    "id" UUID NOT NULL,
    "ip" VARCHAR(45) NOT NULL,
    "reason" VARCHAR(200) NOT NULL,
    "strikes" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "liftedAt" TIMESTAMPTZ(3),
    "liftedBy" VARCHAR(100),

    CONSTRAINT "Ban_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Ban_ip_expiresAt_idx" ON "Ban"("ip", "expiresAt");

-- CreateIndex
CREATE INDEX "Ban_createdAt_idx" ON "Ban"("createdAt");
