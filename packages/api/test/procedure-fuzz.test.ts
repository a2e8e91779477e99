import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Credentials } from "../src/context/request-facts";
import { hasPrototypeKey } from "../src/schemas/has-prototype-key";
import { createCallerFactory } from "../src/trpc";
import {
  addKeyAt,
  malformedInput,
  oversizedString,
  propertyPaths,
  setAt,
  withExtraKey,
} from "./support/fuzz-arbitraries";
import { createDatabaseSnapshotter } from "./support/fuzz-db-snapshot";
import type { DatabaseSnapshot, DatabaseSnapshotter } from "./support/fuzz-db-snapshot";
import { callPath, fuzzProcedures, inputVerdict } from "./support/fuzz-procedures";
import type { CallOutcome, FuzzProcedure } from "./support/fuzz-procedures";
import { validSamples } from "./support/fuzz-samples";
import { unlimitedAbuse } from "./support/fuzz-unlimited-abuse";
import { looseObjectPaths, topLevelKeys } from "./support/fuzz-zod-shape";
import { context, createUser, createVault, joinNewGuardian, userSession } from "./support/fixtures";
import type { TestApi } from "./support/test-api";
import { createTestApi } from "./support/test-api";

const numRuns = 30;
const extraKeyRuns = 15;
// A shared two-core machine; generous, never asserted.
const timeout = 60_000;

// Procedures that take no input and change state by design: whatever input they are
// sent is ignored, so "malformed input" does not apply; they are named here so a new
// one is a decision, not an accident.
const noInputMutations = ["sessions.revokeOthers", "logout", "auth.logout"];

// zod 4 records skip an own "__proto__" key (it is dropped from the output, so nothing
// is polluted) instead of refusing it as the strict objects do; the parser alone
// accepts it, and trpc.ts refuses it before parsing (tested below).
const recordsDroppingProtoKey: Record<string, string> = {
  "keygen.submitRound3": "publicKeyPackage.verifyingShares",
};

const procedures = fuzzProcedures();
const label = (procedure: FuzzProcedure) => `${procedure.root}:${procedure.path}`;

