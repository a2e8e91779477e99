import { ed25519 } from "@noble/curves/ed25519.js";
import { verifyIdentitySignature } from "@conclave/auth/identity-signature";
import { dkgRound1, dkgRound2, dkgRound3, type DkgRound3Output } from "@conclave/frost/dkg";
import type { DkgRound2Package, DkgSecretPackage } from "@conclave/frost/wire-types";
import type { GuardianClient } from "../create-guardian-client";
import { createEventWaiter } from "../events/event-waiter";
import { waitBeforeRetry } from "../session/wait-before-retry";
import { saveKeyShare } from "../keyshare/key-share-file";
import {
  round2EnvelopeMessage,
  roundKeyBindingMessage,
  type Round2EnvelopeHeader,
} from "@conclave/frost/dkg-signed-messages";
import {
  generateRoundKey,
  openEnvelope,
  sealEnvelope,
  type RoundKey,
} from "@conclave/frost/round2-envelope";

export interface KeygenOptions {
  readonly vaultId: string;
  /** Encrypts the key share file. */
  readonly passphrase: string;
  readonly stateDir: string;
  /** One line per state change, for long waits. */
  readonly onProgress?: (message: string) => void;
  /** Re-check interval when no event arrives; default 5 s. */
  readonly recheckMs?: number;
}

export interface KeygenResult {
  readonly groupPublicKeyXOnly: string;
  readonly guardianIndex: number;
  readonly keyShareFile: string;
}

export class KeygenError extends Error {
  override readonly name = "KeygenError";
}

interface CeremonySecrets {
  readonly ceremonyId: string;
  readonly secretPackage: DkgSecretPackage;
  readonly roundKey: RoundKey;
  result?: DkgRound3Output;
}

/**
 * Takes part in the vault's DKG until the vault is ACTIVE: round 1 (commitments and a
 * signed X25519 round key), round 2 (shares sealed to each recipient's round key and
 * signed with the identity key), round 3 (shares opened and checked against the round-1
 * commitments, key share stored encrypted, public key package reported). The server
 * activates the vault only if every guardian reports the same group key.
 *
 * DKG secrets live in memory only: if this process dies mid-ceremony, the round's
 * deadline expires it and a fresh attempt starts.
 */
