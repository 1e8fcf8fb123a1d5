// The designer's work is kept, and kept apart: everything stored is the signed-in user's own
// (another account on the same browser sees none of it), the generate draft survives tab
// switches and a closed panel, the private Style shows for its owner, and notices clear
// themselves when they stop being true.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { type Capture, captureNotice, pendingPin, pendingPrompt, referencesTray, signInNeeded, trainingTray } from '../../extension/lib/captures';
import { defineStored } from '../../extension/lib/stored';
import { App } from '../../extension/panel/App';
import { restoreDraft } from '../../extension/panel/generate/draft';
import { FormState } from '../../extension/panel/generate/settings';
import { NOTICE_MS } from '../../extension/panel/notice-rules';
import { builtInModels, publicModel } from '../../shared/catalog';
import { privateStyle } from './fake-api';
import { signInAs as signInWith, usePanel } from './panel-harness';

const world = usePanel();

const ADA = 'usr_1';
const BEA = 'usr_2';

async function signInAs(email: string) {
  await signInWith(world.fake, email);
  await screen.findByLabelText('Prompt');
}

async function signOut() {
  fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
  await screen.findByLabelText('Email');
}

const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement | HTMLSelectElement;

function capture(id: string, overrides: Partial<Capture> = {}): Capture {
  return {
    id, menu: 'reference', image_id: `img_${id}`, source_url: `https://images.example/${id}.png`, page_url: 'https://blog.example/', page_title: 'Blog', alt: `Image ${id}`,
    width: 64, height: 48, sha256: 'ab'.repeat(32), thumb_url: `/v1/images/img_${id}/thumb`, thumb_data: 'data:image/png;base64,iVBORw0KGgo=', status: 'ready',
    captured_at: '2026-11-22T10:00:00.000Z', ...overrides,
  };
}

/** Types as a browser does: a field with a maxlength takes no characters past it. */
function type(input: HTMLInputElement, text: string) {
  for (const char of text) {
    if (input.maxLength >= 0 && input.value.length >= input.maxLength) continue;
    fireEvent.input(input, { target: { value: input.value + char } });
  }
}

describe('another account on the same browser', () => {
  it('sees none of the first user’s trays, draft or notices, and the first user gets theirs back', async () => {
    render(<App />);
    await signInAs('ada@example.test');
    await referencesTray.of(ADA).setValue([capture('ref1')]);
    await trainingTray.of(ADA).setValue([{ ...capture('train1', { menu: 'training' }), description: 'a blue mug' }]);
    await captureNotice.of(ADA).setValue({ kind: 'error', message: 'This site asks that its images not be saved.', at: new Date().toISOString() });
    fireEvent.change(field('Model'), { target: { value: 'flux-pro' } });
    fireEvent.input(field('Prompt'), { target: { value: 'a lighthouse at dusk' } });
    expect(await screen.findByRole('region', { name: 'References' })).toBeTruthy();
    expect(await screen.findByText('This site asks that its images not be saved.')).toBeTruthy();

    await signOut();
    await signInAs('bea@example.test');
    expect(screen.getByTestId('user-email').textContent).toBe('bea@example.test');
    expect(field('Prompt').value).toBe('');
    expect(field('Model').value).toBe(builtInModels[0]!.id);
    expect(screen.queryByRole('region', { name: 'References' })).toBeNull();
    expect(screen.queryByTestId('capture-notice')).toBeNull();
    fireEvent.click(screen.getByRole('tab', { name: 'Training' }));
    expect(await screen.findByText(/A Style trains on 5 to 50 images/)).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Training set' })).toBeNull();

    await signOut();
    await signInAs('ada@example.test');
    await waitFor(() => expect(field('Prompt').value).toBe('a lighthouse at dusk'));
    expect(field('Model').value).toBe('flux-pro');
    expect(within(await screen.findByRole('region', { name: 'References' })).getAllByTestId('tray-item')).toHaveLength(1);
    expect(screen.getByTestId('capture-notice').textContent).toMatch(/not be saved/);
    fireEvent.click(screen.getByRole('tab', { name: 'Training' }));
    expect((await screen.findByLabelText('Description of image 1') as HTMLInputElement).value).toBe('a blue mug');
  });
});

