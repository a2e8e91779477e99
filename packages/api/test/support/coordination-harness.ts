// In-process guardians for the coordination tests: real @conclave/frost on the client
// side, every call through createCaller with a real context and access token, and
// the round-2 envelope from @conclave/frost/round2-envelope (X25519 + HKDF-SHA256 +
// ChaCha20-Poly1305, signed with the Ed25519 identity key).
import { TRPCError } from "@trpc/server";
import { ed25519 } from "@noble/curves/ed25519.js";
import { commit } from "@conclave/frost/commit";
import { dkgRound1, dkgRound2, dkgRound3 } from "@conclave/frost/dkg";
import { round2EnvelopeMessage, roundKeyBindingMessage } from "@conclave/frost/dkg-signed-messages";
import { generateRoundKey, openEnvelope, sealEnvelope } from "@conclave/frost/round2-envelope";
import { signShare } from "@conclave/frost/sign-share";
import type {
  DkgRound2Package,
  DkgSecretPackage,
  KeyPackage,
  PublicKeyPackage,
  SigningNonces,
} from "@conclave/frost/wire-types";
import { createApiContext } from "../../src/context/create-api-context";
import { consoleRoot } from "../../src/routers/console-root";
import { guardianRoot } from "../../src/routers/guardian-root";
import { createCallerFactory } from "../../src/trpc";
import { createUser, meta, newIdentity, userSession } from "./fixtures";
import { signedJoin } from "./signed-join";
import type { TestApi } from "./test-api";

const adminCallerOf = createCallerFactory(consoleRoot);
const guardianCallerOf = createCallerFactory(guardianRoot);

export type AdminCaller = ReturnType<typeof adminCallerOf>;
export type GuardianCaller = ReturnType<typeof guardianCallerOf>;

export async function createAdmin(api: TestApi): Promise<{ id: string; caller: AdminCaller }> {
  const user = await createUser(api, "ADMIN");
  const session = await userSession(api, user.id, "ADMIN");
  const caller = adminCallerOf(
    createApiContext(api.deps, {
      ...meta(),
      frontDoor: "console",
      transport: "https",
      credentials: { kind: "bearer", token: session.accessToken },
    }),
  );
  return { id: user.id, caller };
}

export function guardianCaller(
  api: TestApi,
  accessToken: string,
  signal?: AbortSignal,
): GuardianCaller {
  return guardianCallerOf(
    createApiContext(api.deps, {
      ...meta(),
      frontDoor: "guardian",
      transport: "wss",
      credentials: { kind: "bearer", token: accessToken },
    }),
    signal ? { signal } : undefined,
  );
}

export class TestGuardian {
  keyPackage: KeyPackage | null = null;
  publicKeyPackage: PublicKeyPackage | null = null;
  private secretPackage: DkgSecretPackage | null = null;
  private roundKey = generateRoundKey();
  private nonces = new Map<string, SigningNonces>();

  constructor(
    readonly api: TestApi,
    readonly vaultId: string,
    readonly guardianId: string,
    readonly accessToken: string,
    readonly identitySecret: Uint8Array,
    readonly caller: GuardianCaller,
  ) {}

  sign(message: Uint8Array): string {
    return Buffer.from(ed25519.sign(message, this.identitySecret)).toString("hex");
  }

  async round1() {
    const state = await this.caller.keygen.state({ vaultId: this.vaultId });
    if (!state.ceremony) throw new Error("no ceremony");
    const out = dkgRound1({
      guardianIndex: state.guardianIndex,
      threshold: state.threshold,
      participants: state.participants,
    });
    this.secretPackage = out.secretPackage;
    const roundPublicKey = this.roundKey.publicKeyHex;
    const input = {
      vaultId: this.vaultId,
      ceremonyId: state.ceremony.id,
      package: out.publicPackage,
      roundPublicKey,
      roundKeySignature: this.sign(
        roundKeyBindingMessage({
          vaultId: this.vaultId,
          ceremonyId: state.ceremony.id,
          guardianIndex: state.guardianIndex,
          roundPublicKey,
        }),
      ),
    };
    return { input, result: await this.caller.keygen.submitRound1(input) };
  }

  async round2() {
    const state = await this.caller.keygen.state({ vaultId: this.vaultId });
    if (!state.ceremony || !this.secretPackage) throw new Error("round 2 before round 1");
    const ceremonyId = state.ceremony.id;
    const me = state.guardianIndex;
    const others = state.ceremony.round1.filter((r) => r.package.sender !== me);
    const shares = dkgRound2(
      this.secretPackage,
      others.map((r) => r.package),
    );
    const envelopes = shares.map((share) => {
      const recipient = others.find((r) => r.package.sender === share.recipient);
      if (!recipient) throw new Error("missing round key");
      const header = {
        vaultId: this.vaultId,
        ceremonyId,
        senderIndex: me,
        recipientIndex: share.recipient,
        recipientRoundKey: recipient.roundPublicKey,
      };
      const ciphertext = sealEnvelope(header, Buffer.from(share.signingShare, "hex"));
      return {
        recipientIndex: share.recipient,
        ciphertext,
        signature: this.sign(round2EnvelopeMessage(header, ciphertext)),
      };
    });
    const input = { vaultId: this.vaultId, ceremonyId, envelopes };
    return { input, result: await this.caller.keygen.submitRound2(input) };
  }

