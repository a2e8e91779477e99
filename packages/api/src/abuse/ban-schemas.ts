import { z } from "zod";
import { isoDate, nullableIsoDate } from "../schemas/identity-output-schemas";
import { canonicalIp } from "./ip-address";

/** An IP address in any accepted spelling, normalised to the one bans are stored under. */
export const ipAddressSchema = z
  .string()
  .max(64)
  .transform((value, ctx) => {
    const ip = canonicalIp(value);
    if (ip === null) {
      ctx.addIssue({ code: "custom", message: "Not an IP address" });
      return z.NEVER;
    }
    return ip;
  });

export const listBansInput = z.strictObject({
  activeOnly: z.boolean().default(true),
  limit: z.number().int().min(1).max(500).default(100),
});

export const liftBanInput = z.strictObject({ ip: ipAddressSchema });

export const banOutput = z.strictObject({
  id: z.uuid(),
  ip: z.string(),
  reason: z.string(),
  strikes: z.number().int(),
  createdAt: isoDate,
  expiresAt: isoDate,
  liftedAt: nullableIsoDate,
  liftedBy: z.string().nullable(),
});

export const listBansOutput = z.array(banOutput);
export const liftBanOutput = z.strictObject({ lifted: z.array(banOutput) });

export type ListBansInput = z.infer<typeof listBansInput>;
export type LiftBanInput = z.infer<typeof liftBanInput>;
