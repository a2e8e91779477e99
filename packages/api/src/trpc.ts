import { initTRPC, TRPCError } from "@trpc/server";
import { z } from "zod";
import { transientDatabaseErrorKind } from "@conclave/db/is-transient-database-error";
import type { LimitName } from "./abuse/abuse-config";
import { enforceRateLimit, callLimitFor } from "./abuse/call-limit-for-principal";
import { clientIpSubject } from "./abuse/ip-address";
import type { ApiContext } from "./context/create-api-context";
import { DomainError } from "./errors/domain-error";
import { formatError } from "./errors/format-error";
import { toTrpcError } from "./errors/to-trpc-error";
import { recordProcedureCall } from "./metrics/record-procedure-call";
import { authorizePermission } from "./rbac/authorize-permission";
import { authorizeVaultAccess } from "./rbac/authorize-vault-access";
import { hasPrototypeKey } from "./schemas/has-prototype-key";
import { resolvePrincipal } from "./rbac/resolve-principal";
import type { Permission } from "./rbac/permissions";
import type { Principal } from "./rbac/principal";
import type { FreshCredentials } from "./services/auth/confirm-fresh-credentials";
import { confirmFreshCredentials } from "./services/auth/confirm-fresh-credentials";
import { recordCoordinationDenial } from "./services/coordination/record-coordination-denials";

/** The per-client-address limit of each public door (abuse-config.ts holds the numbers). */
export type PublicLimit = Extract<
  LimitName,
  "join" | "joinChallenge" | "challenge" | "login" | "refresh"
>;

/** Rules a signed-in procedure may add to its permission, whatever key it is mounted under. */
export type ProcedureGuards = {
  /** Counted per (transaction, guardian), on top of the guardian's call budget. */
  limit?: Extract<LimitName, "signingAttempt">;
  /** Refusals of the service are recorded as `coordination_denied` under this operation. */
  recordDenials?: string;
};

// Every rule about a procedure is declared here, on the procedure, and enforced by the
// builders below from this meta; the access-matrix test prints it for every procedure.
// A procedure keeps its rules under any key, so a rename cannot drop one.
export type ProcedureMeta =
  | { access: "public"; limit: PublicLimit }
  | { access: "authenticated" }
  | ({
      access: "permission";
      permission: Permission;
      vaultScoped: boolean;
      /** The caller proves presence again in the same request (see confirmFreshCredentials). */
      reauthentication?: "fresh-credentials";
    } & ProcedureGuards);

type PermissionMeta = Extract<ProcedureMeta, { access: "permission" }>;

const t = initTRPC
  .context<ApiContext>()
  .meta<ProcedureMeta>()
  .create({
    errorFormatter: ({ shape, error }) => formatError(shape, error),
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// Outermost: every call is measured with the code its caller sees, after the mapping
// below. Then domain errors become TRPCErrors here and nowhere else; database
// contention (a transaction that could not start or finish in time) is a retryable
// SERVICE_UNAVAILABLE; anything else unexpected is logged (redacted) and leaves as a
// bare INTERNAL_SERVER_ERROR.
const baseProcedure = t.procedure
  .use(async ({ ctx, path, next }) => {
    const startedAt = performance.now();
    const result = await next();
    recordProcedureCall(ctx.deps.metrics, {
      frontDoor: ctx.request.frontDoor,
      transport: ctx.request.transport,
      path,
      seconds: (performance.now() - startedAt) / 1000,
      code: result.ok ? "OK" : result.error.code,
      cause: result.ok ? undefined : result.error.cause,
    });
    return result;
  })
  .use(async ({ ctx, path, next }) => {
    const result = await next();
    if (result.ok) return result;
    const mapped = toTrpcError(result.error);
    if (mapped) throw mapped;
    const contention = transientDatabaseErrorKind(result.error.cause);
    if (contention !== undefined) {
      ctx.deps.metrics.databaseTransactionFailures.inc({ kind: contention });
      ctx.deps.logger.warn(
        { path, requestId: ctx.request.requestId },
        "database contention; answered SERVICE_UNAVAILABLE",
      );
      throw new TRPCError({
        code: "SERVICE_UNAVAILABLE",
        message: "The server is busy; try again shortly",
      });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      ctx.deps.logger.error(
        { err: result.error.cause ?? result.error, path, requestId: ctx.request.requestId },
        "procedure failed",
      );
    }
    return result;
  })
  .use(async ({ getRawInput, next }) => {
    if (hasPrototypeKey(await getRawInput()))
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: "Unexpected key __proto__ in the input",
      });
    return next();
  });

// A meta that the builders below did not set is a programming error, not a client's.
function declared<A extends ProcedureMeta["access"]>(
  meta: ProcedureMeta | undefined,
  access: A,
): Extract<ProcedureMeta, { access: A }> {
  if (meta?.access !== access) throw new Error(`procedure meta is not "${access}"`);
  return meta as Extract<ProcedureMeta, { access: A }>;
}

