// The buy view: the packs on sale, each with its price, what a credit costs in it and what the
// larger ones save; where a purchase has got to; and the purchases made.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CreditPack } from '../../../shared/api/credits';
import { owingWords } from '../../lib/problems';
import { api, messageOf } from '../api';
import { credits } from '../format';
import { CheckoutStatus } from './CheckoutStatus';
import { Purchases } from './Purchases';
import type { Checkout } from './use-checkout';
import { buyLabel, money, perCredit, saving } from './words';
import { RetryError } from '../RetryError';

interface Props {
  checkout: Checkout;
  /** Credits owing (a refund took back more than was left): bought credits settle them first. */
  owed: number;
  /** Moves each time the view is asked for: it comes into view and takes focus. */
  shown: number;
  onClose(): void;
}

export function BuyCredits({ checkout, owed, shown, onClose }: Props) {
  const [packs, setPacks] = useState<CreditPack[] | null>(null);
  const [error, setError] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);

  function load() {
    setError('');
    api
      .packs()
      .then((list) => setPacks(list.items))
      .catch((e) => setError(messageOf(e)));
  }
  useEffect(load, []);
  useEffect(() => {
    heading.current?.focus();
    heading.current?.scrollIntoView?.({ block: 'nearest' });
  }, [shown]);

  const starting = checkout.state.step === 'starting' ? checkout.state.pack.id : null;
  return (
    <section class="card buy" id="buy-credits" aria-labelledby="buy-credits-title" data-testid="buy-credits">
      <div class="row spread">
        <h2 id="buy-credits-title" ref={heading} tabIndex={-1}>
          Buy credits
        </h2>
        <button type="button" class="link" aria-label="Close buying credits" onClick={onClose}>
          Close
        </button>
      </div>
      <p class="muted small">Pay once for a pack: its credits stay until you spend them. No subscription.</p>
      {owed > 0 && (
        <p class="owing" data-testid="owing">
          {owingWords(owed)}
        </p>
      )}
      <CheckoutStatus checkout={checkout} />
      {error && (
        <RetryError message={error} onRetry={load} />
      )}
      {!packs && !error && <p class="muted">Loading the packs…</p>}
      {packs && (
        <ul class="packs" aria-label="Credit packs">
          {packs.map((pack) => {
            const save = saving(pack, packs);
            return (
              <li key={pack.id} class="pack" data-testid="pack">
                <div class="grow">
                  <strong>{credits(pack.credits)}</strong>
                  <span class="small">
                    <span class="price">{money(pack.price.amount, pack.price.currency)}</span> <span class="muted">· {perCredit(pack)}</span>
                  </span>
                  {save && <span class="badge save">{save}</span>}
                </div>
                <button type="button" aria-label={buyLabel(pack)} disabled={starting !== null} onClick={() => void checkout.buy(pack)}>
                  {starting === pack.id ? 'Opening…' : 'Buy'}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <Purchases changes={checkout.changes} />
    </section>
  );
}
