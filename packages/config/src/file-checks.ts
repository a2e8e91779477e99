import { accessSync, constants, statSync } from "node:fs";
import type { FragmentContext } from "./config-fragment";

const GROUP_OR_OTHER_ACCESS = 0o077;

/** Reports `variable` unless `path` is a readable regular file. Returns whether it is. */
export function checkReadableFile(
  context: FragmentContext,
  variable: string,
  path: string,
): boolean {
  try {
    if (!statSync(path).isFile()) {
      context.report(variable, `${path} is not a regular file`);
      return false;
    }
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    context.report(variable, `cannot read ${path}`);
    return false;
  }
}

/** Reports `variable` when the private file at `path` is accessible by group or others. */
export function checkOwnerOnlyFile(context: FragmentContext, variable: string, path: string): void {
  const mode = statSync(path).mode;
  if ((mode & GROUP_OR_OTHER_ACCESS) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, "0");
    context.report(
      variable,
      `${path} is accessible by group or others (mode ${octal}); restrict it with chmod 600`,
    );
  }
}
