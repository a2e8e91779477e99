// Raw HTTPS and WSS against a ws-server, for the abuse-protection tests: every status
// code, header and close frame is seen as the server sent it, with no SDK retrying or
// reconnecting in between.
import WebSocket from "ws";
import { send, type TestResponse } from "../https-client";

export type RawResponse = TestResponse;

/** The JSON a refused tRPC call carries (formatError's data). */
export interface TrpcErrorBody {
  readonly error: {
    readonly message: string;
    readonly data: {
      readonly code: string;
      readonly httpStatus: number;
      readonly reason?: string;
      readonly retryAfterSeconds?: number;
    };
  };
}

export function sendRaw(options: {
  port: number;
  ca: string;
  path: string;
  method?: "GET" | "POST";
  body?: unknown;
}): Promise<RawResponse> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return send({
    port: options.port,
    ca: options.ca,
    path: options.path,
    method: options.method ?? (payload === undefined ? "GET" : "POST"),
    headers: payload === undefined ? {} : { "content-type": "application/json" },
    ...(payload === undefined ? {} : { body: payload }),
  });
}

/** A tRPC mutation over HTTPS (no transformer, unbatched), as the SDK's httpLink sends it. */
export function trpcMutation(
  server: { port: number; ca: string },
  procedure: string,
  input: unknown,
): Promise<RawResponse> {
  return sendRaw({ ...server, path: `/trpc/${procedure}`, body: input });
}

export function trpcErrorOf(response: RawResponse): TrpcErrorBody["error"] {
  return (JSON.parse(response.body) as TrpcErrorBody).error;
}

/** The `result.data` of a successful tRPC call, still untyped. */
export function trpcDataOf(response: RawResponse): Record<string, unknown> {
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${response.body}`);
  return (JSON.parse(response.body) as { result: { data: Record<string, unknown> } }).result.data;
}

/** What a call over an open socket answered: tRPC's `result` or `error` message. */
export type SocketCallAnswer =
  | { readonly ok: true; readonly data: unknown }
  | { readonly ok: false; readonly error: { readonly data?: { readonly code?: string } } };

export interface OpenGuardianSocket {
  readonly kind: "open";
  readonly socket: WebSocket;
  /** A query over this socket; rejects if the socket closes first. */
  query(path: string): Promise<SocketCallAnswer>;
  close(): Promise<void>;
}

export type GuardianSocketOutcome =
  | OpenGuardianSocket
  | { readonly kind: "closed"; readonly code: number; readonly reason: string }
  | { readonly kind: "refused"; readonly status: number; readonly body: string };

type WireAnswer = {
  id?: unknown;
  result?: { data?: unknown };
  error?: { data?: { code?: string } };
};

/**
 * Opens a guardian socket as the SDK does (`?connectionParams=1`, then the access
 * token as connection params) and proves it usable with one `vaults.list` call. A
 * socket the server closes instead reports its close code and reason; an upgrade the
 * server answers with plain HTTP reports that status.
 */
export function openGuardianSocket(options: {
  port: number;
  ca: string;
  accessToken: string;
}): Promise<GuardianSocketOutcome> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`wss://localhost:${options.port}/trpc?connectionParams=1`, {
      ca: options.ca,
    });
    const pending = new Map<number, (answer: SocketCallAnswer) => void>();
    let nextId = 0;
    const query = (path: string): Promise<SocketCallAnswer> =>
      new Promise((answered, failed) => {
        if (socket.readyState !== WebSocket.OPEN) {
          failed(new Error("socket is not open"));
          return;
        }
        const id = ++nextId;
        pending.set(id, answered);
        socket.once("close", () => {
          if (pending.delete(id)) failed(new Error(`socket closed before call ${id} answered`));
        });
        socket.send(JSON.stringify({ id, method: "query", params: { path } }));
      });
    let settled = false;
    const settle = (outcome: GuardianSocketOutcome): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    socket.once("unexpected-response", (_request, response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        settle({
          kind: "refused",
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
        });
        socket.terminate();
      });
    });
    socket.once("error", (error) => {
      if (!settled) reject(error);
    });
    socket.on("message", (data: Buffer) => {
      const message = JSON.parse(data.toString("utf8")) as WireAnswer;
      if (typeof message.id !== "number") return;
      const answered = pending.get(message.id);
      if (answered === undefined) return;
      pending.delete(message.id);
      answered(
        message.result === undefined
          ? { ok: false, error: message.error ?? {} }
          : { ok: true, data: message.result.data },
      );
    });
    socket.once("open", () => {
      socket.send(
        JSON.stringify({ method: "connectionParams", data: { accessToken: options.accessToken } }),
      );
      // A socket refused after the handshake closes before this call is answered.
      query("vaults.list").then(
        (answer) => {
          if (!answer.ok) return;
          settle({
            kind: "open",
            socket,
            query,
            close: () =>
              new Promise<void>((done) => {
                if (socket.readyState === WebSocket.CLOSED) {
                  done();
                  return;
                }
                socket.once("close", () => {
                  done();
                });
                socket.close();
              }),
          });
        },
        () => undefined,
      );
    });
    socket.once("close", (code, reason) => {
      settle({ kind: "closed", code, reason: reason.toString("utf8") });
    });
  });
}