  async round3() {
    const state = await this.caller.keygen.state({ vaultId: this.vaultId });
    if (!state.ceremony || !this.secretPackage) throw new Error("round 3 before round 1");
    const ceremonyId = state.ceremony.id;
    const me = state.guardianIndex;
    const myRoundKey = this.roundKey.publicKeyHex;
    const received: DkgRound2Package[] = state.ceremony.round2Inbox.map((envelope) => {
      const sender = state.members.find((m) => m.guardianIndex === envelope.senderIndex);
      const header = {
        vaultId: this.vaultId,
        ceremonyId,
        senderIndex: envelope.senderIndex,
        recipientIndex: me,
        recipientRoundKey: myRoundKey,
      };
      if (
        !sender ||
        !ed25519.verify(
          Buffer.from(envelope.signature, "hex"),
          round2EnvelopeMessage(header, envelope.ciphertext),
          Buffer.from(sender.identityPublicKey, "hex"),
        )
      ) {
        throw new Error("envelope signature does not verify");
      }
      return {
        sender: envelope.senderIndex,
        recipient: me,
        signingShare: openEnvelope(header, envelope.ciphertext, this.roundKey).toString("hex"),
      };
    });
    const out = dkgRound3(
      this.secretPackage,
      state.ceremony.round1.filter((r) => r.package.sender !== me).map((r) => r.package),
      received,
    );
    this.keyPackage = out.keyPackage;
    this.publicKeyPackage = out.publicKeyPackage;
    const input = { vaultId: this.vaultId, ceremonyId, publicKeyPackage: out.publicKeyPackage };
    return { input, result: await this.caller.keygen.submitRound3(input) };
  }

  async approve(transactionId: string, attempt: number) {
    if (!this.keyPackage) throw new Error("no key package");
    const out = commit(this.keyPackage);
    this.nonces.set(`${transactionId}:${attempt}`, out.nonces);
    const input = {
      vaultId: this.vaultId,
      transactionId,
      attempt,
      hiding: out.commitments.hiding,
      binding: out.commitments.binding,
    };
    return { input, result: await this.caller.signing.commit(input) };
  }

  /** Signs the published package; `corrupt` flips the share into a wrong one. */
  async submitShare(transactionId: string, attempt: number, options: { corrupt?: boolean } = {}) {
    if (!this.keyPackage || !this.publicKeyPackage) throw new Error("no key package");
    const detail = await this.caller.transactions.get({ vaultId: this.vaultId, transactionId });
    const signingPackage = detail.attempts.find((a) => a.attempt === attempt)?.signingPackage;
    if (!signingPackage) throw new Error("no signing package");
    const nonces = this.nonces.get(`${transactionId}:${attempt}`);
    if (!nonces) throw new Error("no nonces");
    this.nonces.delete(`${transactionId}:${attempt}`);
    const share = signShare({
      keyPackage: this.keyPackage,
      publicKeyPackage: this.publicKeyPackage,
      nonces,
      signingPackage: signingPackage,
    });
    const value = options.corrupt ? corruptScalar(share.share) : share.share;
    const input = { vaultId: this.vaultId, transactionId, attempt, share: value };
    return { input, call: () => this.caller.signing.submitShare(input) };
  }
}

function corruptScalar(hex: string): string {
  const last = Number.parseInt(hex.slice(-2), 16);
  return hex.slice(0, -2) + ((last ^ 0x01) & 0xff).toString(16).padStart(2, "0");
}

/** Creates a vault through admin procedures and joins n guardians (keygen then opens). */
export async function vaultWithGuardians(
  api: TestApi,
  admin: { id: string; caller: AdminCaller },
  threshold: number,
  guardianCount: number,
  name = "Treasury",
): Promise<{ vaultId: string; guardians: TestGuardian[] }> {
  const vault = await admin.caller.admin.vaults.create({
    name,
    chain: "bitcoin",
    network: "testnet",
    threshold,
    guardianCount,
  });
  const guardians: TestGuardian[] = [];
  for (let i = 0; i < guardianCount; i++) {
    const invitation = await admin.caller.admin.invitations.create({ vaultId: vault.id });
    const identity = newIdentity();
    const joined = await signedJoin(api, meta(), {
      vaultId: vault.id,
      code: invitation.code,
      identity,
      displayName: `Guardian ${i + 1}`,
      deviceName: "test",
    });
    guardians.push(
      new TestGuardian(
        api,
        vault.id,
        joined.guardianId,
        joined.accessToken,
        identity.secretKey,
        guardianCaller(api, joined.accessToken),
      ),
    );
  }
  return { vaultId: vault.id, guardians };
}

export async function runKeygen(guardians: readonly TestGuardian[]): Promise<void> {
  for (const g of guardians) await g.round1();
  for (const g of guardians) await g.round2();
  for (const g of guardians) await g.round3();
}

export const testnetDestination = "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx";

/** The TRPCError a call is refused with; fails the test when the call succeeds. */
export async function trpcRefusal(promise: Promise<unknown>): Promise<TRPCError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error("expected the call to be refused");
}
