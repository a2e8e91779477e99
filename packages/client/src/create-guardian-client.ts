import { createTRPCClient, createWSClient, httpLink, wsLink, type TRPCClient } from "@trpc/client";
import type { GuardianRouter } from "@conclave/api/routers/guardian-root";
import type { GuardianHttpRouter } from "@conclave/api/routers/guardian-http-root";
import { guardianSocketCloseCodes } from "@conclave/validators/guardian-socket-close-codes";
import {
  generateIdentityKey,
  signJoinChallenge,
  signLoginChallenge,
} from "./identity/identity-key";
import { isUnauthorized } from "./session/trpc-error-code";
import type { GuardianState, SessionTokens } from "./state/guardian-state";
import { loadGuardianState, saveGuardianState } from "./state/state-file";
import { createPinnedFetch } from "./transport/pinned-fetch";
import { createPinnedWebSocketClass } from "./transport/pinned-websocket";

export interface GuardianClientOptions {
  /** The server's https origin, e.g. https://conclave.example.com:8443. */
  readonly serverUrl: string;
  /** PEM CA to pin instead of the system trust store (development, private PKI). */
  readonly ca?: string;
  /** Private folder (0700) holding the identity key and tokens (0600 file). */
  readonly stateDir: string;
  /** Renew the access token this long before it expires; default 60 s. */
  readonly renewBeforeMs?: number;
  /** Reconnect backoff; default 250 ms doubling up to 10 s. */
  readonly retryDelayMs?: (attempt: number) => number;
}

export type GuardianClientEvent =
  | { type: "socket-open" }
  | { type: "socket-closed"; code: number | undefined }
  | { type: "token-renewed"; accessTokenExpiresAt: string; onSocket: boolean }
  | { type: "logged-in"; sessionId: string; via: "join" | "challenge" }
  | { type: "renew-failed"; error: unknown };

export interface JoinInput {
  readonly vaultId: string;
  readonly code: string;
  readonly deviceName: string;
  /** Shown to admins; defaults to the device name. */
  readonly displayName?: string;
}

export interface GuardianClient {
  /** HTTPS procedures for clients without a valid access token (join, login, refresh). */
  readonly http: TRPCClient<GuardianHttpRouter>;
  /** The guardian router over WSS; the socket opens on first use. */
  readonly api: TRPCClient<GuardianRouter>;
  /**
   * Redeems an invitation: generates the identity key, proves possession of it by
   * signing a join challenge bound to the vault and code, and stores key and tokens.
   */
  join(input: JoinInput): Promise<GuardianState>;
  /** A usable access token: the stored one, a refreshed one, or a new challenge login. */
  ensureSession(): Promise<SessionTokens>;
  /** The stored state (identity public part, session ids), or undefined before join. */
  state(): Promise<GuardianState | undefined>;
  on(listener: (event: GuardianClientEvent) => void): () => void;
  close(): Promise<void>;
}

export class NotJoinedError extends Error {
  override readonly name = "NotJoinedError";
  constructor() {
    super("this state folder has not joined a vault yet; run join first");
  }
}

const defaultRetryDelay = (attempt: number): number => Math.min(250 * 2 ** attempt, 10_000);

