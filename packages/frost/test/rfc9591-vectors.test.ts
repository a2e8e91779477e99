/**
 * Known-answer tests. Which vectors apply, exactly:
 *
 * 1. RFC 9591 appendix E.5, FROST(secp256k1, SHA-256): the RFC's own vector. It is for
 *    the plain secp256k1 ciphersuite (context "FROST-secp256k1-SHA256-v1"), whose
 *    signatures are not BIP340, so it runs against @noble/curves' `secp256k1_FROST`
 *    directly: it checks the library's RFC implementation (nonce derivation, binding
 *    factors, shares, aggregation), not our Taproot wrappers.
 * 2. FROST(secp256k1, SHA-256, TR) signing: not in the RFC. It is the frost-rs
 *    `frost-secp256k1-tr` vector (same key, shares, nonce randomness and message as
 *    E.5, BIP340 challenge), as shipped in @noble/curves' repository
 *    (test/vectors/rfc9591-frost/secp256k1-tr-vectors.json). It runs through our
 *    wrappers: signShare, verifySignatureShare, aggregateSignature, verifyGroupSignature.
 * 3. FROST(secp256k1, SHA-256, TR) DKG: the frost-rs DKG vector
 *    (secp256k1-tr-vectors_dkg.json). RFC 9591 specifies no DKG. Runs through our
 *    validateDkgRound1Package, dkgRound2, dkgRound3 and derivePublicKeyPackage. The
 *    vector's keys already carry the BIP341 empty-merkle-root TapTweak, like our output.
 *
 * The RFC's big-identifier variant and the plain-secp256k1 DKG vector are not run.
 */
import type { NonceCommitments, Nonces } from "@noble/curves/abstract/frost.js";
import { schnorr, schnorr_FROST as trFrost, secp256k1_FROST } from "@noble/curves/secp256k1.js";
import { bytesToNumberBE } from "@noble/curves/utils.js";
import { describe, expect, it } from "vitest";
import { aggregateSignature } from "../src/aggregate";
import { dkgRound2, dkgRound3 } from "../src/dkg";
import { derivePublicKeyPackage } from "../src/public-key-package";
import { signShare } from "../src/sign-share";
import { validateDkgRound1Package } from "../src/validate-dkg-round1";
import { verifyGroupSignature } from "../src/verify-signature";
import { verifySignatureShare } from "../src/verify-share";
import type {
  DkgRound1Package,
  DkgRound2Package,
  KeyPackage,
  PublicKeyPackage,
} from "../src/wire-types";

const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const toHex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const Point = schnorr.Point;
const Fn = Point.Fn;
const pointOf = (scalarHex: string) =>
  toHex(Point.BASE.multiply(bytesToNumberBE(hex(scalarHex))).toBytes());

/** RNG that replays fixed byte strings, for the RFC's nonce randomness. */
const replay = (values: string[]) => (len?: number) => {
  const next = values.shift();
  if (next === undefined || hex(next).length !== len) throw new Error("unexpected RNG request");
  return hex(next);
};

// Shared inputs of RFC 9591 E.5 and the frost-rs TR vector (t = 2, n = 3, signers 1 and 3).
const SHARED = {
  groupSecretKey: "0d004150d27c3bf2a42f312683d35fac7394b1e9e318249c1bfe7f0795a83114",
  verifyingKey: "02f37c34b66ced1fb51c34a90bdae006901f10625cc06c4f64663b0eae87d87b4f",
  coefficient: "fbf85eadae3058ea14f19148bb72b45e4399c0b16028acaf0395c9b03c823579",
  message: "74657374",
  shares: {
    1: "08f89ffe80ac94dcb920c26f3f46140bfc7f95b493f8310f5fc1ea2b01f4254c",
    2: "04f0feac2edcedc6ce1253b7fab8c86b856a797f44d83d82a385554e6e401984",
    3: "00e95d59dd0d46b0e303e500b62b7ccb0e555d49f5b849f5e748c071da8c0dbc",
  } as Record<number, string>,
  randomness: {
    1: [
      "bda8e748e599187762cff956f03dc6ea13fc8e04491a0427b7e6e78600f41c52",
      "2ca682429bf05df435b9927b8edb1d748278f3e42fa11ef358e49bbf4a1b780d",
    ],
    3: [
      "70818dd5170672c4a4285fd593d4f222417f941f3118e1244955e7a1098a35d8",
      "74ca2da071ed4a2a6cad5087d6758b48a558ab5861c61117fee05757e4b1309e",
    ],
  } as Record<number, [string, string]>,
};

