import { deriveKeyEncryptionKey } from "@conclave/auth/field-cipher";
import { rotateDataKeys } from "@conclave/api/encryption/rotate-data-keys";
import { readSecret } from "@conclave/config/read-secret";
import type { PrismaClient } from "@conclave/db/create-prisma-client";

export type KeysRotateDataOptions = {
  prisma: PrismaClient;
  env: NodeJS.ProcessEnv;
  args: readonly string[];
  operator: string;
  print: (line: string) => void;
  printError: (line: string) => void;
};

/**
 * `keys rotate-data [--resume]`: a new data key and every encrypted field moved under it
 * (`--resume`: finish an interrupted run under the newest key). With
 * DATA_ENCRYPTION_KEY_PREVIOUS set, data keys still wrapped by that KEK are wrapped again
 * by DATA_ENCRYPTION_KEY. Exit 1 when a field did not decrypt (it is left as it was).
 */
export async function keysRotateData(options: KeysRotateDataOptions): Promise<number> {
  const resume = options.args.includes("--resume");
  if (options.args.some((arg) => arg !== "--resume")) {
    options.printError("usage: keys rotate-data [--resume]");
    return 2;
  }
  const secret = readSecret(options.env, "DATA_ENCRYPTION_KEY");
  if (secret === undefined) {
    options.printError(
      "keys rotate-data: DATA_ENCRYPTION_KEY (or _FILE, or the systemd credential) is required",
    );
    return 2;
  }
  const previous = readSecret(options.env, "DATA_ENCRYPTION_KEY_PREVIOUS");
  const result = await rotateDataKeys({
    prisma: options.prisma,
    kek: deriveKeyEncryptionKey(secret),
    ...(previous === undefined ? {} : { previousKek: deriveKeyEncryptionKey(previous) }),
    addKey: !resume,
    now: () => new Date(),
    operator: options.operator,
  });
  options.print(
    `active data key ${result.activeKid}: ${result.reencrypted} fields re-encrypted, ` +
      `${result.rewrapped} keys rewrapped, ${result.retired.length} keys retired` +
      (result.failed === 0 ? "" : `, ${result.failed} fields did not decrypt (left as they were)`),
  );
  return result.failed === 0 ? 0 : 1;
}
