import { z } from "zod";
import { userOutput } from "../../schemas/identity-output-schemas";
import { listUsers } from "../../services/users/list-users";
import { permissionProcedure, router } from "../../trpc";

export const usersRouter = router({
  list: permissionProcedure("user.read")
    .output(z.array(userOutput))
    .query(({ ctx }) => listUsers(ctx.deps)),
});
