// Label values come from code (procedure paths, limit names, event kinds), never from a
// client; this guard is the second line: anything outside a short, plain alphabet, and
// any value past the first `max` distinct ones, becomes "other", so a bug cannot turn a
// label into an id, an address or user text, nor grow the series without bound.
const plainLabel = /^[A-Za-z0-9_.:()-]{1,64}$/u;

export type LabelGuard = (value: string) => string;

export function createLabelGuard(max: number): LabelGuard {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (!plainLabel.test(value) || seen.size >= max) return "other";
    seen.add(value);
    return value;
  };
}
