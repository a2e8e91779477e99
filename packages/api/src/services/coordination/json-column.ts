import type { z } from "zod";
import { JsonColumnError } from "./json-column-error";

/**
 * The one place a JSON column turns into a typed value. Prisma hands JSON back as an
 * untyped tree, so every read is parsed against the column's schema: a stored value
 * that does not match is a JsonColumnError naming the column, never a silent cast.
 * Writes are parsed too, so nothing is stored that a later read would refuse.
 */
export type JsonColumn<T> = {
  /** "Model.field", as in prisma/schema.prisma; named in every error. */
  readonly name: string;
  /** For a column that must hold a value here (a null is malformed too). */
  read(stored: unknown): T;
  /** For a nullable column that may still be empty. */
  readNullable(stored: unknown): T | null;
  write(value: T): object;
};

export function defineJsonColumn<T>(name: string, schema: z.ZodType<T>): JsonColumn<T> {
  const parse = (direction: "read" | "write", value: unknown): T => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new JsonColumnError(name, direction, parsed.error.issues);
    return parsed.data;
  };
  return {
    name,
    read: (stored) => parse("read", stored),
    readNullable: (stored) => (stored === null ? null : parse("read", stored)),
    // The parsed copy is plain JSON data; Prisma's Json input type wants an index
    // signature that the frost wire interfaces do not declare.
    write: (value) => parse("write", value) as object,
  };
}

/**
 * For a column whose values are checked by their TypeScript type where they are built
 * and never read back as a typed value (guardian event payloads are relayed as they are).
 */
export function jsonColumn(value: object): object {
  return value;
}
