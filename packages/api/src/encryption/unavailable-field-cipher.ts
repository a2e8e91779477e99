import type { FieldCipher } from "./field-cipher-service";

// A process without DATA_ENCRYPTION_KEY (the signing server: no procedure it serves
// touches an encrypted column) fails loudly if one ever does, instead of storing
// plaintext.
const refuse = (): Promise<never> =>
  Promise.reject(new Error("DATA_ENCRYPTION_KEY is not configured in this process"));

export const unavailableFieldCipher: FieldCipher = { encrypt: refuse, decrypt: refuse };
