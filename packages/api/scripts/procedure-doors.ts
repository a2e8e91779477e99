import { consoleRoot } from "../src/routers/console-root";
import { guardianHttpRoot } from "../src/routers/guardian-http-root";
import { guardianRoot } from "../src/routers/guardian-root";
import type { DoorRoot } from "./procedure-index";

export const procedureIndexFile = new URL("../PROCEDURES.md", import.meta.url);

export const procedureDoors: DoorRoot[] = [
  { door: "Console (apps/web, /api/trpc)", file: "routers/console-root.ts", root: consoleRoot },
  { door: "Guardian WSS (apps/ws-server)", file: "routers/guardian-root.ts", root: guardianRoot },
  {
    door: "Guardian HTTPS (apps/ws-server, /trpc)",
    file: "routers/guardian-http-root.ts",
    root: guardianHttpRoot,
  },
];
