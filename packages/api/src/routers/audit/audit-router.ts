import { typedAuditDetailsSchema } from "@conclave/db/audit/audit-details";
import { verifyAuditChain } from "@conclave/db/audit/verify-audit-chain";
import { z } from "zod";
import { auditSeq, filterDate, filterText } from "../../schemas/console-filter-schemas";
import { isoDate } from "../../schemas/identity-output-schemas";
import { auditActionNames } from "../../services/audit/audit-action-names";
import { listAuditEvents } from "../../services/audit/list-audit-events";
import { permissionProcedure, router } from "../../trpc";

// Reading the audit log and checking its hash chain (console only).
export const auditRouter = router({
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
});
