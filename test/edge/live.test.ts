// Live updates: a ticket opens the signed-in user's channel (a Durable Object holding the
// panel's sockets), and every change reaches it once committed, in order, to that user only.
import { evictDurableObject } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { channelPublisher } from '../../edge/live/publisher';
import { signTicket } from '../../edge/live/tickets';
import { generate, waitForGeneration } from './generation-support';
import { storedImage } from './stored-image';
import { call, env, expectProblem, grant, json, signIn } from './support';

interface Channel {
  socket: WebSocket;
  messages: { type: string; data: any; at: string }[];
  /** Waits for the first message (from `from` on) that `match` accepts. */
  next(match: (m: { type: string; data: any }) => boolean, timeoutMs?: number): Promise<{ type: string; data: any; at: string }>;
}

async function ticket(token: string): Promise<{ url: string; expires_in: number }> {
  const response = await call('/v1/events/ticket', { method: 'POST', token });
  expect(response.status).toBe(200);
  return json(response);
}

/** Opens a ticket's address as the panel does: an upgrade to a WebSocket. */
function upgrade(url: string, headers: Record<string, string> = { upgrade: 'websocket' }): Promise<Response> {
  const { pathname, search } = new URL(url);
  return call(`${pathname}${search}`, { headers });
}

async function open(token: string): Promise<Channel> {
  const response = await upgrade((await ticket(token)).url);
  expect(response.status).toBe(101);
  const socket = response.webSocket!;
  socket.accept();
  const messages: Channel['messages'] = [];
  socket.addEventListener('message', (event) => {
    if (event.data !== 'pong') messages.push(JSON.parse(event.data as string));
  });
  return {
    socket,
    messages,
    async next(match, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(match);
        if (found) return found;
        if (Date.now() > deadline) expect.fail(`no such message; heard: ${JSON.stringify(messages.map((m) => [m.type, m.data.status ?? m.data.balance]))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

const body = { model_id: 'flux-schnell', prompt: 'a pier at dusk, warm light', batch: 2, resolution: 'sd', aspect_ratio: '1:1' };
const order = ['queued', 'running', 'succeeded'];

describe('a live-updates ticket', () => {
  it('is a ws:// address on this API, valid about 30 s, that carries no access token', async () => {
    const me = await signIn();
    const { url, expires_in } = await ticket(me.access_token);
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:8787\/v1\/events\?ticket=[\w.-]+$/);
    expect(expires_in).toBe(30);
    expect(url).not.toContain(me.access_token);
    await expectProblem(await call('/v1/events/ticket', { method: 'POST' }), 401, 'unauthorized');
  });

  it('opens one socket only: a reused ticket is refused before any upgrade', async () => {
    const me = await signIn();
    const { url } = await ticket(me.access_token);
    const first = await upgrade(url);
    expect(first.status).toBe(101);
    first.webSocket!.accept();
    const again = await upgrade(url);
    expect(again.webSocket).toBeNull();
    await expectProblem(again, 401, 'unauthorized');
    first.webSocket!.close(1000, 'done');
  });

  it('refuses an expired, forged or altered ticket, and an access token in its place', async () => {
    const me = await signIn();
    const { url } = await ticket(me.access_token);
    const raw = new URL(url).searchParams.get('ticket')!;
    const address = (t: string) => `ws://127.0.0.1:8787/v1/events?ticket=${encodeURIComponent(t)}`;
    const userId = JSON.parse(atob(raw.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))).sub as string;
    const expired = await signTicket(env.AUTH_SECRET, userId, 30, new Date(Date.now() - 60_000));
    const forged = await signTicket('another-secret-that-is-long-enough-to-sign', userId, 30, new Date());
    const [head, , signature] = raw.split('.');
    const base64url = (text: string) => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const altered = `${head}.${base64url(JSON.stringify({ sub: 'usr_someone_else', jti: 'x', exp: 9_999_999_999, aud: 'exactly-events' }))}.${signature}`;
    for (const bad of [expired, forged, altered, me.access_token]) {
      const response = await upgrade(address(bad));
      expect(response.webSocket).toBeNull();
      await expectProblem(response, 401, 'unauthorized');
    }
    // The good ticket still works: refusals used nothing up.
    expect((await upgrade(url)).status).toBe(101);
  });

  it('answers a plain request (no upgrade) and a missing ticket with a problem', async () => {
    const me = await signIn();
    const { url } = await ticket(me.access_token);
    await expectProblem(await upgrade(url, {}), 400, 'bad_request');
    await expectProblem(await call('/v1/events', { headers: { upgrade: 'websocket' } }), 422, 'validation_failed');
  });
});

