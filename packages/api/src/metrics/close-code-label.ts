import { guardianSocketCloseCodes } from "@conclave/validators/guardian-socket-close-codes";

// The codes a guardian socket closes with: the protocol's own (1000 normal, 1005 none
// given, 1006 dropped, 1008 policy, 1011 server error) and ours. A client may send any
// code in 3000-4999 when it closes, so anything else is "other".
const knownCodes = new Set<number>([
  1000,
  1005,
  1006,
  1008,
  1011,
  ...Object.values(guardianSocketCloseCodes),
]);

export function closeCodeLabel(code: number): string {
  return knownCodes.has(code) ? String(code) : "other";
}
