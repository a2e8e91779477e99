// State-changing requests must come from the console's own pages: the browser's
// Origin header must be ours and the body JSON (a cross-site form cannot send that
// content type without a CORS preflight, which we never grant).
export function isSameOriginJsonRequest(req: Request, publicOrigin: string): boolean {
  const origin = req.headers.get("origin");
  const contentType = req.headers.get("content-type") ?? "";
  return origin === publicOrigin && /^application\/json(;|$)/i.test(contentType.trim());
}
