// The edit tools as a designer uses them: choose the image, choose how (Instruct, Replace,
// Recreate, Erase), paint the mask with a pointer, see the cost, run; errors in words.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../extension/panel/App';
import { createPng } from '../fakes/png';
import { signInAs, usePanel } from './panel-harness';

/** What went up (masks, files), the keys each edit was sent with, and an answer the API gives edits instead. */
const seen = { uploads: [] as Uint8Array[], editKeys: [] as (string | null)[], editAnswer: null as (() => Response) | null };

const world = usePanel(() => {
  seen.uploads = [];
  seen.editKeys = [];
  seen.editAnswer = null;
  const inner = world.fake.fetch;
  // The fake API, plus uploads (the mask goes up as an image) and a way to make edits fail.
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (request.method === 'POST' && url.pathname === '/v1/images') {
      const bytes = new Uint8Array(await request.arrayBuffer());
      seen.uploads.push(bytes);
      const meta = await sharp(bytes).metadata();
      const id = `img_up_${seen.uploads.length}`;
      return Response.json(
        {
          id, kind: 'upload', width: meta.width, height: meta.height, bytes: bytes.length, sha256: 'x', content_type: 'image/png', source_url: null, page_url: null, page_title: null,
          policy: { watermarked: false, license: 'free', licensed: false, downloadable: true }, preview_url: `/v1/images/${id}/preview`, thumb_url: `/v1/images/${id}/thumb`, created_at: new Date().toISOString(),
        },
        { status: 201 },
      );
    }
    if (request.method === 'POST' && /\/edits$/.test(url.pathname)) {
      seen.editKeys.push(request.headers.get('idempotency-key'));
      if (seen.editAnswer) return seen.editAnswer();
    }
    return inner(input, init);
  });
});

const problem = (status: number, code: string, detail: string) =>
  new Response(JSON.stringify({ type: `/problems/${code}`, title: code, status, detail, code }), { status, headers: { 'content-type': 'application/problem+json' } });

/** A finished portrait result (576×1024), as the API lists it. */
function finishedGeneration(id = 'gen_done', extra: Record<string, unknown> = {}) {
  world.fake.state.generations.set(id, {
    id, model_id: 'flux-schnell', operation: 'generate', status: 'succeeded', prompt: 'a lighthouse at dusk', batch: 1, resolution: 'hd',
    aspect_ratio: '9:16', width: 576, height: 1024, cost: { credits_per_image: 2, held: 0, charged: 2, refunded: 0 }, progress: { delivered: 1, pending: 0 },
    images: [{ id: `img_${id}`, status: 'succeeded', width: 576, height: 1024, preview_url: `/v1/images/img_${id}/preview`, thumb_url: `/v1/images/img_${id}/thumb`, policy: { watermarked: false, license: 'free', licensed: false, downloadable: true } }],
    seed: 42, provider: 'offline', warnings: [], created_at: '2026-11-20T10:00:00.000Z', polls: 0, ...extra,
  });
}

const edits = () => world.fake.state.calls.filter((c) => c.method === 'POST' && /\/edits$/.test(c.path));

/** Opens the edit tools from the prompt bar and chooses the recent result. */
async function editTheResult() {
  render(<App />);
  await signInAs(world.fake);
  fireEvent.click(await screen.findByRole('button', { name: 'Edit an image' }));
  const tools = await screen.findByRole('region', { name: 'Edit an image' });
  fireEvent.click(await within(tools).findByRole('button', { name: /^Result: a lighthouse at dusk, 576×1024/ }));
  return within(tools).findByRole('form', { name: 'Edit this image' });
}

/** The canvas laid out at 288×512 CSS pixels (happy-dom does no layout), then a drag across it. */
function paint(form: HTMLElement, from: [number, number], to: [number, number], pointerType = 'mouse') {
  const canvas = within(form).getByLabelText(/^Mask: paint here/) as HTMLCanvasElement;
  canvas.getBoundingClientRect = () => ({ left: 0, top: 0, x: 0, y: 0, width: 288, height: 512, right: 288, bottom: 512, toJSON: () => ({}) });
  fireEvent.pointerDown(canvas, { pointerId: 1, pointerType, button: 0, clientX: from[0], clientY: from[1] });
  fireEvent.pointerMove(canvas, { pointerId: 1, pointerType, clientX: (from[0] + to[0]) / 2, clientY: (from[1] + to[1]) / 2 });
  fireEvent.pointerMove(canvas, { pointerId: 1, pointerType, clientX: to[0], clientY: to[1] });
  fireEvent.pointerUp(canvas, { pointerId: 1, pointerType, clientX: to[0], clientY: to[1] });
}

