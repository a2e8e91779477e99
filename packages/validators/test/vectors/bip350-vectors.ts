// Test vectors of BIP350, copied from the BIP's text: bitcoin/bips bip-0350.mediawiki
// at commit 24e96e870fffaa257b465ce1f0370c14aac588e8 (sections "Test vectors"), unchanged
// except that the bytes the BIP writes as "0xNN +" are spelled as escapes here.

/** Strings with a valid Bech32m checksum. */
export const bip350ValidChecksums: readonly string[] = [
  "A1LQFN3A",
  "a1lqfn3a",
  "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
  "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
  "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
  "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
  "?1v759aa",
];

/** Strings that are not valid Bech32m, with the BIP's reason. */
export const bip350InvalidChecksums: readonly { string: string; reason: string }[] = [
  { string: "\x201xj0phk", reason: "HRP character out of range" },
  { string: "\x7f1g6xzxy", reason: "HRP character out of range" },
  { string: "\x801vctc34", reason: "HRP character out of range" },
  {
    string:
      "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
    reason: "overall max length exceeded",
  },
  { string: "qyrz8wqd2c9m", reason: "No separator character" },
  { string: "1qyrz8wqd2c9m", reason: "Empty HRP" },
  { string: "y1b0jsk6g", reason: "Invalid data character" },
  { string: "lt1igcx5c0", reason: "Invalid data character" },
  { string: "in1muywd", reason: "Too short checksum" },
  { string: "mm1crxm3i", reason: "Invalid character in checksum" },
  { string: "au1s5cgom", reason: "Invalid character in checksum" },
  { string: "M1VUXWEZ", reason: "checksum calculated with uppercase form of HRP" },
  { string: "16plkw9", reason: "empty HRP" },
  { string: "1p2gdwpf", reason: "empty HRP" },
];

/** Valid segwit addresses and the scriptPubKey (hex) each stands for. */
export const bip350ValidAddresses: readonly { address: string; scriptPubKey: string }[] = [
  {
    address: "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
    scriptPubKey: "0014751e76e8199196d454941c45d1b3a323f1433bd6",
  },
  {
    address: "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
    scriptPubKey: "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262",
  },
  {
    address: "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
    scriptPubKey:
      "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6",
  },
  { address: "BC1SW50QGDZ25J", scriptPubKey: "6002751e" },
  {
    address: "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs",
    scriptPubKey: "5210751e76e8199196d454941c45d1b3a323",
  },
  {
    address: "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
    scriptPubKey: "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433",
  },
  {
    address: "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c",
    scriptPubKey: "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433",
  },
  {
    address: "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
    scriptPubKey: "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
  },
];

/** Invalid segwit addresses, with the BIP's reason. */
export const bip350InvalidAddresses: readonly { address: string; reason: string }[] = [
  {
    address: "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",
    reason: "Invalid human-readable part",
  },
  {
    address: "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
    reason: "Invalid checksum (Bech32 instead of Bech32m)",
  },
  {
    address: "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
    reason: "Invalid checksum (Bech32 instead of Bech32m)",
  },
  {
    address: "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
    reason: "Invalid checksum (Bech32 instead of Bech32m)",
  },
  {
    address: "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
    reason: "Invalid checksum (Bech32m instead of Bech32)",
  },
  {
    address: "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
    reason: "Invalid checksum (Bech32m instead of Bech32)",
  },
  {
    address: "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
    reason: "Invalid character in checksum",
  },
  {
    address: "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
    reason: "Invalid witness version",
  },
  { address: "bc1pw5dgrnzv", reason: "Invalid program length (1 byte)" },
  {
    address: "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
    reason: "Invalid program length (41 bytes)",
  },
  {
    address: "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
    reason: "Invalid program length for witness version 0 (per BIP141)",
  },
  {
    address: "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",
    reason: "Mixed case",
  },
  {
    address: "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
    reason: "zero padding of more than 4 bits",
  },
  {
    address: "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",
    reason: "Non-zero padding in 8-to-5 conversion",
  },
  { address: "bc1gmk9yu", reason: "Empty data section" },
];
