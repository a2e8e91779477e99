import { firstExisting, type DebianTool } from "./debian-package";

/** Debian's Chromium for the console's browser suites. */
export const chromiumTool: DebianTool = {
  pkg: "chromium",
  envVar: "CONCLAVE_TEST_CHROMIUM",
  find: () => firstExisting(["/usr/bin/chromium", "/usr/bin/chromium-browser"]),
};
