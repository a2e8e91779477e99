import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { schnorr } from "@noble/curves/secp256k1.js";
import { base64, hex } from "@scure/base";
import { Transaction } from "@scure/btc-signer";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildVaultPsbt } from "@conclave/bitcoin/testing/build-vault-psbt";
import type { AdminCaller } from "./support/coordination-harness";
import {
  createAdmin,
  runKeygen,
  testnetDestination,
  trpcRefusal,
  vaultWithGuardians,
} from "./support/coordination-harness";
import { unlimitedAbuse } from "./support/fuzz-unlimited-abuse";
import type { TestApi } from "./support/test-api";
import { createTestApi } from "./support/test-api";

describe("admin.transactions.importPsbt", () => {
  let api: TestApi;
  let admin: { id: string; caller: AdminCaller };
  let vaultId: string;
  let groupKey: string;

  beforeAll(async () => {
    api = await createTestApi({ abuse: unlimitedAbuse });
    admin = await createAdmin(api);
    const vault = await vaultWithGuardians(api, admin, 2, 3, "PSBT vault");
    await runKeygen(vault.guardians);
    vaultId = vault.vaultId;
    const stored = await api.deps.prisma.vault.findUniqueOrThrow({ where: { id: vaultId } });
    groupKey = stored.groupPublicKeyXOnly ?? "";
  });
  afterAll(async () => api.close());

  const psbtOf = (options: { fee?: bigint; sighashType?: number; key?: string } = {}) =>
    buildVaultPsbt({
      outputKeyXOnly: options.key ?? groupKey,
      network: "testnet",
      inputs: [60_000n, 38_000n + (options.fee ?? 2_000n)],
      outputs: [{ address: testnetDestination, amount: 70_000n }],
      change: 28_000n,
      ...(options.sighashType === undefined ? {} : { sighashType: options.sighashType }),
    }).psbt;

  const importOf = (psbt: Uint8Array, network: "testnet" | "mainnet" = "testnet") =>
    admin.caller.admin.transactions.importPsbt({
      vaultId,
      network,
      psbt: base64.encode(psbt),
      memo: "Rent",
    });

  const written = async () => ({
    transactions: await api.deps.prisma.transaction.count(),
    audit: await api.deps.prisma.auditEvent.count(),
    attempts: await api.deps.prisma.signingAttempt.count(),
  });

  async function refusedWith(psbt: Uint8Array, network?: "mainnet") {
    const before = await written();
    const error = await trpcRefusal(importOf(psbt, network));
    expect(await written()).toEqual(before);
    return { code: error.code, reason: (error.cause as { reason?: unknown } | undefined)?.reason };
  }

  it("stores the PSBT, its summary and per-input sighashes, and opens signing", async () => {
    const detail = await importOf(psbtOf());
    expect(detail.kind).toBe("psbt");
    expect(detail.status).toBe("PENDING");
    expect(detail.destination).toBe(testnetDestination);
    expect(detail.amount).toBe("70000");
    expect(detail.bitcoin?.summary).toMatchObject({
      fee: "2000",
      change: "28000",
      feeRate: "10.00",
    });
    expect(detail.bitcoin?.summary.outputs.map((o) => o.change)).toEqual([false, true]);
    expect(detail.bitcoin?.sighashes).toHaveLength(2);
    expect(detail.attempts).toHaveLength(1);
    const audit = await api.deps.prisma.auditEvent.findFirstOrThrow({
      where: { action: "transaction_import", targetId: detail.id },
    });
    expect(audit.details).toMatchObject({ inputCount: 2, outputCount: 2, fee: "2000" });
    const list = await admin.caller.admin.transactions.list({ vaultId });
    expect(list.find((t) => t.id === detail.id)?.kind).toBe("psbt");
  });

  it("refuses each unacceptable PSBT with its own reason and writes nothing", async () => {
    const other = hex.encode(schnorr.getPublicKey(schnorr.utils.randomSecretKey()));
    expect(await refusedWith(psbtOf({ key: other }))).toEqual({
      code: "BAD_REQUEST",
      reason: "not_vault_key_path",
    });
    const noWitnessUtxo = Transaction.fromPSBT(psbtOf());
    noWitnessUtxo.updateInput(1, { witnessUtxo: undefined }, true);
    expect((await refusedWith(noWitnessUtxo.toPSBT())).reason).toBe("missing_witness_utxo");
    expect((await refusedWith(psbtOf({ sighashType: 3 }))).reason).toBe("sighash_not_allowed");
    expect((await refusedWith(psbtOf({ fee: 1_000_001n }))).reason).toBe("fee_above_cap");
    expect((await refusedWith(psbtOf({ fee: 150n }))).reason).toBe("fee_rate_nonsensical");
    const opReturn = Transaction.fromPSBT(psbtOf(), { allowUnknownOutputs: true });
    opReturn.addOutput({ script: hex.decode("6a0568656c6c6f"), amount: 0n });
    expect((await refusedWith(opReturn.toPSBT())).reason).toBe("unknown_output_script");
    expect((await refusedWith(psbtOf(), "mainnet")).reason).toBe("network_mismatch");
    const duplicated = Transaction.fromPSBT(psbtOf());
    const first = duplicated.getInput(0);
    duplicated.addInput({
      txid: first.txid ?? new Uint8Array(32),
      index: first.index ?? 0,
      witnessUtxo: first.witnessUtxo ?? { script: new Uint8Array(), amount: 0n },
    });
    expect((await refusedWith(duplicated.toPSBT())).reason).toBe("duplicate_input");
  });

  it("answers malformed and truncated PSBTs with a 4xx, never a 5xx, and writes nothing", async () => {
    const valid = psbtOf();
    const malformed = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 600 }),
      fc.integer({ min: 1, max: valid.length - 1 }).map((end) => valid.subarray(0, end)),
      fc
        .uint8Array({ minLength: 1, maxLength: 40 })
        .map((tail) => Uint8Array.of(...valid.subarray(0, 5), ...tail)),
    );
    await fc.assert(
      fc.asyncProperty(malformed, async (bytes) => {
        const counted = await written();
        const error = await trpcRefusal(importOf(bytes));
        const status = getHTTPStatusCodeFromError(error);
        expect(status).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(500);
        expect(await written()).toEqual(counted);
      }),
      { numRuns: 150 },
    );
    // Single-byte corruptions may still be a valid PSBT (an amount, a txid byte); any
    // refusal must still be a 4xx that wrote nothing.
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: valid.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (at, flip) => {
          const bytes = Uint8Array.from(valid);
          bytes[at] = (bytes[at] ?? 0) ^ flip;
          const counted = await written();
          try {
            await importOf(bytes);
          } catch (error) {
            if (!(error instanceof TRPCError)) throw error;
            expect(getHTTPStatusCodeFromError(error)).toBeLessThan(500);
            expect(await written()).toEqual(counted);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