export function createGuardianClient(options: GuardianClientOptions): GuardianClient {
  const origin = new URL(options.serverUrl).origin;
  if (!origin.startsWith("https://")) throw new Error("serverUrl must be an https URL");
  const renewBeforeMs = options.renewBeforeMs ?? 60_000;
  const listeners = new Set<(event: GuardianClientEvent) => void>();
  const emit = (event: GuardianClientEvent): void => {
    for (const listener of listeners) listener(event);
  };

  const http = createTRPCClient<GuardianHttpRouter>({
    links: [httpLink({ url: `${origin}/trpc`, fetch: createPinnedFetch(options.ca) })],
  });

  let cached: GuardianState | undefined;
  const readState = async (): Promise<GuardianState> => {
    cached ??= await loadGuardianState(options.stateDir);
    if (cached === undefined) throw new NotJoinedError();
    return cached;
  };
  const writeState = async (next: GuardianState): Promise<void> => {
    await saveGuardianState(options.stateDir, next);
    cached = next;
  };

  const challengeLogin = async (state: GuardianState): Promise<SessionTokens> => {
    const challenge = await http.auth.issueChallenge.mutate({
      identityPublicKey: state.identity.publicKeyHex,
    });
    const loggedIn = await http.auth.login.mutate({
      challengeId: challenge.challengeId,
      identityPublicKey: state.identity.publicKeyHex,
      signature: signLoginChallenge(state.identity, state.serverOrigin, challenge),
      deviceName: state.deviceName,
    });
    emit({ type: "logged-in", sessionId: loggedIn.sessionId, via: "challenge" });
    return {
      sessionId: loggedIn.sessionId,
      accessToken: loggedIn.accessToken,
      accessTokenExpiresAt: loggedIn.accessTokenExpiresAt,
      refreshToken: loggedIn.refreshToken,
    };
  };

  // One refresh at a time: refresh tokens rotate, so two concurrent refreshes would
  // look like reuse to the server (its grace window covers only true duplicates).
  let inFlight: Promise<SessionTokens> | undefined;
  const obtainSession = (force: boolean): Promise<SessionTokens> => {
    inFlight ??= (async () => {
      const state = await readState();
      const current = state.session;
      if (
        current !== null &&
        !force &&
        Date.parse(current.accessTokenExpiresAt) - Date.now() > renewBeforeMs
      ) {
        return current;
      }
      let next: SessionTokens | undefined;
      if (current !== null) {
        try {
          next = await http.auth.refresh.mutate({ refreshToken: current.refreshToken });
        } catch (error) {
          // Spent, expired or revoked: only the identity key can open a new session.
          if (!isUnauthorized(error)) throw error;
          await writeState({ ...state, session: null });
        }
      }
      next ??= await challengeLogin(state);
      await writeState({ ...(await readState()), session: next });
      return next;
    })().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  let renewTimer: NodeJS.Timeout | undefined;
  let forceNextRefresh = false;
  let wsClient: ReturnType<typeof createWSClient> | undefined;
  let api: TRPCClient<GuardianRouter> | undefined;

  const scheduleRenewal = (expiresAt: string): void => {
    clearTimeout(renewTimer);
    const delay = Math.max(0, Date.parse(expiresAt) - Date.now() - renewBeforeMs);
    renewTimer = setTimeout(() => {
      void renewOnSocket();
    }, delay);
  };

  // The socket stays up: fresh tokens come over HTTPS, then the socket's token is
  // swapped in place so the server moves the socket's expiry.
  const renewOnSocket = async (): Promise<void> => {
    try {
      const session = await obtainSession(true);
      await getApi().auth.renewSocketToken.mutate({ accessToken: session.accessToken });
      emit({
        type: "token-renewed",
        accessTokenExpiresAt: session.accessTokenExpiresAt,
        onSocket: true,
      });
      scheduleRenewal(session.accessTokenExpiresAt);
    } catch (error) {
      emit({ type: "renew-failed", error });
    }
  };

  const getApi = (): TRPCClient<GuardianRouter> => {
    if (api !== undefined) return api;
    const client = createWSClient({
      url: `${origin.replace(/^https:/u, "wss:")}/trpc?connectionParams=1`,
      WebSocket: createPinnedWebSocketClass(options.ca),
      retryDelayMs: options.retryDelayMs ?? defaultRetryDelay,
      // Re-read on every (re)connect, so a reconnect always presents a live token. The
      // flag is cleared only once a session was obtained: a refresh refused for a while
      // (rate limit, Redis outage) must not send the revoked token on the next attempt.
      connectionParams: async () => {
        const session = await obtainSession(forceNextRefresh);
        forceNextRefresh = false;
        return { accessToken: session.accessToken };
      },
      onOpen: () => {
        emit({ type: "socket-open" });
        const session = cached?.session;
        if (session) scheduleRenewal(session.accessTokenExpiresAt);
      },
      onClose: (cause) => {
        clearTimeout(renewTimer);
        // 4401: the server saw the token expire; 4403: the session is gone. Either way
        // the next connect must not present the stored access token again.
        if (
          cause?.code === guardianSocketCloseCodes.tokenExpired ||
          cause?.code === guardianSocketCloseCodes.sessionRevoked
        ) {
          forceNextRefresh = true;
        }
        emit({ type: "socket-closed", code: cause?.code });
      },
    });
    wsClient = client;
    api = createTRPCClient<GuardianRouter>({ links: [wsLink({ client })] });
    return api;
  };

  return {
    http,
    get api() {
      return getApi();
    },
    async join(input) {
      if ((await loadGuardianState(options.stateDir)) !== undefined) {
        throw new Error(`${options.stateDir} already holds a guardian; use another state folder`);
      }
      const identity = generateIdentityKey();
      const challenge = await http.auth.issueJoinChallenge.mutate({
        identityPublicKey: identity.publicKeyHex,
      });
      const joined = await http.auth.join.mutate({
        vaultId: input.vaultId,
        code: input.code,
        identityPublicKey: identity.publicKeyHex,
        challengeId: challenge.challengeId,
        signature: signJoinChallenge(identity, origin, challenge, input),
        displayName: input.displayName ?? input.deviceName,
        deviceName: input.deviceName,
      });
      const state: GuardianState = {
        version: 1,
        serverOrigin: origin,
        guardianId: joined.guardianId,
        vaultIds: [joined.vaultId],
        deviceName: input.deviceName,
        identity,
        session: {
          sessionId: joined.sessionId,
          accessToken: joined.accessToken,
          accessTokenExpiresAt: joined.accessTokenExpiresAt,
          refreshToken: joined.refreshToken,
        },
      };
      await writeState(state);
      emit({ type: "logged-in", sessionId: joined.sessionId, via: "join" });
      return state;
    },
    ensureSession: () => obtainSession(false),
    async state() {
      try {
        return await readState();
      } catch (error) {
        if (error instanceof NotJoinedError) return undefined;
        throw error;
      }
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      clearTimeout(renewTimer);
      listeners.clear();
      await wsClient?.close();
    },
  };
}