describe('the draft', () => {
  it('survives a tab switch, the panel closing and reopening, and a fresh read from storage', async () => {
    render(<App />);
    await signInAs('ada@example.test');
    await referencesTray.of(ADA).setValue([capture('ref1'), capture('ref2')]);
    fireEvent.change(field('Model'), { target: { value: 'flux-pro' } });
    fireEvent.input(field('Prompt'), { target: { value: 'a harbour in fog' } });
    fireEvent.input(field('Images'), { target: { value: '3' } });
    fireEvent.change(field('Size'), { target: { value: '2k' } });
    fireEvent.change(field('Aspect'), { target: { value: '16:9' } });
    const chosen = { modelId: 'flux-pro', prompt: 'a harbour in fog', batch: 3, resolution: '2k', aspectRatio: '16:9' };
    const shown = () => ({ modelId: field('Model').value, prompt: field('Prompt').value, batch: Number(field('Images').value), resolution: field('Size').value, aspectRatio: field('Aspect').value });

    fireEvent.click(screen.getByRole('tab', { name: 'Models' }));
    await waitFor(() => expect(screen.queryByLabelText('Prompt')).toBeNull());
    fireEvent.click(screen.getByRole('tab', { name: 'Generate' }));
    await waitFor(() => expect(shown()).toEqual(chosen));

    // The panel closed and opened again: nothing but storage carries it over.
    cleanup();
    render(<App />);
    await screen.findByLabelText('Prompt');
    await waitFor(() => expect(shown()).toEqual(chosen));
    expect(within(screen.getByRole('region', { name: 'References' })).getAllByTestId('tray-item')).toHaveLength(2);

    // As a browser restart finds it: read afresh, versioned and parsed.
    const fresh = defineStored(`local:u:${ADA}:generateDraft`, { schema: FormState.nullable(), fallback: null, version: 1, migrations: {} });
    expect(await fresh.getValue()).toEqual({ ...chosen, pinIds: [], skipped: [], weights: {}, recipeId: null });
  });

  it('follows the catalog as it stands: a model gone gives way to the first, settings it lacks to its own', () => {
    const models = builtInModels.map(publicModel);
    const first = models[0]!;
    expect(restoreDraft({ modelId: 'sty_deleted', prompt: 'kept', batch: 99, resolution: 'nope', aspectRatio: '7:3' }, models)).toEqual({
      modelId: first.id, prompt: 'kept', batch: first.max_batch, resolution: first.resolutions[0]!.id, aspectRatio: first.aspect_ratios[0], pinIds: [], skipped: [], weights: {}, recipeId: null,
    });
    expect(restoreDraft(null, models)).toMatchObject({ modelId: first.id, prompt: '' });
  });
});

describe('the model picker', () => {
  it('lists the signed-in user’s private Style, and never another user’s', async () => {
    world.fake.state.styles.push({ ownerId: ADA, model: privateStyle('sty_ada', 'Ada’s Ink Studies') }, { ownerId: BEA, model: privateStyle('sty_bea', 'Bea’s Grain') });
    render(<App />);
    await signInAs('ada@example.test');
    const names = () => [...(field('Model') as HTMLSelectElement).options].map((o) => o.textContent);
    await waitFor(() => expect(names()).toContain('Ada’s Ink Studies — Private Style'));
    expect(names().some((n) => n?.startsWith('Bea’s Grain'))).toBe(false);
    expect(world.fake.state.calls.find((c) => c.path === '/v1/models')!.auth).toMatch(/^Bearer /);

    await signOut();
    await signInAs('bea@example.test');
    await waitFor(() => expect(names()).toContain('Bea’s Grain — Private Style'));
    expect(names().some((n) => n?.startsWith('Ada’s Ink Studies'))).toBe(false);
  });
});

describe('signing in', () => {
  it('takes a new address after “Use another email”', async () => {
    render(<App />);
    type((await screen.findByLabelText('Email')) as HTMLInputElement, 'ada@exmaple.test');
    fireEvent.click(screen.getByRole('button', { name: 'Email me a code' }));
    await screen.findByLabelText('Code');
    fireEvent.click(screen.getByRole('button', { name: 'Use another email' }));
    const email = (await screen.findByLabelText('Email')) as HTMLInputElement;
    fireEvent.input(email, { target: { value: '' } });
    type(email, 'ada@example.test');
    expect(email.value).toBe('ada@example.test');
    fireEvent.click(screen.getByRole('button', { name: 'Email me a code' }));
    expect(await screen.findByText('We sent a 6-digit code to ada@example.test.')).toBeTruthy();
  });

  it('says why a capture tried while signed out stored nothing, until someone signs in', async () => {
    await signInNeeded.setValue({ kind: 'error', message: 'Sign in to Exactly in the side panel first, then capture again.', at: new Date().toISOString() });
    render(<App />);
    expect((await screen.findByRole('status')).textContent).toBe('Sign in to Exactly in the side panel first, then capture again.');
    await signInAs('ada@example.test');
    expect(await signInNeeded.getValue()).toBeNull();
    await signOut();
    expect(screen.queryByText(/then capture again/)).toBeNull();
  });
});