// The public auth procedures (join, challenge, login, refresh) are counted per client
// address here, whatever the transport, so the HTTPS front door only checks bans.
// Each one names its limit: there is no public procedure without one.
export function publicProcedure(limit: PublicLimit) {
  return baseProcedure.meta({ access: "public", limit }).use(async ({ ctx, meta, next }) => {
    ctx.connection.rateLimit = await enforceRateLimit(ctx.deps.abuse.limiter, {
      name: declared(meta, "public").limit,
      subject: [clientIpSubject(ctx.request.ip)],
      meta: ctx.request,
    });
    return next();
  });
}

// A session holder (user or guardian); API keys are refused here, since keys
// reach admin procedures only.
export const authenticatedProcedure = baseProcedure
  .meta({ access: "authenticated" })
  .use(async ({ ctx, path, type, next }) => {
    const principal = await resolvePrincipal(ctx, path);
    await authorizePermission(ctx, principal, null, path);
    if (principal.kind !== "session") throw new TRPCError({ code: "FORBIDDEN" });
    await enforceRateLimit(ctx.deps.abuse.limiter, callLimitFor(principal, type, ctx.request));
    return next({ ctx: { ...ctx, principal } });
  });

const vaultIdInput = z.looseObject({ vaultId: z.uuid() });
const signingInput = z.looseObject({ transactionId: z.uuid() });

// Permission, then (vault-scoped procedures) vault access, checked before the
// procedure's own input parser runs, so a guardian probing a foreign vault gets 403
// whatever else its input holds; then the declared extra limit.
function authorizedProcedure(procedureMeta: PermissionMeta) {
  return baseProcedure
    .meta(procedureMeta)
    .use(async ({ ctx, path, type, meta, next }) => {
      const principal = await resolvePrincipal(ctx, path);
      await authorizePermission(ctx, principal, declared(meta, "permission").permission, path);
      await enforceRateLimit(ctx.deps.abuse.limiter, callLimitFor(principal, type, ctx.request));
      return next({ ctx: { ...ctx, principal } });
    })
    .use(async ({ ctx, path, meta, getRawInput, next }) => {
      const declaredMeta = declared(meta, "permission");
      if (declaredMeta.vaultScoped) {
        const parsed = vaultIdInput.safeParse(await getRawInput());
        if (!parsed.success) throw new TRPCError({ code: "BAD_REQUEST", cause: parsed.error });
        await authorizeVaultAccess(ctx, ctx.principal, parsed.data.vaultId, path);
      }
      // Signing submissions are also counted per (transaction, guardian), so one
      // guardian cannot churn attempts on one transaction within its call budget.
      const signing = signingInput.safeParse(await getRawInput());
      if (
        declaredMeta.limit === "signingAttempt" &&
        ctx.principal.kind === "session" &&
        signing.success
      ) {
        const guardianId = ctx.principal.subjectId;
        await enforceRateLimit(ctx.deps.abuse.limiter, {
          name: "signingAttempt",
          subject: [signing.data.transactionId, guardianId],
          meta: ctx.request,
          eventSubject: { type: "GUARDIAN", id: guardianId },
        });
      }
      return next();
    });
}

// Innermost: a refusal of the service itself (a DomainError from the resolver; input
// errors are not DomainErrors) is recorded once its transaction has rolled back.
const recordDeclaredDenials = t.middleware(async ({ ctx, meta, next }) => {
  const result = await next();
  const operation = declared(meta, "permission").recordDenials;
  // Set by authorizedProcedure, which every builder using this middleware starts with.
  const principal = (ctx as ApiContext & { principal?: Principal }).principal;
  if (
    !result.ok &&
    operation !== undefined &&
    principal !== undefined &&
    result.error.cause instanceof DomainError
  ) {
    await recordCoordinationDenial(ctx.deps, ctx.request, principal, operation, result.error.cause);
  }
  return result;
});

export function permissionProcedure(permission: Permission, guards: ProcedureGuards = {}) {
  return authorizedProcedure({
    access: "permission",
    permission,
    vaultScoped: false,
    ...guards,
  }).use(recordDeclaredDenials);
}

export function vaultProcedure(permission: Permission, guards: ProcedureGuards = {}) {
  return authorizedProcedure({
    access: "permission",
    permission,
    vaultScoped: true,
    ...guards,
  }).use(recordDeclaredDenials);
}

/**
 * A one-way act on a vault: the caller proves presence again in the same request
 * (schemas/fresh-credentials-input.ts adds the fields to `input`). The proof is checked
 * after the whole input parsed, so a malformed request spends no code and counts no
 * failure; a failed proof is recorded by confirmFreshCredentials, not as a denial of
 * the act.
 */
export function freshCredentialsVaultProcedure<TOutput extends FreshCredentials, TInput>(
  permission: Permission,
  input: z.ZodType<TOutput, TInput>,
  guards: ProcedureGuards = {},
) {
  return authorizedProcedure({
    access: "permission",
    permission,
    vaultScoped: true,
    reauthentication: "fresh-credentials",
    ...guards,
  })
    .input(input)
    .use(async ({ ctx, input: parsed, next }) => {
      await confirmFreshCredentials(ctx.deps, ctx.request, ctx.principal, parsed);
      return next();
    })
    .use(recordDeclaredDenials);
}
