// Buying credits from the side panel: the packs and their prices, a Checkout opened in a new
// tab with one Idempotency-Key per press, the balance moving when the payment lands (on the live
// channel, or by polling while it is down), errors in words, the purchases list, credits owing.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Purchase } from '../../shared/api/credits';
import { App } from '../../extension/panel/App';
import { checkoutTiming } from '../../extension/panel/credits/use-checkout';
import { money, perCredit, saving } from '../../extension/panel/credits/words';
import { FakeSocket } from './fake-websocket';
import { signInAs, usePanel } from './panel-harness';

const world = usePanel(() => {
  FakeSocket.all = [];
  vi.stubGlobal('WebSocket', FakeSocket);
});
const timing = { ...checkoutTiming };
beforeEach(() => Object.assign(checkoutTiming, timing));
afterEach(() => Object.assign(checkoutTiming, timing));

const at = () => new Date().toISOString();
const owedWords = 'A refunded purchase left 120 credits owing. Buy credits to settle it; until then nothing can be spent.';

async function signedIn() {
  render(<App />);
  await signInAs(world.fake);
}

/** The channel the studio opened, accepted by the "server". */
async function openChannel() {
  await waitFor(() => expect(FakeSocket.all.length).toBeGreaterThan(0));
  const socket = FakeSocket.all.at(-1)!;
  socket.accept();
  return socket;
}

async function openBuyView() {
  fireEvent.click(screen.getByRole('button', { name: 'Buy credits' }));
  const view = await screen.findByRole('region', { name: 'Buy credits' });
  await within(view).findByRole('list', { name: 'Credit packs' });
  await waitFor(() => expect(within(view).queryByText('Loading your purchases…')).toBeNull());
  return view;
}

const checkouts = () => world.fake.state.calls.filter((c) => c.method === 'POST' && c.path === '/v1/credits/checkout');
const tabUrls = async () => (await fakeBrowser.tabs.query({})).map((t) => t.url);
const purchaseReads = () => world.fake.state.calls.filter((c) => c.method === 'GET' && c.path === '/v1/credits/purchases').length;

