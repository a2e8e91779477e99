export type VaultView = {
  id: string;
  name: string;
  chain: string;
  network: string;
  groupPublicKeyXOnly: string | null;
  threshold: number;
  guardianCount: number;
  status: "DRAFT" | "INVITING" | "KEYGEN" | "ACTIVE" | "DISABLED" | "DELETED";
  createdAt: Date;
};

export const vaultViewSelect = {
  id: true,
  name: true,
  chain: true,
  network: true,
  groupPublicKeyXOnly: true,
  threshold: true,
  guardianCount: true,
  status: true,
  createdAt: true,
} as const;
