import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffDelayMs } from "../src/abuse/backoff-delay";
import { liftBanInput, listBansInput, listBansOutput } from "../src/abuse/ban-schemas";
import { parseTrustedProxies, resolveClientIp } from "../src/abuse/client-ip";
import { canonicalIp, ipLimitSubject } from "../src/abuse/ip-address";
import { abuseKey, encodeKeyPart, limitIdentifier } from "../src/abuse/limiter-keys";

const proxies = parseTrustedProxies(["10.0.0.0/8", "127.0.0.1", "::1/128", "fd00::/8"]);
const none = parseTrustedProxies([]);

describe("client IP resolution", () => {
  it("uses the socket address when no proxy is trusted", () => {
    expect(
      resolveClientIp({
        socketAddress: "203.0.113.9",
        forwardedFor: "1.2.3.4",
        trustedProxies: none,
      }),
    ).toBe("203.0.113.9");
    expect(
      resolveClientIp({
        socketAddress: "::ffff:203.0.113.9",
        forwardedFor: undefined,
        trustedProxies: none,
      }),
    ).toBe("203.0.113.9");
    expect(
      resolveClientIp({ socketAddress: undefined, forwardedFor: "1.2.3.4", trustedProxies: none }),
    ).toBeNull();
  });

  it("ignores X-Forwarded-For from an untrusted peer", () => {
    expect(
      resolveClientIp({
        socketAddress: "198.51.100.1",
        forwardedFor: "1.2.3.4",
        trustedProxies: proxies,
      }),
    ).toBe("198.51.100.1");
  });

  it("takes the right-most untrusted hop behind trusted proxies", () => {
    const resolve = (forwardedFor: string | string[]) =>
      resolveClientIp({ socketAddress: "127.0.0.1", forwardedFor, trustedProxies: proxies });
    // The client forged "6.6.6.6"; nginx appended the real peer.
    expect(resolve("6.6.6.6, 203.0.113.5")).toBe("203.0.113.5");
    // Two proxy tiers: the inner proxy's own address is skipped.
    expect(resolve("6.6.6.6, 203.0.113.5, 10.1.2.3")).toBe("203.0.113.5");
    expect(resolve(["6.6.6.6", "203.0.113.5, 10.1.2.3"])).toBe("203.0.113.5");
    expect(resolve("[2001:db8::1]:443, fd00::2")).toBe("2001:db8::1");
    // Garbage the proxy vouched past stops the walk at the last trusted address.
    expect(resolve("203.0.113.5, not-an-ip, 10.1.2.3")).toBe("10.1.2.3");
    // No header behind a trusted proxy: the proxy itself.
    expect(resolve("")).toBe("127.0.0.1");
  });

  it("refuses malformed trusted-proxy configuration", () => {
    for (const bad of ["10.0.0.0/33", "::1/129", "example.com", "10.0.0.0/8/1", "10.0.0.0/-1"]) {
      expect(() => parseTrustedProxies([bad])).toThrow(/invalid trusted proxy/);
    }
  });
});

const ipv4 = fc.tuple(...Array.from({ length: 4 }, () => fc.nat(255))).map((p) => p.join("."));