describe('the packs', () => {
  it('lists each pack with its price in its currency, what a credit costs in it and what the larger ones save', async () => {
    await signedIn();
    const view = await openBuyView();
    expect(document.activeElement).toBe(within(view).getByRole('heading', { name: 'Buy credits' }));
    const packs = within(within(view).getByRole('list', { name: 'Credit packs' })).getAllByRole('listitem');
    expect(packs.map((p) => p.textContent)).toEqual([
      '100 credits$5.00 · $0.05 a creditBuy',
      '500 credits$20.00 · $0.04 a creditSave 20%Buy',
      '1,500 credits$50.00 · about $0.033 a creditSave 33%Buy',
    ]);
    for (const name of ['Buy 100 credits for $5.00', 'Buy 500 credits for $20.00', 'Buy 1,500 credits for $50.00']) expect(within(view).getByRole('button', { name })).toBeTruthy();
    // Closing gives focus back to what opened it.
    fireEvent.click(within(view).getByRole('button', { name: 'Close buying credits' }));
    expect(screen.queryByRole('region', { name: 'Buy credits' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Buy credits' }));
  });

  it('reads prices in the currency’s own minor unit', () => {
    expect(money(2000, 'usd')).toBe('$20.00');
    expect(money(1999, 'eur')).toBe('€19.99');
    expect(money(2000, 'jpy')).toBe('¥2,000');
    expect(perCredit({ id: 'pack_100', credits: 100, price: { amount: 1000, currency: 'jpy' } })).toBe('¥10 a credit');
    const packs = [
      { id: 'pack_100', credits: 100, price: { amount: 500, currency: 'usd' } },
      { id: 'pack_500', credits: 500, price: { amount: 2500, currency: 'usd' } },
    ] as const;
    // The same price a credit saves nothing.
    expect(saving(packs[1], packs)).toBeNull();
  });

  it('opens from Generate’s "buy credits" when the balance is short', async () => {
    world.fake.state.credits = { balance: 0, held: 0, available: 0 };
    await signedIn();
    const alert = await screen.findByText(/^This needs/);
    fireEvent.click(within(alert).getByRole('button', { name: 'buy credits' }));
    const view = await screen.findByRole('region', { name: 'Buy credits' });
    await waitFor(() => expect(document.activeElement).toBe(within(view).getByRole('heading', { name: 'Buy credits' })));
  });
});

describe('buying a pack', () => {
  it('opens the payment page in a new tab, with one Idempotency-Key per press', async () => {
    await signedIn();
    const view = await openBuyView();
    fireEvent.click(within(view).getByRole('button', { name: 'Buy 500 credits for $20.00' }));
    expect(await within(view).findByText('Finish paying in the new tab — your balance updates here when the payment lands.')).toBeTruthy();
    expect(within(view).getByRole('progressbar', { name: 'Waiting for your payment' })).toBeTruthy();
    const first = world.fake.state.purchases[0]!;
    await waitFor(async () => expect(await tabUrls()).toContain(first.session.url));
    expect(checkouts()).toHaveLength(1);
    expect(checkouts()[0]!.body).toEqual({ pack_id: 'pack_500' });
    expect(checkouts()[0]!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);

    // Another press is another purchase, with a key of its own.
    fireEvent.click(within(view).getByRole('button', { name: 'Buy 500 credits for $20.00' }));
    await waitFor(() => expect(world.fake.state.purchases).toHaveLength(2));
    expect(checkouts()[1]!.idempotencyKey).not.toBe(checkouts()[0]!.idempotencyKey);
    await waitFor(async () => expect(await tabUrls()).toContain(world.fake.state.purchases[1]!.session.url));

    // A closed payment tab can be opened again.
    const before = (await tabUrls()).length;
    fireEvent.click(within(view).getByRole('button', { name: 'Open the payment page again' }));
    await waitFor(async () => expect((await tabUrls()).length).toBe(before + 1));
    expect((await tabUrls()).at(-1)).toBe(world.fake.state.purchases[1]!.session.url);
  });

  it('retries a press that never reached Exactly with the same key, so nothing is bought twice', async () => {
    await signedIn();
    const view = await openBuyView();
    world.fake.state.down = true;
    fireEvent.click(within(view).getByRole('button', { name: 'Buy 500 credits for $20.00' }));
    expect((await within(view).findByTestId('checkout-error')).textContent).toBe('Exactly cannot be reached. Check your connection and try again.');
    expect(await tabUrls()).not.toContainEqual(expect.stringContaining('checkout'));
    world.fake.state.down = false;
    fireEvent.click(within(view).getByRole('button', { name: 'Buy 500 credits for $20.00' }));
    await within(view).findByText(/^Finish paying in the new tab/);
    expect(checkouts()).toHaveLength(2);
    expect(checkouts()[1]!.idempotencyKey).toBe(checkouts()[0]!.idempotencyKey);
    expect(world.fake.state.purchases).toHaveLength(1);
  });

  it('shows the credits added and the new balance when the payment lands on the live channel', async () => {
    await signedIn();
    const socket = await openChannel();
    const view = await openBuyView();
    fireEvent.click(within(view).getByRole('button', { name: 'Buy 500 credits for $20.00' }));
    await within(view).findByText(/^Finish paying in the new tab/);
    const list = await within(view).findByRole('list', { name: 'Your purchases' });
    await waitFor(() => expect(within(list).getByText('Waiting for payment')).toBeTruthy());
    const creditReads = world.fake.state.calls.filter((c) => c.path === '/v1/credits').length;

    const paid = world.fake.settlePurchase(world.fake.state.purchases[0]!.purchase.id, 'paid');
    socket.deliver({ type: 'purchase.completed', data: paid, at: at() });
    socket.deliver({ type: 'credits.changed', data: world.fake.state.credits, at: at() });
    expect((await within(view).findByText('Added 500 credits.')).textContent).toBe('Added 500 credits.');
    await waitFor(() => expect(screen.getByTestId('balance').textContent).toBe('612'));
    await waitFor(() => expect(within(list).getByText('Paid')).toBeTruthy());
    // The channel said it all: the balance was not asked for again.
    expect(world.fake.state.calls.filter((c) => c.path === '/v1/credits').length).toBe(creditReads);
  });

  it('follows a purchase with the buy view closed, and says when it lands', async () => {
    await signedIn();
    const socket = await openChannel();
    const view = await openBuyView();
    fireEvent.click(within(view).getByRole('button', { name: 'Buy 100 credits for $5.00' }));
    await within(view).findByText(/^Finish paying in the new tab/);
    fireEvent.click(within(view).getByRole('button', { name: 'Close buying credits' }));
    const account = screen.getByRole('region', { name: 'Account' });
    expect(within(account).getByRole('progressbar', { name: 'Waiting for your payment' })).toBeTruthy();
    socket.deliver({ type: 'purchase.completed', data: world.fake.settlePurchase(world.fake.state.purchases[0]!.purchase.id, 'paid'), at: at() });
    socket.deliver({ type: 'credits.changed', data: world.fake.state.credits, at: at() });
    expect(await within(account).findByText('Added 100 credits.')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('balance').textContent).toBe('212'));
  });

  it('says a failed payment in words, and adds nothing', async () => {
    await signedIn();
    const socket = await openChannel();
    const view = await openBuyView();
    fireEvent.click(within(view).getByRole('button', { name: 'Buy 500 credits for $20.00' }));
    await within(view).findByText(/^Finish paying in the new tab/);
    socket.deliver({ type: 'purchase.completed', data: world.fake.settlePurchase(world.fake.state.purchases[0]!.purchase.id, 'failed'), at: at() });
    expect(await within(view).findByText('The payment for 500 credits failed, so nothing was added. You can try again, with another card if need be.')).toBeTruthy();
    await waitFor(() => expect(within(within(view).getByRole('list', { name: 'Your purchases' })).getByText('Payment failed')).toBeTruthy());
    expect(screen.getByTestId('balance').textContent).toBe('112');
    // The list read once on opening, once when the purchase started and once when it settled.
    await waitFor(() => expect(purchaseReads()).toBe(3));
  });

  it('looks once when the designer comes back to the panel, in case the channel missed it', async () => {
    await signedIn();
    await openChannel();
    const view = await openBuyView();
    fireEvent.click(within(view).getByRole('button', { name: 'Buy 500 credits for $20.00' }));
    await within(view).findByText(/^Finish paying in the new tab/);
    world.fake.settlePurchase(world.fake.state.purchases[0]!.purchase.id, 'paid');
    // Up, and nothing said: the list read on opening and when the purchase started, no polling.
    await waitFor(() => expect(purchaseReads()).toBe(2));
    await new Promise((r) => setTimeout(r, 200));
    expect(purchaseReads()).toBe(2);
    document.dispatchEvent(new Event('visibilitychange'));
    expect(await within(view).findByText('Added 500 credits.')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('balance').textContent).toBe('612'));
  });

  it('ignores another purchase’s news while waiting for its own', async () => {
    await signedIn();
    const socket = await openChannel();
    const view = await openBuyView();
    fireEvent.click(within(view).getByRole('button', { name: 'Buy 500 credits for $20.00' }));
    await within(view).findByText(/^Finish paying in the new tab/);
    const own = world.fake.state.purchases[0]!.purchase;
    socket.deliver({ type: 'purchase.completed', data: { ...own, id: 'pur_elsewhere', status: 'paid', paid_at: at() }, at: at() });
    await new Promise((r) => setTimeout(r, 50));
    expect(within(view).getByText(/^Finish paying in the new tab/)).toBeTruthy();
    expect(within(view).queryByText('Added 500 credits.')).toBeNull();
  });
});

describe('while the live channel is down', () => {
  it('asks for the purchases every few seconds, and reads the balance again once it is paid', async () => {
    checkoutTiming.pollMs = 100;
    await signedIn(); // the channel is never accepted: it stays down
    const view = await openBuyView();
    fireEvent.click(within(view).getByRole('button', { name: 'Buy 500 credits for $20.00' }));
    await within(view).findByText(/^Finish paying in the new tab/);
    const reads = purchaseReads();
    await waitFor(() => expect(purchaseReads()).toBeGreaterThan(reads + 1));
    expect(screen.getByTestId('balance').textContent).toBe('112');

    world.fake.settlePurchase(world.fake.state.purchases[0]!.purchase.id, 'paid');
    expect(await within(view).findByText('Added 500 credits.')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('balance').textContent).toBe('612'));
    // Settled: no more asking.
    const settled = purchaseReads();
    await new Promise((r) => setTimeout(r, 350));
    expect(purchaseReads()).toBeLessThanOrEqual(settled + 1);
  });

  it('stops asking after the waiting time, and asks again when told to', async () => {
    checkoutTiming.pollMs = 50;
    checkoutTiming.giveUpMs = 400;
    await signedIn();
    const view = await openBuyView();
    fireEvent.click(within(view).getByRole('button', { name: 'Buy 500 credits for $20.00' }));
    expect(await within(view).findByText(/^No word of the payment for 500 credits after 10 minutes/, undefined, { timeout: 2000 })).toBeTruthy();
    // A round already on its way when the time ran out may still land.
    await new Promise((r) => setTimeout(r, 100));
    const stopped = purchaseReads();
    await new Promise((r) => setTimeout(r, 300));
    expect(purchaseReads()).toBe(stopped);

    world.fake.settlePurchase(world.fake.state.purchases[0]!.purchase.id, 'paid');
    fireEvent.click(within(view).getByRole('button', { name: 'Check again' }));
    expect(await within(view).findByText('Added 500 credits.')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('balance').textContent).toBe('612'));
  });
});

