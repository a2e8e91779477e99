/**
 * The canonical encoding written out by hand, independent of the code under test: each
 * field's UTF-8 bytes after their length as a 4-byte big-endian number.
 */
export function lengthPrefixedFields(fields: readonly string[]): Buffer {
  return Buffer.concat(
    fields.map((value) => {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(Buffer.byteLength(value));
      return Buffer.concat([length, Buffer.from(value)]);
    }),
  );
}