describe('erasing a painted area', () => {
  it('stays off until a mask is painted, then uploads the mask and starts the edit, which arrives in the results', async () => {
    finishedGeneration();
    const form = await editTheResult();
    fireEvent.click(within(form).getByRole('radio', { name: /^Erase/ }));
    const run = within(form).getByRole('button', { name: 'Erase · 3 credits' });
    expect(run).toHaveProperty('disabled', true);
    expect(within(form).getByTestId('edit-blocked').textContent).toBe('Paint the area to change on the image first.');
    expect(within(form).getByTestId('mask-state').textContent).toBe('Nothing painted yet.');
    expect(within(form).getByTestId('edit-quote').textContent).toBe('On FLUX.1 Kontext & Fill · 3 credits · you have 112 credits');
    // Erase takes no words.
    expect(within(form).queryByRole('textbox')).toBeNull();

    // A stroke across the middle of the image.
    paint(form, [72, 256], [216, 256]);
    await waitFor(() => expect(run).toHaveProperty('disabled', false));
    expect(within(form).getByTestId('mask-state').textContent).toBe('The painted area will change.');
    expect(within(form).queryByTestId('edit-blocked')).toBeNull();
    fireEvent.click(run);

    await waitFor(() => expect(edits()).toHaveLength(1));
    expect(edits()[0]!.path).toBe('/v1/images/img_gen_done/edits');
    expect(edits()[0]!.body).toEqual({ op: 'erase', model_id: 'flux-edit', mask_image_id: 'img_up_1' });
    expect(seen.editKeys[0]).toMatch(/^[0-9a-f-]{36}$/);
    // The mask went up at the source's size, white where the stroke went, black elsewhere.
    const { data, info } = await sharp(seen.uploads[0]!).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([576, 1024]);
    const value = (x: number, y: number) => data[(y * info.width + x) * info.channels];
    expect(value(288, 512)).toBe(255);
    expect(value(200, 512)).toBe(255);
    expect(value(288, 100)).toBe(0);
    expect(value(10, 1000)).toBe(0);

    // Started: the tools close and the edit is in the results.
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Edit an image' })).toBeNull());
    await waitFor(() => expect(screen.getByTestId('results').querySelectorAll('article')).toHaveLength(2));
  });

  it('undo, redo, eraser and invert change what the mask selects; Ctrl+Z undoes', async () => {
    finishedGeneration();
    const form = await editTheResult();
    fireEvent.click(within(form).getByRole('radio', { name: /^Replace/ }));
    const state = () => within(form).getByTestId('mask-state').textContent;
    paint(form, [144, 256], [144, 256], 'pen');
    await waitFor(() => expect(state()).toBe('The painted area will change.'));
    fireEvent.click(within(form).getByRole('button', { name: 'Eraser' }));
    expect(within(form).getByRole('button', { name: 'Eraser' }).getAttribute('aria-pressed')).toBe('true');
    expect(within(form).getByRole('button', { name: 'Paint' }).getAttribute('aria-pressed')).toBe('false');
    fireEvent.input(within(form).getByRole('slider', { name: 'Brush size' }), { target: { value: '30' } });
    paint(form, [144, 256], [144, 256]);
    await waitFor(() => expect(state()).toBe('Nothing painted yet.'));
    const canvas = within(form).getByLabelText(/^Mask: paint here/);
    fireEvent.keyDown(canvas, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(state()).toBe('The painted area will change.'));
    fireEvent.keyDown(canvas, { key: 'Z', ctrlKey: true, shiftKey: true });
    await waitFor(() => expect(state()).toBe('Nothing painted yet.'));
    fireEvent.click(within(form).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(state()).toBe('The painted area will change.'));
    fireEvent.click(within(form).getByRole('button', { name: 'Invert' }));
    await waitFor(() => expect(state()).toBe('Everything but the painted area will change.'));
    fireEvent.click(within(form).getByRole('button', { name: 'Clear' }));
    await waitFor(() => expect(state()).toBe('Nothing painted yet.'));
    // Replace needs words too.
    fireEvent.click(within(form).getByRole('button', { name: 'Paint' }));
    paint(form, [144, 256], [144, 300]);
    await waitFor(() => expect(state()).toBe('The painted area will change.'));
    await waitFor(() => expect(within(form).getByTestId('edit-blocked').textContent).toBe('Say what goes in the painted area.'));
    fireEvent.input(within(form).getByLabelText('What goes in the painted area'), { target: { value: 'a red bicycle' } });
    const run = within(form).getByRole('button', { name: 'Replace · 3 credits' });
    await waitFor(() => expect(run).toHaveProperty('disabled', false));
    fireEvent.click(run);
    await waitFor(() => expect(edits()).toHaveLength(1));
    expect(edits()[0]!.body).toEqual({ op: 'replace', prompt: 'a red bicycle', model_id: 'flux-edit', mask_image_id: 'img_up_1' });
  });
});

