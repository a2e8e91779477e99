import { z } from "zod";
import type { FragmentContext } from "./config-fragment";

/**
 * Validates the variables named by `shape` with zod and reports each issue by variable name.
 * zod's messages describe the expectation, not the received value, so nothing secret is echoed.
 */
export function parseEnv<Shape extends z.ZodRawShape>(
  context: FragmentContext,
  shape: Shape,
): z.infer<z.ZodObject<Shape>> | undefined {
  const picked = Object.fromEntries(Object.keys(shape).map((name) => [name, context.env[name]]));
  const result = z.object(shape).safeParse(picked);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const variable = issue.path[0];
    context.report(typeof variable === "string" ? variable : "(environment)", issue.message);
  }
  return undefined;
}
