import { z } from "zod";
import { logOut } from "../../services/sessions/log-out";
import { authenticatedProcedure } from "../../trpc";

export const logoutProcedure = authenticatedProcedure
  .output(z.strictObject({ loggedOut: z.literal(true) }))
  .mutation(({ ctx }) => logOut(ctx.deps, ctx.request, ctx.principal));
