import { z } from "zod";

// Control characters and bidi overrides would let a display name spoof what an
// admin reads in the console.
const unsafeCharacters = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

export const displayText = (max: number) =>
  z
    .string()
    .normalize("NFC")
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !unsafeCharacters.test(value), {
      message: "Contains control or bidi characters",
    });

export const entityId = z.uuid();
export const identityPublicKeyHex = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, "Expected 32 bytes as hex");
export const signatureHex = z.string().regex(/^[0-9a-fA-F]{128}$/, "Expected 64 bytes as hex");
export const invitationCode = z.string().min(1).max(64);
export const refreshToken = z.string().min(1).max(256);
export const accessToken = z.string().min(1).max(4096);
