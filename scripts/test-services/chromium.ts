import { ensureDebianPackage, firstExisting } from "./debian-package";

/** Debian's Chromium for the console's browser suites; installed on first use. */
export function ensureChromium(): string {
  return ensureDebianPackage("chromium", () =>
    firstExisting(["/usr/bin/chromium", "/usr/bin/chromium-browser"]),
  );
}
