// Services read time only through this, so tests can move it (idle timeouts,
// grace windows, expiries) without sleeping.
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };
