import { isIPv4, isIPv6 } from "node:net";

/**
 * One spelling per address, so a ban or a limit cannot be dodged by writing the same
 * address differently: IPv4 dotted decimal; IPv6 lowercase and compressed, without a
 * zone; IPv4-mapped IPv6 (`::ffff:a.b.c.d`) as the IPv4 address. Accepts the forms
 * proxies write (`[v6]`, `[v6]:port`, `v4:port`); anything else is null.
 */
export function canonicalIp(raw: string): string | null {
  let text = raw.trim();
  if (text.length === 0 || text.length > 64) return null;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed?.[1] !== undefined) text = bracketed[1];
  else if (/^[\d.]+:\d{1,5}$/.test(text)) text = text.slice(0, text.indexOf(":"));
  if (isIPv4(text)) return text;
  const zone = text.indexOf("%");
  if (zone !== -1) text = text.slice(0, zone);
  if (!isIPv6(text)) return null;
  const compressed = new URL(`http://[${text}]`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(compressed);
  if (mapped?.[1] !== undefined && mapped[2] !== undefined) {
    const high = parseInt(mapped[1], 16);
    const low = parseInt(mapped[2], 16);
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
  }
  return compressed;
}

/** The subject of a per-IP limit for a client whose address may be unknown. */
export function clientIpSubject(ip: string | null): string {
  return ip === null ? "unknown" : ipLimitSubject(ip);
}

/**
 * What per-IP limits count. One IPv6 host usually owns a whole /64, so counting single
 * IPv6 addresses would give it 2^64 budgets; IPv4 addresses count alone.
 */
export function ipLimitSubject(ip: string): string {
  if (!ip.includes(":")) return ip;
  const groups = expandIpv6(ip);
  return `${groups.slice(0, 4).join(":")}::/64`;
}

function expandIpv6(ip: string): string[] {
  const [head = "", tail] = ip.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const zeros = Array.from({ length: 8 - left.length - right.length }, () => "0");
  return [...left, ...(tail === undefined ? [] : zeros), ...right];
}
