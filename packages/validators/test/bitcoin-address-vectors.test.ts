import { bech32, bech32m } from "@scure/base";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import {
  BITCOIN_ADDRESS_REFUSALS,
  bitcoinAddressSchema,
  decodeBitcoinAddress,
  type BitcoinAddressRefusal,
  type DecodedBitcoinAddress,
} from "../src/bitcoin-address";
import { BITCOIN_NETWORKS, type BitcoinNetwork } from "../src/chain-schema";
import {
  bip173InvalidAddresses,
  bip173InvalidChecksums,
  bip173ValidAddresses,
  bip173ValidChecksums,
} from "./vectors/bip173-vectors";
import {
  bip350InvalidAddresses,
  bip350InvalidChecksums,
  bip350ValidAddresses,
  bip350ValidChecksums,
} from "./vectors/bip350-vectors";
import { keyIoInvalid, keyIoValid, type KeyIoChain } from "./vectors/key-io-vectors";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** The scriptPubKey an address pays to, to compare with the vectors' own. */
function scriptPubKeyOf(decoded: DecodedBitcoinAddress): string {
  const program = hex(decoded.program);
  if (decoded.kind === "p2pkh") return `76a914${program}88ac`;
  if (decoded.kind === "p2sh") return `a914${program}87`;
  const version = decoded.witnessVersion ?? -1;
  const op = version === 0 ? "00" : (0x50 + version).toString(16);
  return op + decoded.program.length.toString(16).padStart(2, "0") + program;
}

function kindOf(scriptPubKey: string): DecodedBitcoinAddress["kind"] {
  if (scriptPubKey.startsWith("76a914")) return "p2pkh";
  if (scriptPubKey.startsWith("a914")) return "p2sh";
  if (scriptPubKey.startsWith("0014")) return "p2wpkh";
  if (scriptPubKey.startsWith("0020")) return "p2wsh";
  if (scriptPubKey.startsWith("5120")) return "p2tr";
  return "witness-unknown";
}

const networkOfHrp = (address: string): BitcoinNetwork =>
  address.toLowerCase().startsWith("tb1") ? "testnet" : "mainnet";

const networkOfChain: Record<KeyIoChain, BitcoinNetwork> = {
  main: "mainnet",
  testnet4: "testnet",
  signet: "testnet",
  regtest: "regtest",
};

function accepted(address: string, network: BitcoinNetwork): DecodedBitcoinAddress {
  const result = decodeBitcoinAddress(address, network);
  if (!result.ok) throw new Error(`refused ${address} on ${network}: ${result.reason}`);
  return result.value;
}

/** The typed reason an address is refused for, checked on the decoder and the schema. */
function refusal(address: string, network: BitcoinNetwork): BitcoinAddressRefusal {
  const result = decodeBitcoinAddress(address, network);
  if (result.ok) throw new Error(`accepted ${JSON.stringify(address)} on ${network}`);
  expect(BITCOIN_ADDRESS_REFUSALS).toContain(result.reason);
  expect(schemaRefusal(address, network)).toBe(result.reason);
  return result.reason;
}

function schemaRefusal(address: string, network: BitcoinNetwork): unknown {
  const parsed = bitcoinAddressSchema(network).safeParse(address);
  expect(parsed.success).toBe(false);
  expect(parsed.error).toBeInstanceOf(ZodError);
  const [issue, ...more] = parsed.error?.issues ?? [];
  expect(more).toEqual([]);
  return issue?.code === "custom"
    ? (issue.params as { reason?: unknown } | undefined)?.reason
    : issue;
}

describe.each([
  { bip: "BIP173", encoding: bech32, other: bech32m, valid: bip173ValidChecksums },
  { bip: "BIP350", encoding: bech32m, other: bech32, valid: bip350ValidChecksums },
])("$bip checksum vectors", ({ encoding, other, valid }) => {
  it.each(valid)("%s has a valid checksum of its own encoding only", (string) => {
    expect(encoding.decodeUnsafe(string, 90)).toBeDefined();
    expect(other.decodeUnsafe(string, 90)).toBeUndefined();
  });
  it.each(valid)("%s is no address on any network", (string) => {
    for (const network of BITCOIN_NETWORKS) refusal(string, network);
  });
});

