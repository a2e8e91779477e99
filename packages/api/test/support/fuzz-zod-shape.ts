// Reads zod 4 schemas through their definitions (`_zod.def`), the way zod's own
// JSON-schema export does.
type ZodNode = { _zod: { def: ZodDef } };
type ZodDef = {
  type: string;
  shape?: Record<string, ZodNode>;
  catchall?: ZodNode;
  element?: ZodNode;
  innerType?: ZodNode;
  options?: ZodNode[];
  left?: ZodNode;
  right?: ZodNode;
  in?: ZodNode;
  out?: ZodNode;
  keyType?: ZodNode;
  valueType?: ZodNode;
  items?: ZodNode[];
  rest?: ZodNode | null;
  getter?: () => ZodNode;
};

function isZodNode(value: unknown): value is ZodNode {
  return typeof value === "object" && value !== null && "_zod" in value;
}

// Names every object schema that lets unknown keys through (z.object strips them,
// z.looseObject keeps them): the wire contract is strict objects at every depth, not
// only where a sample reaches.
export function looseObjectPaths(schema: unknown): string[] {
  const found: string[] = [];
  const seen = new Set<unknown>();
  const walk = (node: unknown, path: string): void => {
    if (!isZodNode(node) || seen.has(node)) return;
    seen.add(node);
    const def = node._zod.def;
    if (def.type === "object") {
      if (def.catchall?._zod.def.type !== "never") found.push(path === "" ? "(root)" : path);
      for (const [key, child] of Object.entries(def.shape ?? {}))
        walk(child, path === "" ? key : `${path}.${key}`);
      return;
    }
    const children = [
      def.element,
      def.innerType,
      def.left,
      def.right,
      def.in,
      def.out,
      def.valueType,
      def.rest ?? undefined,
      def.getter?.(),
      ...(def.options ?? []),
      ...(def.items ?? []),
    ];
    for (const child of children) walk(child, path);
  };
  walk(schema, "");
  return found;
}

/** The keys of the top-level object(s) a schema accepts, across unions and wrappers. */
export function topLevelKeys(schema: unknown): string[] {
  const keys = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (node: unknown): void => {
    if (!isZodNode(node) || seen.has(node)) return;
    seen.add(node);
    const def = node._zod.def;
    if (def.type === "object") {
      for (const key of Object.keys(def.shape ?? {})) keys.add(key);
      return;
    }
    for (const child of [def.innerType, def.in, def.left, def.right, ...(def.options ?? [])])
      walk(child);
  };
  walk(schema);
  return [...keys];
}
