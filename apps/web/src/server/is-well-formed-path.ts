// A path Next cannot percent-decode makes it throw while routing (a 500 with its
// stack logged); such a request is refused before it gets there.
export function isWellFormedPath(url: string | undefined): boolean {
  const path = (url ?? "/").split("?", 1)[0] ?? "/";
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}