describe('choosing the image', () => {
  it('takes a file from the computer: uploaded, shown, then edited', async () => {
    render(<App />);
    await signInAs(world.fake);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit an image' }));
    const tools = await screen.findByRole('region', { name: 'Edit an image' });
    expect(await within(tools).findByText('No results yet.')).toBeTruthy();
    const input = within(tools).getByLabelText('Or upload an image') as HTMLInputElement;
    const file = new File([createPng(40, 20, [10, 200, 90])], 'sketch.png', { type: 'image/png' });
    Object.defineProperty(input, 'files', { value: [file] });
    fireEvent.change(input);
    const form = await within(tools).findByRole('form', { name: 'Edit this image' });
    expect(seen.uploads).toHaveLength(1);
    expect(within(form).getByText('Upload: sketch.png · 40×20 px')).toBeTruthy();
    fireEvent.input(within(form).getByLabelText('What to change'), { target: { value: 'sepia' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Instruct · 3 credits' }));
    await waitFor(() => expect(edits()).toHaveLength(1));
    expect(edits()[0]!.path).toBe('/v1/images/img_up_1/edits');
  });
});

describe('instruct', () => {
  it('sends the instruction, says what works offline, and needs no mask', async () => {
    finishedGeneration();
    const form = await editTheResult();
    expect(within(form).getByRole('radio', { name: /^Instruct/ })).toHaveProperty('checked', true);
    expect(within(form).queryByLabelText(/^Mask: paint here/)).toBeNull();
    expect(within(form).getByText(/^Without a provider key, Instruct changes colour and light only: warmer, cooler/)).toBeTruthy();
    const run = within(form).getByRole('button', { name: 'Instruct · 3 credits' });
    expect(run).toHaveProperty('disabled', true);
    expect(within(form).getByTestId('edit-blocked').textContent).toBe('Say what to change.');
    fireEvent.input(within(form).getByLabelText('What to change'), { target: { value: '  make it warmer ' } });
    fireEvent.click(run);
    await waitFor(() => expect(edits()).toHaveLength(1));
    expect(edits()[0]!.body).toEqual({ op: 'instruct', prompt: 'make it warmer', model_id: 'flux-edit' });
    expect(seen.uploads).toHaveLength(0);
  });

  it('recreates the whole image with no mask, or a painted area with one', async () => {
    finishedGeneration();
    const form = await editTheResult();
    fireEvent.click(within(form).getByRole('radio', { name: /^Recreate/ }));
    expect(within(form).getByRole('radio', { name: /^Whole image/ })).toHaveProperty('checked', true);
    fireEvent.click(within(form).getByRole('radio', { name: /^A painted area/ }));
    expect(within(form).getByRole('button', { name: 'Recreate · 3 credits' })).toHaveProperty('disabled', true);
    fireEvent.click(within(form).getByRole('radio', { name: /^Whole image/ }));
    fireEvent.click(within(form).getByRole('button', { name: 'Recreate · 3 credits' }));
    await waitFor(() => expect(edits()).toHaveLength(1));
    expect(edits()[0]!.body).toEqual({ op: 'recreate', model_id: 'flux-edit' });
  });
});

describe('when the edit cannot run', () => {
  it('says so in words when the credits are short, before anything runs', async () => {
    finishedGeneration();
    world.fake.state.credits = { balance: 2, held: 0, available: 2 };
    const form = await editTheResult();
    fireEvent.input(within(form).getByLabelText('What to change'), { target: { value: 'make it warmer' } });
    await waitFor(() => expect(within(form).getByTestId('edit-blocked').textContent).toBe('This needs 3 credits and you have 2 credits. Buy credits to edit.'));
    expect(within(form).getByRole('button', { name: 'Instruct · 3 credits' })).toHaveProperty('disabled', true);
    expect(within(form).getByTestId('edit-quote').textContent).toBe('On FLUX.1 Kontext & Fill · 3 credits · you have 2 credits');
  });

  it("shows the API's refusal in its words (402, 422) and keeps what was written", async () => {
    finishedGeneration();
    const form = await editTheResult();
    fireEvent.input(within(form).getByLabelText('What to change'), { target: { value: 'make it warmer' } });
    seen.editAnswer = () => problem(402, 'insufficient_credits', 'This edit needs 3 credits and you have 1 available.');
    fireEvent.click(within(form).getByRole('button', { name: 'Instruct · 3 credits' }));
    expect((await within(form).findByRole('alert')).textContent).toBe('This edit needs 3 credits and you have 1 available.');
    seen.editAnswer = () => problem(422, 'validation_failed', 'Offline, Instruct understands colour and light words only: try "warmer" or "sepia".');
    fireEvent.click(within(form).getByRole('button', { name: 'Instruct · 3 credits' }));
    await waitFor(() => expect(within(form).getByRole('alert').textContent).toBe('Offline, Instruct understands colour and light words only: try "warmer" or "sepia".'));
    expect((within(form).getByLabelText('What to change') as HTMLTextAreaElement).value).toBe('make it warmer');
    // Each press after an answer was a new request, with its own key.
    expect(new Set(seen.editKeys).size).toBe(2);
  });

  it('retries a request the network lost with the same key, so it never runs twice', async () => {
    finishedGeneration();
    const form = await editTheResult();
    fireEvent.click(within(form).getByRole('radio', { name: /^Erase/ }));
    paint(form, [72, 256], [216, 256]);
    const run = within(form).getByRole('button', { name: 'Erase · 3 credits' });
    await waitFor(() => expect(run).toHaveProperty('disabled', false));
    seen.editAnswer = () => {
      throw new TypeError('Failed to fetch');
    };
    fireEvent.click(run);
    expect((await within(form).findByRole('alert')).textContent).toMatch(/cannot be reached/);
    seen.editAnswer = null;
    fireEvent.click(run);
    await waitFor(() => expect(edits()).toHaveLength(1));
    expect(seen.editKeys).toHaveLength(2);
    expect(seen.editKeys[1]).toBe(seen.editKeys[0]);
    // The mask went up once; the retry sends the same one.
    expect(seen.uploads).toHaveLength(1);
    expect(edits()[0]!.body.mask_image_id).toBe('img_up_1');
  });
});

describe("a result's detail view", () => {
  it('offers all four edits on the result, the masked ones with the brush', async () => {
    finishedGeneration();
    render(<App />);
    await signInAs(world.fake);
    fireEvent.click(await screen.findByRole('button', { name: /^Image 1 of 1/ }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Edit' }));
    const form = within(dialog).getByRole('form', { name: 'Edit this image' });
    expect(within(form).getAllByRole('radio').slice(0, 4).map((r) => r.getAttribute('value'))).toEqual(['instruct', 'replace', 'recreate', 'erase']);
    fireEvent.click(within(form).getByRole('radio', { name: /^Erase/ }));
    expect(within(form).getByRole('group', { name: 'Mask brush' })).toBeTruthy();
    paint(form, [72, 256], [216, 256]);
    fireEvent.click(await within(form).findByRole('button', { name: 'Erase · 3 credits' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(edits()[0]!.body).toEqual({ op: 'erase', model_id: 'flux-edit', mask_image_id: 'img_up_1' });
  });

  it('shows an edit before and after, with a slider between them', async () => {
    finishedGeneration('gen_source');
    finishedGeneration('gen_edit', { operation: 'erase', source_image_id: 'img_gen_source', prompt: 'Erased' });
    render(<App />);
    await signInAs(world.fake);
    const edited = (await screen.findAllByRole('article')).find((a) => a.dataset.generationId === 'gen_edit')!;
    fireEvent.click(within(edited).getByRole('button', { name: /^Image 1 of 1/ }));
    const dialog = await screen.findByRole('dialog');
    const slider = await within(dialog).findByRole('slider', { name: 'Before / after' });
    await waitFor(() => expect(slider).toHaveProperty('disabled', false));
    expect(within(dialog).getByRole('img', { name: 'The image before the edit' })).toBeTruthy();
    expect(world.fake.state.calls.some((c) => c.path === '/v1/images/img_gen_source/preview')).toBe(true);
    fireEvent.input(slider, { target: { value: '20' } });
    expect((within(dialog).getByRole('img', { name: 'The image before the edit' }) as HTMLImageElement).style.clipPath).toBe('inset(0 80% 0 0)');

    // A plain generation has no before.
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    const plain = (await screen.findAllByRole('article')).find((a) => a.dataset.generationId === 'gen_source')!;
    fireEvent.click(within(plain).getByRole('button', { name: /^Image 1 of 1/ }));
    const other = await screen.findByRole('dialog');
    await within(other).findByTestId('large-image');
    expect(within(other).queryByRole('slider', { name: 'Before / after' })).toBeNull();
  });
});
