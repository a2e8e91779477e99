import { TRPCError } from "@trpc/server";
import type { AnyTRPCRouter } from "@trpc/server";
import type { FrontDoor } from "../../src/context/request-facts";
import { consoleRoot } from "../../src/routers/console-root";
import { guardianHttpRoot } from "../../src/routers/guardian-http-root";
import { guardianRoot } from "../../src/routers/guardian-root";
import type { ProcedureMeta } from "../../src/trpc";

export type RootName = "console" | "guardian" | "guardianHttp";

export const fuzzRoots: { name: RootName; door: FrontDoor; router: AnyTRPCRouter }[] = [
  { name: "console", door: "console", router: consoleRoot },
  { name: "guardian", door: "guardian", router: guardianRoot },
  { name: "guardianHttp", door: "guardian", router: guardianHttpRoot },
];

/** What tRPC keeps for `.input(schema)`: zod schemas here, any standard schema in general. */
export type InputParser = {
  "~standard": {
    validate(value: unknown): StandardResult | Promise<StandardResult>;
  };
};
type StandardResult = { value: unknown; issues?: undefined } | { issues: readonly unknown[] };

export type FuzzProcedure = {
  root: RootName;
  door: FrontDoor;
  router: AnyTRPCRouter;
  path: string;
  type: "query" | "mutation" | "subscription";
  meta: ProcedureMeta | undefined;
  inputs: InputParser[];
};

type ProcedureDef = {
  _def: { type: FuzzProcedure["type"]; meta?: ProcedureMeta; inputs: InputParser[] };
};

// Read from the routers themselves, so a procedure added later is fuzzed (or fails the
// coverage checks) without anyone editing a list.
export function fuzzProcedures(): FuzzProcedure[] {
  return fuzzRoots.flatMap(({ name, door, router }) =>
    Object.entries(router._def.procedures as Record<string, ProcedureDef>).map(
      ([path, procedure]) => ({
        root: name,
        door,
        router,
        path,
        type: procedure._def.type,
        meta: procedure._def.meta,
        inputs: procedure._def.inputs,
      }),
    ),
  );
}

export type Verdict = "accepts" | "rejects";

// tRPC runs every input parser on the raw input; the input is accepted only if all do.
// A parser that throws instead of reporting issues is a bug of its own (tRPC would
// turn the throw into a 400 and hide it), so it propagates to fail the property.
export async function inputVerdict(inputs: InputParser[], value: unknown): Promise<Verdict> {
  for (const parser of inputs) {
    const result = await parser["~standard"].validate(value);
    if (result.issues) return "rejects";
  }
  return "accepts";
}

export type CallOutcome =
  { kind: "ok" } | { kind: "trpcError"; error: TRPCError } | { kind: "crash"; error: unknown };

// A subscription called through a caller resolves to an async iterable once its
// middleware and input parser have run; input errors reject before that. An
// iterable we did not expect is closed at once (and its signal aborted) so no
// stream is left open. Each call gets its own caller and signal.
export async function callPath(
  makeCaller: (signal: AbortSignal) => unknown,
  path: string,
  input: unknown,
): Promise<CallOutcome> {
  const abort = new AbortController();
  const procedure = path
    .split(".")
    .reduce<unknown>(
      (node, key) => (node as Record<string, unknown>)[key],
      makeCaller(abort.signal),
    );
  try {
    const result = await (procedure as (value: unknown) => Promise<unknown>)(input);
    if (isAsyncIterable(result)) {
      abort.abort();
      await result[Symbol.asyncIterator]().return?.();
    }
    return { kind: "ok" };
  } catch (error) {
    if (error instanceof TRPCError) return { kind: "trpcError", error };
    return { kind: "crash", error };
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}
