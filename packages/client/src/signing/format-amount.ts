/** Base units per whole coin: satoshi (1e-8 BTC), wei (1e-18 ETH). */
const DECIMALS: Record<string, { decimals: number; symbol: string }> = {
  bitcoin: { decimals: 8, symbol: "BTC" },
  ethereum: { decimals: 18, symbol: "ETH" },
};

/** "150000000" on bitcoin -> "1.5 BTC". Exact: string arithmetic, no floating point. */
export function formatAmount(chain: string, baseUnits: string): string {
  const unit = DECIMALS[chain];
  if (unit === undefined || !/^[0-9]+$/u.test(baseUnits)) return `${baseUnits} base units`;
  const padded = baseUnits.padStart(unit.decimals + 1, "0");
  const whole = padded.slice(0, -unit.decimals).replace(/^0+(?=\d)/u, "");
  const fraction = padded.slice(-unit.decimals).replace(/0+$/u, "");
  return `${whole}${fraction === "" ? "" : `.${fraction}`} ${unit.symbol}`;
}
