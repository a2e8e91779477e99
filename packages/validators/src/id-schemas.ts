import { z } from "zod";

/**
 * Database ids are PostgreSQL UUIDs (Prisma `@default(uuid()) @db.Uuid`). The wire form
 * is the canonical lowercase 8-4-4-4-12 text; uppercase or brace forms are rejected so
 * one id has one spelling (ids are compared as strings in caches and audit rows).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const uuidSchema = z.string().regex(UUID, "expected a lowercase UUID");

export const vaultIdSchema = uuidSchema.brand<"VaultId">();
export const guardianIdSchema = uuidSchema.brand<"GuardianId">();
export const transactionIdSchema = uuidSchema.brand<"TransactionId">();
export const userIdSchema = uuidSchema.brand<"UserId">();
export const sessionIdSchema = uuidSchema.brand<"SessionId">();

export type VaultId = z.infer<typeof vaultIdSchema>;
export type GuardianId = z.infer<typeof guardianIdSchema>;
export type TransactionId = z.infer<typeof transactionIdSchema>;
export type UserId = z.infer<typeof userIdSchema>;
export type SessionId = z.infer<typeof sessionIdSchema>;
