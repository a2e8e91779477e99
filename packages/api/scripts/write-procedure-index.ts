import { writeFileSync } from "node:fs";
import { procedureDoors, procedureIndexFile } from "./procedure-doors";
import { renderProcedureIndex } from "./procedure-index";

writeFileSync(procedureIndexFile, renderProcedureIndex(procedureDoors));
process.stdout.write(`wrote ${procedureIndexFile.pathname}\n`);