describe('what goes wrong, in words', () => {
  it('says a server that takes no payments charged nothing, and opens no tab', async () => {
    world.fake.state.paymentsOff = true;
    await signedIn();
    const view = await openBuyView();
    fireEvent.click(within(view).getByRole('button', { name: 'Buy 500 credits for $20.00' }));
    expect((await within(view).findByTestId('checkout-error')).textContent).toBe('This Exactly server cannot take payments yet, so nothing was charged. Try again later.');
    expect(await tabUrls()).not.toContainEqual(expect.stringContaining('checkout'));
    // Buy again once it is set up: a fresh press, and it goes through.
    world.fake.state.paymentsOff = false;
    fireEvent.click(within(view).getByRole('button', { name: 'Buy 500 credits for $20.00' }));
    await within(view).findByText(/^Finish paying in the new tab/);
  });

  it('says a conflict in the API’s words, and the next press starts afresh', async () => {
    await signedIn();
    const view = await openBuyView();
    // A key the API already knows for another pack.
    const taken = '00000000-0000-4000-8000-000000000000';
    world.fake.state.purchases.push({ ownerId: 'usr_1', key: taken, session: { id: 'cs_test_x', url: 'https://checkout.stripe.fake/c/pay/cs_test_x' }, purchase: { id: 'pur_x', pack_id: 'pack_100', credits: 100, amount: 500, currency: 'usd', status: 'pending', created_at: at(), paid_at: null } });
    vi.spyOn(crypto, 'randomUUID').mockReturnValueOnce(taken);
    fireEvent.click(within(view).getByRole('button', { name: 'Buy 500 credits for $20.00' }));
    expect((await within(view).findByTestId('checkout-error')).textContent).toBe('This purchase was started for another pack.');
    fireEvent.click(within(view).getByRole('button', { name: 'Buy 500 credits for $20.00' }));
    await within(view).findByText(/^Finish paying in the new tab/);
    expect(checkouts()[1]!.idempotencyKey).not.toBe(taken);
  });

  it('opens no address that is not a web page', async () => {
    world.fake.state.checkoutUrl = 'javascript:alert(1)';
    await signedIn();
    const view = await openBuyView();
    fireEvent.click(within(view).getByRole('button', { name: 'Buy 500 credits for $20.00' }));
    expect((await within(view).findByTestId('checkout-error')).textContent).toMatch(/will not open, so nothing was charged/);
    expect(await tabUrls()).not.toContain('javascript:alert(1)');
  });
});

