// Where a purchase has got to: the payment page opening, waiting for the payment (with a way
// back to its page), the credits added or the payment failed, or what went wrong, in words.
import { credits } from '../format';
import type { Checkout } from './use-checkout';
import { purchaseStatusWords } from './words';

/** What a settled purchase means for the designer. */
export function settledWords(purchase: { credits: number; status: keyof typeof purchaseStatusWords }): string {
  switch (purchase.status) {
    case 'paid':
      return `Added ${credits(purchase.credits)}.`;
    case 'failed':
      return `The payment for ${credits(purchase.credits)} failed, so nothing was added. You can try again, with another card if need be.`;
    default:
      return `The purchase of ${credits(purchase.credits)}: ${purchaseStatusWords[purchase.status]}.`;
  }
}

export function CheckoutStatus({ checkout }: { checkout: Checkout }) {
  const { state } = checkout;
  if (state.step === 'error') {
    return (
      <p class="error" role="alert" data-testid="checkout-error">
        {state.message}
      </p>
    );
  }
  return (
    // Always there, so what it says next is announced.
    <div class="checkout-status" role="status" data-testid="checkout-status">
      {state.step === 'starting' && <p class="muted">Opening the payment page for {credits(state.pack.credits)}…</p>}
      {state.step === 'waiting' && !state.gaveUp && (
        <>
          <p>Finish paying in the new tab — your balance updates here when the payment lands.</p>
          <progress aria-label="Waiting for your payment" />
          <button type="button" class="link" onClick={checkout.reopen}>
            Open the payment page again
          </button>
        </>
      )}
      {state.step === 'waiting' && state.gaveUp && (
        <>
          <p>No word of the payment for {credits(state.pack.credits)} after 10 minutes, so the panel stopped asking. If you paid, the credits still arrive.</p>
          <button type="button" class="link" onClick={checkout.keepWaiting}>
            Check again
          </button>
        </>
      )}
      {state.step === 'settled' && <p class={state.purchase.status === 'paid' ? 'added' : 'error'}>{settledWords(state.purchase)}</p>}
    </div>
  );
}
