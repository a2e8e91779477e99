import { z } from "zod";

const hex32 = z.string().regex(/^[0-9a-f]{64}$/u);

export const sessionTokensSchema = z.strictObject({
  sessionId: z.uuid(),
  accessToken: z.string().min(1),
  accessTokenExpiresAt: z.iso.datetime({ offset: true }),
  refreshToken: z.string().min(1),
});

export const guardianStateSchema = z.strictObject({
  version: z.literal(1),
  /** The https origin the guardian joined; challenges must name exactly this. */
  serverOrigin: z.url(),
  guardianId: z.uuid(),
  vaultIds: z.array(z.uuid()),
  deviceName: z.string().min(1).max(100),
  identity: z.strictObject({ secretKeyHex: hex32, publicKeyHex: hex32 }),
  /** Null once the session has ended; the identity key logs in again. */
  session: sessionTokensSchema.nullable(),
});

export type SessionTokens = z.infer<typeof sessionTokensSchema>;
export type GuardianState = z.infer<typeof guardianStateSchema>;
