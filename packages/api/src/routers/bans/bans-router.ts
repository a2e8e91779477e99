import {
  liftBanInput,
  liftBanOutput,
  listBansInput,
  listBansOutput,
} from "../../abuse/ban-schemas";
import type { AbuseProtection } from "../../abuse/create-abuse-protection";
import type { ApiDependencies } from "../../context/api-dependencies";
import { actorOf } from "../../rbac/principal";
import { permissionProcedure, router } from "../../trpc";

// A host without abuse protection has no bans to show or lift; that is a wiring
// fault, not something a caller can fix.
function abuseOf(deps: ApiDependencies): AbuseProtection {
  if (!deps.abuse) throw new Error("abuse protection is not configured on this host");
  return deps.abuse;
}

// IP bans made by the failure tracker. Lifting writes a ban.lift audit row and an
// ip.ban_lifted security event (in the ban service) and forgets the address's failures.
export const bansRouter = router({
  list: permissionProcedure("securityEvent.read")
    .input(listBansInput)
    .output(listBansOutput)
    .query(({ ctx, input }) => abuseOf(ctx.deps).bans.listBans(input)),

  lift: permissionProcedure("ban.write")
    .input(liftBanInput)
    .output(liftBanOutput)
    .mutation(async ({ ctx, input }) => ({
      lifted: await abuseOf(ctx.deps).bans.liftBan(actorOf(ctx.principal), input.ip, ctx.request),
    })),
});
