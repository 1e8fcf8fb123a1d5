// The panel's live connection against a fake WebSocket at the edge: a ticket per connection,
// messages checked against the API's schemas, reconnecting with backoff, and the hooks that
// start and stop the polling fallback.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectLive, type LiveOptions, pollWhileDown } from '../../extension/lib/live';
import { ApiError, localProblem } from '../../extension/lib/problems';
import { FakeSocket } from './fake-websocket';

const credits = { balance: 90, held: 10, available: 80 };
const generation = {
  id: 'gen_1', model_id: 'flux-schnell', operation: 'generate', status: 'running', prompt: 'a pier', batch: 2, resolution: 'sd', aspect_ratio: '1:1', width: 512, height: 512,
  cost: { credits_per_image: 5, held: 10, charged: 0, refunded: 0 }, progress: { delivered: 1, pending: 1 },
  images: [{ id: 'img_1', status: 'succeeded', width: 512, height: 512, preview_url: '/p', thumb_url: '/t', policy: { watermarked: false, license: 'free', licensed: false, downloadable: true } }],
  seed: 7, provider: 'offline', warnings: [], created_at: '2026-11-22T10:00:00.000Z',
};
const at = '2026-11-22T10:00:01.000Z';

let tickets = 0;
function live(extra: Partial<LiveOptions> = {}) {
  const hooks = { up: 0, down: 0 };
  const connection = connectLive({
    ticket: async () => ({ url: `ws://api.test/v1/events?ticket=t${++tickets}`, expires_in: 30 }),
    onUp: () => hooks.up++,
    onDown: () => hooks.down++,
    backoff: { initialMs: 100, maxMs: 1000 },
    pingMs: 5000,
    WebSocket: FakeSocket as unknown as LiveOptions['WebSocket'],
    random: () => 1,
    ...extra,
  });
  return { connection, hooks };
}

const latest = () => FakeSocket.all.at(-1)!;

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.all = [];
});
afterEach(() => vi.useRealTimers());

describe('the live connection', () => {
  it('opens the ticket’s address, says it is up, and hands each message to its subscribers as the API shapes it', async () => {
    const { connection, hooks } = live();
    await vi.advanceTimersByTimeAsync(0);
    expect(latest().url).toMatch(/^ws:\/\/api\.test\/v1\/events\?ticket=t\d+$/);
    expect(connection.connected).toBe(false);
    latest().accept();
    expect(connection.connected).toBe(true);
    expect(hooks).toEqual({ up: 1, down: 0 });

    const heard: unknown[] = [];
    const balances: unknown[] = [];
    connection.subscribe('generation.updated', (data, when) => heard.push([data.id, data.images.length, when]));
    const stop = connection.subscribe('credits.changed', (data) => balances.push(data.available));
    latest().deliver({ type: 'generation.updated', data: generation, at });
    latest().deliver({ type: 'credits.changed', data: credits, at });
    stop();
    latest().deliver({ type: 'credits.changed', data: { ...credits, available: 70, held: 20 }, at });
    expect(heard).toEqual([['gen_1', 1, at]]);
    expect(balances).toEqual([80]);
    connection.close();
  });

  it('skips what does not match the API’s schemas, and a pong, without dropping the channel', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { connection } = live();
    await vi.advanceTimersByTimeAsync(0);
    latest().accept();
    const balances: number[] = [];
    connection.subscribe('credits.changed', (data) => balances.push(data.balance));
    latest().deliver('not json');
    latest().deliver({ type: 'credits.changed', data: { balance: 'lots' }, at });
    latest().deliver({ type: 'credits.changed', data: credits });
    latest().deliver({ type: 'style.unknown', data: {}, at });
    latest().deliver('pong');
    latest().deliver({ type: 'credits.changed', data: credits, at });
    expect(balances).toEqual([90]);
    expect(warn).toHaveBeenCalledTimes(4);
    expect(connection.connected).toBe(true);
    connection.close();
    warn.mockRestore();
  });

  it('pings an open channel to keep it alive', async () => {
    const { connection } = live();
    await vi.advanceTimersByTimeAsync(0);
    latest().accept();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(latest().sent).toEqual(['ping', 'ping']);
    connection.close();
  });

  it('reconnects with a new ticket after a drop, waiting longer after each failure, and tells the polling hooks once per change', async () => {
    const { connection, hooks } = live();
    await vi.advanceTimersByTimeAsync(0);
    latest().accept();
    latest().drop();
    expect(connection.connected).toBe(false);
    expect(hooks).toEqual({ up: 1, down: 1 });
    // Fails three times in a row: waits of 100, 200, 400 ms (random() = 1: the whole ceiling).
    const opened = () => FakeSocket.all.length;
    for (const wait of [100, 200, 400]) {
      const before = opened();
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(opened()).toBe(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(opened()).toBe(before + 1);
      latest().drop();
    }
    expect(hooks).toEqual({ up: 1, down: 1 });
    await vi.advanceTimersByTimeAsync(800);
    latest().accept();
    expect(hooks).toEqual({ up: 2, down: 1 });
    const tickets = new Set(FakeSocket.all.map((s) => s.url));
    expect(tickets.size).toBe(FakeSocket.all.length); // every connection its own ticket
    // Success resets the wait.
    latest().drop();
    const before = opened();
    await vi.advanceTimersByTimeAsync(100);
    expect(opened()).toBe(before + 1);
    connection.close();
  });

  it('never waits longer than the maximum, and halves the wait at most by jitter', async () => {
    const { connection } = live({ random: () => 0 });
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 8; i++) {
      const before = FakeSocket.all.length;
      latest().drop();
      await vi.advanceTimersByTimeAsync(500); // half of the 1000 ms maximum
      expect(FakeSocket.all.length).toBe(before + 1);
    }
    connection.close();
  });

  it('keeps trying while tickets cannot be had, and stops when signed out', async () => {
    let answer: 'network' | 'signed-out' = 'network';
    const ticket = vi.fn(async () => {
      throw new ApiError(answer === 'network' ? localProblem('network', 'down') : localProblem('unauthorized', 'signed out', 401));
    });
    const { connection, hooks } = live({ ticket });
    await vi.advanceTimersByTimeAsync(0);
    expect(hooks).toEqual({ up: 0, down: 1 });
    await vi.advanceTimersByTimeAsync(100 + 200);
    expect(ticket).toHaveBeenCalledTimes(3);
    answer = 'signed-out';
    await vi.advanceTimersByTimeAsync(400);
    expect(ticket).toHaveBeenCalledTimes(4);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ticket).toHaveBeenCalledTimes(4);
    expect(FakeSocket.all).toEqual([]);
    connection.close();
  });

  it('closes for good: the socket is closed and nothing reconnects or is heard', async () => {
    const { connection, hooks } = live();
    await vi.advanceTimersByTimeAsync(0);
    const socket = latest();
    socket.accept();
    const heard: unknown[] = [];
    connection.subscribe('credits.changed', (data) => heard.push(data));
    connection.close();
    expect(socket.closedWith).toBe(1000);
    socket.deliver({ type: 'credits.changed', data: credits, at });
    socket.drop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(heard).toEqual([]);
    expect(connection.connected).toBe(false);
    expect(hooks.up).toBe(1);
  });
});

