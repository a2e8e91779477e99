/**
 * Close codes of the guardian WebSocket: the ws-server sends them and the SDK acts on
 * them, so both import them from here. 4000-4999 are application codes (RFC 6455
 * §7.4.2); ours echo the HTTP status they stand for. 1001 and 1009 are the protocol's.
 */
export const guardianSocketCloseCodes = {
  /** The server is shutting down: reconnect (to another instance). */
  goingAway: 1001,
  /** A message larger than the server accepts (sent by the ws library at maxPayload). */
  messageTooBig: 1009,
  /** The access token expired on the open socket: refresh before reconnecting. */
  tokenExpired: 4401,
  /** The session is gone (revoked, expired, idle): its tokens must not be presented again. */
  sessionRevoked: 4403,
  /** No connection params arrived within the authentication window. */
  authenticationTimeout: 4408,
  /** Too many sockets for this address or guardian, or the socket's slot was lost. */
  tooManyConnections: 4429,
} as const;
