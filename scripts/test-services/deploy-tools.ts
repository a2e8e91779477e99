import { firstExisting, type DebianTool } from "./debian-package";

// The real tools that check the files under deploy/ (tests/deploy-*.test.ts).

export const nginxTool: DebianTool = {
  pkg: "nginx",
  envVar: "CONCLAVE_TEST_NGINX",
  find: () => firstExisting(["/usr/sbin/nginx"]),
};

export const fail2banRegexTool: DebianTool = {
  pkg: "fail2ban",
  envVar: "CONCLAVE_TEST_FAIL2BAN_REGEX",
  find: () => firstExisting(["/usr/bin/fail2ban-regex"]),
};

export const nftTool: DebianTool = {
  pkg: "nftables",
  envVar: "CONCLAVE_TEST_NFT",
  find: () => firstExisting(["/usr/sbin/nft"]),
};

export const systemdAnalyzeTool: DebianTool = {
  pkg: "systemd",
  envVar: "CONCLAVE_TEST_SYSTEMD_ANALYZE",
  find: () => firstExisting(["/usr/bin/systemd-analyze"]),
};

export const deployTools: readonly DebianTool[] = [
  nginxTool,
  fail2banRegexTool,
  nftTool,
  systemdAnalyzeTool,
];

/** For `npm run tls-scan` only: minutes per target, too slow for CI. */
export const testsslTool: DebianTool = {
  pkg: "testssl.sh",
  envVar: "CONCLAVE_TESTSSL",
  find: () => firstExisting(["/usr/bin/testssl"]),
};
