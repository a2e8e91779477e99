import { publicJwks, type Keyring } from "@conclave/auth/jwt-keyring";
import type { Route } from "../route";
import { sendJson } from "../send-json";

export interface JwksDependencies {
  /** Read per request, so a keyring reloaded on SIGHUP is published at once. */
  readonly keyring: () => Keyring;
  readonly now: () => Date;
}

/** `GET /.well-known/jwks.json`: the public half of every key that still verifies. */
export function createJwksRoute(dependencies: JwksDependencies): Route {
  return {
    method: "GET",
    path: "/.well-known/jwks.json",
    handle(_request, response) {
      sendJson(response, 200, publicJwks(dependencies.keyring(), dependencies.now()));
      return Promise.resolve();
    },
  };
}
