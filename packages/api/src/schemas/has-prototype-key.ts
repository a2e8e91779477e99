/**
 * Whether any object in `value` has an own "__proto__" key. JSON.parse creates such
 * keys as plain data; strict zod objects refuse them like any unknown key, but zod's
 * records drop them silently, so every input is checked once, before parsing.
 */
export function hasPrototypeKey(value: unknown): boolean {
  // A stack, not recursion: inputs may nest far deeper than the call stack allows.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== "object" || node === null) continue;
    if (Object.hasOwn(node, "__proto__")) return true;
    for (const child of Object.values(node)) pending.push(child);
  }
  return false;
}
