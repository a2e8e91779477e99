import { BlockList } from "node:net";
import { canonicalIp } from "./ip-address";

/** Proxies whose `X-Forwarded-For` is believed (nginx in front of the ws-server). */
export type TrustedProxies = { contains(ip: string): boolean; readonly size: number };

/** `["127.0.0.1/32", "10.0.0.0/8", "::1/128"]`; a bare address means /32 or /128. */
export function parseTrustedProxies(cidrs: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of cidrs) {
    const [address = "", bits, ...extra] = entry.trim().split("/");
    const ip = canonicalIp(address);
    const family = ip?.includes(":") ? "ipv6" : "ipv4";
    const maxBits = family === "ipv6" ? 128 : 32;
    const prefix = bits === undefined ? maxBits : Number(bits);
    if (ip === null || extra.length > 0 || !/^\d{1,3}$/.test(bits ?? "0") || prefix > maxBits) {
      throw new Error(`invalid trusted proxy CIDR: ${JSON.stringify(entry)}`);
    }
    list.addSubnet(ip, prefix, family);
  }
  return {
    contains: (ip) => {
      const canonical = canonicalIp(ip);
      if (canonical === null) return false;
      return list.check(canonical, canonical.includes(":") ? "ipv6" : "ipv4");
    },
    size: cidrs.length,
  };
}

// Bounds the work an attacker-supplied header can cause.
const maxForwardedLength = 4096;
const maxHops = 32;

export type ClientIpInput = {
  /** `req.socket.remoteAddress`. */
  socketAddress: string | undefined;
  /** `req.headers["x-forwarded-for"]` (several headers are one list). */
  forwardedFor: string | string[] | undefined;
  trustedProxies: TrustedProxies;
};

/**
 * The address limits and bans apply to. `X-Forwarded-For` counts only when the socket
 * peer is a trusted proxy; then hops are read right to left (each appended by the
 * proxy that saw it) and the first one that is not a trusted proxy is the client.
 * Everything left of it was written by the client and is ignored. An unparsable hop
 * stops the walk at the last address a trusted proxy vouched for.
 */
export function resolveClientIp(input: ClientIpInput): string | null {
  const socket = input.socketAddress === undefined ? null : canonicalIp(input.socketAddress);
  if (socket === null || !input.trustedProxies.contains(socket)) return socket;
  const header = Array.isArray(input.forwardedFor)
    ? input.forwardedFor.join(",")
    : (input.forwardedFor ?? "");
  const hops = header.slice(-maxForwardedLength).split(",").slice(-maxHops);
  let client = socket;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = canonicalIp(hops[i] ?? "");
    if (hop === null) return client;
    client = hop;
    if (!input.trustedProxies.contains(hop)) return hop;
  }
  return client;
}
