import type { ReactNode } from "react";

/** A button for an irreversible action (revoke, disable, lift, cancel). */
export function DangerButton({
  onClick,
  disabled,
  children,
}: {
  onClick: () => void;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <button type="button" className="danger" disabled={disabled} onClick={onClick}>
      {children}
    </button>
  );
}
