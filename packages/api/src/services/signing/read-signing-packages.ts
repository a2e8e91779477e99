import type { PublicKeyPackage, SigningPackage } from "@conclave/frost/wire-types";
import {
  signingPackageColumn,
  signingPackagesColumn,
  vaultPublicKeyPackageColumn,
} from "../coordination/coordination-json-columns";
import type { SigningContext } from "./load-signing-context";

export type SigningPackages = {
  publicKeyPackage: PublicKeyPackage;
  /** One per message (signingMessages), in order. */
  signingPackages: SigningPackage[];
};

/** What shares are checked and aggregated against; both are set once an attempt signs. */
export function readSigningPackages({
  vault,
  attempt,
}: Pick<SigningContext, "vault" | "attempt">): SigningPackages {
  return {
    publicKeyPackage: vaultPublicKeyPackageColumn.read(vault.publicKeyPackage),
    signingPackages: signingPackagesColumn.readNullable(attempt.signingPackages) ?? [
      signingPackageColumn.read(attempt.signingPackage),
    ],
  };
}
