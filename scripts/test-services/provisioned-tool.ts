import { existsSync } from "node:fs";
import type { DebianTool } from "./debian-package";

/**
 * The path `npm test` provisioned for `tool` before the workers started. Test files
 * never install anything: concurrent installs in parallel workers fight over apt's lock.
 */
export function provisionedTool(tool: Pick<DebianTool, "envVar" | "pkg">): string {
  const provided = process.env[tool.envVar];
  if (!provided) {
    throw new Error(
      `${tool.envVar} is not set: run the tests with 'npm test' (scripts/test.ts), which installs ${tool.pkg} once before vitest starts, or set ${tool.envVar} to its path`,
    );
  }
  if (!existsSync(provided))
    throw new Error(`${tool.envVar} names ${provided}, which does not exist`);
  return provided;
}
