import { useState } from "react";

export type CursorPages = {
  /** The cursor of the page shown; undefined on the newest page. */
  cursor: string | undefined;
  hasNewer: boolean;
  newer: () => void;
  older: (next: string) => void;
  reset: () => void;
};

/** A stack of "before" cursors for a newest-first list read page by page. */
export function useCursorPages(): CursorPages {
  const [pages, setPages] = useState<string[]>([]);
  return {
    cursor: pages[pages.length - 1],
    hasNewer: pages.length > 0,
    newer: () => {
      setPages(pages.slice(0, -1));
    },
    older: (next) => {
      setPages([...pages, next]);
    },
    reset: () => {
      setPages([]);
    },
  };
}

/** Newer/Older buttons; `next` is the cursor of the following older page, if any. */
export function Pager({ pages, next }: { pages: CursorPages; next: string | null | undefined }) {
  return (
    <div className="actions">
      <button type="button" className="secondary" disabled={!pages.hasNewer} onClick={pages.newer}>
        Newer
      </button>
      <button
        type="button"
        className="secondary"
        disabled={!next}
        onClick={() => {
          if (next) pages.older(next);
        }}
      >
        Older
      </button>
    </div>
  );
}
