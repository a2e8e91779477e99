// next-auth's redirect callback: after sign-in or sign-out only our own pages are a
// destination. Its default throws on a callbackUrl that is not a URL (a 500) and
// this one sends anything unparsable or foreign to the sign-in page instead.
export function sameOriginRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  const fallback = `${baseUrl}/signin`;
  let target: URL;
  try {
    target = new URL(url, baseUrl);
  } catch {
    return fallback;
  }
  return target.origin === new URL(baseUrl).origin ? target.href : fallback;
}
