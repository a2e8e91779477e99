// Test vectors of EIP-55 ("Mixed-case checksum address encoding"), section "Test Cases",
// copied unchanged from the EIP's text: ethereum/ERCs ERCS/erc-55.md at commit
// 26abfcfdeb2d541c52f725ff74f6d02ec607dd35 (the EIP moved there from ethereum/EIPs
// EIPS/eip-55.md). Each is an address spelled exactly as its checksum spelling. EIP-55
// lists no invalid vectors; the tests derive them from these (one letter's case flipped).

export const eip55AllCaps: readonly string[] = [
  "0x52908400098527886E0F7030069857D2E4169EE7",
  "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
];

export const eip55AllLower: readonly string[] = [
  "0xde709f2102306220921060314715629080e2fb77",
  "0x27b1fdb04752bbc536007a920d24acb045561c26",
];

export const eip55Normal: readonly string[] = [
  "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
  "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
  "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
  "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
];
