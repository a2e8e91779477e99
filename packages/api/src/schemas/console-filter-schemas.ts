import { z } from "zod";

// Filters reach SQL as parameters. PostgreSQL refuses a NUL in text, a year 0 and a
// bigint past 2^63 - 1 with an error of its own, so each is refused here instead, as
// a 400 that names the field.
export const filterText = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((value) => !/\p{Cc}/u.test(value), { message: "Contains control characters" });

const EARLIEST_FILTER_DATE = Date.UTC(1970, 0, 1);
const LATEST_FILTER_DATE = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export const filterDate = z.iso.datetime().refine(
  (value) => {
    // NaN only when the format check has already failed.
    const at = Date.parse(value);
    return Number.isNaN(at) || (at >= EARLIEST_FILTER_DATE && at <= LATEST_FILTER_DATE);
  },
  { message: "Pick a date between 1970 and 9999" },
);

const INT8_MAX = 2n ** 63n - 1n;
export const auditSeq = z
  .string()
  .regex(/^[1-9][0-9]{0,18}$/)
  // zod runs this even when the pattern failed; only digits may reach BigInt.
  .refine((value) => !/^\d+$/.test(value) || BigInt(value) <= INT8_MAX, {
    message: "Sequence number out of range",
  });