describe('the polling fallback', () => {
  it('polls only while the channel is down, waiting longer after each round, and stops the moment it is back', async () => {
    const { connection } = live();
    const poll = vi.fn(async () => undefined);
    const stop = pollWhileDown(connection, poll, { initialMs: 1000, maxMs: 4000 });
    await vi.advanceTimersByTimeAsync(0);
    expect(connection.down).toBe(false); // still connecting: no reason to poll yet
    latest().accept();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(poll).not.toHaveBeenCalled();

    latest().drop();
    expect(connection.down).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(poll).toHaveBeenCalledTimes(1); // at once
    for (const [wait, calls] of [[1000, 2], [2000, 3], [4000, 4], [4000, 5]] as const) {
      await vi.advanceTimersByTimeAsync(wait - 1);
      expect(poll).toHaveBeenCalledTimes(calls - 1);
      await vi.advanceTimersByTimeAsync(1);
      expect(poll).toHaveBeenCalledTimes(calls);
    }
    latest().accept(); // the reconnect (made meanwhile) opens
    await vi.advanceTimersByTimeAsync(60_000);
    expect(poll).toHaveBeenCalledTimes(5);

    // Down again: back to polling at once, from the shortest wait.
    latest().drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(poll).toHaveBeenCalledTimes(6);
    await vi.advanceTimersByTimeAsync(1000);
    expect(poll).toHaveBeenCalledTimes(7);
    stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(poll).toHaveBeenCalledTimes(7);
    connection.close();
  });

  it('starts at once when the channel cannot be opened, and keeps going when a round fails', async () => {
    const { connection } = live({ ticket: async () => Promise.reject(new ApiError(localProblem('network', 'down'))) });
    await vi.advanceTimersByTimeAsync(0);
    const poll = vi.fn(async () => Promise.reject(new Error('offline too')));
    const stop = pollWhileDown(connection, poll, { initialMs: 1000, maxMs: 4000 });
    await vi.advanceTimersByTimeAsync(0);
    expect(poll).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(poll).toHaveBeenCalledTimes(3);
    stop();
    connection.close();
  });
});