describe('the live channel', () => {
  it('carries a generation from queued through its images to succeeded, in order, as GET reads it', async () => {
    const me = await signIn();
    await grant(me.email, 100);
    const channel = await open(me.access_token);
    const started = await json(await generate(me.access_token, body));
    const done = await channel.next((m) => m.type === 'generation.updated' && m.data.id === started.id && m.data.status === 'succeeded');
    const updates = channel.messages.filter((m) => m.type === 'generation.updated' && m.data.id === started.id).map((m) => m.data);
    expect(updates[0]).toMatchObject({ status: 'queued', images: [] });
    expect(updates.map((g) => order.indexOf(g.status))).toEqual([...updates.map((g) => order.indexOf(g.status))].sort());
    const delivered = updates.map((g) => g.images.length);
    expect(delivered).toEqual([...delivered].sort());
    expect(delivered).toContain(1); // each image is told as it lands, not only the batch's end
    expect(done.data.images).toHaveLength(2);
    expect(done.data).toEqual(await waitForGeneration(me.access_token, started.id));
    // Messages come stamped, in the order they were published.
    const stamps = channel.messages.map((m) => m.at);
    expect(stamps).toEqual([...stamps].sort());
    channel.socket.close(1000, 'done');
  });

  it('tells the balance as it moves: the grant, the hold, and the settled charge', async () => {
    const me = await signIn();
    const channel = await open(me.access_token);
    await grant(me.email, 100);
    await channel.next((m) => m.type === 'credits.changed' && m.data.balance === 100 && m.data.held === 0);
    const started = await json(await generate(me.access_token, body));
    const cost = started.cost.held;
    await channel.next((m) => m.type === 'credits.changed' && m.data.held === cost);
    await channel.next((m) => m.type === 'generation.updated' && m.data.id === started.id && m.data.status === 'succeeded');
    const settled = await channel.next((m) => m.type === 'credits.changed' && m.data.balance === 100 - cost && m.data.held === 0);
    expect(settled.data).toEqual(await json(await call('/v1/credits', { token: me.access_token })));
    channel.socket.close(1000, 'done');
  });

  it('reaches only its own user: another user’s socket hears nothing of it', async () => {
    const me = await signIn();
    const other = await signIn();
    await grant(me.email, 100);
    const mine = await open(me.access_token);
    const theirs = await open(other.access_token);
    const started = await json(await generate(me.access_token, body));
    await mine.next((m) => m.type === 'generation.updated' && m.data.id === started.id && m.data.status === 'succeeded');
    await mine.next((m) => m.type === 'credits.changed' && m.data.held === 0 && m.data.balance < 100);
    // Their channel works (it hears their own grant), and holds nothing of mine.
    await grant(other.email, 7);
    await theirs.next((m) => m.type === 'credits.changed' && m.data.balance === 7);
    expect(theirs.messages).toEqual([expect.objectContaining({ type: 'credits.changed', data: { balance: 7, held: 0, available: 7, owed: 0 } })]);
    mine.socket.close(1000, 'done');
    theirs.socket.close(1000, 'done');
  });

  it('keeps every socket of a user (two panels both hear), and answers pings with pong', async () => {
    const me = await signIn();
    const first = await open(me.access_token);
    const second = await open(me.access_token);
    await grant(me.email, 40);
    await first.next((m) => m.type === 'credits.changed' && m.data.balance === 40);
    await second.next((m) => m.type === 'credits.changed' && m.data.balance === 40);
    const pong = new Promise<string>((resolve) =>
      second.socket.addEventListener('message', (e) => {
        if (e.data === 'pong') resolve(e.data);
      }),
    );
    // The panel's keep-alive: answered by the runtime, so a hibernating channel need not wake.
    second.socket.send('ping');
    expect(await pong).toBe('pong');
    expect(second.messages.map((m) => m.type)).toEqual(['credits.changed']);
    first.socket.close(1000, 'done');
    // One closed socket does not silence the other.
    await grant(me.email, 2);
    await second.next((m) => m.type === 'credits.changed' && m.data.balance === 42);
    second.socket.close(1000, 'done');
  });
});

