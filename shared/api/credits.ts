// Credits: the balance, its ledger, and the shape of every list in the API.
import { z } from 'zod';
import { creditPackIds } from '../catalog/packs';
import { ledgerKindNames, purchaseStatuses } from '../statuses';


export const LedgerEntry = z.object({
  id: z.string(),
  kind: z.enum(ledgerKindNames),
  /** Change to the balance (credits owned). */
  amount: z.number().int(),
  /** Change to the credits on hold; hold and refund entries move only this. */
  held_change: z.number().int(),
  balance_after: z.number().int(),
  held_after: z.number().int(),
  ref: z.string().nullable(),
  created_at: z.string(),
}).meta({ id: 'LedgerEntry' });
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});

export function Page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next_cursor: z.string().nullable() });
}

export const LedgerPage = Page(LedgerEntry);
export type LedgerPage = z.infer<typeof LedgerPage>;

export const DevGrantBody = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  amount: z.number().int().min(1).max(1_000_000),
});

/** A credit pack on sale (shared/catalog/packs.ts). */
export const CreditPack = z
  .object({
    id: z.enum(creditPackIds),
    credits: z.number().int(),
    price: z.object({
      amount: z.number().int().meta({ description: "In the currency's minor unit (cents), as Stripe counts it" }),
      currency: z.string().meta({ description: 'ISO 4217, lower case', example: 'usd' }),
    }),
  })
  .meta({ id: 'CreditPack' });
export type CreditPack = z.infer<typeof CreditPack>;

export const PackList = z.object({ items: z.array(CreditPack) });
export type PackList = z.infer<typeof PackList>;

export const CheckoutBody = z.object({ pack_id: z.enum(creditPackIds).meta({ description: 'The pack to buy', example: 'pack_500' }) });
export type CheckoutBody = z.infer<typeof CheckoutBody>;

/** Where to pay: the Checkout Session's id (cs_…) and its page (Stripe's, or the development checkout locally). */
export const CheckoutSession = z
  .object({
    id: z.string().meta({ example: 'cs_test_a1b2c3' }),
    url: z.string().meta({ example: 'https://checkout.stripe.com/c/pay/cs_test_a1b2c3' }),
    purchase_id: z.string().meta({ description: 'The purchase this session pays for (GET /v1/credits/purchases)', example: 'pur_01hx' }),
  })
  .meta({ id: 'CheckoutSession' });
export type CheckoutSession = z.infer<typeof CheckoutSession>;

export const Purchase = z
  .object({
    id: z.string(),
    pack_id: z.string(),
    credits: z.number().int(),
    amount: z.number().int().meta({ description: "Paid, in the currency's minor unit" }),
    currency: z.string(),
    status: z.enum(purchaseStatuses),
    created_at: z.string(),
    paid_at: z.string().nullable(),
  })
  .meta({ id: 'Purchase' });
export type Purchase = z.infer<typeof Purchase>;

export const PurchasePage = Page(Purchase);
export type PurchasePage = z.infer<typeof PurchasePage>;
