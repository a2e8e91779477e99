import { initTRPC, TRPCError } from "@trpc/server";
import { z } from "zod";
import { isTransientDatabaseError } from "@conclave/db/is-transient-database-error";
import { enforceRateLimit, callLimitFor } from "./abuse/call-limit-for-principal";
import { clientIpSubject } from "./abuse/ip-address";
import { publicLimitByPath } from "./abuse/public-procedure-limits";
import type { ApiContext } from "./context/create-api-context";
import { formatError } from "./errors/format-error";
import { toTrpcError } from "./errors/to-trpc-error";
import { authorizePermission } from "./middleware/authorize-permission";
import { authorizeVaultAccess } from "./middleware/authorize-vault-access";
import { hasPrototypeKey } from "./middleware/has-prototype-key";
import { resolvePrincipal } from "./middleware/resolve-principal";
import type { Permission } from "./rbac/permissions";

// Every procedure declares how it is reached; the access-matrix test reads this
// from the router, so a procedure without meta fails the build of that test.
export type ProcedureMeta =
  | { access: "public" }
  | { access: "authenticated" }
  | { access: "permission"; permission: Permission; vaultScoped: boolean };

const t = initTRPC
  .context<ApiContext>()
  .meta<ProcedureMeta>()
  .create({
    errorFormatter: ({ shape, error }) => formatError(shape, error),
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// Outermost: domain errors become TRPCErrors here and nowhere else; database
// contention (a transaction that could not start or finish in time) is a retryable
// SERVICE_UNAVAILABLE; anything else unexpected is logged (redacted) and leaves as a
// bare INTERNAL_SERVER_ERROR.
const baseProcedure = t.procedure
  .use(async ({ ctx, path, next }) => {
    const result = await next();
    if (result.ok) return result;
    const mapped = toTrpcError(result.error);
    if (mapped) throw mapped;
    if (isTransientDatabaseError(result.error.cause)) {
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

// The public auth procedures (join, challenge, login, refresh) are counted per client
// address here, whatever the transport, so the HTTPS front door only checks bans.
export const publicProcedure = baseProcedure
  .meta({ access: "public" })
  .use(async ({ ctx, path, next }) => {
    const name = publicLimitByPath[path];
    if (name !== undefined)
      ctx.connection.rateLimit = await enforceRateLimit(ctx.deps.abuse.limiter, {
        name,
        subject: [clientIpSubject(ctx.request.ip)],
        meta: ctx.request,
      });
    return next();
  });

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

export function permissionProcedure(permission: Permission) {
  return baseProcedure
    .meta({ access: "permission", permission, vaultScoped: false })
    .use(async ({ ctx, path, type, next }) => {
      const principal = await resolvePrincipal(ctx, path);
      await authorizePermission(ctx, principal, permission, path);
      await enforceRateLimit(ctx.deps.abuse.limiter, callLimitFor(principal, type, ctx.request));
      return next({ ctx: { ...ctx, principal } });
    });
}

const vaultIdInput = z.looseObject({ vaultId: z.uuid() });
const signingInput = z.looseObject({ transactionId: z.uuid() });

// Checked before the procedure's own input parser runs, so a guardian probing a
// foreign vault gets 403 whatever else its input holds.
export function vaultProcedure(permission: Permission) {
  return permissionProcedure(permission)
    .meta({ access: "permission", permission, vaultScoped: true })
    .use(async ({ ctx, path, getRawInput, next }) => {
      const parsed = vaultIdInput.safeParse(await getRawInput());
      if (!parsed.success) throw new TRPCError({ code: "BAD_REQUEST", cause: parsed.error });
      await authorizeVaultAccess(ctx, ctx.principal, parsed.data.vaultId, path);
      // Signing submissions are also counted per (transaction, guardian), so one
      // guardian cannot churn attempts on one transaction within its call budget.
      const signing = signingInput.safeParse(await getRawInput());
      if (
        permission === "signing.participate" &&
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
