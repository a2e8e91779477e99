import type { ApiDependencies } from "../../context/api-dependencies";
import type { SubjectType } from "../../rbac/principal";
import { liveSessionWhere } from "./active-session-window";
import type { SessionView } from "./session-view";
import { sessionViewSelect } from "./session-view";

// Live sessions of one subject, most recently active first. `currentSessionId`
// marks the caller's own session when a subject lists itself.
export async function listSubjectSessions(
  deps: ApiDependencies,
  input: { subjectType: SubjectType; subjectId: string; currentSessionId: string | null },
): Promise<SessionView[]> {
  const rows = await deps.prisma.session.findMany({
    where: {
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      ...liveSessionWhere(deps.config, deps.clock.now()),
    },
    orderBy: { lastActivityAt: "desc" },
    select: sessionViewSelect,
  });
  return rows.map((row) => ({ ...row, current: row.id === input.currentSessionId }));
}
