// My purchases of packs, newest first: the date, the credits, what was paid and where the
// payment stands, a page at a time.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Purchase } from '../../../shared/api/credits';
import { api, messageOf, withToken } from '../api';
import { credits } from '../format';
import { useLiveEvent } from '../live';
import { money, purchaseStatusWords } from './words';

/** `fresh` over what is shown: the same purchase replaced, new ones in, newest first. */
export function mergePurchases(shown: Purchase[], fresh: Purchase[]): Purchase[] {
  const byId = new Map(shown.map((p) => [p.id, p]));
  for (const p of fresh) byId.set(p.id, p);
  return [...byId.values()].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
}

/** `changes` moves when a purchase starts or settles here: the newest page is read again. */
export function Purchases({ changes }: { changes: number }) {
  const [items, setItems] = useState<Purchase[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [loadingMore, setLoadingMore] = useState(false);
  // Once older pages are shown, reading the newest again keeps the cursor where they ended.
  const pagedOn = useRef(false);

  useEffect(() => {
    withToken((token) => api.purchases(token))
      .then((page) => {
        setItems((shown) => mergePurchases(shown ?? [], page.items));
        if (!pagedOn.current) setCursor(page.next_cursor);
        setError('');
      })
      .catch((e) => setError(messageOf(e)));
  }, [changes]);

  // A purchase settled, refunded or disputed, whichever panel bought it.
  useLiveEvent('purchase.completed', (purchase) => setItems((shown) => shown && mergePurchases(shown, [purchase])));

  async function loadMore() {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await withToken((token) => api.purchases(token, cursor));
      pagedOn.current = true;
      setItems((shown) => mergePurchases(shown ?? [], page.items));
      setCursor(page.next_cursor);
      setError('');
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <div class="purchases">
      <h3 id="purchases-title">Your purchases</h3>
      {items === null && !error && <p class="muted small">Loading your purchases…</p>}
      {items?.length === 0 && <p class="muted small">Packs you buy are listed here.</p>}
      {items && items.length > 0 && (
        <ul class="purchase-list" aria-labelledby="purchases-title">
          {items.map((p) => (
            <li key={p.id} class="purchase" data-testid="purchase">
              <div class="grow">
                <strong>{credits(p.credits)}</strong>
                <span class="muted small">
                  <time dateTime={p.created_at}>{new Date(p.created_at).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })}</time> · {money(p.amount, p.currency)}
                </span>
              </div>
              <span class={`badge purchase-${p.status}`}>{purchaseStatusWords[p.status]}</span>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p class="error small" role="alert">
          {error}
        </p>
      )}
      {cursor && (
        <button type="button" class="secondary small" aria-label="Load more purchases" disabled={loadingMore} onClick={loadMore}>
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  );
}
