import type { ApiDependencies } from "../../context/api-dependencies";

export type ApiKeySummary = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: Date;
  lastUsedAt: Date | null;
  createdAt: Date;
  createdById: string;
  revokedAt: Date | null;
};

export async function listApiKeys(deps: ApiDependencies): Promise<ApiKeySummary[]> {
  return deps.prisma.apiKey.findMany({
    orderBy: { createdAt: "desc" },
    take: 500,
    select: {
      id: true,
      name: true,
      prefix: true,
      scopes: true,
      expiresAt: true,
      lastUsedAt: true,
      createdAt: true,
      createdById: true,
      revokedAt: true,
    },
  });
}