function describeOutcome(outcome: CallOutcome): string {
  if (outcome.kind === "ok") return "accepted";
  const error = outcome.error;
  if (outcome.kind === "crash")
    return `non-TRPCError throw: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  return `${outcome.error.code} (${String(getHTTPStatusCodeFromError(outcome.error))})`;
}

// The caller is authorised and names its own vault, so the only thing wrong with the
// call is its input: BAD_REQUEST, from a TRPCError, before any work.
function expectBadRequest(outcome: CallOutcome) {
  expect(describeOutcome(outcome)).toBe("BAD_REQUEST (400)");
}

describe("every procedure refuses malformed input with a 4xx and changes nothing", () => {
  let api: TestApi;
  let snapshotter: DatabaseSnapshotter;
  let samples: Record<string, Record<string, unknown>>;
  let credentials: { console: Credentials; guardian: Credentials };

  beforeAll(async () => {
    api = await createTestApi({ abuse: unlimitedAbuse });
    snapshotter = await createDatabaseSnapshotter(api.database.superuserUrl);
    const admin = await createUser(api, "ADMIN");
    const vault = await createVault(api, admin.id, "Vault A");
    const guardian = await joinNewGuardian(api, admin.id, vault.id);
    const adminSession = await userSession(api, admin.id, "ADMIN");
    samples = validSamples({ vaultId: vault.id });
    credentials = {
      console: { kind: "bearer", token: adminSession.accessToken },
      guardian: { kind: "bearer", token: guardian.accessToken },
    };
  });
  afterAll(async () => {
    await snapshotter.close();
    await api.close();
  });

  async function snapshot(): Promise<DatabaseSnapshot> {
    await api.deps.abuse.events.flush();
    return snapshotter.take();
  }

  function callerMaker(procedure: FuzzProcedure) {
    const factory = createCallerFactory(procedure.router);
    return (signal: AbortSignal) =>
      factory(
        context(api, {
          frontDoor: procedure.door,
          transport: procedure.root === "guardian" ? "wss" : "https",
          credentials: procedure.door === "console" ? credentials.console : credentials.guardian,
        }),
        { signal },
      );
  }

  it("knows every procedure: a sample its parser accepts, strict objects at every depth", async () => {
    expect(procedures.length).toBeGreaterThan(50);
    const problems: string[] = [];
    for (const procedure of procedures) {
      if (procedure.inputs.length === 0) {
        if (procedure.type === "mutation" && !noInputMutations.includes(procedure.path))
          problems.push(`${label(procedure)}: mutation without input parser`);
        continue;
      }
      const sample = samples[procedure.path];
      if (!sample) {
        problems.push(`${label(procedure)}: no sample in fuzz-samples.ts`);
        continue;
      }
      if ((await inputVerdict(procedure.inputs, sample)) !== "accepts")
        problems.push(`${label(procedure)}: its parser rejects the sample`);
      for (const parser of procedure.inputs)
        for (const path of looseObjectPaths(parser))
          problems.push(`${label(procedure)}: object at ${path} accepts unknown keys`);
    }
    const withoutInput = procedures.filter((p) => p.type === "mutation" && p.inputs.length === 0);
    expect(new Set(withoutInput.map((p) => p.path))).toEqual(new Set(noInputMutations));
    expect(problems).toEqual([]);
  });

  for (const procedure of procedures) {
    if (procedure.inputs.length === 0) {
      if (procedure.type !== "query") continue;
      it(
        `${label(procedure)} (no input) ignores whatever it is sent without a 5xx or a write`,
        async () => {
          const before = await snapshot();
          const makeCaller = callerMaker(procedure);
          await fc.assert(
            fc.asyncProperty(malformedInput(undefined, []), async (input) => {
              const outcome = await callPath(makeCaller, procedure.path, input);
              // Junk is ignored, except an own __proto__ key, which every input refuses.
              expect(describeOutcome(outcome)).toBe(
                hasPrototypeKey(input) ? "BAD_REQUEST (400)" : "accepted",
              );
            }),
            { numRuns: 10 },
          );
          expect(await snapshot()).toEqual(before);
        },
        timeout,
      );
      continue;
    }

    it(
      `${label(procedure)} refuses malformed input with BAD_REQUEST and writes nothing`,
      async () => {
        const sample = samples[procedure.path];
        const keys = [...new Set(procedure.inputs.flatMap((parser) => topLevelKeys(parser)))];
        const makeCaller = callerMaker(procedure);
        const before = await snapshot();

        await fc.assert(
          fc.asyncProperty(malformedInput(sample, keys), async (input) => {
            fc.pre((await inputVerdict(procedure.inputs, input)) === "rejects");
            expectBadRequest(await callPath(makeCaller, procedure.path, input));
          }),
          { numRuns },
        );

        if (sample) {
          // Strictness, checked without the parser as oracle: a valid input with one
          // unknown key at any depth must be refused.
          await fc.assert(
            fc.asyncProperty(
              withExtraKey(
                sample,
                (path, key) =>
                  key === "__proto__" && recordsDroppingProtoKey[procedure.path] === path.join("."),
              ),
              async (input) => {
                expect(await inputVerdict(procedure.inputs, input)).toBe("rejects");
                expectBadRequest(await callPath(makeCaller, procedure.path, input));
              },
            ),
            { numRuns: extraKeyRuns },
          );
          // Every string field is bounded.
          for (const path of propertyPaths(sample)) {
            if (
              typeof path.reduce<unknown>(
                (node, key) => (node as Record<string, unknown>)[key],
                sample,
              ) !== "string"
            )
              continue;
            const input = setAt(sample, path, oversizedString);
            expect(await inputVerdict(procedure.inputs, input), path.join(".")).toBe("rejects");
            expectBadRequest(await callPath(makeCaller, procedure.path, input));
          }
        }

        const after = await snapshot();
        expect(after).toEqual(before);
        expect(
          Object.keys(after.securityEventKinds).filter((kind) => kind.startsWith("rate_limit")),
        ).toEqual([]);
      },
      timeout,
    );
  }

  it("refuses an own __proto__ key inside a record, which the parser alone would drop", async () => {
    for (const [path, recordPath] of Object.entries(recordsDroppingProtoKey)) {
      const procedure = procedures.find((p) => p.path === path);
      const sample = samples[path];
      if (!procedure || !sample) throw new Error(`${path}: unknown procedure`);
      const input = addKeyAt(sample, recordPath.split("."), "__proto__", { polluted: "yes" });
      expect(await inputVerdict(procedure.inputs, input), path).toBe("accepts");
      expectBadRequest(await callPath(callerMaker(procedure), path, input));
    }
  });

  it("left Object.prototype unpolluted", () => {
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect(Object.prototype).not.toHaveProperty("isAdmin");
  });
});