describe('hibernation', () => {
  it('loses no one: after the channel is evicted from memory, both sockets still hear, and a used ticket stays used', async () => {
    const me = await signIn();
    const { id: userId } = await json(await call('/v1/me', { token: me.access_token }));
    const first = await open(me.access_token);
    const { url: used } = await ticket(me.access_token);
    const secondResponse = await upgrade(used);
    const second = secondResponse.webSocket!;
    second.accept();
    const heard: any[] = [];
    second.addEventListener('message', (event) => void heard.push(JSON.parse(event.data as string)));
    // The object goes away as it would when idle; its sockets are kept by the runtime.
    await evictDurableObject(env.USER_EVENTS.get(env.USER_EVENTS.idFromName(userId)));
    await grant(me.email, 25);
    await first.next((m) => m.type === 'credits.changed' && m.data.balance === 25);
    for (let i = 0; i < 200 && !heard.length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(heard).toEqual([expect.objectContaining({ type: 'credits.changed', data: { balance: 25, held: 0, available: 25, owed: 0 } })]);
    await expectProblem(await upgrade(used), 401, 'unauthorized');
    first.socket.close(1000, 'done');
    second.close(1000, 'done');
  });
});

describe('what a purchase and its extras tell', () => {
  it('a license: license.created as GET reads it and the balance after; a licensed extra: variant.ready, made or failed', async () => {
    const me = await signIn();
    await grant(me.email, 500);
    await call('/dev/seed', { method: 'POST', json: { email: me.email } });
    const { items: models } = await json(await call('/v1/models', { token: me.access_token }));
    const style = models.find((m: any) => m.name === 'Dusk Harbour');
    const channel = await open(me.access_token);
    const made = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { ...body, batch: 1, model_id: style.id, resolution: 'hd' }))).id);
    const imageId = made.images[0].id;
    const bought = await call(`/v1/images/${imageId}/license`, { method: 'POST', token: me.access_token, headers: { 'idempotency-key': 'live-license' } });
    expect(bought.status).toBe(201);
    const license = await json(bought);
    const told = await channel.next((m) => m.type === 'license.created');
    expect(told.data).toEqual(await json(await call(`/v1/licenses/${license.id}`, { token: me.access_token })));
    const credits = await json(await call('/v1/credits', { token: me.access_token }));
    await channel.next((m) => m.type === 'credits.changed' && m.data.balance === credits.balance && m.data.held === credits.held);

    expect((await call(`/v1/images/${imageId}/upscale`, { method: 'POST', token: me.access_token, json: { size: '4k' } })).status).toBe(202);
    const ready = await channel.next((m) => m.type === 'variant.ready', 60_000);
    expect(ready.data).toMatchObject({ image_id: imageId, kind: 'upscale_4k', status: 'ready' });
    const { items } = await json(await call(`/v1/images/${imageId}/variants`, { token: me.access_token }));
    expect(items).toContainEqual(ready.data);

    // An extra that cannot be made is told too (the panel is not polling for it).
    await env.IMAGES.delete((await storedImage(imageId)).r2_key);
    expect((await call(`/v1/images/${imageId}/remove-background`, { method: 'POST', token: me.access_token })).status).toBe(202);
    const failed = await channel.next((m) => m.type === 'variant.ready' && m.data.kind === 'no_background', 60_000);
    expect(failed.data).toMatchObject({ image_id: imageId, status: 'failed', error: expect.any(String) });
    channel.socket.close(1000, 'done');
  });

  it('a cancel: generation.updated canceled, and the released hold', async () => {
    const me = await signIn();
    await grant(me.email, 1000);
    const channel = await open(me.access_token);
    // Twelve large images take the offline renderer long enough for the cancel to come first.
    const started = await json(await generate(me.access_token, { ...body, batch: 12, resolution: 'hd' }));
    const canceled = await call(`/v1/generations/${started.id}/cancel`, { method: 'POST', token: me.access_token });
    expect(canceled.status).toBe(200);
    await channel.next((m) => m.type === 'generation.updated' && m.data.id === started.id && m.data.status === 'canceled');
    const after = await json(await call('/v1/credits', { token: me.access_token }));
    expect(after.held).toBe(0);
    await channel.next((m) => m.type === 'credits.changed' && m.data.held === 0 && m.data.balance === after.balance && m.data.available === after.available);
    channel.socket.close(1000, 'done');
  });
});

describe('a publish that fails', () => {
  const unreachable = (publish: () => Promise<number>) => ({ idFromName: (name: string) => name, get: () => ({ publish }) }) as unknown as Parameters<typeof channelPublisher>[0];
  const event = { type: 'credits.changed' as const, data: { balance: 1, held: 0, available: 1, owed: 0 } };

  it('never throws: a channel that refuses is logged, and the caller carries on', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const events = channelPublisher(unreachable(() => Promise.reject(new Error('the object is gone'))));
    await expect(events.publish('usr_1', event)).resolves.toBeUndefined();
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('publishing credits.changed to usr_1 failed'), expect.any(Error));
    logged.mockRestore();
  });

  it('never holds the work up: a channel that does not answer is given up after the timeout', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const events = channelPublisher(unreachable(() => new Promise(() => {})), 50);
    const started = Date.now();
    await expect(events.publish('usr_1', event)).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
  });
});