describe("RFC 9591 appendix E.5: FROST(secp256k1, SHA-256) on @noble secp256k1_FROST", () => {
  const expected = {
    1: {
      hidingNonce: "09764379667f9a9fa61928947bd925a7f162b21886b750d3b11c226d16b32f58",
      bindingNonce: "b2d3f8cb9da70984354c3fc3511b1f6ed21b7205941cb5553565d2ecade8c694",
      hidingCommitment: "0305e62a1d3f57a0b17ade569a3a4043e2a1fc3bd0b102614a8d8cc68e3322ad89",
      bindingCommitment: "03b634c2aed7f85b8eec22e97e5f916ab43a3518821480e15da2af7cffcb060a30",
      sigShare: "ca54b18d7449377cfa680760a5770b9e64e201f7ea36b068effeca5fce2155e5",
    },
    3: {
      hidingNonce: "0d92e255e5b42ebc2863f8198d946fc10f388c4983073c18cbb77b88e3bf2e34",
      bindingNonce: "1c7243ce00a499b1e7ce3403e7b731d0c820cf108feb8c5ee7c29b4ef43be5e0",
      hidingCommitment: "036f878da0dc19ba7da9f2d9e795e2674e62ff06c990fc4464cc1ed55a2acce46b",
      bindingCommitment: "025350e2a9e32e7b1fe0161e990623600b2d301b3307641469129cff7936c4d2ce",
      sigShare: "da13d054e83052568706a6d161d80f112a6bc3f76aa903c022585ae7e091e65e",
    },
  } as Record<number, Record<string, string>>;
  const finalSig =
    "024c1ad4e031872661fa6ebd05dfc7fb30db08b38d79f0edbc82051ae931381bc6a46881e25c7989d3816eae32074f1ab0d49ee908a59713ed5284c6bade7cfb02";

  it("reproduces the key shares, nonces, commitments, signature shares and signature", () => {
    const id = (i: number) => secp256k1_FROST.Identifier.fromNumber(i);
    // Shares are f(i) with f(x) = secret + coefficient * x.
    const s = bytesToNumberBE(hex(SHARED.groupSecretKey));
    const a1 = bytesToNumberBE(hex(SHARED.coefficient));
    for (const i of [1, 2, 3]) {
      expect(toHex(Fn.toBytes(Fn.add(s, Fn.mul(a1, BigInt(i)))))).toBe(SHARED.shares[i]);
    }
    expect(pointOf(SHARED.groupSecretKey)).toBe(SHARED.verifyingKey);
    const pub = {
      signers: { min: 2, max: 3 },
      commitments: [hex(SHARED.verifyingKey), hex(pointOf(SHARED.coefficient))],
      verifyingShares: Object.fromEntries(
        [1, 2, 3].map((i) => [id(i), hex(pointOf(SHARED.shares[i] ?? ""))]),
      ),
    };
    const msg = hex(SHARED.message);
    const nonces: Record<number, Nonces> = {};
    const list: NonceCommitments[] = [];
    for (const i of [1, 3]) {
      const secret = { identifier: id(i), signingShare: hex(SHARED.shares[i] ?? "") };
      const out = secp256k1_FROST.commit(secret, replay([...(SHARED.randomness[i] ?? [])]));
      expect(toHex(out.nonces.hiding)).toBe(expected[i]?.hidingNonce);
      expect(toHex(out.nonces.binding)).toBe(expected[i]?.bindingNonce);
      expect(toHex(out.commitments.hiding)).toBe(expected[i]?.hidingCommitment);
      expect(toHex(out.commitments.binding)).toBe(expected[i]?.bindingCommitment);
      nonces[i] = out.nonces;
      list.push(out.commitments);
    }
    const shares: Record<string, Uint8Array> = {};
    for (const i of [1, 3]) {
      const secret = { identifier: id(i), signingShare: hex(SHARED.shares[i] ?? "") };
      const share = secp256k1_FROST.signShare(secret, pub, nonces[i] as Nonces, list, msg);
      expect(toHex(share)).toBe(expected[i]?.sigShare);
      expect(secp256k1_FROST.verifyShare(pub, list, msg, id(i), share)).toBe(true);
      shares[id(i)] = share;
    }
    const sig = secp256k1_FROST.aggregate(pub, list, msg, shares);
    expect(toHex(sig)).toBe(finalSig);
    expect(secp256k1_FROST.verify(sig, msg, hex(SHARED.verifyingKey))).toBe(true);
  });
});