export async function runKeygen(
  client: GuardianClient,
  options: KeygenOptions,
): Promise<KeygenResult> {
  const state = await client.state();
  if (state === undefined) throw new KeygenError("not joined");
  const { vaultId } = options;
  const progress = options.onProgress ?? (() => undefined);
  const identitySecret = Buffer.from(state.identity.secretKeyHex, "hex");
  const signWithIdentity = (message: Uint8Array) =>
    Buffer.from(ed25519.sign(message, identitySecret)).toString("hex");
  const waiter = createEventWaiter(client);
  let secrets: CeremonySecrets | undefined;
  let keyShareFile: string | undefined;
  let lastLine = "";
  const report = (line: string) => {
    if (line !== lastLine) progress(line);
    lastLine = line;
  };
  try {
    for (;;) {
      try {
        const view = await client.api.keygen.state.query({ vaultId });
        const me = view.guardianIndex;
        if (view.vaultStatus === "ACTIVE") {
          const mine = secrets?.result?.publicKeyPackage.groupPublicKeyXOnly;
          if (mine === undefined || keyShareFile === undefined)
            throw new KeygenError(
              "the vault is already active and this device holds no share for it",
            );
          if (view.groupPublicKeyXOnly !== mine)
            throw new KeygenError(
              "the server activated a different group key than this device derived",
            );
          return { groupPublicKeyXOnly: mine, guardianIndex: me, keyShareFile };
        }
        if (view.vaultStatus === "DISABLED" || view.vaultStatus === "DELETED")
          throw new KeygenError(`the vault is ${view.vaultStatus.toLowerCase()}`);
        const ceremony = view.ceremony;
        if (ceremony?.status !== "OPEN") {
          report(
            ceremony === null
              ? `waiting for all ${view.participants} guardians to join`
              : `keygen attempt ${ceremony.attempt} ${ceremony.status.toLowerCase()}; waiting for a new attempt`,
          );
          await waiter.next(options.recheckMs ?? 5_000);
          continue;
        }
        if (secrets !== undefined && secrets.ceremonyId !== ceremony.id) secrets = undefined;
        const others = ceremony.round1.filter((entry) => entry.package.sender !== me);
        const counts = (submitted: readonly number[]) => `${submitted.length}/${view.participants}`;

        if (ceremony.round === 1 && !ceremony.submitted.round1.includes(me)) {
          const round1 = dkgRound1({
            guardianIndex: me,
            threshold: view.threshold,
            participants: view.participants,
          });
          const roundKey = generateRoundKey();
          secrets = { ceremonyId: ceremony.id, secretPackage: round1.secretPackage, roundKey };
          await client.api.keygen.submitRound1.mutate({
            vaultId,
            ceremonyId: ceremony.id,
            package: round1.publicPackage,
            roundPublicKey: roundKey.publicKeyHex,
            roundKeySignature: signWithIdentity(
              roundKeyBindingMessage({
                vaultId,
                ceremonyId: ceremony.id,
                guardianIndex: me,
                roundPublicKey: roundKey.publicKeyHex,
              }),
            ),
          });
          report(`round 1 sent (attempt ${ceremony.attempt}, guardian #${me})`);
          continue;
        }
        if (secrets === undefined) {
          report(
            "this device lost its keygen secrets; waiting for the round to expire and restart",
          );
        } else if (ceremony.round === 2 && !ceremony.submitted.round2.includes(me)) {
          const ownEntry = ceremony.round1.find((entry) => entry.package.sender === me);
          if (ownEntry?.roundPublicKey !== secrets.roundKey.publicKeyHex)
            throw new KeygenError("the server relayed a different round key for this device");
          // Every round key must be signed by its owner's identity key, or the share sealed
          // to it could be read by whoever substituted it.
          for (const entry of others) {
            const member = view.members.find((m) => m.guardianIndex === entry.package.sender);
            const binding = roundKeyBindingMessage({
              vaultId,
              ceremonyId: ceremony.id,
              guardianIndex: entry.package.sender,
              roundPublicKey: entry.roundPublicKey,
            });
            if (
              !member ||
              !verifyIdentitySignature(member.identityPublicKey, binding, entry.roundKeySignature)
            )
              throw new KeygenError(
                `guardian #${entry.package.sender}'s round key is not signed by its identity key`,
              );
          }
          const shares = dkgRound2(
            secrets.secretPackage,
            others.map((entry) => entry.package),
          );
          const envelopes = shares.map((share) => {
            const recipient = others.find((entry) => entry.package.sender === share.recipient);
            if (!recipient) throw new KeygenError(`no round key for guardian #${share.recipient}`);
            const header: Round2EnvelopeHeader = {
              vaultId,
              ceremonyId: ceremony.id,
              senderIndex: me,
              recipientIndex: share.recipient,
              recipientRoundKey: recipient.roundPublicKey,
            };
            const ciphertext = sealEnvelope(header, Buffer.from(share.signingShare, "hex"));
            return {
              recipientIndex: share.recipient,
              ciphertext,
              signature: signWithIdentity(round2EnvelopeMessage(header, ciphertext)),
            };
          });
          await client.api.keygen.submitRound2.mutate({
            vaultId,
            ceremonyId: ceremony.id,
            envelopes,
          });
          report("round 2 sent (shares sealed to each guardian)");
          continue;
        } else if (ceremony.round === 3 && !ceremony.submitted.round3.includes(me)) {
          const received: DkgRound2Package[] = ceremony.round2Inbox.map((envelope) => {
            const sender = view.members.find((m) => m.guardianIndex === envelope.senderIndex);
            const header: Round2EnvelopeHeader = {
              vaultId,
              ceremonyId: ceremony.id,
              senderIndex: envelope.senderIndex,
              recipientIndex: me,
              recipientRoundKey: secrets?.roundKey.publicKeyHex ?? "",
            };
            if (
              !sender ||
              !verifyIdentitySignature(
                sender.identityPublicKey,
                round2EnvelopeMessage(header, envelope.ciphertext),
                envelope.signature,
              )
            )
              throw new KeygenError(
                `guardian #${envelope.senderIndex}'s envelope signature does not verify`,
              );
            const share = secrets
              ? openEnvelope(header, envelope.ciphertext, secrets.roundKey)
              : Buffer.alloc(0);
            return {
              sender: envelope.senderIndex,
              recipient: me,
              signingShare: share.toString("hex"),
            };
          });
          const result = dkgRound3(
            secrets.secretPackage,
            others.map((entry) => entry.package),
            received,
          );
          secrets.result = result;
          // Stored before reporting: once the vault activates, this file is the only copy.
          keyShareFile = await saveKeyShare(
            options.stateDir,
            {
              vaultId,
              guardianId: state.guardianId,
              keyPackage: result.keyPackage,
              publicKeyPackage: result.publicKeyPackage,
            },
            options.passphrase,
          );
          await client.api.keygen.submitRound3.mutate({
            vaultId,
            ceremonyId: ceremony.id,
            publicKeyPackage: result.publicKeyPackage,
          });
          report(`round 3 sent; group key ${result.publicKeyPackage.groupPublicKeyXOnly}`);
          continue;
        } else {
          const submitted =
            ceremony.round === 1
              ? ceremony.submitted.round1
              : ceremony.round === 2
                ? ceremony.submitted.round2
                : ceremony.submitted.round3;
          report(
            `round ${ceremony.round}: ${counts(submitted)} guardians done; waiting (deadline ${ceremony.roundDeadline})`,
          );
        }
        await waiter.next(options.recheckMs ?? 5_000);
      } catch (error) {
        await waitBeforeRetry(error, { waiter, recheckMs: options.recheckMs ?? 5_000, report });
      }
    }
  } finally {
    waiter.close();
    identitySecret.fill(0);
  }
}
