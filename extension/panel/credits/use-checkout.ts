// Buying a pack: start a Checkout with one Idempotency-Key per press, open its page in a new
// tab, then wait for the purchase to land: on the live channel, or by asking for the purchases
// every few seconds while the channel is down (for ten minutes at most), and once whenever the
// designer comes back to the panel.
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { CheckoutSession, CreditPack, Purchase } from '../../../shared/api/credits';
import { ApiError, localProblem } from '../../lib/api-client';
import { api, messageOf, withToken } from '../api';
import { useLiveEvent, useLiveUp } from '../live';

/** How often to ask while the channel is down, and how long to wait for a payment before stopping. */
export const checkoutTiming = { pollMs: 3000, giveUpMs: 10 * 60_000 };

export type CheckoutState =
  | { step: 'idle' }
  | { step: 'starting'; pack: CreditPack }
  /** The payment page is open; `gaveUp` once no word came in `giveUpMs` (nothing is asked after that). */
  | { step: 'waiting'; pack: CreditPack; session: CheckoutSession; gaveUp: boolean }
  | { step: 'settled'; pack: CreditPack; purchase: Purchase }
  | { step: 'error'; pack: CreditPack; message: string };

export interface Checkout {
  state: CheckoutState;
  /** Bumped when a purchase starts or settles: the purchases list reads its newest page again. */
  changes: number;
  buy(pack: CreditPack): Promise<void>;
  /** Opens the payment page again (its tab was closed before paying). */
  reopen(): void;
  /** After giving up: asks once more, and keeps waiting another while. */
  keepWaiting(): void;
}

/** Only a web page is opened: an address of any other kind is not a payment page. */
function isWebPage(url: string): boolean {
  try {
    return ['https:', 'http:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

/**
 * `onCreditsChanged` runs when polling, not the live channel, saw a purchase paid: the
 * channel's own `credits.changed` moves the balance otherwise.
 */
export function useCheckout(onCreditsChanged: () => void): Checkout {
  const [state, setState] = useState<CheckoutState>({ step: 'idle' });
  const [changes, setChanges] = useState(0);
  // Live messages call back into this hook long after it rendered: they read the latest.
  const latest = useRef({ state, onCreditsChanged });
  latest.current = { state, onCreditsChanged };
  // One key per press of Buy; kept only while that press may be retried (it never reached the API).
  const press = useRef<{ key: string; packId: string } | null>(null);

  async function buy(pack: CreditPack) {
    if (latest.current.state.step === 'starting') return;
    if (press.current?.packId !== pack.id) press.current = { key: crypto.randomUUID(), packId: pack.id };
    const key = press.current.key;
    setState({ step: 'starting', pack });
    try {
      const session = await withToken((token) => api.checkout(token, pack.id, key));
      press.current = null;
      if (!isWebPage(session.url)) throw new ApiError(localProblem('bad_response', 'Exactly sent a payment page this panel will not open, so nothing was charged. Please try again later.'));
      setState({ step: 'waiting', pack, session, gaveUp: false });
      setChanges((n) => n + 1);
      // Were the tab refused, "Open the payment page again" is on show.
      await browser.tabs.create({ url: session.url }).catch(() => undefined);
    } catch (error) {
      // A press the API answered (a refusal, a conflict) starts afresh next time; one that never
      // reached it keeps its key, so a retry cannot start a second purchase.
      if (!(error instanceof ApiError && error.code === 'network')) press.current = null;
      setState({ step: 'error', pack, message: messageOf(error) });
    }
  }

  function settle(purchase: Purchase, seenBy: 'live' | 'polling') {
    const now = latest.current.state;
    if (now.step !== 'waiting' || now.session.purchase_id !== purchase.id || purchase.status === 'pending') return;
    setState({ step: 'settled', pack: now.pack, purchase });
    setChanges((n) => n + 1);
    if (seenBy === 'polling' && purchase.status === 'paid') latest.current.onCreditsChanged();
  }

  /** Reads the newest purchases and settles the awaited one if it has. */
  async function check() {
    const now = latest.current.state;
    if (now.step !== 'waiting') return;
    const page = await withToken((token) => api.purchases(token));
    const found = page.items.find((p) => p.id === now.session.purchase_id);
    if (found) settle(found, 'polling');
  }

  useLiveEvent('purchase.completed', (purchase) => settle(purchase, 'live'));

  const liveUp = useLiveUp();
  const awaited = state.step === 'waiting' && !state.gaveUp ? state.session.purchase_id : null;
  // Polling is the fallback while the channel is down.
  useEffect(() => {
    if (!awaited || liveUp) return;
    const timer = setInterval(() => void check().catch(() => undefined), checkoutTiming.pollMs);
    return () => clearInterval(timer);
  }, [awaited, liveUp]);
  // The channel back up: what it may have said while down is read once.
  useEffect(() => {
    if (awaited && liveUp) void check().catch(() => undefined);
  }, [liveUp]);
  // Back from the payment tab: a look costs one read, and covers a message the channel never
  // brought (it is published after the payment commits, once).
  useEffect(() => {
    if (!awaited) return;
    const back = () => document.visibilityState === 'visible' && void check().catch(() => undefined);
    document.addEventListener('visibilitychange', back);
    return () => document.removeEventListener('visibilitychange', back);
  }, [awaited]);
  useEffect(() => {
    if (!awaited) return;
    const timer = setTimeout(() => setState((s) => (s.step === 'waiting' && s.session.purchase_id === awaited ? { ...s, gaveUp: true } : s)), checkoutTiming.giveUpMs);
    return () => clearTimeout(timer);
  }, [awaited]);

  return {
    state,
    changes,
    buy,
    reopen() {
      if (state.step === 'waiting') void browser.tabs.create({ url: state.session.url }).catch(() => undefined);
    },
    keepWaiting() {
      setState((s) => (s.step === 'waiting' ? { ...s, gaveUp: false } : s));
      void check().catch(() => undefined);
    },
  };
}
