export type SessionView = {
  id: string;
  subjectType: "USER" | "GUARDIAN";
  subjectId: string;
  deviceName: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
  lastActivityAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokeReason: string | null;
  current: boolean;
};

export const sessionViewSelect = {
  id: true,
  subjectType: true,
  subjectId: true,
  deviceName: true,
  ip: true,
  userAgent: true,
  createdAt: true,
  lastActivityAt: true,
  expiresAt: true,
  revokedAt: true,
  revokeReason: true,
} as const;
