import QRCode from "qrcode";

export type QrPath = { size: number; d: string };

// The QR code as one SVG path (a unit square per dark module) so the page renders
// it with plain React elements: no generated markup, no inline styles.
export function qrPath(text: string): QrPath {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const size = qr.modules.size;
  const parts: string[] = [];
  for (let row = 0; row < size; row += 1) {
    for (let col = 0; col < size; col += 1) {
      if (qr.modules.get(row, col)) parts.push(`M${col} ${row}h1v1h-1z`);
    }
  }
  return { size, d: parts.join("") };
}
