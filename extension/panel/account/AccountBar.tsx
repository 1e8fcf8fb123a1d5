// Who is signed in and their credits: balance, what running work holds, what is available,
// what is owing; and the way to buy more (the buy view opens below it).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Credits, User } from '../../../shared/api/auth';
import { send } from '../../lib/messaging';
import { owingWords } from '../../lib/problems';
import { api, messageOf, withToken } from '../api';
import { BuyCredits } from '../credits/BuyCredits';
import { useBuyView } from '../credits/buy-view';
import { CheckoutStatus, settledWords } from '../credits/CheckoutStatus';
import { useCheckout } from '../credits/use-checkout';
import { credits as creditsLabel } from '../format';
import { useLiveEvent } from '../live';
import { usePassing } from '../use-passing';
import { RetryError } from '../RetryError';

interface Props {
  user: User;
  /** Changes whenever credits may have moved (a generation started or ended). */
  creditsVersion: number;
  /** Credits moved where the live channel could not tell (a purchase seen by polling). */
  onCreditsChanged(): void;
  onSignedOut(): void;
}

export function AccountBar({ user, creditsVersion, onCreditsChanged, onSignedOut }: Props) {
  const [credits, setCredits] = useState<Credits | null>(null);
  const [error, setError] = useState('');
  const buyView = useBuyView();
  // Here rather than in the buy view: a purchase is followed to its end even with the view closed.
  const checkout = useCheckout(onCreditsChanged);
  const buyButton = useRef<HTMLButtonElement>(null);
  const [settledNote, say] = usePassing();

  async function load() {
    setError('');
    try {
      setCredits(await withToken((token) => api.credits(token)));
    } catch (e) {
      setError(messageOf(e));
    }
  }

  useEffect(() => {
    void load();
  }, [user.id, creditsVersion]);
  // The balance the moment it moves (holds, charges, refunds, grants, licenses), from the live channel.
  useLiveEvent('credits.changed', (fresh) => {
    setCredits(fresh);
    setError('');
  });
  // With the buy view closed, a settled purchase is said here for a few seconds.
  useEffect(() => {
    if (checkout.state.step === 'settled') say(settledWords(checkout.state.purchase));
  }, [checkout.state]);

  async function signOut() {
    await send('auth.signOut', {}).catch(() => undefined);
    onSignedOut();
  }

  function closeBuyView() {
    buyView?.hide();
    buyButton.current?.focus();
  }

  const open = buyView?.open ?? false;
  return (
    <>
      <section class="card account" aria-label="Account">
        <div class="row spread">
          <span class="email" data-testid="user-email">{user.email}</span>
          <button type="button" class="link" onClick={signOut}>
            Sign out
          </button>
        </div>
        {credits ? (
          <div class="credits row spread">
            <div>
              <div>
                <span class="big" data-testid="balance">{credits.available.toLocaleString('en')}</span> credits available
              </div>
              <div class="muted" data-testid="credit-detail">
                Balance {creditsLabel(credits.balance)}
                {credits.held > 0 ? ` · ${creditsLabel(credits.held)} held by running work` : ''}
              </div>
            </div>
            {buyView && (
              <button ref={buyButton} type="button" class="secondary small" aria-expanded={open} aria-controls={open ? 'buy-credits' : undefined} onClick={open ? closeBuyView : buyView.show}>
                Buy credits
              </button>
            )}
          </div>
        ) : error ? (
          <RetryError message={error} onRetry={load} />
        ) : (
          <p class="muted">Loading credits…</p>
        )}
        {credits && credits.owed > 0 && !open && (
          <p class="owing" data-testid="owing">
            {owingWords(credits.owed)}
          </p>
        )}
        {!open && checkout.state.step === 'waiting' && <CheckoutStatus checkout={checkout} />}
        {!open && settledNote && (
          <p class="added" role="status">
            {settledNote}
          </p>
        )}
      </section>
      {open && <BuyCredits checkout={checkout} owed={credits?.owed ?? 0} shown={buyView!.shown} onClose={closeBuyView} />}
    </>
  );
}
