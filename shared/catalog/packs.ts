// The credit packs on sale: one list, read by the API (GET /v1/credits/packs, the checkout) and
// shown by the panel. Prices are in the currency's minor unit (cents), as Stripe counts them;
// a larger pack costs less a credit. No subscriptions: a pack is bought once and its credits
// stay until spent.
export interface CreditPack {
  id: string;
  credits: number;
  price: { amount: number; currency: string };
}

export const creditPacks = [
  { id: 'pack_100', credits: 100, price: { amount: 500, currency: 'usd' } },
  { id: 'pack_500', credits: 500, price: { amount: 2000, currency: 'usd' } },
  { id: 'pack_1500', credits: 1500, price: { amount: 5000, currency: 'usd' } },
] as const satisfies readonly CreditPack[];

export type CreditPackId = (typeof creditPacks)[number]['id'];
export const creditPackIds = creditPacks.map((p) => p.id) as [CreditPackId, ...CreditPackId[]];

export function findPack(id: string): CreditPack | undefined {
  return creditPacks.find((p) => p.id === id);
}
