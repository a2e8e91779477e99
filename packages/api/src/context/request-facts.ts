export type FrontDoor = "console" | "guardian";
export type Transport = "https" | "wss";

// What the caller presented. A bearer value is either an access JWT or an API key
// (told apart by the key prefix). `consoleSession` is a next-auth session whose JWT
// apps/web has already verified; its Session row is still checked on every call.
export type Credentials =
  | { kind: "none" }
  | { kind: "bearer"; token: string }
  | { kind: "consoleSession"; sessionId: string; userId: string };

export type RequestMeta = {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
};

export type RequestFacts = RequestMeta & {
  frontDoor: FrontDoor;
  transport: Transport;
  credentials: Credentials;
};

export function bearerCredentials(authorization: string | null | undefined): Credentials {
  if (!authorization) return { kind: "none" };
  const match = /^Bearer ([\x21-\x7e]{1,4096})$/.exec(authorization);
  return match?.[1] ? { kind: "bearer", token: match[1] } : { kind: "bearer", token: "" };
}
