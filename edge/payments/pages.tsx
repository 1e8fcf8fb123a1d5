/** @jsxImportSource hono/jsx */
// The small pages a buyer sees outside the panel: where Stripe Checkout sends them back (paid,
// or cancelled), and the development checkout that stands in for Stripe's page locally. No
// script runs in them; the one control has a name that says what it does.
import type { Child } from 'hono/jsx';
import { creditsText, formatPrice } from './money';

const css = `
:root{color-scheme:light dark;--bg:#faf9f7;--fg:#1d1b19;--muted:#6e6a64;--card:#fff;--line:#e4e0da;--accent:#2f5fd0}
@media (prefers-color-scheme:dark){:root{--bg:#161514;--fg:#eceae6;--muted:#a29d96;--card:#211f1d;--line:#3a3632;--accent:#8fb0ff}}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,sans-serif}
main{max-width:420px;margin:64px auto;padding:28px;background:var(--card);border:1px solid var(--line);border-radius:12px}
h1{font-size:20px;margin:0 0 12px}.muted{color:var(--muted);font-size:14px}.price{font-size:28px;margin:4px 0 20px}
button{font:inherit;border:0;border-radius:8px;padding:10px 18px;cursor:pointer;background:var(--accent);color:#fff;width:100%}
@media (prefers-color-scheme:dark){button{color:#111}}:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
`;

function Page(props: { title: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · Exactly</title>
        <style>{css}</style>
      </head>
      <body>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

/** A page that only says something: where Checkout returns, and every outcome of the local one. */
export function MessagePage(props: { title: string; message: string; detail?: string }) {
  return (
    <Page title={props.title}>
      <h1>{props.message}</h1>
      {props.detail ? <p class="muted">{props.detail}</p> : null}
    </Page>
  );
}

export const paidPage = () => MessagePage({ title: 'Payment received', message: 'Payment received — your credits appear in the Exactly panel.', detail: 'You can close this tab.' });
export const cancelledPage = () => MessagePage({ title: 'Payment cancelled', message: 'Payment cancelled — nothing was charged.', detail: 'You can close this tab and buy credits again from the Exactly panel.' });

/** The development checkout: the pack, its price, and one button that pays. */
export function LocalCheckoutPage(props: { sessionId: string; credits: number; amount: number; currency: string }) {
  const price = formatPrice(props.amount, props.currency);
  return (
    <Page title="Development checkout">
      <p class="muted">Development checkout — no money moves. Paying sends the event Stripe would send, signed with this server's STRIPE_WEBHOOK_SECRET.</p>
      <h1>{creditsText(props.credits)}</h1>
      <p class="price">{price}</p>
      <form method="post" action={`/dev/checkout/${props.sessionId}/pay`}>
        <button type="submit">Pay {price}</button>
      </form>
    </Page>
  );
}
