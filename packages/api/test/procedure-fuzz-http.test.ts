import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuardianHttpHandler } from "../src/adapters/handle-guardian-http";
import { hasPrototypeKey } from "../src/schemas/has-prototype-key";
import { createDatabaseSnapshotter } from "./support/fuzz-db-snapshot";
import type { DatabaseSnapshot, DatabaseSnapshotter } from "./support/fuzz-db-snapshot";
import { fuzzProcedures, inputVerdict } from "./support/fuzz-procedures";
import { validSamples } from "./support/fuzz-samples";
import { unlimitedAbuse } from "./support/fuzz-unlimited-abuse";
import { createTestApi } from "./support/test-api";
import type { TestApi } from "./support/test-api";

const bodyLimit = 64 * 1024;
const numRuns = 20;
// Real sockets and a database on a shared two-core machine: generous, never asserted.
const timeout = 30_000;

// The procedures a client reaches over HTTPS before it holds a token.
const publicProcedures = fuzzProcedures().filter(
  (procedure) => procedure.root === "guardianHttp" && procedure.meta?.access === "public",
);

type Reply = { status: number; contentType: string | null; body: unknown };
type ErrorBody = { error: { message: string; data: { code: string; httpStatus: number } } };

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe("guardian HTTP door: malformed bodies get a 4xx JSON error and write nothing", () => {
  let api: TestApi;
  let server: Server;
  let base: string;
  let snapshotter: DatabaseSnapshotter;
  let before: DatabaseSnapshot;
  const samples = validSamples({ vaultId: randomUUID() });

  beforeAll(async () => {
    api = await createTestApi({ abuse: unlimitedAbuse });
    snapshotter = await createDatabaseSnapshotter(api.database.superuserUrl);
    const handler = createGuardianHttpHandler({
      deps: api.deps,
      requestFacts: () => ({ ip: "198.51.100.80", userAgent: null, requestId: randomUUID() }),
    });
    server = createServer((req, res) => {
      void handler(req, res).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
    // Node closes an idle keep-alive socket after 5 s; on a loaded machine fetch can
    // reuse one just as it closes (ECONNRESET), a race of the test client, not the handler.
    server.keepAliveTimeout = 120_000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/trpc`;
    before = await snapshotter.take();
  });
  afterAll(async () => {
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    await snapshotter.close();
    await api.close();
  });

  async function post(
    path: string,
    body: string | ReadableStream<Uint8Array>,
    headers: Record<string, string> = { "content-type": "application/json" },
  ): Promise<Reply> {
    const response = await fetch(`${base}/${path}`, {
      method: "POST",
      headers,
      body,
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
    });
    const text = await response.text();
    // Every refusal must be a JSON document a client can read.
    expect(isJson(text), `${path}: ${String(response.status)} body is not JSON`).toBe(true);
    return {
      status: response.status,
      contentType: response.headers.get("content-type"),
      body: JSON.parse(text),
    };
  }

  function expectError(reply: Reply, status: number, code: string) {
    expect(reply.status).toBe(status);
    const { error } = reply.body as ErrorBody;
    expect(error.data).toMatchObject({ code, httpStatus: status });
    expect(typeof error.message).toBe("string");
  }

  // A fixed message: JSON.parse's own quotes the body, which may hold a secret.
  function expectMalformedJson(reply: Reply) {
    expectError(reply, 400, "BAD_REQUEST");
    expect((reply.body as ErrorBody).error.message).toBe("The request body is not valid JSON");
  }

  it("serves exactly the five public auth procedures over HTTP", () => {
    expect(publicProcedures.map((procedure) => procedure.path).sort()).toEqual([
      "auth.issueChallenge",
      "auth.issueJoinChallenge",
      "auth.join",
      "auth.login",
      "auth.refresh",
    ]);
  });

  for (const procedure of publicProcedures) {
    const sample = samples[procedure.path];
    if (!sample) throw new Error(`${procedure.path}: no sample`);
    const sampleJson = JSON.stringify(sample);

    it(
      `${procedure.path}: malformed JSON gets 400 BAD_REQUEST`,
      async () => {
        const fixed = [
          '{"a":',
          sampleJson.slice(0, Math.floor(sampleJson.length / 2)),
          "{",
          "[",
          '{"a":1,}',
          "{'a':1}",
          "undefined",
          "\u0000",
          `${sampleJson}}`,
        ];
        for (const body of fixed) expectMalformedJson(await post(procedure.path, body));
        await fc.assert(
          fc.asyncProperty(
            fc.string({ unit: "binary", minLength: 1, maxLength: 60 }).filter((s) => !isJson(s)),
            async (body) => {
              expectError(await post(procedure.path, body), 400, "BAD_REQUEST");
            },
          ),
          { numRuns },
        );
      },
      timeout,
    );

    it(
      `${procedure.path}: well-formed JSON its parser rejects gets 400 with field issues`,
      async () => {
        await fc.assert(
          fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (value) => {
            fc.pre((await inputVerdict(procedure.inputs, value)) === "rejects");
            const reply = await post(procedure.path, JSON.stringify(value));
            expectError(reply, 400, "BAD_REQUEST");
            // JSON.parse makes "__proto__" an own key, which is refused before any parser.
            expect((reply.body as ErrorBody).error.message).toBe(
              hasPrototypeKey(value) ? "Unexpected key __proto__ in the input" : "Invalid input",
            );
          }),
          { numRuns },
        );
      },
      timeout,
    );

    it(
      `${procedure.path}: a body over 64 KiB gets 413, with or without Content-Length`,
      async () => {
        const oversized = JSON.stringify({ ...sample, padding: "a".repeat(bodyLimit) });
        expectError(await post(procedure.path, oversized), 413, "PAYLOAD_TOO_LARGE");
        const chunks = [oversized.slice(0, bodyLimit / 2), oversized.slice(bodyLimit / 2)];
        const streamed = new ReadableStream<Uint8Array>({
          pull(controller) {
            const next = chunks.shift();
            if (next === undefined) controller.close();
            else controller.enqueue(new TextEncoder().encode(next));
          },
        });
        expectError(await post(procedure.path, streamed), 413, "PAYLOAD_TOO_LARGE");
      },
      timeout,
    );

    it(
      `${procedure.path}: a non-JSON content type gets 415`,
      async () => {
        for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "text/html"])
          expectError(
            await post(procedure.path, sampleJson, { "content-type": contentType }),
            415,
            "UNSUPPORTED_MEDIA_TYPE",
          );
      },
      timeout,
    );
  }

  it(
    "batches: non-object batch input, too many calls and unknown paths are refused",
    async () => {
      const batchPath = "auth.issueChallenge,auth.login?batch=1";
      for (const body of ["[1,2]", '"x"', "null", "1"]) {
        const reply = await post(batchPath, body);
        expect(reply.status).toBe(400);
        const errors = (reply.body as ErrorBody[]).map((item) => item.error.data.code);
        expect(errors).toEqual(["BAD_REQUEST", "BAD_REQUEST"]);
      }
      const five = Array.from({ length: 5 }, () => "auth.issueChallenge").join(",");
      expectError(await post(`${five}?batch=1`, "{}"), 400, "BAD_REQUEST");
      expectError(await post("auth.nope", "{}"), 404, "NOT_FOUND");
      // Not served over HTTP: the WSS-only procedures do not exist on this door.
      expectError(await post("vaults.list", "{}"), 404, "NOT_FOUND");
      expectError(await post("auth.%E0%A4%A", "{}"), 400, "BAD_REQUEST");
    },
    timeout,
  );

  it("labels a 415 refusal application/json and refuses form data and octet streams too", async () => {
    for (const contentType of [
      "text/plain",
      "application/octet-stream",
      "multipart/form-data; boundary=x",
    ]) {
      const reply = await post("auth.login", "{}", { "content-type": contentType });
      expectError(reply, 415, "UNSUPPORTED_MEDIA_TYPE");
      expect(reply.contentType).toMatch(/^application\/json/);
    }
  });

  it("says what is wrong with a malformed path encoding", async () => {
    const reply = await post("auth.%E0%A4%A", "{}");
    expect((reply.body as ErrorBody).error.message).toBe(
      "The request path is not valid percent-encoding",
    );
  });

  it("wrote nothing: no row, audit link or security event", async () => {
    await api.deps.abuse.events.flush();
    expect(await snapshotter.take()).toEqual(before);
  });
});
