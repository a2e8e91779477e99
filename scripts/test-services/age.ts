import { firstExisting, type DebianTool } from "./debian-package";

/**
 * Debian's `age`, the reference tool: the backups must decrypt with it too, so that an
 * operator can read one on an offline machine without Node.js.
 */
export const ageTool: DebianTool = {
  pkg: "age",
  envVar: "CONCLAVE_TEST_AGE",
  find: () => firstExisting(["/usr/bin/age"]),
};
