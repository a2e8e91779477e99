import type { TRPCDefaultErrorShape, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { RateLimitedError } from "../abuse/rate-limited-error";
import { DomainError } from "./domain-error";

export type FieldIssue = { path: string; code: string; message: string };

export type ApiErrorShape = {
  message: string;
  code: TRPCDefaultErrorShape["code"];
  data: {
    code: TRPCDefaultErrorShape["data"]["code"];
    httpStatus: number;
    path?: string;
    reason?: string;
    issues?: FieldIssue[];
    retryAfterSeconds?: number;
  };
};

// Clients see a code, a safe message, a stable reason and zod field paths; never a
// stack, a cause chain or an internal message (those only reach the redacted log).
export function formatError(shape: TRPCDefaultErrorShape, error: TRPCError): ApiErrorShape {
  const data: ApiErrorShape["data"] = { code: shape.data.code, httpStatus: shape.data.httpStatus };
  if (shape.data.path !== undefined) data.path = shape.data.path;
  let message = "Internal server error";
  if (error.cause instanceof ZodError) {
    message = "Invalid input";
    data.issues = error.cause.issues.map((issue) => ({
      path: issue.path.map(String).join("."),
      code: issue.code,
      message: issue.message,
    }));
  } else if (error.cause instanceof DomainError) {
    message = error.cause.message;
    data.reason = error.cause.reason;
    if (error.cause instanceof RateLimitedError)
      data.retryAfterSeconds = error.cause.retryAfterSeconds;
  } else if (error.code === "BAD_REQUEST" && error.cause instanceof SyntaxError) {
    // tRPC's body parser failed. JSON.parse's own message quotes the body, which may
    // hold a secret, so it is never passed on.
    message = "The request body is not valid JSON";
  } else if (error.code === "BAD_REQUEST" && error.cause instanceof URIError) {
    message = "The request path is not valid percent-encoding";
  } else if (error.code !== "INTERNAL_SERVER_ERROR" && error.cause === undefined) {
    // TRPCErrors raised by tRPC itself (NOT_FOUND path, METHOD_NOT_SUPPORTED, parse
    // errors) carry fixed messages written by tRPC, not by our code paths.
    message = error.message;
  }
  return { message, code: shape.code, data };
}
