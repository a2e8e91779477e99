import type { PublicKeyPackage, SigningPackage } from "@conclave/frost/wire-types";
import {
  signingPackageColumn,
  vaultPublicKeyPackageColumn,
} from "../coordination/coordination-json-columns";
import type { SigningContext } from "./load-signing-context";

export type SigningPackages = {
  publicKeyPackage: PublicKeyPackage;
  signingPackage: SigningPackage;
};

/** What shares are checked and aggregated against; both are set once an attempt signs. */
export function readSigningPackages({
  vault,
  attempt,
}: Pick<SigningContext, "vault" | "attempt">): SigningPackages {
  return {
    publicKeyPackage: vaultPublicKeyPackageColumn.read(vault.publicKeyPackage),
    signingPackage: signingPackageColumn.read(attempt.signingPackage),
  };
}
