// deploy/nftables checked by nft itself (`nft -c -f`: parsed, evaluated and sent to the
// kernel as a batch that is never committed), and held to its promise: only 22, 80 and
// 443 open, nothing else accepted from outside.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nftTool } from "../scripts/test-services/deploy-tools";
import { provisionedTool } from "../scripts/test-services/provisioned-tool";

const ruleset = path.join(import.meta.dirname, "../deploy/nftables/conclave.nft");

function check(nft: string, file: string): { status: number; output: string } {
  const result = spawnSync(nft, ["-c", "-f", file], { encoding: "utf8" });
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

describe("deploy/nftables", () => {
  let nft: string;
  let scratch: string;
  beforeAll(() => {
    nft = provisionedTool(nftTool);
    scratch = mkdtempSync(path.join(tmpdir(), "conclave-nft-"));
  });
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it("passes nft -c -f", () => {
    const { status, output } = check(nft, ruleset);
    expect(output).toBe("");
    expect(status).toBe(0);
  });

  it("fails nft -c -f on a broken copy (the check can fail)", () => {
    const broken = path.join(scratch, "broken.nft");
    writeFileSync(broken, readFileSync(ruleset, "utf8").replace("policy drop;", "policy dorp;"));
    const { status, output } = check(nft, broken);
    expect(output).toContain("syntax error");
    expect(status).not.toBe(0);
  });

  it("drops by default and opens only SSH, HTTP and HTTPS", () => {
    const text = readFileSync(ruleset, "utf8");
    expect(text).toMatch(/hook input priority filter; policy drop;/u);
    expect(text).toMatch(/hook forward priority filter; policy drop;/u);
    expect(/elements = \{ ([^}]*) \}/u.exec(text)?.[1]).toBe("22, 80, 443");
    const accepts = text
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => !line.startsWith("#") && /\baccept$/u.test(line));
    expect(accepts).toEqual([
      "ct state { established, related } accept",
      'iifname "lo" accept',
      expect.stringMatching(/^ip protocol icmp icmp type /u),
      expect.stringMatching(/^ip6 nexthdr icmpv6 icmpv6 type /u),
      "tcp dport @public_tcp ct state new accept",
    ]);
  });
});