describe("properties", () => {
  it("canonicalIp is total, idempotent and spelling-independent", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (raw) => {
        const ip = canonicalIp(raw);
        if (ip !== null) expect(canonicalIp(ip)).toBe(ip);
      }),
    );
    fc.assert(
      fc.property(fc.ipV6(), (raw) => {
        const ip = canonicalIp(raw);
        expect(ip).not.toBeNull();
        expect(canonicalIp(raw.toUpperCase())).toBe(ip);
        expect(canonicalIp(`[${raw}]:8443`)).toBe(ip);
        expect(canonicalIp(ip ?? "")).toBe(ip);
      }),
    );
    fc.assert(
      fc.property(ipv4, (raw) => {
        expect(canonicalIp(raw)).toBe(raw);
        expect(canonicalIp(`::ffff:${raw}`)).toBe(raw);
        expect(canonicalIp(`${raw}:80`)).toBe(raw);
      }),
    );
  });

  it("IPv6 limit subjects are the /64 and ignore the interface half", () => {
    const groups = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 });
    const spell = (g: number[]) => g.map((n) => n.toString(16).padStart(4, "0")).join(":");
    fc.assert(
      fc.property(groups, groups, (a, b) => {
        const [ca, cb] = [canonicalIp(spell(a)), canonicalIp(spell(b))];
        // ::ffff:a.b.c.d is IPv4 by design; it has no /64.
        if (ca === null || cb === null || !ca.includes(":") || !cb.includes(":")) return;
        expect(ipLimitSubject(ca)).toBe(
          `${a
            .slice(0, 4)
            .map((n) => n.toString(16))
            .join(":")}::/64`,
        );
        const samePrefix = a.slice(0, 4).join() === b.slice(0, 4).join();
        expect(ipLimitSubject(ca) === ipLimitSubject(cb)).toBe(samePrefix);
      }),
    );
    expect(ipLimitSubject("203.0.113.1")).toBe("203.0.113.1");
  });

  it("the resolved client is the socket or a forwarded hop, never a forged left-most entry", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(ipv4, fc.ipV6(), fc.string()), { maxLength: 8 }),
        ipv4,
        (hops, client) => {
          const header = [...hops, client].join(",");
          const resolved = resolveClientIp({
            socketAddress: "10.0.0.1",
            forwardedFor: header,
            trustedProxies: proxies,
          });
          const expected = proxies.contains(client) ? null : client;
          if (expected !== null) expect(resolved).toBe(expected);
          expect(
            resolveClientIp({
              socketAddress: "192.0.2.1",
              forwardedFor: header,
              trustedProxies: proxies,
            }),
          ).toBe("192.0.2.1");
        },
      ),
    );
  });

  it("limiter keys are injective, bounded and free of separators and glob characters", () => {
    const parts = fc.array(fc.string({ maxLength: 300 }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(parts, parts, (a, b) => {
        if (JSON.stringify(a) !== JSON.stringify(b))
          expect(limitIdentifier(a)).not.toBe(limitIdentifier(b));
        for (const part of a) {
          const encoded = encodeKeyPart(part);
          expect(encoded).not.toMatch(/[:*?[\]\\\s]/);
          expect(encoded.length).toBeLessThanOrEqual(130);
        }
        expect(abuseKey("p", "rl", a).startsWith("p:rl:")).toBe(true);
      }),
    );
    expect(() => limitIdentifier([])).toThrow();
  });

  it("backoff doubles from the first paid failure and never exceeds its cap", () => {
    expect([3, 4, 5, 6, 7].map((f) => backoffDelayMs(f, 3, 1000, 60_000))).toEqual([
      0, 1000, 2000, 4000, 8000,
    ]);
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(20), (failures, free) => {
        const delay = backoffDelayMs(failures, free, 1000, 900_000);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(900_000);
        expect(backoffDelayMs(failures + 1, free, 1000, 900_000)).toBeGreaterThanOrEqual(delay);
      }),
    );
  });
});

describe("ban admin schemas", () => {
  it("normalise the address, reject unknown keys and serialise dates", () => {
    expect(liftBanInput.parse({ ip: "::FFFF:203.0.113.9" })).toEqual({ ip: "203.0.113.9" });
    expect(liftBanInput.safeParse({ ip: "203.0.113.9", extra: 1 }).success).toBe(false);
    expect(liftBanInput.safeParse({ ip: "not-an-ip" }).success).toBe(false);
    expect(listBansInput.parse({})).toEqual({ activeOnly: true, limit: 100 });
    const at = new Date("2026-06-01T12:00:00.000Z");
    const [row] = listBansOutput.parse([
      {
        id: "8d0f7a52-6a0e-4c1e-9a51-3f6f4f0e2b11",
        ip: "203.0.113.9",
        reason: "r",
        strikes: 1,
        createdAt: at,
        expiresAt: at,
        liftedAt: null,
        liftedBy: null,
      },
    ]);
    expect(row?.createdAt).toBe("2026-06-01T12:00:00.000Z");
  });
});
