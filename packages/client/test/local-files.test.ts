import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { dkgRound1, dkgRound2, dkgRound3 } from "@conclave/frost/dkg";
import {
  KeyShareError,
  keyShareFilePath,
  loadKeyShare,
  saveKeyShare,
} from "../src/keyshare/key-share-file";
import type { GuardianState } from "../src/state/guardian-state";
import {
  loadGuardianState,
  saveGuardianState,
  StateFileError,
  stateFilePath,
} from "../src/state/state-file";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-client-"));
  dirs.push(dir);
  return path.join(dir, "state");
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const state: GuardianState = {
  version: 1,
  serverOrigin: "https://conclave.example:8443",
  guardianId: "7d9f6c1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f",
  vaultIds: ["0f1e2d3c-4b5a-4968-8776-655443322110"],
  deviceName: "laptop",
  identity: { secretKeyHex: "11".repeat(32), publicKeyHex: "22".repeat(32) },
  session: null,
};

function twoOfTwoShare() {
  const params = { threshold: 2, participants: 2 };
  const one = dkgRound1({ ...params, guardianIndex: 1 });
  const two = dkgRound1({ ...params, guardianIndex: 2 });
  const toOne = dkgRound2(two.secretPackage, [one.publicPackage]);
  return dkgRound3(one.secretPackage, [two.publicPackage], toOne);
}

describe("guardian state file", () => {
  it("is written 0600 inside a 0700 folder and reads back", async () => {
    const dir = tempDir();
    await saveGuardianState(dir, state);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(stateFilePath(dir)).mode & 0o777).toBe(0o600);
    expect(await loadGuardianState(dir)).toEqual(state);
  });

  it("is refused once others can read it", async () => {
    const dir = tempDir();
    await saveGuardianState(dir, state);
    chmodSync(stateFilePath(dir), 0o644);
    await expect(loadGuardianState(dir)).rejects.toThrow(StateFileError);
  });

  it("reports unknown fields without echoing values", async () => {
    const dir = tempDir();
    await saveGuardianState(dir, state);
    const file = stateFilePath(dir);
    writeFileSync(file, JSON.stringify({ ...state, extra: "secret-value" }));
    chmodSync(file, 0o600);
    const error = await loadGuardianState(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StateFileError);
    expect(String(error)).not.toContain("secret-value");
  });
});

describe("encrypted key share file", () => {
  it("round-trips with the passphrase and hides the share at rest", async () => {
    const dir = tempDir();
    await saveGuardianState(dir, state);
    const { keyPackage, publicKeyPackage } = twoOfTwoShare();
    const vaultId = state.vaultIds[0] ?? "";
    const file = await saveKeyShare(
      dir,
      { vaultId, guardianId: state.guardianId, keyPackage, publicKeyPackage },
      "a long passphrase",
    );
    expect(file).toBe(keyShareFilePath(dir, vaultId));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).not.toContain(keyPackage.signingShare);
    const loaded = await loadKeyShare(dir, vaultId, "a long passphrase");
    expect(loaded.keyPackage).toEqual(keyPackage);
    await expect(loadKeyShare(dir, vaultId, "another passphrase")).rejects.toThrow(KeyShareError);
  });

  it("does not decrypt when the file claims another guardian (AAD)", async () => {
    const dir = tempDir();
    await saveGuardianState(dir, state);
    const { keyPackage, publicKeyPackage } = twoOfTwoShare();
    const vaultId = state.vaultIds[0] ?? "";
    const file = await saveKeyShare(
      dir,
      { vaultId, guardianId: state.guardianId, keyPackage, publicKeyPackage },
      "a long passphrase",
    );
    const body = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    writeFileSync(
      file,
      JSON.stringify({ ...body, guardianId: "00000000-0000-4000-8000-000000000000" }),
    );
    await expect(loadKeyShare(dir, vaultId, "a long passphrase")).rejects.toThrow(
      "wrong passphrase, or the key share file was modified",
    );
  });
});