describe("frost-rs FROST(secp256k1, SHA-256, TR) signing vector through our wrappers", () => {
  const vector = {
    nonces: {
      1: {
        hiding: "58cd30723da418156fe9b71870a118e0bbc3d0353ba7c760f9bbc8d60c3dab29",
        binding: "c22289cc43b82ed938d4b2288efb7381c405fb59f5d43bddc543d98838c60b19",
      },
      3: {
        hiding: "a4109db0a5db30fac8cd1f4e272ff02e08258928f067d82c63d97279b114514a",
        binding: "ce3837bd963f0d81002279f7bb9eefceac64435f638885c2beae6f1dd881fd9e",
      },
    } as Record<number, { hiding: string; binding: string }>,
    commitments: {
      1: {
        hiding: "024e34ab3a7ad6b4563dbfe97e9f1206b3378cceb2502491ed0fb709765e1e5ba8",
        binding: "03d4b1f3a61dc67e64dfb4abfccabb712f1f6914a6ec9b67749d171370453192cb",
      },
      3: {
        hiding: "02d768658a1b94225645401a1512b803657770c7a21bf9ccccccfa09930a44951b",
        binding: "034570a4e5217ee8770a28401185f50b4fce4d3f3933a3af9df7ab39b42381d0eb",
      },
    } as Record<number, { hiding: string; binding: string }>,
    sigShares: {
      1: "2ffc305d1694fd84108b84d98306a1af807c6ad9bc3a2d8e448a09643202a15b",
      3: "a8c392566ea29e852b4080a028bf5547166c87e703e4fb7136d4ebef65f99b3f",
    } as Record<number, string>,
    sig: "0c776a9516a77808b70a31e74f1464814a6fcf897fb3a6bd84c7a9a9a7a5bcb8d8bfc2b385379c093bcc0579abc5f6f696e8f2c0c01f28ff7b5ef55397fc3c9a",
  };
  // Trusted-dealer keys are untweaked: the group key is the vector's key as is.
  const publicKeyPackage: PublicKeyPackage = {
    threshold: 2,
    participants: 3,
    groupPublicKey: SHARED.verifyingKey,
    groupPublicKeyXOnly: SHARED.verifyingKey.slice(2),
    verifyingShares: Object.fromEntries(
      [1, 2, 3].map((i) => [String(i), pointOf(SHARED.shares[i] ?? "")]),
    ),
  };
  const keyPackage = (i: number): KeyPackage => ({
    guardianIndex: i,
    threshold: 2,
    participants: 3,
    signingShare: SHARED.shares[i] ?? "",
    verifyingShare: pointOf(SHARED.shares[i] ?? ""),
    groupPublicKey: SHARED.verifyingKey,
  });
  const signingPackage = {
    message: SHARED.message,
    commitments: [1, 3].map((i) => ({
      signer: i,
      ...(vector.commitments[i] ?? { hiding: "", binding: "" }),
    })),
  };

  it("nonce derivation matches (library commit with the vector's randomness)", () => {
    for (const i of [1, 3]) {
      const secret = { identifier: schnorr_FROST_id(i), signingShare: hex(SHARED.shares[i] ?? "") };
      const out = trFrost.commit(secret, replay([...(SHARED.randomness[i] ?? [])]));
      expect(toHex(out.nonces.hiding)).toBe(vector.nonces[i]?.hiding);
      expect(toHex(out.nonces.binding)).toBe(vector.nonces[i]?.binding);
      expect(toHex(out.commitments.hiding)).toBe(vector.commitments[i]?.hiding);
      expect(toHex(out.commitments.binding)).toBe(vector.commitments[i]?.binding);
    }
  });

  it("signShare, verifySignatureShare, aggregateSignature and verifyGroupSignature reproduce it", () => {
    const shares = [1, 3].map((i) =>
      signShare({
        keyPackage: keyPackage(i),
        publicKeyPackage,
        nonces: vector.nonces[i] ?? { hiding: "", binding: "" },
        signingPackage,
      }),
    );
    for (const share of shares) {
      expect(share.share).toBe(vector.sigShares[share.signer]);
      expect(verifySignatureShare({ publicKeyPackage, signingPackage, share })).toBe(true);
    }
    const sig = aggregateSignature(publicKeyPackage, signingPackage, shares);
    expect(sig).toBe(vector.sig);
    expect(
      verifyGroupSignature({
        groupPublicKeyXOnly: publicKeyPackage.groupPublicKeyXOnly,
        message: SHARED.message,
        signature: sig,
      }),
    ).toBe(true);
    expect(
      schnorr.verify(hex(sig), hex(SHARED.message), hex(publicKeyPackage.groupPublicKeyXOnly)),
    ).toBe(true);
  });
});

