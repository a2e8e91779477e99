/** "[12:04:31] message": long waits show when each step happened. */
export function progressLine(message: string, now = new Date()): string {
  return `[${now.toISOString().slice(11, 19)}] ${message}`;
}
