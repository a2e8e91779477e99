import { sha256 } from "@noble/hashes/sha2.js";
import { bech32, bech32m, createBase58check } from "@scure/base";
import { z } from "zod";
import type { BitcoinNetwork } from "./chain-schema";

const base58check = createBase58check(sha256);

/** Version bytes (base58check) and bech32 human-readable parts per network. */
export const BITCOIN_NETWORK_PARAMS: Readonly<
  Record<BitcoinNetwork, { p2pkh: number; p2sh: number; hrp: string }>
> = {
  mainnet: { p2pkh: 0x00, p2sh: 0x05, hrp: "bc" },
  testnet: { p2pkh: 0x6f, p2sh: 0xc4, hrp: "tb" },
  regtest: { p2pkh: 0x6f, p2sh: 0xc4, hrp: "bcrt" },
};

export type BitcoinAddressKind = "p2pkh" | "p2sh" | "p2wpkh" | "p2wsh" | "p2tr" | "witness-unknown";

export interface DecodedBitcoinAddress {
  kind: BitcoinAddressKind;
  /** Witness version for segwit addresses, undefined for base58check ones. */
  witnessVersion?: number;
  /** Hash160 for base58check kinds, witness program for segwit kinds. */
  program: Uint8Array;
}

/** Longest valid address: 90 characters (BIP173 limit for segwit addresses). */
const MAX_ADDRESS_LENGTH = 90;

/** Why an address is refused; `bitcoinAddressSchema` puts it in the issue's `params.reason`. */
export const BITCOIN_ADDRESS_REFUSALS = [
  "bad-length",
  "not-printable-ascii",
  "mixed-case",
  "bad-checksum",
  "wrong-network",
  "empty-data",
  "bad-witness-version",
  "version-0-needs-bech32",
  "version-1-plus-needs-bech32m",
  "bad-padding",
  "bad-program-length",
  "bad-base58check",
  "bad-payload-length",
  // Decodes, but refused as a destination (see bitcoinAddressSchema).
  "undefined-witness-version",
] as const;
export type BitcoinAddressRefusal = (typeof BITCOIN_ADDRESS_REFUSALS)[number];

type Decoded =
  { ok: true; value: DecodedBitcoinAddress } | { ok: false; reason: BitcoinAddressRefusal };

/**
 * Every character of every address format is printable ASCII. Checked before any case
 * mapping: Unicode lowercasing maps the Kelvin sign U+212A to an ASCII "k" (and U+0130
 * to "i" plus a combining dot), so a check after it would let such look-alikes through.
 */
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * Decodes a Bitcoin address for one network, or returns an error reason.
 * - base58check (P2PKH, P2SH): 21-byte payload with the network's version byte.
 * - segwit (BIP173/BIP350): hrp of the network, all-lower or all-upper case; version 0
 *   uses the bech32 checksum with a 20- or 32-byte program, versions 1..16 use bech32m
 *   with a 2..40-byte program (BIP141 / BIP350 rules).
 */
export function decodeBitcoinAddress(address: string, network: BitcoinNetwork): Decoded {
  if (address.length === 0 || address.length > MAX_ADDRESS_LENGTH)
    return { ok: false, reason: "bad-length" };
  if (!PRINTABLE_ASCII.test(address)) return { ok: false, reason: "not-printable-ascii" };
  const params = BITCOIN_NETWORK_PARAMS[network];
  const lower = address.toLowerCase();
  if (lower.startsWith(`${params.hrp}1`)) return decodeSegwit(address, params.hrp);
  return decodeBase58(address, params);
}

function decodeSegwit(address: string, hrp: string): Decoded {
  if (address !== address.toLowerCase() && address !== address.toUpperCase()) {
    return { ok: false, reason: "mixed-case" };
  }
  const lower = address.toLowerCase() as `${string}1${string}`;
  const asBech32 = bech32.decodeUnsafe(lower, MAX_ADDRESS_LENGTH);
  const asBech32m = asBech32 ? undefined : bech32m.decodeUnsafe(lower, MAX_ADDRESS_LENGTH);
  const decoded = asBech32 ?? asBech32m;
  if (!decoded) return { ok: false, reason: "bad-checksum" };
  if (decoded.prefix !== hrp) return { ok: false, reason: "wrong-network" };
  const [version, ...data] = decoded.words;
  if (version === undefined) return { ok: false, reason: "empty-data" };
  if (version > 16) return { ok: false, reason: "bad-witness-version" };
  if (version === 0 && !asBech32) return { ok: false, reason: "version-0-needs-bech32" };
  if (version !== 0 && !asBech32m) return { ok: false, reason: "version-1-plus-needs-bech32m" };
  const program = (version === 0 ? bech32 : bech32m).fromWordsUnsafe(data);
  if (!program) return { ok: false, reason: "bad-padding" };
  if (program.length < 2 || program.length > 40) return { ok: false, reason: "bad-program-length" };
  if (version === 0 && program.length !== 20 && program.length !== 32) {
    return { ok: false, reason: "bad-program-length" };
  }
  const kind: BitcoinAddressKind =
    version === 0
      ? program.length === 20
        ? "p2wpkh"
        : "p2wsh"
      : version === 1 && program.length === 32
        ? "p2tr"
        : "witness-unknown";
  return { ok: true, value: { kind, witnessVersion: version, program } };
}

function decodeBase58(address: string, params: { p2pkh: number; p2sh: number }): Decoded {
  let payload: Uint8Array;
  try {
    payload = base58check.decode(address);
  } catch {
    return { ok: false, reason: "bad-base58check" };
  }
  if (payload.length !== 21) return { ok: false, reason: "bad-payload-length" };
  const version = payload[0];
  const program = payload.slice(1);
  if (version === params.p2pkh) return { ok: true, value: { kind: "p2pkh", program } };
  if (version === params.p2sh) return { ok: true, value: { kind: "p2sh", program } };
  return { ok: false, reason: "wrong-network" };
}

/**
 * A payment destination on `network`. Segwit versions that no soft fork defines yet
 * ("witness-unknown": v1 with a non-32-byte program, v2..v16) are valid BIP350
 * addresses but are refused here: today anyone can spend such outputs, so a vault must
 * not pay to them.
 */
export function bitcoinAddressSchema(network: BitcoinNetwork) {
  return z.string().superRefine((value, ctx) => {
    const result = decodeBitcoinAddress(value, network);
    const reason: BitcoinAddressRefusal | undefined = !result.ok
      ? result.reason
      : result.value.kind === "witness-unknown"
        ? "undefined-witness-version"
        : undefined;
    if (reason !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: `invalid ${network} bitcoin address: ${reason}`,
        params: { reason },
      });
    }
  });
}
