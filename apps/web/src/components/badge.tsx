/** A coloured badge: the stylesheet keys the colour on `<family>-<value in lower case>`. */
export function Badge({
  family,
  value,
}: {
  family: "status" | "severity" | "outcome" | "invitation";
  value: string;
}) {
  return <span className={`badge ${family}-${value.toLowerCase()}`}>{value}</span>;
}
