// Test vectors of BIP173, copied from the BIP's text: bitcoin/bips bip-0173.mediawiki
// at commit 24e96e870fffaa257b465ce1f0370c14aac588e8 (sections "Test vectors"), unchanged
// except that the bytes the BIP writes as "0xNN +" are spelled as escapes here.
// Its segwit address vectors for versions 1+ use Bech32, which BIP350 replaced with
// Bech32m: bip350-vectors.ts holds the current ones (BIP173's own v1+ strings are invalid now).

/** Strings with a valid Bech32 checksum. */
export const bip173ValidChecksums: readonly string[] = [
  "A12UEL5L",
  "a12uel5l",
  "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
  "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
  "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
  "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
  "?1ezyfcl",
];

/** Strings that are not valid Bech32, with the BIP's reason. */
export const bip173InvalidChecksums: readonly { string: string; reason: string }[] = [
  { string: "\x201nwldj5", reason: "HRP character out of range" },
  { string: "\x7f1axkwrx", reason: "HRP character out of range" },
  { string: "\x801eym55h", reason: "HRP character out of range" },
  {
    string:
      "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
    reason: "overall max length exceeded",
  },
  { string: "pzry9x0s0muk", reason: "No separator character" },
  { string: "1pzry9x0s0muk", reason: "Empty HRP" },
  { string: "x1b4n0q5v", reason: "Invalid data character" },
  { string: "li1dgmt3", reason: "Too short checksum" },
  { string: "de1lg7wt\xff", reason: "Invalid character in checksum" },
  { string: "A1G7SGD8", reason: "checksum calculated with uppercase form of HRP" },
  { string: "10a06t8", reason: "empty HRP" },
  { string: "1qzzfhee", reason: "empty HRP" },
];

/** Valid segwit addresses and the scriptPubKey (hex) each stands for. */
export const bip173ValidAddresses: readonly { address: string; scriptPubKey: string }[] = [
  {
    address: "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
    scriptPubKey: "0014751e76e8199196d454941c45d1b3a323f1433bd6",
  },
  {
    address: "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
    scriptPubKey: "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262",
  },
  {
    address: "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
    scriptPubKey:
      "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6",
  },
  { address: "BC1SW50QA3JX3S", scriptPubKey: "6002751e" },
  {
    address: "bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj",
    scriptPubKey: "5210751e76e8199196d454941c45d1b3a323",
  },
  {
    address: "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
    scriptPubKey: "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433",
  },
];

/** Invalid segwit addresses, with the BIP's reason. */
export const bip173InvalidAddresses: readonly { address: string; reason: string }[] = [
  { address: "tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty", reason: "Invalid human-readable part" },
  { address: "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", reason: "Invalid checksum" },
  { address: "BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2", reason: "Invalid witness version" },
  { address: "bc1rw5uspcuh", reason: "Invalid program length" },
  {
    address: "bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90",
    reason: "Invalid program length",
  },
  {
    address: "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
    reason: "Invalid program length for witness version 0 (per BIP141)",
  },
  {
    address: "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7",
    reason: "Mixed case",
  },
  { address: "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du", reason: "zero padding of more than 4 bits" },
  {
    address: "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv",
    reason: "Non-zero padding in 8-to-5 conversion",
  },
  { address: "bc1gmk9yu", reason: "Empty data section" },
];
