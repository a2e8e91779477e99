import {
  liftBanInput,
  liftBanOutput,
  listBansInput,
  listBansOutput,
} from "../../abuse/ban-schemas";
import { actorOf } from "../../rbac/principal";
import { permissionProcedure, router } from "../../trpc";

// IP bans made by the failure tracker. Lifting writes a ban.lift audit row and an
// ip.ban_lifted security event (in the ban service) and forgets the address's failures.
export const bansRouter = router({
  list: permissionProcedure("securityEvent.read")
    .input(listBansInput)
    .output(listBansOutput)
    .query(({ ctx, input }) => ctx.deps.abuse.bans.listBans(input)),

  lift: permissionProcedure("ban.write")
    .input(liftBanInput)
    .output(liftBanOutput)
    .mutation(async ({ ctx, input }) => ({
      lifted: await ctx.deps.abuse.bans.liftBan(actorOf(ctx.principal), input.ip, ctx.request),
    })),
});
