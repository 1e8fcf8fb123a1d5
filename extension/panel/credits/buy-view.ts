// Whether the buy view is open, shared by what opens it: the account bar's "Buy credits" and
// the "buy credits" words wherever the panel says credits are short.
import { createContext } from 'preact';
import { useContext, useMemo, useState } from 'preact/hooks';

export interface BuyView {
  open: boolean;
  /** Counts the times it was asked for: each brings it into view again, even when already open. */
  shown: number;
  show(): void;
  hide(): void;
}

export const BuyCreditsView = createContext<BuyView | null>(null);

/** The studio's one buy view. */
export function useBuyViewState(): BuyView {
  const [shown, setShown] = useState(0);
  const [open, setOpen] = useState(false);
  return useMemo(
    () => ({
      open,
      shown,
      show() {
        setOpen(true);
        setShown((n) => n + 1);
      },
      hide: () => setOpen(false),
    }),
    [open, shown],
  );
}

/** The buy view, or null outside the studio (a view shown on its own). */
export const useBuyView = () => useContext(BuyCreditsView);
