import type { ApiDependencies } from "../../context/api-dependencies";
import { AuthenticationError } from "../../errors/authentication-error";
import type { Role } from "../../rbac/permissions";
import type { SubjectType } from "../../rbac/principal";

// The role comes from the database, not from the token, so demoting or disabling
// an account takes effect on the next call.
export async function subjectRole(
  deps: ApiDependencies,
  subjectType: SubjectType,
  subjectId: string,
): Promise<Role> {
  if (subjectType === "GUARDIAN") {
    const guardian = await deps.prisma.guardian.findUnique({
      where: { id: subjectId },
      select: { status: true },
    });
    if (guardian?.status !== "ACTIVE") throw new AuthenticationError("subject_disabled");
    return "GUARDIAN";
  }
  const user = await deps.prisma.user.findUnique({
    where: { id: subjectId },
    select: { role: true, disabledAt: true },
  });
  if (!user || user.disabledAt) throw new AuthenticationError("subject_disabled");
  return user.role;
}
