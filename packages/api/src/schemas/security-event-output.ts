import { z } from "zod";
import { isoDate } from "./identity-output-schemas";

// A security event as the console shows it, on the dashboard and in its own list.
export const securityEventOutput = z.strictObject({
  id: z.uuid(),
  at: isoDate,
  kind: z.string(),
  severity: z.enum(["INFO", "WARN", "CRITICAL"]),
  ip: z.string().nullable(),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  details: z.string(),
});
