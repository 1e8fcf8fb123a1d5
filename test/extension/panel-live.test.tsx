// The studio on its live channel: what the API publishes is shown at once, and nothing is
// polled while the channel is up; while it is down, polling carries on as before.
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../extension/panel/App';
import { upsert } from '../../extension/panel/generate/GenerateView';
import { FakeSocket } from './fake-websocket';
import { signInAs, usePanel } from './panel-harness';

const world = usePanel(() => {
  FakeSocket.all = [];
  vi.stubGlobal('WebSocket', FakeSocket);
});

async function signedIn() {
  render(<App />);
  await signInAs(world.fake);
}

/** The channel the studio opened, accepted by the "server". */
async function openChannel() {
  await waitFor(() => expect(FakeSocket.all).toHaveLength(1));
  const socket = FakeSocket.all[0]!;
  expect(socket.url).toMatch(/^ws:\/\/api\.test\/v1\/events\?ticket=t\d+$/);
  expect(socket.url).not.toContain('access');
  socket.accept();
  return socket;
}

const at = () => new Date().toISOString();
const since = (from: number) => world.fake.state.calls.slice(from).map((c) => `${c.method} ${c.path}`);

describe('the live channel', () => {
  it('keeps the balance current without asking the API', async () => {
    await signedIn();
    const socket = await openChannel();
    const before = world.fake.state.calls.length;
    socket.deliver({ type: 'credits.changed', data: { balance: 500, held: 20, available: 480 }, at: at() });
    await waitFor(() => expect(screen.getByTestId('balance').textContent).toBe('480'));
    expect(screen.getByTestId('credit-detail').textContent).toContain('20 credits held');
    expect(since(before)).toEqual([]);
  });

  it('shows a generation’s images as they are published, with no polling while it is up', async () => {
    world.fake.state.pollsToFinish = 1_000; // a poll would never finish it: only the channel can
    await signedIn();
    const socket = await openChannel();
    fireEvent.change(await screen.findByTestId('model'), { target: { value: 'flux-schnell' } });
    fireEvent.input(screen.getByTestId('batch'), { target: { value: '2' } });
    fireEvent.input(screen.getByTestId('prompt'), { target: { value: 'a lighthouse at dusk' } });
    await waitFor(() => expect((screen.getByTestId('generate') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('generate'));
    await waitFor(() => expect(screen.getByTestId('status').textContent).toMatch(/0\/2/));
    const started = world.fake.state.calls.length;
    const queued = [...world.fake.state.generations.values()][0]!;
    const { polls: _p, idempotencyKey: _k, ...view } = queued;
    const image = (i: number) => ({ id: `img_live_${i}`, status: 'succeeded', width: 16, height: 16, preview_url: `/v1/images/img_live_${i}/preview`, thumb_url: `/v1/images/img_live_${i}/thumb`, policy: { watermarked: false, license: 'free', licensed: false, downloadable: true } });
    socket.deliver({ type: 'generation.updated', data: { ...view, status: 'running', images: [image(0)], progress: { delivered: 1, pending: 1 } }, at: at() });
    await waitFor(() => expect(screen.getByTestId('status').textContent).toMatch(/1\/2/));
    // Past a polling interval while it runs: nothing asked of the generation.
    await new Promise((r) => setTimeout(r, 1300));
    expect(since(started).filter((c) => c.startsWith('GET /v1/generations/'))).toEqual([]);
    socket.deliver({ type: 'generation.updated', data: { ...view, status: 'succeeded', images: [image(0), image(1)], progress: { delivered: 2, pending: 0 }, cost: { ...view.cost, held: 0, charged: 2 } }, at: at() });
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('Done'));
    await waitFor(() => expect(screen.getAllByTestId('result-image')).toHaveLength(2));
    expect(since(started).filter((c) => c.startsWith('GET /v1/generations/'))).toEqual([]);
  });

  it('moves the running generation’s bar with the steps its provider reports, never back', async () => {
    world.fake.state.pollsToFinish = 1_000;
    await signedIn();
    const socket = await openChannel();
    fireEvent.change(await screen.findByTestId('model'), { target: { value: 'flux-schnell' } });
    fireEvent.input(screen.getByTestId('batch'), { target: { value: '1' } });
    fireEvent.input(screen.getByTestId('prompt'), { target: { value: 'a lighthouse at dusk' } });
    await waitFor(() => expect((screen.getByTestId('generate') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('generate'));
    await waitFor(() => expect(screen.getByTestId('status').textContent).toMatch(/0\/1/));
    // Before any report, the bar counts images.
    expect(screen.getByRole('progressbar', { name: 'Progress' }).getAttribute('aria-valuenow')).toBeNull();
    const { polls: _p, idempotencyKey: _k, ...view } = [...world.fake.state.generations.values()][0]!;
    const running = (fraction: number) => ({ type: 'generation.updated', data: { ...view, status: 'running', progress: { delivered: 0, pending: 1, fraction } }, at: at() });
    socket.deliver(running(0.4));
    await waitFor(() => expect(screen.getByRole('progressbar', { name: 'Progress' }).getAttribute('aria-valuenow')).toBe('40'));
    const bar = screen.getByRole('progressbar', { name: 'Progress' }) as HTMLProgressElement;
    expect([bar.getAttribute('value'), bar.getAttribute('max'), bar.getAttribute('aria-valuetext')]).toEqual(['40', '100', '40% of the steps done']);
    expect(screen.getByTestId('status').textContent).toBe('Generating 0/1 · 40%');
    // A report that comes late, from before, does not move the bar back.
    socket.deliver(running(0.25));
    socket.deliver(running(0.75));
    await waitFor(() => expect(screen.getByRole('progressbar', { name: 'Progress' }).getAttribute('aria-valuenow')).toBe('75'));
    socket.deliver(running(0.5));
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.getByRole('progressbar', { name: 'Progress' }).getAttribute('aria-valuenow')).toBe('75');
  });

  it('falls back to polling while the channel is down', async () => {
    await signedIn();
    const socket = await openChannel();
    socket.drop();
    fireEvent.change(await screen.findByTestId('model'), { target: { value: 'flux-schnell' } });
    fireEvent.input(screen.getByTestId('prompt'), { target: { value: 'a lighthouse at dusk' } });
    await waitFor(() => expect((screen.getByTestId('generate') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('generate'));
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('Done'), { timeout: 4000 });
    expect(world.fake.state.calls.some((c) => c.method === 'GET' && /^\/v1\/generations\/gen_/.test(c.path))).toBe(true);
  });
});

describe('views of one generation arriving out of order', () => {
  const base = { id: 'gen_1', model_id: 'flux-schnell', operation: 'generate', prompt: 'p', batch: 2, resolution: 'sd', aspect_ratio: '1:1', width: 512, height: 512, cost: { credits_per_image: 1, held: 2, charged: 0, refunded: 0 }, seed: 1, provider: 'offline' as const, warnings: [], created_at: '2026-11-22T10:00:00.000Z' };
  const image = (i: number) => ({ id: `img_${i}`, status: 'succeeded' as const, width: 16, height: 16, preview_url: '', thumb_url: '', policy: { watermarked: false, license: 'free' as const, licensed: false, downloadable: true } });
  const queued = { ...base, status: 'queued' as const, images: [], progress: { delivered: 0, pending: 2 } };
  const done = { ...base, status: 'succeeded' as const, images: [image(0), image(1)], progress: { delivered: 2, pending: 0 } };

  it('keep the furthest: the answer that started it does not undo images the channel already told of', () => {
    expect(upsert([done], queued)).toEqual([done]);
    expect(upsert([queued], done)).toEqual([done]);
    expect(upsert([], queued)).toEqual([queued]);
  });

  it('keep running over queued: a late answer that started it does not put a running generation back in the queue', () => {
    const running = { ...queued, status: 'running' as const };
    expect(upsert([running], queued)).toEqual([running]);
    expect(upsert([queued], running)).toEqual([running]);
  });
});
