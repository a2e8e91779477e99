"use client";

import { useMemo } from "react";
import { qrPath } from "../server/qr-path";

/** The vault's P2TR receive address, as text and as a QR code for a wallet to scan. */
export function VaultAddress({ address }: { address: string }) {
  const qr = useMemo(() => qrPath(address), [address]);
  return (
    <figure className="qr">
      <svg
        viewBox={`-2 -2 ${qr.size + 4} ${qr.size + 4}`}
        width="200"
        height="200"
        role="img"
        aria-label="QR code of the vault's address"
        shapeRendering="crispEdges"
      >
        <rect x="-2" y="-2" width={qr.size + 4} height={qr.size + 4} fill="#fff" />
        <path d={qr.d} fill="#000" />
      </svg>
      <figcaption>
        <code className="mono" data-testid="vault-address">
          {address}
        </code>
      </figcaption>
    </figure>
  );
}
