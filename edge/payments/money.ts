// Prices as people read them. Amounts are kept in the currency's minor unit (cents), as
// Stripe counts them; the currency says how many digits that is (none for yen).

/** "$20.00" for 2000 usd, "¥500" for 500 jpy. */
export function formatPrice(amount: number, currency: string): string {
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

/** "500 credits", "1,500 credits", "1 credit". */
export const creditsText = (credits: number) => `${credits.toLocaleString('en-US')} credit${credits === 1 ? '' : 's'}`;
