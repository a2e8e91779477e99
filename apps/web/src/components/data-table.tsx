import type { ReactNode } from "react";

/**
 * The console's list table: a header row of plain column titles and the caller's rows.
 * `actionColumn` adds a trailing untitled column for per-row buttons.
 */
export function DataTable({
  headers,
  actionColumn = false,
  className,
  children,
}: {
  headers: readonly string[];
  actionColumn?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <table className={className}>
      <thead>
        <tr>
          {headers.map((header) => (
            <th key={header}>{header}</th>
          ))}
          {actionColumn && <th />}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