describe.each([
  { bip: "BIP173", encoding: bech32, invalid: bip173InvalidChecksums },
  { bip: "BIP350", encoding: bech32m, invalid: bip350InvalidChecksums },
])("$bip invalid checksum vectors", ({ encoding, invalid }) => {
  it.each(invalid)("$string is refused: $reason", ({ string }) => {
    expect(encoding.decodeUnsafe(string, 90)).toBeUndefined();
    for (const network of BITCOIN_NETWORKS) refusal(string, network);
  });
  it("refuses the out-of-range bytes as not printable ASCII, before anything else", () => {
    const unprintable = invalid.filter(({ reason }) => /character out of range/.test(reason));
    expect(unprintable).toHaveLength(3);
    for (const { string } of unprintable)
      expect(refusal(string, "mainnet")).toBe("not-printable-ascii");
  });
});

describe("BIP350 valid segwit addresses (with BIP173's version 0 ones)", () => {
  const version0 = bip173ValidAddresses.filter(({ scriptPubKey }) => scriptPubKey.startsWith("00"));
  it.each([...bip350ValidAddresses, ...version0])(
    "$address pays to $scriptPubKey",
    ({ address, scriptPubKey }) => {
      const decoded = accepted(address, networkOfHrp(address));
      expect(scriptPubKeyOf(decoded)).toBe(scriptPubKey);
      expect(decoded.kind).toBe(kindOf(scriptPubKey));
    },
  );
  it("refuses BIP173's version 1+ addresses, whose Bech32 checksum BIP350 replaced", () => {
    const version1plus = bip173ValidAddresses.filter(
      ({ scriptPubKey }) => !scriptPubKey.startsWith("00"),
    );
    expect(version1plus).toHaveLength(3);
    for (const { address } of version1plus) {
      expect(refusal(address, networkOfHrp(address))).toBe("version-1-plus-needs-bech32m");
    }
  });
});

describe("BIP173 and BIP350 invalid segwit addresses", () => {
  it.each([...bip173InvalidAddresses, ...bip350InvalidAddresses])(
    "$address is refused: $reason",
    ({ address }) => {
      for (const network of BITCOIN_NETWORKS) refusal(address, network);
    },
  );
});

describe("Bitcoin Core key_io_valid.json addresses", () => {
  it.each(keyIoValid)("%s pays to %s (%o)", (address, scriptPubKey, { chain, tryCaseFlip }) => {
    const network = networkOfChain[chain];
    const spellings = tryCaseFlip ? [address, address.toUpperCase()] : [address];
    for (const spelling of spellings) {
      const decoded = accepted(spelling, network);
      expect(scriptPubKeyOf(decoded)).toBe(scriptPubKey);
      expect(decoded.kind).toBe(kindOf(scriptPubKey));
    }
    const schema = bitcoinAddressSchema(network).safeParse(address);
    if (kindOf(scriptPubKey) === "witness-unknown") {
      expect(schemaRefusal(address, network)).toBe("undefined-witness-version");
    } else {
      expect(schema.success).toBe(true);
    }
  });
  it.each(keyIoValid)(
    "%s is refused on the networks it is not for",
    (address, _script, { chain }) => {
      const own = networkOfChain[chain];
      // regtest's base58 version bytes are testnet's: only its bech32 prefix differs.
      const sharesBase58 = (network: BitcoinNetwork) =>
        !/^(bc|tb|bcrt)1/i.test(address) && own !== "mainnet" && network !== "mainnet";
      const others = BITCOIN_NETWORKS.filter(
        (network) => network !== own && !sharesBase58(network),
      );
      expect(others.length).toBeGreaterThan(0);
      for (const network of others) refusal(address, network);
    },
  );
});

describe("Bitcoin Core key_io_invalid.json strings", () => {
  it.each(keyIoInvalid)("%j is refused on every network", (string) => {
    for (const network of BITCOIN_NETWORKS) refusal(string, network);
  });
});

describe("characters outside printable ASCII", () => {
  const address = "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4";
  it.each([
    ["KELVIN SIGN U+212A for K", address.replace("K", "\u212a")],
    [
      "LATIN SMALL LETTER LONG S U+017F (uppercases to S)",
      "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7".replace("s", "\u017f"),
    ],
    ["FULLWIDTH DIGIT ZERO", address.replace("0", "\uff10")],
    ["a NO-BREAK SPACE at the end", `${address}\u00a0`],
    ["a space inside", address.replace("Q", " Q")],
    ["a NUL byte", `${address}\u0000`],
  ])("refuses %s before any case mapping", (_what, lookalike) => {
    expect(/^[\x21-\x7e]*$/.test(lookalike)).toBe(false);
    for (const network of BITCOIN_NETWORKS)
      expect(refusal(lookalike, network)).toBe("not-printable-ascii");
  });
  it("accepts the same address spelled in ASCII", () => {
    expect(accepted(address, "mainnet").kind).toBe("p2wpkh");
  });
});
