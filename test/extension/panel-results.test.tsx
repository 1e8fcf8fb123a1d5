// The studio by keyboard and by its results: tabs that follow the arrow keys, the model's
// features by the prompt, a result's detail view with its actions, licenses with their images.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { referencesTray } from '../../extension/lib/captures';
import { API_URL } from '../../extension/lib/config';
import { App } from '../../extension/panel/App';
import { signInAs, usePanel } from './panel-harness';

const world = usePanel();

async function signedIn() {
  render(<App />);
  await signInAs(world.fake);
}

/** A finished portrait generation of two images, as the API lists it. */
function finishedGeneration(id = 'gen_done') {
  const image = (i: number) => ({
    id: `img_done_${i}`,
    status: 'succeeded',
    width: 576,
    height: 1024,
    preview_url: `/v1/images/img_done_${i}/preview`,
    thumb_url: `/v1/images/img_done_${i}/thumb`,
    policy: { watermarked: false, license: 'free', licensed: false, downloadable: true },
  });
  world.fake.state.generations.set(id, {
    id, model_id: 'flux-schnell', operation: 'generate', status: 'succeeded', prompt: 'a lighthouse at dusk, warm cinematic light', batch: 2, resolution: 'hd',
    aspect_ratio: '9:16', width: 576, height: 1024, cost: { credits_per_image: 2, held: 0, charged: 4, refunded: 0 }, progress: { delivered: 2, pending: 0 },
    images: [image(0), image(1)], seed: 42, provider: 'fal', warnings: [], created_at: '2026-11-20T10:00:00.000Z', polls: 0,
  });
}

describe('the tabs', () => {
  it('are a tablist the arrow keys, Home and End move through, with one tab in the Tab order', async () => {
    await signedIn();
    const list = screen.getByRole('tablist', { name: 'Studio' });
    const tabs = within(list).getAllByRole('tab');
    expect(tabs.map((t) => t.textContent)).toEqual(['Generate', 'Collect', 'Training', 'Models', 'Licenses']);
    expect(tabs.map((t) => t.tabIndex)).toEqual([0, -1, -1, -1, -1]);
    const panel = screen.getByRole('tabpanel', { name: 'Generate' });
    expect(tabs[0]!.getAttribute('aria-controls')).toBe(panel.id);

    tabs[0]!.focus();
    fireEvent.keyDown(tabs[0]!, { key: 'ArrowRight' });
    await waitFor(() => expect(screen.getByRole('tab', { name: 'Collect' }).getAttribute('aria-selected')).toBe('true'));
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Collect' }));
    expect(screen.getByRole('tab', { name: 'Collect' }).tabIndex).toBe(0);
    expect(screen.getByRole('tab', { name: 'Generate' }).tabIndex).toBe(-1);
    expect(screen.getByRole('tabpanel', { name: 'Collect' })).toBeTruthy();

    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Licenses' })));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Generate' })));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Licenses' })));
    fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    await waitFor(() => expect(screen.getByRole('tab', { name: 'Generate' }).getAttribute('aria-selected')).toBe('true'));
    expect(await screen.findByLabelText('Prompt')).toBeTruthy();
  });
});

