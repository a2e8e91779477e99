// `npm run bench [suite...]`: performance figures, never pass/fail. Each suite
// prints its cases beside a baseline measured in the same run.
import { withBenchServices } from "./bench-services";
import { auditChainBench } from "./suites/audit-chain";
import { backupBench } from "./suites/backup";
import { ceremonyBench } from "./suites/ceremony";
import { metricsBench } from "./suites/metrics";
import { psbtSigningBench } from "./suites/psbt-signing";
import { rateLimitBench } from "./suites/rate-limit";

const suites: Record<string, () => Promise<void>> = {
  "audit-chain": auditChainBench,
  backup: backupBench,
  ceremony: ceremonyBench,
  metrics: metricsBench,
  "psbt-signing": psbtSigningBench,
  "rate-limit": rateLimitBench,
};

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in suites));
if (unknown.length > 0) {
  console.error(
    `unknown suite(s): ${unknown.join(", ")}; available: ${Object.keys(suites).join(", ")}`,
  );
  process.exit(2);
}

await withBenchServices(async () => {
  for (const name of requested.length > 0 ? requested : Object.keys(suites)) {
    const suite = suites[name];
    if (suite) await suite();
  }
});
