import { z } from "zod";
import { vaultTaprootAddress } from "@conclave/validators/taproot-address";
import { apiKeyScopes } from "../rbac/permissions";

// Dates leave as ISO strings, so the client's inferred type matches the JSON it gets.
export const isoDate = z.date().transform((date) => date.toISOString());
export const nullableIsoDate = isoDate.nullable();

export const issuedTokensOutput = z.strictObject({
  accessToken: z.string(),
  accessTokenExpiresAt: isoDate,
  refreshToken: z.string(),
  sessionId: z.uuid(),
});

export const sessionOutput = z.strictObject({
  id: z.uuid(),
  subjectType: z.enum(["USER", "GUARDIAN"]),
  subjectId: z.uuid(),
  deviceName: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: isoDate,
  lastActivityAt: isoDate,
  expiresAt: isoDate,
  revokedAt: nullableIsoDate,
  revokeReason: z.string().nullable(),
  current: z.boolean(),
});

/** `address`: the P2TR address of an ACTIVE Bitcoin vault (vaultTaprootAddress), else null. */
export const vaultOutput = z
  .strictObject({
    id: z.uuid(),
    name: z.string(),
    chain: z.string(),
    network: z.string(),
    groupPublicKeyXOnly: z.string().nullable(),
    threshold: z.number().int(),
    guardianCount: z.number().int(),
    status: z.enum(["DRAFT", "INVITING", "KEYGEN", "ACTIVE", "DISABLED", "DELETED"]),
    createdAt: isoDate,
  })
  .transform((vault) => ({ ...vault, address: vaultTaprootAddress(vault) }));

export const invitationOutput = z.strictObject({
  id: z.uuid(),
  vaultId: z.uuid(),
  role: z.literal("GUARDIAN"),
  status: z.enum(["PENDING", "USED", "REVOKED", "EXPIRED"]),
  expiresAt: isoDate,
  usedAt: nullableIsoDate,
  revokedAt: nullableIsoDate,
  createdAt: isoDate,
  createdById: z.uuid(),
});

export const apiKeyOutput = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  expiresAt: isoDate,
  lastUsedAt: nullableIsoDate,
  createdAt: isoDate,
  createdById: z.uuid(),
  revokedAt: nullableIsoDate,
});

export const apiKeyScopeSchema = z.enum(apiKeyScopes);

export const userOutput = z.strictObject({
  id: z.uuid(),
  email: z.string(),
  role: z.enum(["ADMIN", "VIEWER"]),
  totpEnabled: z.boolean(),
  disabledAt: nullableIsoDate,
  createdAt: isoDate,
});
