import fc from "fast-check";
import { z } from "zod";

export type JsonPath = (string | number)[];
type Json = unknown;

const isUuid = (value: string) => z.uuid().safeParse(value).success;

function nested(depth: number, wrap: (inner: unknown) => unknown): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
}

export const oversizedString = "a".repeat(100_000);

// Values no field of any procedure should take, or should take only by accident of
// its type: the filter on the parser's verdict decides, case by case.
const hostileConstants: unknown[] = [
  oversizedString,
  "0".repeat(100_000),
  "é".repeat(100_000),
  "",
  " ",
  "\u0000",
  "a\u202eb",
  "line\nbreak",
  "null",
  "00000000-0000-0000-0000-00000000000g",
  -1,
  0,
  -0,
  1.5,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER - 2,
  1e308,
  -1e308,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  null,
  true,
  false,
  [],
  {},
  new Array(10_000).fill(0),
  nested(1_000, (inner) => ({ a: inner })),
  nested(1_000, (inner) => [inner]),
  JSON.parse('{"__proto__": {"polluted": "yes"}}'),
  JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}'),
];

// Near-misses of a uuid; any that happens to be a valid uuid is dropped, so a
// guardian's call never names some other (real-looking) vault.
const badUuid = fc
  .tuple(
    fc.uuid(),
    fc.constantFrom<(uuid: string) => string>(
      (u) => u.slice(1),
      (u) => `${u}0`,
      (u) => u.replace(/-/g, ""),
      (u) => `{${u}}`,
      (u) => ` ${u}`,
      (u) => u.replace(/[0-9a-f]/, "g"),
      (u) => u.replace("-", "_"),
      (u) => `${u}\u0000`,
    ),
  )
  .map(([uuid, mangle]) => mangle(uuid))
  .filter((value) => !isUuid(value));

const jsonValue = fc.jsonValue({ maxDepth: 3 });

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  jsonValue,
  fc.constantFrom(...hostileConstants),
  badUuid,
  fc.double(),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.array(jsonValue, { maxLength: 5 }),
);

/** Paths to every own property of every object inside `value` (arrays walked too). */
export function propertyPaths(value: Json, at: JsonPath = []): JsonPath[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => propertyPaths(item, [...at, i]));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [
    [...at, key],
    ...propertyPaths(child, [...at, key]),
  ]);
}

/** Paths to every object (not array) inside `value`, the root included. */
export function objectPaths(value: Json, at: JsonPath = []): JsonPath[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => objectPaths(item, [...at, i]));
  if (typeof value !== "object" || value === null) return [];
  return [at, ...Object.entries(value).flatMap(([key, child]) => objectPaths(child, [...at, key]))];
}

function edit(
  value: Json,
  path: JsonPath,
  change: (parent: Record<string, unknown>, key: string | number) => void,
): Json {
  const copy = structuredClone(value);
  const parentPath = path.slice(0, -1);
  const parent = parentPath.reduce<unknown>(
    (node, key) => (node as Record<string | number, unknown>)[key],
    copy,
  ) as Record<string, unknown>;
  const last = path.at(-1);
  if (last === undefined) throw new Error("empty path");
  change(parent, last);
  return copy;
}

// defineProperty, not assignment: `__proto__` must become an own key, as JSON.parse
// makes it, not a prototype swap.
function defineOwn(target: object, key: string | number, value: unknown) {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

export const setAt = (value: Json, path: JsonPath, replacement: unknown): Json =>
  edit(value, path, (parent, key) => {
    defineOwn(parent, key, replacement);
  });

export const deleteAt = (value: Json, path: JsonPath): Json =>
  edit(value, path, (parent, key) => {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else Reflect.deleteProperty(parent, key);
  });

export function addKeyAt(value: Json, objectPath: JsonPath, key: string, extra: unknown): Json {
  const copy = structuredClone(value);
  const target = objectPath.reduce<unknown>(
    (node, step) => (node as Record<string | number, unknown>)[step],
    copy,
  ) as object;
  defineOwn(target, key, extra);
  return copy;
}

// Names an attacker would try, plus arbitrary ones; the `x` prefix keeps a random key
// from being a legitimate record key such as a signer index.
const extraKey = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "prototype", "isAdmin", "role", "VaultId", "id", ""),
  fc.string({ maxLength: 12 }).map((s) => `x${s}`),
);

/**
 * The sample with one unknown key added to one of its objects (any depth); `skip`
 * leaves out (object path, key) pairs known to be let through.
 */
export function withExtraKey(
  sample: Json,
  skip: (objectPath: JsonPath, key: string) => boolean = () => false,
): fc.Arbitrary<Json> {
  return fc
    .tuple(fc.constantFrom(...objectPaths(sample)), extraKey, jsonValue)
    .filter(([path, key]) => {
      const target = path.reduce<unknown>(
        (node, step) => (node as Record<string | number, unknown>)[step],
        sample,
      ) as object;
      return !Object.hasOwn(target, key) && !skip(path, key);
    })
    .map(([path, key, extra]) => addKeyAt(sample, path, key, extra));
}

/** Malformed-looking inputs; some may still parse, the caller filters on the verdict. */
export function malformedInput(sample: Json, shapeKeys: string[]): fc.Arbitrary<unknown> {
  const candidates: fc.Arbitrary<unknown>[] = [jsonValue, fc.constantFrom(...hostileConstants)];
  if (shapeKeys.length > 0)
    candidates.push(fc.record(Object.fromEntries(shapeKeys.map((key) => [key, hostileValue]))));
  if (sample !== undefined) {
    const paths = propertyPaths(sample);
    if (paths.length > 0) {
      candidates.push(
        fc
          .tuple(fc.constantFrom(...paths), hostileValue)
          .map(([path, replacement]) => setAt(sample, path, replacement)),
        fc.constantFrom(...paths).map((path) => deleteAt(sample, path)),
      );
    }
    candidates.push(withExtraKey(sample));
  }
  return fc.oneof(...candidates);
}
