// How packs and purchases read in the panel: prices in the pack's own currency, what a credit
// costs in each pack, what the larger packs save, and a purchase's status in words.
import type { CreditPack, Purchase } from '../../../shared/api/credits';
import { credits } from '../format';

const formatters = new Map<string, Intl.NumberFormat>();

function currencyFormat(currency: string, extraDigits = 0): Intl.NumberFormat {
  const key = `${currency}:${extraDigits}`;
  let format = formatters.get(key);
  if (!format) {
    const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    format = new Intl.NumberFormat('en', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits + extraDigits });
    formatters.set(key, format);
  }
  return format;
}

/** The currency's minor units in one major unit (100 cents to the dollar, 1 for the yen), as Stripe counts. */
function minorUnits(currency: string): number {
  return 10 ** (currencyFormat(currency).resolvedOptions().maximumFractionDigits ?? 2);
}

/** An amount in the currency's minor unit, e.g. `money(2000, 'usd')` is "$20.00". */
export function money(amount: number, currency: string): string {
  return currencyFormat(currency.toUpperCase()).format(amount / minorUnits(currency.toUpperCase()));
}

/** "$0.04 a credit"; "about $0.033 a credit" where a credit's price has more digits than the currency shows. */
export function perCredit(pack: CreditPack): string {
  const currency = pack.price.currency.toUpperCase();
  const exact = pack.price.amount / pack.credits / minorUnits(currency);
  // Shown to a tenth of the minor unit (a tenth of a cent): say "about" when that rounds.
  const step = minorUnits(currency) * 10;
  const rounded = Math.abs(Math.round(exact * step) / step - exact) > 1e-9;
  return `${rounded ? 'about ' : ''}${currencyFormat(currency, 1).format(exact)} a credit`;
}

/**
 * What a pack saves against the dearest credit on sale in its currency, in whole percent
 * ("Save 20%"), or null for the pack that is that dearest one.
 */
export function saving(pack: CreditPack, packs: readonly CreditPack[]): string | null {
  const rate = (p: CreditPack) => p.price.amount / p.credits;
  const dearest = Math.max(...packs.filter((p) => p.price.currency.toLowerCase() === pack.price.currency.toLowerCase()).map(rate));
  // Whole percent, never more than it saves (and not one less for a float just under, 19.999…).
  const percent = Math.floor((1 - rate(pack) / dearest) * 100 + 1e-9);
  return percent >= 1 ? `Save ${percent}%` : null;
}

/** The Buy button's name: "Buy 500 credits for $20.00". */
export const buyLabel = (pack: CreditPack) => `Buy ${credits(pack.credits)} for ${money(pack.price.amount, pack.price.currency)}`;

export const purchaseStatusWords: Record<Purchase['status'], string> = {
  pending: 'Waiting for payment',
  paid: 'Paid',
  failed: 'Payment failed',
  refunded: 'Refunded',
  disputed: 'Disputed',
};