describe('the prompt bar', () => {
  it('shows what the chosen model can do where the prompt is written', async () => {
    await signedIn();
    fireEvent.change(await screen.findByLabelText('Model'), { target: { value: 'exactly-agentic' } });
    const features = await screen.findByRole('list', { name: /can do$/ });
    expect(within(features).getAllByRole('listitem').map((i) => i.textContent)).toEqual(['Reference image', 'Image to prompt', 'Character pin', 'Product pin']);
    fireEvent.change(screen.getByLabelText('Model'), { target: { value: 'flux-schnell' } });
    await waitFor(() => expect(within(screen.getByRole('list', { name: /can do$/ })).getAllByRole('listitem').map((i) => i.textContent)).toEqual(['Image to prompt']));
  });

  it('generates on Ctrl+Enter in the prompt, and not on a plain Enter', async () => {
    await signedIn();
    const prompt = await screen.findByLabelText('Prompt');
    fireEvent.input(prompt, { target: { value: 'a harbour at noon' } });
    await waitFor(() => expect(screen.getByTestId('generate').textContent).toMatch(/^Generate · /));
    const posts = () => world.fake.state.calls.filter((c) => c.path === '/v1/generations' && c.method === 'POST').length;
    fireEvent.keyDown(prompt, { key: 'Enter' });
    expect(posts()).toBe(0);
    fireEvent.keyDown(prompt, { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(posts()).toBe(1));
    expect(world.fake.state.calls.find((c) => c.path === '/v1/generations' && c.method === 'POST')!.body.prompt).toBe('a harbour at noon');
  });
});

describe('a result’s detail view', () => {
  it('shows the prompt, model, size and license, and Escape or Close shut it with focus back on the thumbnail', async () => {
    finishedGeneration();
    await signedIn();
    const thumbs = await screen.findAllByRole('button', { name: /^Image \d of 2/ });
    // The thumbnail keeps the portrait's own shape.
    expect(thumbs[1]!.style.aspectRatio.replace(/\s/g, '')).toBe('576/1024');
    thumbs[1]!.focus();
    fireEvent.click(thumbs[1]!);
    const dialog = await screen.findByRole('dialog', { name: 'Image 2 of 2' });
    expect(within(dialog).getByText('a lighthouse at dusk, warm cinematic light')).toBeTruthy();
    expect(within(dialog).getByText(/^FLUX\.?1? ?\[?schnell/i)).toBeTruthy();
    expect(within(dialog).getByText('576×1024 px · 9:16')).toBeTruthy();
    expect(within(dialog).getByText('2 credits for this image')).toBeTruthy();
    expect(within(dialog).getByText(/^42 /)).toBeTruthy(); // the seed
    expect(within(dialog).getByText('Free to use commercially', { selector: 'dd' })).toBeTruthy();
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Close' }));

    fireEvent.keyDown(document, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(screen.getAllByRole('button', { name: /^Image \d of 2/ })[1]);

    const first = screen.getAllByRole('button', { name: /^Image \d of 2/ })[0]!;
    first.focus();
    fireEvent.click(first);
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(first);
  });

  it('keeps Tab inside the dialog while it is open', async () => {
    finishedGeneration();
    await signedIn();
    fireEvent.click((await screen.findAllByRole('button', { name: /^Image \d of 2/ }))[0]!);
    const dialog = await screen.findByRole('dialog');
    const controls = within(dialog).getAllByRole('button');
    const close = within(dialog).getByRole('button', { name: 'Close' });
    controls.at(-1)!.focus();
    fireEvent.keyDown(document.activeElement!, { key: 'Tab' });
    expect(document.activeElement).toBe(close);
    fireEvent.keyDown(document.activeElement!, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(controls.at(-1));
  });

  it('puts the image in the references tray, once', async () => {
    finishedGeneration();
    await signedIn();
    fireEvent.click((await screen.findAllByRole('button', { name: /^Image \d of 2/ }))[0]!);
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Use as reference' }));
    expect(await within(dialog).findByText('Added to references.')).toBeTruthy();
    const tray = await referencesTray.of('usr_1').getValue();
    expect(tray.map((c) => [c.image_id, c.status, c.width, c.height])).toEqual([['img_done_0', 'ready', 576, 1024]]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Use as reference' }));
    expect(await within(dialog).findByText(/Already in references/)).toBeTruthy();
    expect(await referencesTray.of('usr_1').getValue()).toHaveLength(1);
  });

  it('varies with the same settings and a new seed, and re-runs the batch as it was', async () => {
    finishedGeneration();
    await signedIn();
    fireEvent.click((await screen.findAllByRole('button', { name: /^Image \d of 2/ }))[0]!);
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Vary · 2 credits' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    fireEvent.click((await screen.findAllByRole('button', { name: /^Image \d of 2/ }))[0]!);
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Re-run · 4 credits' }));
    await waitFor(() => expect(world.fake.state.calls.filter((c) => c.path === '/v1/generations' && c.method === 'POST')).toHaveLength(2));
    const [vary, rerun] = world.fake.state.calls.filter((c) => c.path === '/v1/generations' && c.method === 'POST').map((c) => c.body);
    const same = { model_id: 'flux-schnell', prompt: 'a lighthouse at dusk, warm cinematic light', resolution: 'hd', aspect_ratio: '9:16' };
    expect(vary).toEqual({ ...same, batch: 1, seed: expect.any(Number) });
    expect(rerun).toEqual({ ...same, batch: 2 });
    // Both runs show up at the top of the results.
    await waitFor(() => expect(screen.getByTestId('results').querySelectorAll('article')).toHaveLength(3));
  });
});

describe('editing a result', () => {
  it('instructs or recreates from the detail view, quoted first, and the edit arrives in the results', async () => {
    finishedGeneration();
    await signedIn();
    fireEvent.click((await screen.findAllByRole('button', { name: /^Image \d of 2/ }))[1]!);
    const dialog = await screen.findByRole('dialog');
    const edit = within(dialog).getByRole('button', { name: 'Edit' });
    expect(edit.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(edit);
    const form = within(dialog).getByRole('form', { name: 'Edit this image' });
    expect(within(form).getByRole('radio', { name: /Instruct/ })).toHaveProperty('checked', true);
    // Instruct needs words first; the price is on the button before anything runs.
    const run = within(form).getByRole('button', { name: /^Instruct · \d+ credits?$/ });
    expect(run).toHaveProperty('disabled', true);
    fireEvent.input(within(form).getByLabelText('What to change'), { target: { value: 'make it night' } });
    expect(run).toHaveProperty('disabled', false);
    fireEvent.click(run);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const edits = () => world.fake.state.calls.filter((c) => c.method === 'POST' && /\/edits$/.test(c.path));
    expect(edits().map((c) => [c.path, c.body])).toEqual([['/v1/images/img_done_1/edits', { op: 'instruct', prompt: 'make it night', model_id: 'flux-edit' }]]);
    await waitFor(() => expect(screen.getByTestId('results').querySelectorAll('article')).toHaveLength(2));

    // Recreate: a variation of the whole image, the words optional.
    fireEvent.click((await screen.findAllByRole('button', { name: /^Image \d of 2/ }))[0]!);
    const again = await screen.findByRole('dialog');
    fireEvent.click(within(again).getByRole('button', { name: 'Edit' }));
    fireEvent.click(within(again).getByRole('radio', { name: /Recreate/ }));
    expect(within(again).getByLabelText('Guide the variation (optional)')).toBeTruthy();
    fireEvent.click(within(again).getByRole('button', { name: /^Recreate · / }));
    await waitFor(() => expect(edits()).toHaveLength(2));
    expect(edits()[1]!.body).toEqual({ op: 'recreate', model_id: 'flux-edit' });
  });
});

describe('honest offline', () => {
  it('says a result came from the offline renderer, and says nothing of the kind for a provider', async () => {
    finishedGeneration('gen_fal');
    const offline = world.fake.state.generations.get('gen_fal')!;
    world.fake.state.generations.set('gen_offline', { ...offline, id: 'gen_offline', provider: 'offline', images: [] });
    await signedIn();
    const results = await screen.findAllByRole('article');
    const [newest, older] = [results.find((r) => r.dataset.generationId === 'gen_offline')!, results.find((r) => r.dataset.generationId === 'gen_fal')!];
    expect(within(newest).getByText(/^Offline renderer/)).toBeTruthy();
    expect(within(older).queryByText(/^Offline renderer/)).toBeNull();
  });
});

describe('the history', () => {
  it('shows the newest 20 generations, then older ones a page at a time', async () => {
    for (let i = 1; i <= 23; i++) finishedGeneration(`gen_h${String(i).padStart(2, '0')}`);
    await signedIn();
    const results = await screen.findByTestId('results');
    await waitFor(() => expect(results.querySelectorAll('article')).toHaveLength(20));
    expect(results.querySelector('article')!.getAttribute('data-generation-id')).toBe('gen_h23');
    fireEvent.click(screen.getByRole('button', { name: 'Show older generations' }));
    await waitFor(() => expect(results.querySelectorAll('article')).toHaveLength(23));
    expect([...results.querySelectorAll('article')].at(-1)!.getAttribute('data-generation-id')).toBe('gen_h01');
    expect(screen.queryByRole('button', { name: 'Show older generations' })).toBeNull();
    const pages = world.fake.state.calls.filter((c) => c.method === 'GET' && c.path === '/v1/generations');
    expect(pages).toHaveLength(2);
  });
});

describe('the licenses tab', () => {
  it('lists each license with its image, the model and the date', async () => {
    world.fake.state.licenses = [{ id: 'lic_1', image_id: 'img_done_0', model_id: 'exactly-agentic', price: 12, terms: 'Commercial use', issued_at: '2026-11-21T09:30:00.000Z', certificate_url: '/v1/licenses/lic_1/certificate' }];
    await signedIn();
    fireEvent.click(screen.getByRole('tab', { name: 'Licenses' }));
    const item = await screen.findByTestId('license-item');
    expect(within(item).getByText('Exactly 1.0 Agentic')).toBeTruthy();
    expect(within(item).getByText((_, el) => el?.tagName === 'TIME' && el.getAttribute('datetime') === '2026-11-21T09:30:00.000Z')).toBeTruthy();
    expect(await within(item).findByRole('img', { name: 'Licensed image' })).toBeTruthy();
    expect(within(item).getByRole('link', { name: 'Certificate' }).getAttribute('href')).toBe(`${API_URL}/v1/licenses/lic_1/certificate`);
    expect(within(item).getByRole('button', { name: /Download the original/ })).toBeTruthy();
    // The thumbnail is the licensed one (its own thumb_url), not a cached watermarked copy.
    expect(world.fake.state.calls.some((c) => c.path === '/v1/images/img_done_0')).toBe(true);
    expect(world.fake.state.calls.some((c) => c.path === '/v1/images/img_done_0/thumb' && c.search === '?licensed=1')).toBe(true);
  });
});
