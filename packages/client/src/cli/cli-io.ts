/** Where commands write; the entry point passes stdout/stderr, tests pass buffers. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export class UsageError extends Error {
  override readonly name = "UsageError";
}