describe("frost-rs FROST(secp256k1, SHA-256, TR) DKG vector through our wrappers", () => {
  const inputs = {
    1: {
      signingKey: "68e3f6904c6043973515a36bf7801a71597da35733f21305d75a5234f06e4529",
      coefficient: "25d2d840a3e2718a431ec69e14ee8a015b000d43c7a9868060f01d5aa52a19d1",
      commitments: [
        "03e7ba4acb164d2bd5eba4f47b3a788109ddb3f88f1181792424fa332123a25ea8",
        "037495e920a1f032916193aa80ea97a4c3a611dec9ab47ccc969deb664f5f88bbe",
      ],
      proofOfKnowledge:
        "191a4ef1851286e2fd6cebd483385452cbb12f43386241854939252c4ed8846b8631f9e69be37ccbd3a0b4593a8f63738747e165a22d0b5786eeb74e59a17837",
      signingShares: {
        2: "1dd3cb3e2370e6af22917415f0ad584514807b58b3cc40d2230a26e115f02771",
        3: "dd25ee86acd01f996618aa0d1153f5e8fbc929a8e8a18b8f0a15f91d087217e2",
      } as Record<number, string>,
      verifyingShare: "02a8bf413b5d7af0e692fba967540cde8009f161a4d721f8c88649c1933bbb7531",
      signingShare: "f1be455a8ec9ab86ef8438f23a5cfdf70153aa2785d4bebba83e0840403e4bf3",
    },
    2: {
      signingKey: "2619be8223b23e0453ddc630a4d164e81f7d8a9e07af33c4d4d02190df8bec13",
      coefficient: "f7ba0cbbffbea8aaceb3ade54bdbf35bafb1cda15b65ad490e0c63dd069a7c9f",
      commitments: [
        "03ef10370a008cd95e179dc51e2cb7828f30b72d254e5166484f927c84ab326582",
        "022ce0dac0db217ba326fbbe3e6132d45e2a4bfa0a0c3790d91eacce9a1c2d6a10",
      ],
      proofOfKnowledge:
        "a319dd51cf64b3896c22f54154812d4ae76cfa95f46f53ef69241fd702456fef32da76cc93d3a541ca495b723e793ee90c32440da5f314e2e58a2dc30550314a",
      signingShares: {
        1: "b489a711942526abbb5330a8215d2e740f7dbddec3452006993a8cea3ac278cb",
        3: "20255dc07b1fb78bdf90bd85fd2389c988c8250faee11826656a09142fa9fc97",
      } as Record<number, string>,
      verifyingShare: "029ecb3a4db28a82e7b8d600d42711b02790dde3f063f0ecec6f812c1c5d7dcefc",
      signingShare: "9131f1241cd8f95f6439b0f5edc2ecb969a2d3db9c85fe5added77116d41d0ce",
    },
    3: {
      signingKey: "9a267f4cde8087a6eca0969425846209b41b515b73195ebbeeef8a991103f1ec",
      coefficient: "42ff6f39ce4f97f279781378ebcf93df47add84d75882cd31b266e83f76e25f6",
      commitments: [
        "02da186c3863c5600b471a2799cb6f15ae4d8315a2f225c177798880e75ac820a0",
        "03e6a36e7fa4b117c1aa428886672e3a35d926bb4c585a9b07d8ee9a3387420067",
      ],
      proofOfKnowledge:
        "6e115d9e63fd15d432b380ccf1ec4ed03340fcf96caeae8985aedb5f905b1a65dc422ffe5878988fbbc55454857736c7755d9c8f5ee6822c8833ea21d54dba36",
      signingShares: {
        1: "da5c7f5238079835fe71f746364bb8756a7dcb228aeea686fa2aaa44dfec929c",
        2: "0d47e4b622ee3804bff8cfe088653efefe865cce0c065aecbf7e318182b89e2d",
      } as Record<number, string>,
      verifyingShare: "02c98b3c2e9f4bde4cf90dc9c7be639e5adda6ea09fc605239880a22cb836f7145",
      signingShare: "30a59cedaae84737d8ef28f9a128db7bd1f1fd8fb3373dfa139ce5e29a4555a9",
    },
  } as const;
  // frost-rs secp256k1-tr applies the BIP341 empty-merkle-root TapTweak in DKG part 3,
  // as @noble does, so the vector's verifying key and shares are the tweaked values.
  const verifyingKey = "03849089de77b56bd35fcbfc70bf38e73448131090acc75d538a5cea63cc3dcefe";
  const params = { threshold: 2, participants: 3 };
  const ids = [1, 2, 3] as const;
  const round1 = (i: 1 | 2 | 3): DkgRound1Package => ({
    sender: i,
    commitments: [...inputs[i].commitments],
    proofOfKnowledge: inputs[i].proofOfKnowledge,
  });
  it("accepts the vector's round-1 packages (proofs of knowledge)", () => {
    for (const i of ids)
      expect(() => {
        validateDkgRound1Package(round1(i), params);
      }).not.toThrow();
  });

  it("round 2 reproduces the vector's secret shares and round 3 its (tweaked) keys", () => {
    const derived = derivePublicKeyPackage(ids.map(round1), params);
    expect(derived.groupPublicKey).toBe(verifyingKey);
    for (const i of ids) {
      const secretPackage = {
        guardianIndex: i,
        ...params,
        coefficients: [inputs[i].signingKey, inputs[i].coefficient],
        commitments: [...inputs[i].commitments],
      };
      const others = ids.filter((j) => j !== i).map(round1);
      const out = dkgRound2(secretPackage, others);
      // In the vector, inputs[r].signing_shares[k] is the share r received from k.
      expect(out).toHaveLength(2);
      for (const pkg of out) {
        expect(pkg.signingShare).toBe(inputs[pkg.recipient as 1 | 2 | 3].signingShares[i]);
      }

      const received: DkgRound2Package[] = ids
        .filter((j) => j !== i)
        .map((j) => ({ sender: j, recipient: i, signingShare: inputs[i].signingShares[j] ?? "" }));
      const { keyPackage, publicKeyPackage } = dkgRound3(secretPackage, others, received);
      expect(publicKeyPackage).toEqual(derived);
      expect(keyPackage.signingShare).toBe(inputs[i].signingShare);
      expect(keyPackage.verifyingShare).toBe(inputs[i].verifyingShare);
    }
  });
});

function schnorr_FROST_id(i: number): string {
  return trFrost.Identifier.fromNumber(i);
}
