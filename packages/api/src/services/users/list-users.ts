import type { ApiDependencies } from "../../context/api-dependencies";

export type UserSummary = {
  id: string;
  email: string;
  role: "ADMIN" | "VIEWER";
  totpEnabled: boolean;
  disabledAt: Date | null;
  createdAt: Date;
};

export async function listUsers(deps: ApiDependencies): Promise<UserSummary[]> {
  const rows = await deps.prisma.user.findMany({
    orderBy: { createdAt: "asc" },
    take: 500,
    select: {
      id: true,
      email: true,
      role: true,
      totpSecret: true,
      disabledAt: true,
      createdAt: true,
    },
  });
  return rows.map(({ totpSecret, ...row }) => ({ ...row, totpEnabled: totpSecret !== null }));
}