describe('notices', () => {
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

  it('“Reading the image…” goes once the prompt is filled', async () => {
    render(<App />);
    await signInAs('ada@example.test');
    await pendingPrompt.of(ADA).setValue(capture('read1', { menu: 'image_to_prompt' }));
    await captureNotice.of(ADA).setValue({ kind: 'ok', message: 'Reading the image…', at: ago(60_000), while: 'reading_prompt' });
    await waitFor(() => expect(field('Prompt').value).toBe('An image read from img_read1, in warm tones'));
    await waitFor(() => expect(screen.queryByText('Reading the image…')).toBeNull());
    await waitFor(async () => expect(await captureNotice.of(ADA).getValue()).toBeNull());
  });

  it('“Reading the image…” brings the Generate tab forward, where the prompt is read', async () => {
    render(<App />);
    await signInAs('ada@example.test');
    fireEvent.click(screen.getByRole('tab', { name: 'Models' }));
    await waitFor(() => expect(screen.queryByLabelText('Prompt')).toBeNull());
    await pendingPrompt.of(ADA).setValue(capture('read2', { menu: 'image_to_prompt' }));
    await captureNotice.of(ADA).setValue({ kind: 'ok', message: 'Reading the image…', at: ago(0), while: 'reading_prompt' });
    await waitFor(() => expect(screen.getByRole('tab', { name: 'Generate' }).getAttribute('aria-selected')).toBe('true'));
    await waitFor(() => expect(field('Prompt').value).toBe('An image read from img_read2, in warm tones'));
    await waitFor(() => expect(screen.queryByText('Reading the image…')).toBeNull());
  });

  it('“Added…” shows, then passes after a few seconds, and is gone from storage', async () => {
    render(<App />);
    await signInAs('ada@example.test');
    await captureNotice.of(ADA).setValue({ kind: 'ok', message: 'Added to your references.', at: ago(NOTICE_MS - 400) });
    expect(await screen.findByText('Added to your references.')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText('Added to your references.')).toBeNull(), { timeout: 2000 });
    await waitFor(async () => expect(await captureNotice.of(ADA).getValue()).toBeNull());
  });

  it('an “Added…” from before the panel opened is not shown; an error stays until dismissed', async () => {
    await captureNotice.of(ADA).setValue({ kind: 'ok', message: 'Added to your references.', at: ago(NOTICE_MS + 1000) });
    render(<App />);
    await signInAs('ada@example.test');
    await waitFor(async () => expect(await captureNotice.of(ADA).getValue()).toBeNull());
    expect(screen.queryByText('Added to your references.')).toBeNull();

    await captureNotice.of(ADA).setValue({ kind: 'error', message: 'That image is larger than 25 MB.', at: ago(60_000) });
    const shown = await screen.findByTestId('capture-notice');
    expect(shown.textContent).toMatch(/larger than 25 MB/);
    fireEvent.click(within(shown).getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(screen.queryByTestId('capture-notice')).toBeNull());
  });

  it('“Name your pin” lasts while the pin waits for its name, and goes with it', async () => {
    render(<App />);
    await signInAs('ada@example.test');
    await pendingPin.of(ADA).setValue(capture('pin1', { menu: 'pin_character' }));
    await captureNotice.of(ADA).setValue({ kind: 'ok', message: 'Name your pin in the panel.', at: ago(60_000), while: 'naming_pin' });
    expect(await screen.findByText('Name your pin in the panel.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByText('Name your pin in the panel.')).toBeNull());
  });

  it('“Pinned …” says what was done, then passes after a few seconds', async () => {
    render(<App />);
    await signInAs('ada@example.test');
    await pendingPin.of(ADA).setValue(capture('pin2', { menu: 'pin_character' }));
    fireEvent.input(await screen.findByPlaceholderText('Who is it? e.g. Ada'), { target: { value: 'Ada' } });
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      fireEvent.click(screen.getByRole('button', { name: 'Pin it' }));
      expect(await screen.findByText('Pinned “Ada” as a character.')).toBeTruthy();
      vi.advanceTimersByTime(NOTICE_MS - 500);
      expect(screen.getByText('Pinned “Ada” as a character.')).toBeTruthy();
      vi.advanceTimersByTime(1000);
      await waitFor(() => expect(screen.queryByText('Pinned “Ada” as a character.')).toBeNull());
    } finally {
      vi.useRealTimers();
    }
  });
});
