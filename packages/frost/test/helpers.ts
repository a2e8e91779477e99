import { dkgRound1, dkgRound2, dkgRound3 } from "../src/dkg";
import type {
  DkgRound1Package,
  DkgRound2Package,
  KeyPackage,
  PublicKeyPackage,
} from "../src/wire-types";

export interface DkgResult {
  round1: DkgRound1Package[];
  keys: Map<number, KeyPackage>;
  reports: Map<number, PublicKeyPackage>;
}

/** Runs a complete DKG in process, each guardian seeing only what the server relays to it. */
export function runDkg(threshold: number, participants: number): DkgResult {
  const params = { threshold, participants };
  const indexes = Array.from({ length: participants }, (_, i) => i + 1);
  const round1 = indexes.map((guardianIndex) => dkgRound1({ guardianIndex, ...params }));
  const publics = round1.map((r) => r.publicPackage);
  const othersOf = (i: number) => publics.filter((p) => p.sender !== i);
  const mailbox: DkgRound2Package[] = [];
  for (const r of round1) {
    mailbox.push(...dkgRound2(r.secretPackage, othersOf(r.secretPackage.guardianIndex)));
  }
  const keys = new Map<number, KeyPackage>();
  const reports = new Map<number, PublicKeyPackage>();
  for (const r of round1) {
    const me = r.secretPackage.guardianIndex;
    const inbox = mailbox.filter((m) => m.recipient === me);
    const out = dkgRound3(r.secretPackage, othersOf(me), inbox);
    keys.set(me, out.keyPackage);
    reports.set(me, out.publicKeyPackage);
  }
  return { round1: publics, keys, reports };
}
