import { typedAuditDetailsSchema } from "@conclave/db/audit/audit-details";
import { verifyAuditChain } from "@conclave/db/audit/verify-audit-chain";
import { z } from "zod";
import { entityId } from "../../schemas/identity-input-schemas";
import { isoDate } from "../../schemas/identity-output-schemas";
import { auditActionNames } from "../../services/console/audit-action-names";
import { dashboardSummary } from "../../services/console/dashboard-summary";
import { listAuditEvents } from "../../services/console/list-audit-events";
import { listGuardians } from "../../services/console/list-guardians";
import { listSecurityEvents } from "../../services/console/list-security-events";
import { createConsoleUser, disableConsoleUser } from "../../services/console/manage-console-users";
import { permissionProcedure, router } from "../../trpc";
import { actorOf } from "../../rbac/principal";

const securityEventOutput = z.strictObject({
  id: z.uuid(),
  at: isoDate,
  kind: z.string(),
  severity: z.enum(["INFO", "WARN", "CRITICAL"]),
  ip: z.string().nullable(),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  details: z.string(),
});

// Filters reach SQL as parameters. PostgreSQL refuses a NUL in text, a year 0 and a
// bigint past 2^63 - 1 with an error of its own, so each is refused here instead, as
// a 400 that names the field.
const filterText = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((value) => !/\p{Cc}/u.test(value), { message: "Contains control characters" });

const EARLIEST_FILTER_DATE = Date.UTC(1970, 0, 1);
const LATEST_FILTER_DATE = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const filterDate = z.iso.datetime().refine(
  (value) => {
    // NaN only when the format check has already failed.
    const at = Date.parse(value);
    return Number.isNaN(at) || (at >= EARLIEST_FILTER_DATE && at <= LATEST_FILTER_DATE);
  },
  { message: "Pick a date between 1970 and 9999" },
);

const INT8_MAX = 2n ** 63n - 1n;
const auditSeq = z
  .string()
  .regex(/^[1-9][0-9]{0,18}$/)
  // zod runs this even when the pattern failed; only digits may reach BigInt.
  .refine((value) => !/^\d+$/.test(value) || BigInt(value) <= INT8_MAX, {
    message: "Sequence number out of range",
  });

// Console-only views (dashboard, audit log, security events) and account
// management. None of these is reachable with an API key.
export const consoleOpsRouter = router({
  dashboard: permissionProcedure("dashboard.read")
    .output(
      z.strictObject({
        vaultsByStatus: z.array(z.strictObject({ status: z.string(), count: z.number() })),
        guardians: z.number(),
        liveSessions: z.number(),
        openInvitations: z.number(),
        failedLoginsLastHour: z.number(),
        failedLoginsPerMinute: z.array(z.number()),
        signingLatencyPerMinute: z.array(z.number().nullable()),
        recentSecurityEvents: z.array(securityEventOutput),
      }),
    )
    .query(({ ctx }) => dashboardSummary(ctx.deps)),

  audit: router({
    list: permissionProcedure("audit.read")
      .input(
        z.strictObject({
          action: z.enum(auditActionNames).optional(),
          actorType: z.enum(["USER", "GUARDIAN", "API_KEY", "ANONYMOUS", "system"]).optional(),
          actorId: filterText.optional(),
          targetType: filterText.optional(),
          targetId: filterText.optional(),
          from: filterDate.optional(),
          to: filterDate.optional(),
          beforeSeq: auditSeq.optional(),
          limit: z.number().int().min(1).max(200).default(50),
        }),
      )
      .output(
        z.strictObject({
          items: z.array(
            z.strictObject({
              seq: z.string(),
              at: isoDate,
              actorType: z.string(),
              actorId: z.string().nullable(),
              action: z.string(),
              targetType: z.string().nullable(),
              targetId: z.string().nullable(),
              ip: z.string().nullable(),
              outcome: z.enum(["SUCCESS", "FAILURE", "DENIED"]),
              details: z.string(),
              typedDetails: typedAuditDetailsSchema.nullable(),
            }),
          ),
          nextBeforeSeq: z.string().nullable(),
        }),
      )
      .query(({ ctx, input }) =>
        listAuditEvents(ctx.deps, {
          ...input,
          from: input.from === undefined ? undefined : new Date(input.from),
          to: input.to === undefined ? undefined : new Date(input.to),
          beforeSeq: input.beforeSeq === undefined ? undefined : BigInt(input.beforeSeq),
        }),
      ),

    verifyChain: permissionProcedure("audit.read")
      .output(
        z.strictObject({
          ok: z.boolean(),
          count: z.number(),
          brokenSeq: z.string().nullable(),
          reason: z.string().nullable(),
        }),
      )
      .query(async ({ ctx }) => {
        const verdict = await verifyAuditChain(ctx.deps.prisma);
        return verdict.ok
          ? { ok: true, count: verdict.count, brokenSeq: null, reason: null }
          : {
              ok: false,
              count: verdict.count,
              brokenSeq: verdict.brokenSeq.toString(),
              reason: verdict.reason,
            };
      }),
  }),

  guardians: router({
    list: permissionProcedure("guardian.read")
      .output(
        z.array(
          z.strictObject({
            id: z.uuid(),
            displayName: z.string(),
            status: z.string(),
            identityPublicKey: z.string(),
            createdAt: isoDate,
            vaults: z.array(
              z.strictObject({
                vaultId: z.uuid(),
                name: z.string(),
                guardianIndex: z.number().int().nullable(),
              }),
            ),
            liveSessions: z.number().int(),
          }),
        ),
      )
      .query(({ ctx }) => listGuardians(ctx.deps)),
  }),

  securityEvents: router({
    list: permissionProcedure("securityEvent.read")
      .input(
        z.strictObject({
          kind: filterText.optional(),
          severity: z.enum(["INFO", "WARN", "CRITICAL"]).optional(),
          before: filterDate.optional(),
          limit: z.number().int().min(1).max(200).default(50),
        }),
      )
      .output(
        z.strictObject({ items: z.array(securityEventOutput), nextBefore: z.string().nullable() }),
      )
      .query(({ ctx, input }) =>
        listSecurityEvents(ctx.deps, {
          ...input,
          before: input.before === undefined ? undefined : new Date(input.before),
        }),
      ),
  }),

  users: router({
    create: permissionProcedure("user.write")
      .input(z.strictObject({ email: z.email().max(254), role: z.enum(["ADMIN", "VIEWER"]) }))
      .output(
        z.strictObject({
          id: z.uuid(),
          email: z.string(),
          role: z.enum(["ADMIN", "VIEWER"]),
          oneTimePassword: z.string(),
        }),
      )
      .mutation(({ ctx, input }) =>
        createConsoleUser(ctx.deps, ctx.request, actorOf(ctx.principal), input),
      ),

    disable: permissionProcedure("user.write")
      .input(z.strictObject({ userId: entityId }))
      .output(z.strictObject({ id: z.uuid(), disabledAt: isoDate }))
      .mutation(({ ctx, input }) =>
        disableConsoleUser(ctx.deps, ctx.request, actorOf(ctx.principal), input),
      ),
  }),
});
