// "buy credits" where the panel says credits are short: it opens the buy view.
import type { ComponentChildren } from 'preact';
import { useBuyView } from './buy-view';

export function BuyCreditsLink({ children = 'buy credits' }: { children?: ComponentChildren }) {
  const view = useBuyView();
  // Outside the studio there is no buy view to open: the words stay words.
  if (!view) return <>{children}</>;
  return (
    <button type="button" class="link inline" onClick={view.show}>
      {children}
    </button>
  );
}
