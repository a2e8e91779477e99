import { Badge } from "./badge";
import { formatTime } from "./ui";

/** The leading cells of a security event row: time, kind, severity and IP. */
export function SecurityEventCells({
  event,
}: {
  event: { at: string; kind: string; severity: string; ip: string | null };
}) {
  return (
    <>
      <td>{formatTime(event.at)}</td>
      <td>{event.kind}</td>
      <td>
        <Badge family="severity" value={event.severity} />
      </td>
      <td>{event.ip ?? "—"}</td>
    </>
  );
}