describe('the purchases list', () => {
  it('shows mine only, newest first, with the date, credits, amount and status in words, and loads more', async () => {
    const statuses = ['paid', 'pending', 'failed', 'refunded', 'disputed'] as const;
    const purchase = (i: number, ownerId = 'usr_1') => ({
      ownerId,
      key: `k${i}`,
      session: { id: `cs_${i}`, url: `https://checkout.stripe.fake/c/pay/cs_${i}` },
      purchase: { id: `pur_${String(i).padStart(2, '0')}`, pack_id: 'pack_500', credits: 500, amount: 2000, currency: 'usd', status: statuses[i % 5]!, created_at: new Date(Date.UTC(2026, 9, 1 + i)).toISOString(), paid_at: null } satisfies Purchase,
    });
    world.fake.state.purchases = Array.from({ length: 23 }, (_, i) => purchase(i));
    world.fake.state.purchases.push({ ...purchase(99, 'usr_2'), purchase: { ...purchase(99).purchase, id: 'pur_theirs', credits: 1500 } });
    await signedIn();
    const view = await openBuyView();
    const list = await within(view).findByRole('list', { name: 'Your purchases' });
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(20));
    const rows = within(list).getAllByRole('listitem');
    // Newest first: the 23rd (index 22, 23 Oct) on top.
    expect(rows[0]!.textContent).toBe(`500 credits${new Date('2026-10-23T00:00:00Z').toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })} · $20.00Payment failed`);
    expect(rows.slice(0, 5).map((r) => r.querySelector('.badge')!.textContent)).toEqual(['Payment failed', 'Waiting for payment', 'Paid', 'Disputed', 'Refunded']);
    expect(rows[0]!.querySelector('time')!.getAttribute('datetime')).toBe('2026-10-23T00:00:00.000Z');

    fireEvent.click(within(view).getByRole('button', { name: 'Load more purchases' }));
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(23));
    expect(within(view).queryByRole('button', { name: 'Load more purchases' })).toBeNull();
    expect(within(list).queryByText('1,500 credits')).toBeNull();
    expect(world.fake.state.calls.filter((c) => c.path === '/v1/credits/purchases').every((c) => c.auth?.startsWith('Bearer '))).toBe(true);
  });

  it('says so when there are none yet', async () => {
    await signedIn();
    const view = await openBuyView();
    expect(await within(view).findByText('Packs you buy are listed here.')).toBeTruthy();
  });
});

