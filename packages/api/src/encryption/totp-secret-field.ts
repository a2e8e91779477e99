import { fieldKid, type FieldContext } from "@conclave/auth/field-cipher";
import type { FieldCipher } from "./field-cipher-service";

export function totpSecretField(userId: string): FieldContext {
  return { table: "User", column: "totpSecret", rowId: userId };
}

/**
 * The TOTP secret of a user, from its stored form. A value stored before field
 * encryption existed is plaintext: it is accepted as such, and the console's start and
 * `conclave keys rotate-data` encrypt it (a database writer could equally replace the
 * password hash, so accepting it grants nothing new).
 */
export async function readTotpSecret(
  fields: FieldCipher,
  userId: string,
  stored: string,
): Promise<string> {
  return fieldKid(stored) === null ? stored : fields.decrypt(totpSecretField(userId), stored);
}
