import { InvalidRequestError } from "./invalid-request-error";

/**
 * A signature that should have been made with the caller's own identity key did not
 * verify. On a live session that is suspicious (a stolen access token without the
 * key, or a tampering client), so the session is ended as well as the call refused.
 */
export class IdentitySignatureError extends InvalidRequestError {}