describe('credits owing', () => {
  it('warns in the account bar and the buy view, and shows the warning the moment credits move', async () => {
    await signedIn();
    const socket = await openChannel();
    expect(screen.queryByTestId('owing')).toBeNull();
    world.fake.state.credits = { balance: 0, held: 0, available: 0, owed: 120 };
    socket.deliver({ type: 'credits.changed', data: world.fake.state.credits, at: at() });
    const account = screen.getByRole('region', { name: 'Account' });
    expect((await within(account).findByTestId('owing')).textContent).toBe(owedWords);
    const view = await openBuyView();
    expect(within(view).getByTestId('owing').textContent).toBe(owedWords);
    // Said once: the bar's copy gives way to the view's.
    expect(screen.getAllByTestId('owing')).toHaveLength(1);
    // Settled by a purchase: the warning goes.
    socket.deliver({ type: 'credits.changed', data: { balance: 380, held: 0, available: 380, owed: 0 }, at: at() });
    await waitFor(() => expect(screen.queryByTestId('owing')).toBeNull());
  });

  it('says why Generate was refused, with the way to buy credits', async () => {
    world.fake.state.credits = { balance: 50, held: 0, available: 50, owed: 120 };
    await signedIn();
    fireEvent.change(await screen.findByTestId('model'), { target: { value: 'flux-schnell' } });
    fireEvent.input(screen.getByTestId('prompt'), { target: { value: 'a lighthouse at dusk' } });
    await waitFor(() => expect((screen.getByTestId('generate') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('generate'));
    const form = screen.getByRole('form', { name: 'Generate' });
    const alert = await within(form).findByRole('alert');
    expect(alert.textContent).toBe('A refunded purchase left 120 credits owing. Buy credits to settle it, then generate again. Buy credits');
    expect(world.fake.state.generations.size).toBe(0);
    fireEvent.click(within(alert).getByRole('button', { name: 'Buy credits' }));
    expect(await screen.findByRole('region', { name: 'Buy credits' })).toBeTruthy();
  });
});
