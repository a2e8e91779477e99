import type { Keyring } from "@conclave/auth/jwt-keyring";
import type { PrismaClient } from "@conclave/db/create-prisma-client";
import type { Logger } from "@conclave/logger/create-logger";
import type { AbuseProtection } from "../abuse/create-abuse-protection";
import type { Clock } from "../clock/clock";
import type { FieldCipher } from "../encryption/field-cipher-service";
import type { ApiMetrics } from "../metrics/create-api-metrics";
import type { GuardianEventBus } from "../events/guardian-event-bus";
import type { SessionRevocationBus } from "../events/session-revocation-bus";
import type { ApiConfig } from "./api-config";

// Server-side peppers (HMAC keys) for the three kinds of stored secrets; each has its
// own so a leak of one table's hashes says nothing about another.
export type ApiPeppers = {
  inviteCode: string;
  apiKey: string;
  refreshToken: string;
};

// Everything the API needs from its host process; both front doors build one.
export type ApiDependencies = {
  prisma: PrismaClient;
  logger: Logger;
  clock: Clock;
  keyring: Keyring;
  peppers: ApiPeppers;
  config: ApiConfig;
  sessionEvents: SessionRevocationBus;
  guardianEvents: GuardianEventBus;
  // Rate limits, connection caps, backoff and bans (createProcessAbuseProtection).
  abuse: AbuseProtection;
  // The process's Prometheus metrics, on the registry its composition root built.
  metrics: ApiMetrics;
  // Sensitive columns (TOTP secrets) are stored encrypted under data keys (DataKey).
  fields: FieldCipher;
};
