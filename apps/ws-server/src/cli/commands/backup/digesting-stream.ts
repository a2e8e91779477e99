import { createHash } from "node:crypto";
import { Transform } from "node:stream";

export interface Digest {
  readonly sha256: string;
  readonly bytes: number;
}

/** A pass-through that hashes what flows by; `digest()` is valid once it has ended. */
export function digestingStream(): { stream: Transform; digest(): Digest } {
  const hash = createHash("sha256");
  let bytes = 0;
  let result: Digest | undefined;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      result = { sha256: hash.digest("hex"), bytes };
      callback();
    },
  });
  return {
    stream,
    digest() {
      if (result === undefined) throw new Error("digest read before the stream ended");
      return result;
    },
  };
}
