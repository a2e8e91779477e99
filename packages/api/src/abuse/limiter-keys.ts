import { createHash } from "node:crypto";

const maxPartLength = 128;

/**
 * One key segment, injective and inert: percent-encoding leaves no `:` (the segment
 * separator) and, with the extra escapes, no glob character (`*`, `?`, `[`) that the
 * library's reset SCAN pattern could expand. Long parts become `%h<sha256>`, which
 * encoding never produces (`%` is always followed by two hex digits).
 */
export function encodeKeyPart(part: string): string {
  const encoded = encodeURIComponent(part).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  if (encoded.length <= maxPartLength) return encoded;
  return `%h${createHash("sha256").update(part, "utf8").digest("hex")}`;
}

/** The identifier passed to the library for a limit's subject, e.g. (txId, guardianId). */
export function limitIdentifier(subject: readonly string[]): string {
  if (subject.length === 0) throw new Error("a limit needs a subject");
  return subject.map(encodeKeyPart).join(":");
}

/** A namespaced key under the module's prefix: `<prefix>:<kind>:<part>:<part>...`. */
export function abuseKey(prefix: string, kind: string, subject: readonly string[]): string {
  return `${prefix}:${kind}:${limitIdentifier(subject)}`;
}
